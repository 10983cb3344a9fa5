/**
 * The f64 CPU engine with a GNN potential: it evaluates the f64 reference (gnnReference) after
 * mapping the spec's potential types onto the model's elements, NULL atoms included.
 */
import { describe, expect, it } from 'vitest';
import { copperGnnSpec } from '../../io/examples.ts';
import { type GnnSpec, parseSpec } from '../../io/spec.ts';
import { cloneBatch } from '../batch.ts';
import { runInput, runOn } from '../evaluate.ts';
import { randomGnnModel } from '../reference/gnn.testing.ts';
import { gnnReference } from '../reference/gnn.ts';
import { buildFcc } from '../structures/fcc.ts';
import { CpuEngine } from './engine.ts';

/** 32 atoms of fcc copper, jittered, with potential types 0 (Ag), 1 (Cu) and 2 (NULL) mixed. */
function mixedCrystal() {
  const batch = buildFcc({
    kind: 'fcc',
    element: 'Cu',
    mass: 63.546,
    latticeConstant: 3.7,
    repeat: [2, 2, 2],
    voidRadius: 0,
    temperature: 0,
    jitter: 0.15,
    seed: 11,
  });
  for (let i = 0; i < batch.nAtoms; i++) batch.types[i] = i % 5 === 0 ? 2 : i % 3 === 0 ? 0 : 1;
  return batch;
}

const spec: GnnSpec = { kind: 'gnn', model: 'random-cuag', elements: ['Ag', 'Cu', 'NULL'] };
const model = randomGnnModel(); // elements ['Cu', 'Ag']

function forcesOf(engine: CpuEngine) {
  const c = engine.begin('compute');
  engine.encodeCompute(c);
  engine.submit(c);
  return engine.readExact().forces;
}

describe('CPU engine, GNN potential', () => {
  it('gives the reference energy, per-atom energies, forces and virial, with spec types mapped to model types', () => {
    const batch = mixedCrystal();
    const got = forcesOf(new CpuEngine(batch, spec, undefined, model));
    // The same atoms with model types (Ag = 1, Cu = 0, NULL = −1) straight into the reference.
    const direct = cloneBatch(batch);
    direct.types = Int32Array.from(batch.types, (t) => [1, 0, -1][t]!);
    const want = gnnReference(direct, model);
    expect(got.energy[0]).toBe(want.energy[0]);
    expect(Array.from(got.forces)).toEqual(Array.from(want.forces));
    expect(Array.from(got.energies)).toEqual(Array.from(want.energies));
    expect(Array.from(got.virial)).toEqual(Array.from(want.virial));
    // NULL atoms feel nothing and add nothing; the others do.
    for (let i = 0; i < batch.nAtoms; i++) {
      const f = Math.hypot(got.forces[3 * i]!, got.forces[3 * i + 1]!, got.forces[3 * i + 2]!);
      if (batch.types[i] === 2) {
        expect(f).toBe(0);
        expect(got.energies[i]).toBe(0);
      } else expect(f).toBeGreaterThan(0);
    }
    // Swapping the spec's element order swaps which atoms are Cu: a different energy.
    const swapped = forcesOf(
      new CpuEngine(batch, { ...spec, elements: ['Cu', 'Ag', 'NULL'] }, undefined, model),
    );
    expect(swapped.energy[0]).not.toBeCloseTo(got.energy[0]!, 6);
  });

  it('runs a short NVE with the model (energy conserved to 1e-4 eV/atom over 40 steps of 1 fs)', async () => {
    const cu = randomGnnModel(undefined, 3);
    const batch = buildFcc({
      kind: 'fcc',
      element: 'Cu',
      mass: 63.546,
      latticeConstant: 3.7,
      repeat: [2, 2, 2],
      voidRadius: 0,
      temperature: 300,
      jitter: 0.05,
      seed: 4,
    });
    const engine = new CpuEngine(batch, { kind: 'gnn', model: 'x', elements: ['Cu'] }, undefined, cu);
    const totals: number[] = [];
    const { stages } = parseSpec({
      ...copperGnnSpec,
      stages: [{ kind: 'nve', steps: 40, dt: 1, hooks: [{ kind: 'log', every: 10 }] }],
    });
    const outcome = await runOn(engine, runInput({ stages }, batch), (e) => {
      if (e.type === 'log') totals.push(e.record.potentialEnergy + e.record.kineticEnergy);
    });
    expect(outcome.end).toBe('completed');
    expect(totals.length).toBeGreaterThanOrEqual(4);
    const drift = Math.max(...totals) - Math.min(...totals);
    expect(drift / batch.nAtoms).toBeLessThan(1e-4);
  });

  it('refuses without a model, for elements the model lacks, and for types the spec does not map', () => {
    const batch = mixedCrystal();
    expect(() => new CpuEngine(batch, spec)).toThrow(/GNN potential random-cuag needs its model/);
    expect(() => new CpuEngine(batch, { ...spec, elements: ['Ni', 'Cu', 'NULL'] }, undefined, model)).toThrow(
      /the GNN model has no parameters for Ni; it knows Cu, Ag/,
    );
    expect(() => new CpuEngine(batch, { ...spec, elements: ['Ag', 'Cu'] }, undefined, model)).toThrow(
      /atom 0 has type 2, but the GNN potential maps 2 types/,
    );
  });
});
