import { describe, expect, it } from 'vitest';
import { ConvergenceSpec } from '../../io/spec.ts';
import type { SystemStats } from '../api.ts';
import { CpuEngine } from '../cpu/engine.ts';
import { argonSystems, computeForces, hookContext, slotsOfBatch, TEST_ARGON } from './context.testing.ts';
import { criterionFromSpec, maxForceCriterion } from './criteria.ts';
import type { SlotView } from './hook.ts';

/** Four slots: systems 7, 8, (empty), 9 of 10, 20, 1 and 5 atoms. */
function slots(stageSteps: number[] = [0, 0, 0, 0], systemIds = [7, 8, -1, 9]): SlotView {
  return {
    systemIds: Int32Array.from(systemIds),
    atomsPtr: Int32Array.of(0, 10, 30, 31, 36),
    status: new Int32Array(4),
    atoms: Int32Array.of(10, 20, 1, 5),
    stageSteps: Int32Array.from(stageSteps),
  };
}

function stats(values: Partial<Record<'pe' | 'ke' | 't' | 'f', number[]>>): SystemStats {
  const of = (v: number[] | undefined) => Float64Array.from(v ?? [0, 0, 0, 0]);
  return {
    potentialEnergy: of(values.pe),
    kineticEnergy: of(values.ke),
    temperature: of(values.t),
    maxForce: of(values.f),
    virial: new Float64Array(36),
  };
}

const criterion = (input: unknown) => criterionFromSpec(ConvergenceSpec.parse(input));

describe('convergence criteria', () => {
  it('max-force: fmax below the threshold, per slot; empty slots never hold', () => {
    const c = criterion({ kind: 'max-force', fmax: 0.05, every: 5 });
    expect(c.every).toBe(5);
    expect(c.name).toBe('max |F| < 0.05 eV/Å');
    expect(c.test(stats({ f: [0.01, 0.05, 0, 0.049] }), slots())).toEqual([true, false, false, true]);
    expect(maxForceCriterion(0.05).every).toBe(1);
  });

  it('energy-change: |ΔE|/(N·Δsteps) against the previous check; false after a reset', () => {
    const c = criterion({ kind: 'energy-change', tolerance: 1e-3, every: 5 });
    expect(c.every).toBe(5);
    // First check: no previous energy.
    expect(c.test(stats({ pe: [-10, -20, 0, -5] }), slots([5, 5, 5, 5]))).toEqual([
      false,
      false,
      false,
      false,
    ]);
    // Δsteps = 5. Slot 0: 0.04 eV / (10 · 5) = 8e-4 < 1e-3. Slot 1: 0.2 / (20 · 5) = 2e-3. Slot 3: 0.
    expect(c.test(stats({ pe: [-10.04, -20.2, 0, -5] }), slots([10, 10, 10, 10]))).toEqual([
      true,
      false,
      false,
      true,
    ]);
    // Δsteps = 10: slot 1 changed by 0.19 eV, 0.19 / (20 · 10) = 9.5e-4 < 1e-3.
    expect(c.test(stats({ pe: [-10.04, -20.39, 0, -5] }), slots([20, 20, 20, 20]))[1]).toBe(true);
    // reset(slot 0): its next check starts a new reference.
    c.reset?.([0]);
    expect(c.test(stats({ pe: [-10.04, -20.39, 0, -5] }), slots([25, 25, 25, 25]))).toEqual([
      false,
      true,
      false,
      true,
    ]);
    expect(c.test(stats({ pe: [-10.04, -20.39, 0, -5] }), slots([30, 30, 30, 30]))[0]).toBe(true);
    // A new system in slot 3 (inflight batching) or a stage step counter that went back (slot 0
    // re-entered the stage) also start a new reference, even without reset.
    const again = c.test(stats({ pe: [-10.04, -20.39, 0, -5] }), slots([3, 35, 35, 35], [7, 8, -1, 42]));
    expect(again).toEqual([false, true, false, false]);
  });

  it('temperature-window: min ≤ T ≤ max, bounds included', () => {
    const c = criterion({ kind: 'temperature-window', min: 290, max: 310 });
    expect(c.every).toBe(1);
    expect(c.test(stats({ t: [290, 310.0001, 300, 289.9] }), slots())).toEqual([true, false, false, false]);
    expect(c.test(stats({ t: [Number.NaN, 310, 300, 300] }), slots())).toEqual([false, true, false, true]);
  });

  it('step-budget: stage steps of the slot reach the budget', () => {
    const c = criterion({ kind: 'step-budget', steps: 100, every: 10 });
    expect(c.test(stats({}), slots([99, 100, 500, 101]))).toEqual([false, true, false, true]);
  });

  it('threshold: per-atom energies are divided by the atoms of the slot; below is <, above is >', () => {
    const pe = criterion({
      kind: 'threshold',
      quantity: 'potential-energy-per-atom',
      when: 'below',
      value: -0.5,
    });
    expect(pe.name).toBe('potential-energy-per-atom < -0.5 eV/atom');
    // −6/10 = −0.6 < −0.5; −10/20 = −0.5 is not; −2/5 = −0.4 is not.
    expect(pe.test(stats({ pe: [-6, -10, -100, -2] }), slots())).toEqual([true, false, false, false]);
    const ke = criterion({
      kind: 'threshold',
      quantity: 'kinetic-energy-per-atom',
      when: 'above',
      value: 0.01,
    });
    expect(ke.test(stats({ ke: [0.2, 0.2, 1, 0.05] }), slots())).toEqual([true, false, false, false]);
    const t = criterion({ kind: 'threshold', quantity: 'temperature', when: 'above', value: 300 });
    expect(t.test(stats({ t: [301, 300, 1000, Number.NaN] }), slots())).toEqual([true, false, false, false]);
    const f = criterion({ kind: 'threshold', quantity: 'max-force', when: 'below', value: 0.1 });
    expect(f.name).toBe('max-force < 0.1 eV/Å');
    expect(f.test(stats({ f: [0.09, 0.1, 0, Number.POSITIVE_INFINITY] }), slots())).toEqual([
      true,
      false,
      false,
      false,
    ]);
  });

  it('threshold on real statistics of the f64 engine: energy per atom of each system', async () => {
    const batch = argonSystems();
    const engine = new CpuEngine(batch, TEST_ARGON);
    computeForces(engine);
    const view = slotsOfBatch(batch);
    const s = await hookContext(engine, view).stats();
    const perAtom = Array.from(s.potentialEnergy, (e, i) => e / view.atoms[i]!);
    const middle = (Math.min(...perAtom) + Math.max(...perAtom)) / 2;
    const c = criterion({
      kind: 'threshold',
      quantity: 'potential-energy-per-atom',
      when: 'below',
      value: middle,
    });
    expect(c.test(s, view)).toEqual(perAtom.map((e) => e < middle));
    expect(new Set(c.test(s, view)).size).toBe(2);
  });
});
