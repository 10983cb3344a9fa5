import { describe, expect, test } from 'vitest';
import { buildFcc, mulberry32 } from '../src/engine/structures/index.ts';
import type { GpuGnnResult } from './gnn.ts';
import { fitLine, GNN_BENCH, gnnBenchBatch, inPlaneOrder } from './gnnProblem.ts';
import { gnnCases, type TorchCase } from './gnnRun.ts';

const ours = (over: Partial<GpuGnnResult> = {}): GpuGnnResult => ({
  adapter: 'test',
  atoms: 4000,
  steps: 100,
  seconds: 2,
  setupSeconds: 1,
  rebuilds: 4,
  initialEnergy: -3.50027 * 4000,
  startEnergy: -3.50025 * 4000,
  endEnergy: -3.50025 * 4000,
  endTemperature: 150,
  maxNeighbors: 59,
  truncatedAtoms: 0,
  ...over,
});
const peer: TorchCase = {
  mode: 'eager',
  atoms: 4000,
  steps: 100,
  seconds: 0.5,
  stepsPerSecond: 200,
  atomStepsPerSecond: 800_000,
  initialEnergyPerAtom: -3.50027,
  startEnergyPerAtom: -3.50025,
  endEnergyPerAtom: -3.50025,
};

describe('gnn benchmark rows', () => {
  test('steps/s and atom-steps/s against each peer, with ratios ours / peer', () => {
    const rows = gnnCases(ours(), 'dawn', [
      peer,
      { ...peer, mode: 'compile', stepsPerSecond: 400, atomStepsPerSecond: 1.6e6 },
    ]);
    expect(rows.map((r) => [r.unit, r.value, r.peer?.value, r.ratio])).toEqual([
      ['steps/s', 50, 200, 0.25],
      ['atom-steps/s', 200_000, 800_000, 0.25],
      ['steps/s', 50, 400, 0.125],
      ['atom-steps/s', 200_000, 1.6e6, 0.125],
    ]);
    expect(rows.every((r) => r.details?.valid === true)).toBe(true);
  });

  test('a run that does not conserve energy, truncates neighbors or starts elsewhere than the peer is invalid', () => {
    const drifting = gnnCases(ours({ endEnergy: -3.4 * 4000 }), 'dawn', [peer]);
    expect(drifting.every((r) => r.details?.valid === false)).toBe(true);
    const truncated = gnnCases(ours({ truncatedAtoms: 3 }), 'dawn', []);
    expect(truncated.every((r) => r.details?.valid === false)).toBe(true);
    const elsewhere = gnnCases(ours(), 'dawn', [{ ...peer, initialEnergyPerAtom: -3.45 }]);
    expect(elsewhere.every((r) => r.details?.valid === false)).toBe(true);
  });

  test('a failed peer is named in the row; a peer of another size is ignored', () => {
    const failed = gnnCases(ours(), 'dawn', [
      { mode: 'eager', atoms: 4000, steps: 100, error: 'OutOfMemoryError' },
    ]);
    expect(failed[0]!.peer).toBeUndefined();
    expect(String(failed[0]!.details?.peer)).toContain('OutOfMemoryError');
    expect(gnnCases(ours(), 'dawn', [{ ...peer, atoms: 32000 }])[0]!.peer).toBeUndefined();
  });
});

describe('gnn physics helpers', () => {
  test('fitLine: slope and residual SD of a noisy line', () => {
    const xs = Array.from({ length: 101 }, (_, k) => k);
    expect(
      fitLine(
        xs,
        xs.map((x) => 2 - 0.5 * x),
      ),
    ).toEqual({ slope: -0.5, residualSd: 0 });
    const random = mulberry32(4);
    const noisy = fitLine(
      xs,
      xs.map((x) => 1e-6 * x + 1e-3 * (random() - 0.5)),
    );
    expect(noisy.slope).toBeCloseTo(1e-6, 5);
    expect(noisy.residualSd).toBeGreaterThan(2e-4);
    expect(noisy.residualSd).toBeLessThan(4e-4);
  });

  test('in-plane order: 1 for the ideal crystal, lower when jittered, about 1/√N for random positions', () => {
    const a = GNN_BENCH.latticeConstant;
    const crystal = buildFcc({
      kind: 'fcc',
      element: 'Cu',
      mass: 63.546,
      latticeConstant: a,
      repeat: [4, 4, 4],
      voidRadius: 0,
      temperature: 0,
      jitter: 0,
      seed: 1,
    });
    expect(inPlaneOrder(crystal.positions, a)).toBeCloseTo(1, 12);
    const warm = gnnBenchBatch(4, 300);
    const order = inPlaneOrder(warm.positions, a);
    expect(order).toBeLessThan(1);
    expect(order).toBeGreaterThan(0.95);
    const random = mulberry32(2);
    const gas = Float64Array.from({ length: 3 * 4000 }, () => 4 * a * random());
    expect(inPlaneOrder(gas, a)).toBeLessThan(5 / Math.sqrt(4000));
  });
});
