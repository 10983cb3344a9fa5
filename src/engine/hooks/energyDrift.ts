/**
 * Energy drift watch for NVE: after a step, every `every` steps, compares each system's total
 * energy per atom, (E_pot + E_kin)/N, with its value at the first check after the system entered the
 * stage (the reference, taken again when the slot's system changes or its stage step counter goes
 * back). A drift |E/N − E₀/N| above `tolerance` (eV/atom) either warns (one `warning` event per system
 * and entry into the stage) or stops the run with reason `error`. Non-finite energies are left to the
 * NaN detector.
 */
import type { HookSpec } from '../../io/spec.ts';
import type { HookDeps } from './deps.ts';
import type { Hook, HookContext } from './hook.ts';
import { isLiveSlot } from './slots.ts';

/** The energy-drift entry of a stage spec. */
export type EnergyDriftHookSpec = Extract<HookSpec, { kind: 'energy-drift' }>;

/** Creates an energy-drift hook (after-step, every `spec.every` steps). */
export function energyDriftHook(spec: EnergyDriftHookSpec, deps: HookDeps): Hook {
  // Per slot: reference energy per atom (eV/atom; NaN: none yet), the system it belongs to, the step
  // it was taken at, the slot's stage steps at the last check, and whether a warning was sent.
  let reference = new Float64Array(0);
  let referenceSystem = new Int32Array(0);
  let referenceStep = new Int32Array(0);
  let lastStageSteps = new Int32Array(0);
  let warned = new Uint8Array(0);
  const resize = (n: number) => {
    reference = new Float64Array(n).fill(Number.NaN);
    referenceSystem = new Int32Array(n).fill(-1);
    referenceStep = new Int32Array(n);
    lastStageSteps = new Int32Array(n);
    warned = new Uint8Array(n);
  };
  return {
    name: 'energy-drift',
    points: ['after-step'],
    every: spec.every,
    async run(ctx) {
      const slots = ctx.slots;
      const n = slots.systemIds.length;
      if (reference.length !== n) resize(n);
      const stats = await ctx.stats();
      for (let s = 0; s < n; s++) {
        if (!isLiveSlot(slots, s, ctx.statusCode)) {
          reference[s] = Number.NaN;
          continue;
        }
        const system = slots.systemIds[s]!;
        const steps = slots.stageSteps[s]!;
        const perAtom = (stats.potentialEnergy[s]! + stats.kineticEnergy[s]!) / slots.atoms[s]!;
        if (Number.isNaN(reference[s]!) || referenceSystem[s] !== system || steps < lastStageSteps[s]!) {
          reference[s] = perAtom;
          referenceSystem[s] = system;
          referenceStep[s] = ctx.step;
          lastStageSteps[s] = steps;
          warned[s] = 0;
          continue;
        }
        lastStageSteps[s] = steps;
        const drift = Math.abs(perAtom - reference[s]!);
        if (!(drift > spec.tolerance)) continue;
        const message = driftMessage(system, drift, spec.tolerance, referenceStep[s]!, ctx);
        if (spec.action === 'stop') {
          ctx.requestStop('error', message);
          return;
        }
        if (warned[s]) continue;
        warned[s] = 1;
        deps.emit({
          type: 'warning',
          stage: ctx.stage,
          step: ctx.step,
          system,
          source: 'energy-drift',
          message,
        });
      }
    },
    dispose() {
      resize(0);
    },
  };
}

function driftMessage(
  system: number,
  drift: number,
  tolerance: number,
  from: number,
  ctx: HookContext,
): string {
  return (
    `total energy of system ${system} drifted by ${drift.toPrecision(3)} eV/atom since step ${from}, more than the ` +
    `tolerance of ${tolerance} eV/atom, at step ${ctx.step} (stage ${ctx.stage + 1}, step ${ctx.stageStep} of the stage); ` +
    'try a smaller time step or a larger neighbor skin'
  );
}
