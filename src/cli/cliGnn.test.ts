/**
 * The command line with a GNN potential: the model is read from `--models`, the spec's directory or
 * the shipped models; the reference backend evaluates and runs it (pipeline workers included).
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { evaluateReference } from '../engine/reference/evaluate.ts';
import { randomGnnTensors, testGnnConfig } from '../engine/reference/gnn.testing.ts';
import { buildFcc } from '../engine/structures/fcc.ts';
import { parseGnnWeights } from '../io/gnnWeights.ts';
import { writeSafetensors } from '../io/safetensors.ts';
import type { FccSystemSpec, GnnSpec } from '../io/spec.ts';
import { parseXyz, writeExtXyz } from '../io/xyz.ts';

const run = promisify(execFile);
const cli = join(import.meta.dirname, '..', '..', 'bin', 'md-workbench.mjs');
const shipped = join(import.meta.dirname, '..', '..', 'public', 'models');

async function md(args: string[], cwd?: string): Promise<{ stdout: string; stderr: string; code: number }> {
  try {
    const r = await run(process.execPath, [cli, ...args], { maxBuffer: 64 << 20, ...(cwd ? { cwd } : {}) });
    return { ...r, code: 0 };
  } catch (e) {
    const err = e as { stdout: string; stderr: string; code: number };
    return { stdout: err.stdout, stderr: err.stderr, code: err.code };
  }
}

const fcc: FccSystemSpec = {
  kind: 'fcc',
  element: 'Cu',
  mass: 63.546,
  latticeConstant: 3.615,
  repeat: [3, 3, 3],
  voidRadius: 0,
  temperature: 0,
  jitter: 0.05,
  seed: 8,
};
const crystal = buildFcc(fcc);
const config = testGnnConfig();
const tensors = writeSafetensors(randomGnnTensors(config, 2));

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'md-cli-gnn-'));
  await writeFile(
    join(dir, 'cu.extxyz'),
    writeExtXyz([
      {
        symbols: Array(crystal.nAtoms).fill('Cu'),
        positions: crystal.positions,
        cell: crystal.cells,
        pbc: [true, true, true],
      },
    ]),
  );
  await mkdir(join(dir, 'models'));
  await writeFile(join(dir, 'models', 'mine.json'), JSON.stringify(config));
  await writeFile(join(dir, 'models', 'mine.safetensors'), tensors);
  await writeFile(join(dir, 'lonely.json'), JSON.stringify(config));
});

describe('md-workbench with a GNN potential (reference backend)', () => {
  it('eval with the shipped model gives the f64 reference and the EAM-like cohesive energy of copper', async () => {
    const potential: GnnSpec = { kind: 'gnn', model: 'cu-mishin1', elements: ['Cu'] };
    const r = await md([
      'eval',
      join(dir, 'cu.extxyz'),
      '--potential',
      JSON.stringify(potential),
      '--backend',
      'reference',
    ]);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    const model = parseGnnWeights(
      await readFile(join(shipped, 'cu-mishin1.json'), 'utf8'),
      new Uint8Array(await readFile(join(shipped, 'cu-mishin1.safetensors'))),
      { config: 'cu-mishin1.json', tensors: 'cu-mishin1.safetensors' },
    );
    const ref = evaluateReference(crystal, potential, undefined, model);
    expect(out.energy).toBeCloseTo(ref.energy[0]!, 9);
    expect(out.forces[5][1]).toBeCloseTo(ref.forces[16]!, 9);
    // Mishin's Cu: −3.54 eV/atom at a = 3.615 Å; the model learned it to ~1 meV/atom.
    expect(out.energy / crystal.nAtoms).toBeCloseTo(-3.54, 1);
  });

  it('finds a model with --models, and next to the potential file', async () => {
    const potential = { kind: 'gnn', model: 'mine', elements: ['Cu'] };
    const a = await md([
      'eval',
      join(dir, 'cu.extxyz'),
      '--potential',
      JSON.stringify(potential),
      '--models',
      join(dir, 'models'),
      '--backend',
      'reference',
    ]);
    expect(a.code, a.stderr).toBe(0);
    await writeFile(join(dir, 'models', 'potential.json'), JSON.stringify(potential));
    const b = await md([
      'eval',
      join(dir, 'cu.extxyz'),
      '--potential',
      join(dir, 'models', 'potential.json'),
      '--backend',
      'reference',
    ]);
    expect(b.code, b.stderr).toBe(0);
    const model = parseGnnWeights(JSON.stringify(config), tensors, { config: 'c', tensors: 't' });
    const energy = evaluateReference(
      crystal,
      { kind: 'gnn', model: 'mine', elements: ['Cu'] },
      undefined,
      model,
    ).energy[0]!;
    expect(JSON.parse(a.stdout).energy).toBeCloseTo(energy, 9);
    expect(JSON.parse(b.stdout).energy).toBeCloseTo(energy, 9);
  });

  it('says what is missing: an unknown model, a config without its tensors, an element the model lacks', async () => {
    const unknown = await md([
      'eval',
      join(dir, 'cu.extxyz'),
      '--potential',
      '{"kind":"gnn","model":"nowhere","elements":["Cu"]}',
      '--backend',
      'reference',
    ]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(
      /the GNN model "nowhere" is in none of .*give --models <dir> holding nowhere.json and nowhere.safetensors; shipped models: cu-mishin1/,
    );
    expect(unknown.stderr).not.toMatch(/ {4}at /);
    const lonely = await md([
      'eval',
      join(dir, 'cu.extxyz'),
      '--potential',
      '{"kind":"gnn","model":"lonely","elements":["Cu"]}',
      '--models',
      dir,
    ]);
    expect(lonely.code).toBe(2);
    expect(lonely.stderr).toMatch(/lonely.json has no lonely.safetensors next to it/);
    const nickel = await md([
      'eval',
      join(dir, 'cu.extxyz'),
      '--potential',
      '{"kind":"gnn","model":"cu-mishin1","elements":["Cu","Ni"]}',
      '--backend',
      'reference',
    ]);
    expect(nickel.code).toBe(2);
    expect(nickel.stderr).toMatch(/cu-mishin1.json: the GNN model has no parameters for Ni; it knows Cu/);
    expect(nickel.stderr).not.toMatch(/ {4}at /);
  });

  it('run hands the model to pipeline workers (one worker_threads worker per segment)', async () => {
    const spec = {
      version: 1,
      system: { ...fcc, repeat: [2, 2, 2], temperature: 300 },
      potential: { kind: 'gnn', model: 'mine', elements: ['Cu'] },
      stages: [
        { kind: 'nve', steps: 4, dt: 1, hooks: [{ kind: 'log', every: 2 }] },
        { kind: 'nve', steps: 4, dt: 1, hooks: [{ kind: 'snapshot', every: 2 }] },
      ],
      batching: { maxSystems: 1, maxAtoms: 32 },
      placement: { kind: 'pipeline', links: [{ maxSystems: 1, maxAtoms: 32, maxEdges: 100_000 }] },
    };
    await writeFile(join(dir, 'models', 'pipeline.json'), JSON.stringify(spec));
    const out = join(dir, 'pipeline.extxyz');
    const r = await md(['run', join(dir, 'models', 'pipeline.json'), '--backend', 'reference', '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/completed/);
    const frames = parseXyz(await readFile(out, 'utf8'), 'pipeline.extxyz');
    expect(frames.length).toBeGreaterThanOrEqual(1);
    expect(frames[0]!.symbols).toHaveLength(32);
  });
});
