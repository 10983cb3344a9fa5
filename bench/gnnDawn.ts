/**
 * The `gnn` benchmark and the GNN physics checks on Dawn for Node (npm `webgpu`), for machines with a
 * real GPU (bundle: npm run build:node; only `webgpu` must sit in node_modules beside the bundle):
 *   node dist-node/gnnDawn.js bench --out FILE [bench options: bench/gnnRun.ts, e.g. --torch python3]
 *   node dist-node/gnnDawn.js nve --out FILE [--cells 10] [--steps 5000] [--dt 2] [--every 50]
 *   node dist-node/gnnDawn.js profile --out FILE [--cells 10,20] [--steps 20]   (ms per stage)
 *   node dist-node/gnnDawn.js melt --out FILE --eam Cu_mishin1.eam.alloy [--cells 8 --layers 12 --vacuum 20]
 * Run from the repository root (reads public/models/, runs tools/gnn/bench_torch.py). DAWN_FLAGS
 * (';'-separated) passes Dawn toggles to create(). Writes JSON to FILE and a summary to stdout.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { create, globals } from 'webgpu';
import { formatTable } from './results.ts';

// The engine reads WebGPU's globals (GPUBufferUsage, …) when its modules load: install them first.
Object.assign(globalThis, globals);
const { runGnnNve, runMelt } = await import('./gnnPhysics.ts');
const { benchGnn, readBenchModel } = await import('./gnnRun.ts');
const gpu = create(process.env.DAWN_FLAGS ? process.env.DAWN_FLAGS.split(';') : []);
const [mode, ...rest] = process.argv.slice(2);
const log = (line: string) => process.stderr.write(`${line}\n`);
const command = `node ${process.argv.slice(1).join(' ')}`;

async function main(): Promise<void> {
  if (mode === 'bench') {
    const at = rest.indexOf('--out');
    if (at < 0 || !rest[at + 1]) throw new Error('bench needs --out FILE');
    const out = rest[at + 1]!;
    const argv = rest.filter((_, k) => k !== at && k !== at + 1);
    const result = await benchGnn(['--backend', 'dawn', ...argv], { gpu });
    await writeFile(out, `${JSON.stringify({ ...result, command }, null, 2)}\n`);
    console.log(formatTable(result));
    return;
  }
  const { values } = parseArgs({
    args: rest,
    options: {
      out: { type: 'string' },
      cells: { type: 'string' },
      layers: { type: 'string', default: '12' },
      vacuum: { type: 'string', default: '20' },
      steps: { type: 'string' },
      dt: { type: 'string', default: '2' },
      every: { type: 'string', default: '50' },
      temperature: { type: 'string', default: '300' },
      eam: { type: 'string' },
      potentials: { type: 'string', default: 'gnn,eam' },
      't-max': { type: 'string', default: '2000' },
      't-step': { type: 'string', default: '100' },
      equilibrate: { type: 'string', default: '1500' },
      sample: { type: 'string', default: '1000' },
    },
    strict: true,
  });
  if (!values.out) throw new Error(`${mode} needs --out FILE`);
  const model = await readBenchModel();
  if (mode === 'profile') {
    const { profileGnn } = await import('./gnnProfile.ts');
    const runs = [];
    for (const cells of (values.cells ?? '10,20').split(',').map(Number)) {
      runs.push(await profileGnn({ cells, repeat: Number(values.steps ?? 20), model, gpu }, log));
    }
    await writeFile(values.out, `${JSON.stringify({ name: 'gnn-profile', command, runs }, null, 2)}\n`);
    return;
  }
  if (mode === 'nve') {
    const result = await runGnnNve(
      {
        cells: Number(values.cells ?? 10),
        steps: Number(values.steps ?? 5000),
        dt: Number(values.dt),
        temperature: Number(values.temperature),
        sampleEvery: Number(values.every),
        model,
        gpu,
      },
      log,
    );
    await writeFile(
      values.out,
      `${JSON.stringify({ name: 'gnn-nve', date: new Date().toISOString(), command, ...result }, null, 2)}\n`,
    );
    const { energies: _e, temperatures: _t, ...summary } = result;
    console.log(JSON.stringify(summary));
    return;
  }
  if (mode === 'melt') {
    if (!values.eam) throw new Error('melt needs --eam Cu_mishin1.eam.alloy');
    const eamText = await readFile(values.eam, 'utf8');
    const temperatures: number[] = [];
    for (let t = 300; t <= Number(values['t-max']) + 1e-9; t += Number(values['t-step']))
      temperatures.push(t);
    const protocol = {
      cells: Number(values.cells ?? 8),
      layers: Number(values.layers),
      vacuum: Number(values.vacuum),
      temperatures,
      equilibrationSteps: Number(values.equilibrate),
      sampleSteps: Number(values.sample),
      sampleEvery: 100,
      dt: Number(values.dt),
      friction: 0.01,
    };
    const runs = [];
    for (const potential of values.potentials.split(',') as ('gnn' | 'eam')[]) {
      runs.push(await runMelt({ ...protocol, potential, model, eamText, gpu }, log));
    }
    await writeFile(
      values.out,
      `${JSON.stringify({ name: 'gnn-melt', date: new Date().toISOString(), command, protocol, runs }, null, 2)}\n`,
    );
    for (const r of runs) {
      console.log(
        `${r.potential}: ${r.atoms} atoms, order < half at ${r.meltTemperature} K, largest PE jump ${r.peJump.value.toFixed(4)} eV/atom at ${r.peJump.at} K, ${r.seconds.toFixed(0)} s`,
      );
    }
    return;
  }
  throw new Error(`unknown mode '${mode}' (bench, profile, nve or melt)`);
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e instanceof Error ? `${e.message}\n${e.stack}` : e);
    process.exit(1);
  },
);
