/**
 * Canonical-ensemble checks of the two thermostats (Langevin BAOAB and the Nosé–Hoover chain) on the
 * whole GPU engine, part of the ASE parity brief (no ASE run is needed: the reference is statistical
 * mechanics). Over a production window after equilibration, the mean kinetic temperature is within
 * 2 % of the target, and its relative variance matches the canonical value for N_f = 3N,
 * Var(T)/⟨T⟩² = 2/(3N).
 *
 * Statistics: the production series (one sample every {@link SAMPLE_EVERY} steps) is cut into
 * {@link BLOCKS} contiguous blocks, each far longer than the correlation time of T; the mean and the
 * relative variance are estimated per block, and their standard errors are the spread of the block
 * values / sqrt(blocks). The tolerance on the variance ratio is 3 standard errors of that block
 * estimate, and the estimate must be sharp (standard error below 12 % of the canonical value), so
 * that a thermostat that damps the fluctuations (Berendsen-like: ratio well below 1) fails. Measured
 * on SwiftShader: Langevin 0.977 ± 0.016, Nosé–Hoover chain 0.989 ± 0.036 of 2/(3N).
 * With momentum conserved (Nosé–Hoover), the sampled ensemble has 3N − 3 free degrees of freedom at
 * ⟨2K⟩ = 3N·kB·T: the expected ratio is then 2/(3N − 3), 1 % above 2/(3N) at N = 108, far inside the
 * statistical tolerance.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PipelineSpecInput } from '../../io/spec.ts';
import { parseSpec } from '../../io/spec.ts';
import type { EngineEvent, LogRecord } from '../api.ts';
import { runInput, runOn } from '../evaluate.ts';
import { createGpuEngine } from '../gpu/engine.ts';
import { testDevice } from '../gpu/testing.ts';
import { buildSystem } from '../structures/index.ts';

const TARGET = 85;
const EQUILIBRATION = 2000;
/** Production steps (5 fs): 160 ps of Langevin, 80 ps of Nosé–Hoover (its steps cost twice as much). */
const LANGEVIN_PRODUCTION = 32_000;
const NHC_PRODUCTION = 16_000;
const SAMPLE_EVERY = 5;
const BLOCKS = 16;

let device: GPUDevice;
beforeAll(async () => {
  device = await testDevice();
});
afterAll(() => device.destroy());

/** Mean, and standard error from `blocks` contiguous blocks, of `f` applied to each block. */
function blockEstimate(
  xs: readonly number[],
  blocks: number,
  f: (block: readonly number[]) => number,
): { mean: number; error: number; values: number[] } {
  const size = Math.floor(xs.length / blocks);
  const values = Array.from({ length: blocks }, (_, b) => f(xs.slice(b * size, (b + 1) * size)));
  const mean = values.reduce((a, v) => a + v, 0) / blocks;
  const variance = values.reduce((a, v) => a + (v - mean) ** 2, 0) / (blocks - 1);
  return { mean, error: Math.sqrt(variance / blocks), values };
}

const average = (xs: readonly number[]) => xs.reduce((a, x) => a + x, 0) / xs.length;
const relativeVariance = (xs: readonly number[]) => {
  const m = average(xs);
  return xs.reduce((a, x) => a + (x - m) ** 2, 0) / (xs.length - 1) / (m * m);
};

/** 108 argon atoms, fcc 3×3×3 at a = 5.73 Å (L = 17.19 Å > 2 × 8.5 Å), shifted LJ. */
function thermostatSpec(stage: PipelineSpecInput['stages'][number]): PipelineSpecInput {
  return {
    version: 1,
    system: {
      kind: 'fcc',
      element: 'Ar',
      mass: 39.948,
      latticeConstant: 5.73,
      repeat: [3, 3, 3],
      temperature: TARGET,
      jitter: 0.05,
      seed: 5,
    },
    potential: { kind: 'lennard-jones', epsilon: 0.0104, sigma: 3.4, cutoff: 8.5, shift: true },
    stages: [stage],
  };
}

async function productionTemperatures(
  input: PipelineSpecInput,
  production: number,
): Promise<{ temps: number[]; n: number }> {
  const spec = parseSpec(input);
  const batch = buildSystem(spec.system);
  const engine = await createGpuEngine(device, batch, spec.potential, { skin: spec.neighbor.skin });
  const logs: LogRecord[] = [];
  const { end } = await runOn(engine, runInput(spec, batch), (e: EngineEvent) => {
    if (e.type === 'log') logs.push(e.record);
  });
  engine.destroy();
  expect(end).toBe('completed');
  const temps = logs.filter((r) => r.stageStep > EQUILIBRATION).map((r) => r.temperature);
  expect(temps.length).toBe(production / SAMPLE_EVERY);
  return { temps, n: batch.nAtoms };
}

function checkCanonical(name: string, temps: number[], n: number): void {
  const mean = blockEstimate(temps, BLOCKS, average);
  const ratio = blockEstimate(temps, BLOCKS, relativeVariance);
  const canonical = 2 / (3 * n);
  const whole = relativeVariance(temps);
  console.info(
    `${name}, N = ${n}: ⟨T⟩ = ${mean.mean.toFixed(2)} ± ${mean.error.toFixed(2)} K (target ${TARGET} K, ` +
      `${((100 * (mean.mean - TARGET)) / TARGET).toFixed(2)} %); Var(T)/⟨T⟩² = ${ratio.mean.toExponential(3)} ± ` +
      `${ratio.error.toExponential(2)} (whole series ${whole.toExponential(3)}) vs canonical 2/(3N) = ` +
      `${canonical.toExponential(3)}: ratio ${(ratio.mean / canonical).toFixed(3)} ± ${(ratio.error / canonical).toFixed(3)}; ` +
      `${temps.length} samples in ${BLOCKS} blocks`,
  );
  expect(Math.abs(mean.mean - TARGET) / TARGET).toBeLessThan(0.02);
  expect(ratio.error / canonical, 'the variance estimate is sharp enough to mean something').toBeLessThan(
    0.12,
  );
  expect(Math.abs(ratio.mean - canonical)).toBeLessThan(3 * ratio.error);
}

describe('canonical temperature statistics of the thermostats (gpu)', () => {
  it(`Langevin (BAOAB) at ${TARGET} K on 108 argon atoms: ⟨T⟩ within 2 %, Var(T)/⟨T⟩² = 2/(3N) within 3 block standard errors`, async () => {
    const { temps, n } = await productionTemperatures(
      thermostatSpec({
        kind: 'langevin',
        steps: EQUILIBRATION + LANGEVIN_PRODUCTION,
        dt: 5,
        temperature: TARGET,
        friction: 0.01,
        seed: 11,
        hooks: [{ kind: 'log', every: SAMPLE_EVERY }],
      }),
      LANGEVIN_PRODUCTION,
    );
    checkCanonical('Langevin', temps, n);
  });

  it(`Nosé–Hoover chain at ${TARGET} K on 108 argon atoms: ⟨T⟩ within 2 %, Var(T)/⟨T⟩² = 2/(3N) within 3 block standard errors`, async () => {
    const { temps, n } = await productionTemperatures(
      thermostatSpec({
        kind: 'nose-hoover',
        steps: EQUILIBRATION + NHC_PRODUCTION,
        dt: 5,
        temperature: TARGET,
        tau: 100,
        chainLength: 3,
        hooks: [{ kind: 'log', every: SAMPLE_EVERY }],
      }),
      NHC_PRODUCTION,
    );
    checkCanonical('Nosé–Hoover chain', temps, n);
  });
});
