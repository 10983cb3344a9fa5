/**
 * The f64 TypeScript GNN against the PyTorch model (tools/gnn/model.py) on the committed fixtures of
 * tools/gnn/make_fixtures.py: same weights file, same configurations, float64 on both sides.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseGnnWeights } from '../../io/gnnWeights.ts';
import type { Batch } from '../batch.ts';
import { gnnReference } from './gnn.ts';

const dir = new URL('./fixtures/gnn/', import.meta.url);
const model = parseGnnWeights(
  readFileSync(new URL('random-cuag.json', dir), 'utf8'),
  new Uint8Array(readFileSync(new URL('random-cuag.safetensors', dir))),
  { config: 'random-cuag.json', tensors: 'random-cuag.safetensors' },
);

interface Fixture {
  name: string;
  positions: number[];
  types: number[];
  cell: number[];
  pbc: boolean[];
  energy: number;
  energies: number[];
  forces: number[];
  virial: number[];
  atomVirial: number[];
}

const fixtures = (
  JSON.parse(readFileSync(new URL('configurations.json', dir), 'utf8')) as { configurations: Fixture[] }
).configurations;

function toBatch(f: Fixture): Batch {
  const n = f.types.length;
  return {
    nAtoms: n,
    nSystems: 1,
    atomsPtr: Int32Array.of(0, n),
    positions: Float64Array.from(f.positions),
    velocities: new Float64Array(3 * n),
    masses: new Float64Array(n).fill(63.546),
    types: Int32Array.from(f.types),
    atomicNumbers: new Int32Array(n),
    cells: Float64Array.from(f.cell),
    pbc: Uint8Array.from(f.pbc, (p) => (p ? 1 : 0)),
    systemIds: Int32Array.of(0),
  };
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let k = 0; k < a.length; k++) m = Math.max(m, Math.abs(a[k]! - b[k]!));
  return m;
}

describe('GNN f64 reference against the PyTorch fixtures', () => {
  it('has three configurations with non-trivial forces', () => {
    expect(fixtures.length).toBe(3);
    for (const f of fixtures) expect(Math.max(...f.forces.map(Math.abs))).toBeGreaterThan(0.01);
  });

  for (const f of fixtures) {
    it(`matches PyTorch to 1e-10 on: ${f.name}`, () => {
      const r = gnnReference(toBatch(f), model);
      expect(r.truncatedAtoms).toBe(0);
      expect(Math.abs(r.energy[0]! - f.energy)).toBeLessThan(1e-10 * Math.max(1, Math.abs(f.energy)));
      expect(maxAbsDiff(r.energies, f.energies)).toBeLessThan(1e-10);
      expect(maxAbsDiff(r.forces, f.forces)).toBeLessThan(1e-10);
      expect(maxAbsDiff(r.virial, f.virial)).toBeLessThan(1e-10);
      expect(maxAbsDiff(r.atomVirial, f.atomVirial)).toBeLessThan(1e-10);
    });
  }
});
