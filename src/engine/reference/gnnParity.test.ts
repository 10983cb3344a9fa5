/**
 * The f64 TypeScript GNN against the PyTorch model (tools/gnn/model.py) on the committed fixtures of
 * tools/gnn/make_fixtures.py: same weights file, same configurations, float64 on both sides.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseGnnWeights } from '../../io/gnnWeights.ts';
import { type GnnFixture, gnnFixtureBatch } from './gnn.testing.ts';
import { gnnReference } from './gnn.ts';

/** Cu and Ag, amu (the fixture model's elements; masses do not enter energies or forces). */
const MASSES = [63.546, 107.868];

const dir = new URL('./fixtures/gnn/', import.meta.url);
const model = parseGnnWeights(
  readFileSync(new URL('random-cuag.json', dir), 'utf8'),
  new Uint8Array(readFileSync(new URL('random-cuag.safetensors', dir))),
  { config: 'random-cuag.json', tensors: 'random-cuag.safetensors' },
);

const fixtures = (
  JSON.parse(readFileSync(new URL('configurations.json', dir), 'utf8')) as { configurations: GnnFixture[] }
).configurations;

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
      const r = gnnReference(gnnFixtureBatch(f, MASSES), model);
      expect(r.truncatedAtoms).toBe(0);
      expect(Math.abs(r.energy[0]! - f.energy)).toBeLessThan(1e-10 * Math.max(1, Math.abs(f.energy)));
      expect(maxAbsDiff(r.energies, f.energies)).toBeLessThan(1e-10);
      expect(maxAbsDiff(r.forces, f.forces)).toBeLessThan(1e-10);
      expect(maxAbsDiff(r.virial, f.virial)).toBeLessThan(1e-10);
      expect(maxAbsDiff(r.atomVirial, f.atomVirial)).toBeLessThan(1e-10);
    });
  }
});
