/**
 * md-workbench: the engine on the command line (DESIGN §9).
 *   eval <structure> --potential <json>     energy, forces, virial and stress as JSON
 *   run <spec.json> [--structure <file>]    run a pipeline spec, write the snapshots as extXYZ
 */
import { writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { Frame } from '../engine/api.ts';
import type { Batch } from '../engine/batch.ts';
import { buildSystem } from '../engine/structures/index.ts';
import { elementByNumber } from '../io/elements.ts';
import { ParseError } from '../io/parseError.ts';
import { stageName } from '../io/spec.ts';
import { writeExtXyz } from '../io/xyz.ts';
import type { BackendName, CliBackend } from './backends/backend.ts';
import {
  batchFor,
  readEamTables,
  readGnnModel,
  readPotential,
  readSpec,
  readStructure,
  UsageError,
} from './inputs.ts';
import { ProgressBar } from './progress.ts';

const USAGE = `usage:
  md-workbench eval <structure.xyz|.extxyz|LAMMPS data> --potential <potential.json | '{"kind":...}'> [options]
      prints energy (eV), per-atom energies (eV), forces (eV/Å), virial (eV) and stress (eV/Å³, ASE's sign) as JSON
  md-workbench run <spec.json> [--structure <file>] [--out trajectory.extxyz] [options]
      runs the pipeline spec; writes the snapshot frames (or the final state) as extXYZ. Placement
      'pipeline' or 'domain' runs one worker per segment or per rank: Web Workers in Chromium,
      worker_threads for reference and dawn (a domain run: one Dawn device per thread)

options:
  --backend auto|chromium|dawn|reference   where the engine runs (auto: Dawn on a real GPU, else headless
                                            Chromium, else the f64 reference)
  --types El1,El2,...                      element of each potential type (pair potentials; EAM and GNN
                                            use their 'elements'); default: every element is type 0
  --models <dir>                           where a GNN potential's <model>.json and <model>.safetensors
                                            lie (default: next to the spec or potential file, then the
                                            shipped models in public/models)
  --out <file>                             output file (eval: JSON, default stdout; run: extXYZ)
  --allow-software-dawn                    let the Dawn backend use a software adapter`;

/** Picks the backend: the one asked for, or the first that works. */
async function openBackend(name: string, allowSoftware: boolean, pipeline = false): Promise<CliBackend> {
  // Backends load lazily: each pulls in heavy dependencies (Vite and Playwright, Dawn) of its own.
  const openers: Record<BackendName, () => Promise<CliBackend>> = {
    dawn: async () => (await import('./backends/dawn.ts')).dawnBackend({ allowSoftware }),
    chromium: async () => (await import('./backends/chromium.ts')).chromiumBackend(),
    reference: async () => (await import('./backends/reference.ts')).referenceBackend(),
  };
  if (name !== 'auto') {
    const open = openers[name as BackendName];
    if (!open) throw new UsageError(`unknown backend '${name}' (auto, chromium, dawn or reference)`);
    return open();
  }
  const reasons: string[] = [];
  // Dawn for Node runs one worker: a pipeline spec goes to Chromium's Web Workers or Node's threads.
  for (const candidate of pipeline
    ? (['chromium', 'reference'] as const)
    : (['dawn', 'chromium', 'reference'] as const)) {
    try {
      return await openers[candidate]();
    } catch (e) {
      reasons.push(`${candidate}: ${(e as Error).message}`);
    }
  }
  throw new Error(`no backend works here:\n${reasons.join('\n')}`);
}

function symbolsOf(batch: Batch): string[] {
  return Array.from(batch.atomicNumbers, (z) => (z > 0 ? elementByNumber(z).symbol : 'X'));
}

function frameToExtXyz(batch: Batch, frame: Frame, stages: readonly string[]) {
  // A pipeline's final state carries no forces (they stay in the workers).
  const forces = frame.forces && frame.forces.length === 3 * batch.nAtoms ? frame.forces : undefined;
  return {
    symbols: symbolsOf(batch),
    positions: frame.positions,
    cell: batch.cells.subarray(0, 9),
    pbc: [batch.pbc[0] === 1, batch.pbc[1] === 1, batch.pbc[2] === 1] as [boolean, boolean, boolean],
    ...(forces ? { forces } : {}),
    info: { step: frame.step, time_fs: frame.time, stage: stages[frame.stage] ?? String(frame.stage) },
  };
}

/** Where to look for a GNN model: `--models`, then `specDir` (the shipped models come last). */
function modelDirs(values: Record<string, string | boolean | undefined>, specDir: string): string[] {
  return [...(typeof values.models === 'string' ? [values.models] : []), specDir];
}

async function evalCommand(positionals: string[], values: Record<string, string | boolean | undefined>) {
  const [path] = positionals;
  if (!path || typeof values.potential !== 'string')
    throw new UsageError(`eval needs a structure and --potential\n${USAGE}`);
  const structure = await readStructure(path);
  const { potential, baseDir } = await readPotential(values.potential);
  const tables = await readEamTables(potential, baseDir);
  const gnnModel = await readGnnModel(potential, modelDirs(values, baseDir));
  const batch = batchFor(structure, potential, values.types as string | undefined);
  const backend = await openBackend(String(values.backend ?? 'auto'), values['allow-software-dawn'] === true);
  try {
    process.stderr.write(`backend: ${backend.adapter}\n`);
    const r = await backend.evaluate(batch, potential, tables, gnnModel);
    const out = {
      structure: path,
      backend: backend.name,
      adapter: backend.adapter,
      atoms: batch.nAtoms,
      energy: r.energy[0],
      energies: r.energies,
      forces: Array.from({ length: batch.nAtoms }, (_, i) => r.forces.slice(3 * i, 3 * i + 3)),
      virial: r.virial[0],
      stress: r.stress[0],
      units: { energy: 'eV', forces: 'eV/Å', virial: 'eV', stress: 'eV/Å³' },
    };
    const json = `${JSON.stringify(out, null, 1)}\n`;
    if (typeof values.out === 'string') await writeFile(values.out, json);
    else process.stdout.write(json);
  } finally {
    await backend.close();
  }
}

async function runCommand(positionals: string[], values: Record<string, string | boolean | undefined>) {
  const [specPath] = positionals;
  if (!specPath) throw new UsageError(`run needs a spec file\n${USAGE}`);
  const spec = await readSpec(specPath);
  const tables = await readEamTables(spec.potential, process.cwd());
  const gnnModel = await readGnnModel(spec.potential, modelDirs(values, dirname(resolve(specPath))));
  const batch =
    typeof values.structure === 'string'
      ? batchFor(await readStructure(values.structure), spec.potential, values.types as string | undefined)
      : buildSystem(spec.system);
  const backend = await openBackend(
    String(values.backend ?? 'auto'),
    values['allow-software-dawn'] === true,
    spec.placement.kind === 'pipeline',
  );
  const names = spec.stages.map((s, i) => stageName(s, i));
  try {
    process.stderr.write(`backend: ${backend.adapter}; ${batch.nAtoms} atoms; ${names.join(' → ')}\n`);
    const bar = new ProgressBar(spec.stages.map((s) => s.steps));
    const outcome = await backend.run(spec, batch, tables, (e) => bar.update(e), gnnModel);
    bar.finish();
    const frames = outcome.frames.length > 0 ? outcome.frames : [];
    const out = typeof values.out === 'string' ? values.out : 'trajectory.extxyz';
    const last: Frame = { stage: spec.stages.length - 1, stageStep: 0, step: -1, time: 0, ...outcome.final };
    await writeFile(
      out,
      writeExtXyz((frames.length > 0 ? frames : [last]).map((f) => frameToExtXyz(batch, f, names))),
    );
    process.stderr.write(
      `${outcome.end}${outcome.message ? `: ${outcome.message}` : ''}; wrote ${Math.max(1, frames.length)} frame(s) to ${out}\n`,
    );
    if (outcome.end !== 'completed') process.exitCode = 1;
  } finally {
    await backend.close();
  }
}

async function main(argv: string[]): Promise<void> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      potential: { type: 'string' },
      structure: { type: 'string' },
      backend: { type: 'string' },
      types: { type: 'string' },
      models: { type: 'string' },
      out: { type: 'string' },
      'allow-software-dawn': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const [command, ...rest] = positionals;
  if (values.help || !command) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  if (command === 'eval') return evalCommand(rest, values);
  if (command === 'run') return runCommand(rest, values);
  throw new UsageError(`unknown command '${command}'\n${USAGE}`);
}

main(process.argv.slice(2)).catch((e: unknown) => {
  const known =
    e instanceof UsageError ||
    e instanceof ParseError ||
    (e as { code?: string }).code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION';
  process.stderr.write(`md-workbench: ${known ? (e as Error).message : ((e as Error).stack ?? String(e))}\n`);
  process.exitCode = 2;
});
