/**
 * `md-workbench run` with a domain spec (placement `domain`) on the reference backend: real
 * processes, worker_threads ranks with the f64 force field. The final state written by a 2×2×1 run
 * equals the one-worker run of the same spec (placement single, the f64 CPU engine) to the
 * precision of the summation order; a spec the decomposition refuses exits with status 2 and says
 * why.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildSystem } from '../engine/structures/index.ts';
import { parseSpec } from '../io/spec.ts';
import { parseXyz } from '../io/xyz.ts';

const exec = promisify(execFile);
const cli = join(import.meta.dirname, '..', '..', 'bin', 'md-workbench.mjs');

async function md(args: string[]): Promise<{ stdout: string; stderr: string; code: number }> {
  try {
    const r = await exec(process.execPath, [cli, ...args], { maxBuffer: 64 << 20 });
    return { ...r, code: 0 };
  } catch (e) {
    const err = e as { stdout: string; stderr: string; code: number };
    return { stdout: err.stdout, stderr: err.stderr, code: err.code };
  }
}

function spec(placement: object): object {
  return {
    version: 1,
    system: {
      kind: 'fcc',
      element: 'Ar',
      mass: 39.948,
      latticeConstant: 5.7,
      repeat: [4, 4, 4],
      temperature: 200,
      jitter: 0.1,
    },
    potential: { kind: 'lennard-jones', epsilon: 0.0104, sigma: 3.4, cutoff: 8.5, shift: true },
    stages: [{ kind: 'nve', steps: 30, dt: 5, hooks: [{ kind: 'log', every: 10 }] }],
    placement,
  };
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'md-domain-'));
});

describe('md-workbench run, placement domain (reference backend)', () => {
  it('a 2×2×1 run writes the final state of the one-worker run', async () => {
    await writeFile(join(dir, 'domain.json'), JSON.stringify(spec({ kind: 'domain', grid: [2, 2, 1] })));
    await writeFile(join(dir, 'single.json'), JSON.stringify(spec({ kind: 'single' })));
    const outs = { domain: join(dir, 'domain.extxyz'), single: join(dir, 'single.extxyz') };
    const d = await md(['run', join(dir, 'domain.json'), '--backend', 'reference', '--out', outs.domain]);
    expect(d.code, d.stderr).toBe(0);
    expect(d.stderr).toMatch(/completed; wrote 1 frame\(s\)/);
    const s = await md(['run', join(dir, 'single.json'), '--backend', 'reference', '--out', outs.single]);
    expect(s.code, s.stderr).toBe(0);
    const [a] = parseXyz(await readFile(outs.domain, 'utf8'), 'domain.extxyz');
    const [b] = parseXyz(await readFile(outs.single, 'utf8'), 'single.extxyz');
    expect(a!.positions.length).toBe(3 * 256);
    let dx = 0;
    for (let k = 0; k < a!.positions.length; k++)
      dx = Math.max(dx, Math.abs(a!.positions[k]! - b!.positions[k]!));
    // Written as f32 by both: equal to f32 rounding (the runs differ by summation order only).
    expect(dx).toBeLessThan(1e-5);
    // …and the atoms did move over the 30 steps (not the starting state written back).
    let moved = 0;
    const [start] = parseXyz(await readFile(outs.domain, 'utf8'), 'domain.extxyz');
    const initial = buildSystem(parseSpec(spec({ kind: 'single' })).system);
    for (let k = 0; k < start!.positions.length; k++)
      moved = Math.max(moved, Math.abs(start!.positions[k]! - initial.positions[k]!));
    expect(moved).toBeGreaterThan(0.01);
  });

  it('refuses a spec a decomposition cannot run, naming the field, with status 2', async () => {
    const bad = { ...spec({ kind: 'domain', grid: [2, 1, 1] }), batching: { maxSystems: 1, maxAtoms: 256 } };
    await writeFile(join(dir, 'bad.json'), JSON.stringify(bad));
    const r = await md(['run', join(dir, 'bad.json'), '--backend', 'reference']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/batching/);
    expect(r.stderr).toMatch(/domain split/);
  });
});
