/**
 * Reads what the command line names: structures (XYZ/extXYZ, LAMMPS data), potentials (a spec JSON
 * or inline JSON), EAM potential files and GNN models. Errors name the file.
 */
import { access, readFile } from 'node:fs/promises';
import { basename, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Batch } from '../engine/batch.ts';
import type { EamTabulation } from '../engine/potentials/eamTabulation.ts';
import { eamTabulation } from '../engine/potentials/eamTabulation.ts';
import { checkElements, type GnnModel, parseGnnWeights } from '../io/gnnWeights.ts';
import { parseLammpsData } from '../io/lammpsData.ts';
import { parseEamPotential } from '../io/lammpsPotential.ts';
import { gnnModelFiles, SHIPPED_GNN_MODELS, SHIPPED_MODELS_DIR } from '../io/models.ts';
import type { PipelineSpec, PotentialSpec } from '../io/spec.ts';
import { PotentialSpec as PotentialSchema, safeParseSpec } from '../io/spec.ts';
import type { Structure } from '../io/structure.ts';
import { structureToBatch, typeMapFromElements } from '../io/structureToBatch.ts';
import { parseXyz } from '../io/xyz.ts';

/** An error the CLI reports as a one-line message (no stack trace). */
export class UsageError extends Error {
  override name = 'UsageError';
}

async function readText(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (e) {
    throw new UsageError(`cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
}

/** Reads a structure file: .xyz/.extxyz (last frame) or a LAMMPS data file (anything else). */
export async function readStructure(path: string): Promise<Structure> {
  const text = await readText(path);
  const name = basename(path);
  if (/\.(ext)?xyz$/i.test(path)) {
    const frames = parseXyz(text, name);
    const last = frames.at(-1);
    if (!last) throw new UsageError(`${name}: no frame in the file`);
    return last;
  }
  return parseLammpsData(text, name);
}

/** Parses a potential given as a JSON file path or inline JSON. */
export async function readPotential(arg: string): Promise<{ potential: PotentialSpec; baseDir: string }> {
  const inline = arg.trim().startsWith('{');
  const text = inline ? arg : await readText(arg);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new UsageError(`${inline ? '--potential' : arg}: not valid JSON (${(e as Error).message})`);
  }
  const r = PotentialSchema.safeParse(json);
  if (!r.success) {
    const issues = r.error.issues.map((i) => `${['potential', ...i.path].join('.')}: ${i.message}`);
    throw new UsageError(issues.join('\n'));
  }
  return { potential: r.data, baseDir: inline ? process.cwd() : dirname(resolve(arg)) };
}

/** Reads and validates a pipeline spec file. */
export async function readSpec(path: string): Promise<PipelineSpec> {
  const text = await readText(path);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new UsageError(`${path}: not valid JSON (${(e as Error).message})`);
  }
  const r = safeParseSpec(json);
  if (!r.ok) throw new UsageError(`${path}:\n${r.issues.map((i) => `  ${i.path}: ${i.message}`).join('\n')}`);
  return r.spec;
}

/** The EAM tables of a potential (undefined for pair potentials); files are relative to `baseDir`. */
export async function readEamTables(
  potential: PotentialSpec,
  baseDir: string,
): Promise<EamTabulation | undefined> {
  if (potential.kind !== 'eam') return undefined;
  const paths = potential.files ?? [potential.file];
  const files = await Promise.all(
    paths.map(async (p) => {
      const path = resolve(baseDir, p);
      return parseEamPotential(await readText(path), basename(path), potential.style);
    }),
  );
  return eamTabulation(files, potential.style, potential.elements);
}

/** Where the workbench's shipped GNN models lie (public/models of the package). */
export const shippedModelsDir = fileURLToPath(
  new URL(`../../public/${SHIPPED_MODELS_DIR}/`, import.meta.url),
);

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}

/**
 * The model of a GNN potential (undefined for other kinds): `<model>.json` + `<model>.safetensors`
 * from the first of `dirs` that holds either (`--models`, the spec's directory, ...), else from the
 * shipped models. Both files must lie side by side.
 * @throws UsageError naming the places searched, the missing half of the pair, or elements of the
 *   spec the model lacks; ParseError for a file that does not validate.
 */
export async function readGnnModel(
  potential: PotentialSpec,
  dirs: readonly string[],
): Promise<GnnModel | undefined> {
  if (potential.kind !== 'gnn') return undefined;
  const names = gnnModelFiles(potential.model);
  const searched = [...dirs.map((d) => resolve(d)), shippedModelsDir];
  for (const dir of searched) {
    const config = resolve(dir, names.config);
    const tensors = resolve(dir, names.tensors);
    const [hasConfig, hasTensors] = await Promise.all([exists(config), exists(tensors)]);
    if (!hasConfig && !hasTensors) continue;
    if (!hasTensors)
      throw new UsageError(`${config} has no ${names.tensors} next to it (a GNN model is both files)`);
    if (!hasConfig)
      throw new UsageError(`${tensors} has no ${names.config} next to it (a GNN model is both files)`);
    const bytes = await readFile(tensors).catch((e: NodeJS.ErrnoException) => {
      throw new UsageError(`cannot read ${tensors}: ${e.code ?? String(e)}`);
    });
    const model = parseGnnWeights(await readText(config), new Uint8Array(bytes), {
      config: basename(config),
      tensors: basename(tensors),
    });
    try {
      checkElements(model, potential.elements);
    } catch (e) {
      throw new UsageError(`${config}: ${(e as Error).message}`);
    }
    return model;
  }
  throw new UsageError(
    `the GNN model "${potential.model}" is in none of ${searched.join(', ')} ` +
      `(give --models <dir> holding ${names.config} and ${names.tensors}; shipped models: ${SHIPPED_GNN_MODELS.map((m) => m.name).join(', ')})`,
  );
}

/**
 * Element → potential type: the EAM or GNN element list, or `types` (comma-separated element symbols, one per
 * type) for pair potentials, or every element of the structure → type 0.
 */
export function typeMapFor(
  potential: PotentialSpec,
  structure: Structure,
  types?: string,
): Map<string, number> {
  if (potential.kind === 'eam' || potential.kind === 'gnn') return typeMapFromElements(potential.elements);
  if (types) return typeMapFromElements(types.split(',').map((s) => s.trim()));
  return new Map([...new Set(structure.symbols)].map((s) => [s, 0]));
}

/** Structure → batch with the potential's type map. */
export function batchFor(structure: Structure, potential: PotentialSpec, types?: string): Batch {
  return structureToBatch(structure, typeMapFor(potential, structure, types));
}
