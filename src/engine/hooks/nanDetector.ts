/**
 * NaN detector (the Python framework's NaNDetectorHook): after a step, every `every` steps, checks
 * that energies, positions, velocities and forces of the slots it watches are finite. On the first
 * non-finite value it names the system, the atom (index within its system), the step and what was
 * non-finite, emits `nan-detected` with the last good state and stops the run with reason `nan`.
 * Each check that passes keeps a host copy of the whole batch's positions and velocities (one frame,
 * arrays reused), so the host can offer to restart from the last good state.
 */
import type { HookSpec } from '../../io/spec.ts';
import type { AtomState, LastGoodFrame, SystemStats } from '../api.ts';
import type { HookDeps } from './deps.ts';
import type { Hook, HookContext, SlotView } from './hook.ts';
import { isLiveSlot } from './slots.ts';

/** The nan-detector entry of a stage spec. */
export type NanDetectorHookSpec = Extract<HookSpec, { kind: 'nan-detector' }>;

/** A NaN detector, with access to the last state it checked good. */
export interface NanDetectorHook extends Hook {
  /**
   * The newest state a check found finite (in the slots the hook watches: a sub-stage hook checks
   * its status code only, but keeps the whole batch), or null before the first passing check. Its
   * arrays are overwritten by the next passing check: copy what you keep.
   */
  lastGood(): LastGoodFrame | null;
}

/** Where a non-finite value was found. */
export interface NonFinite {
  /** Slot of the system. */
  slot: number;
  /** Index of the first bad atom within its system; −1 when only a system energy is non-finite. */
  atom: number;
  /** What was non-finite: per atom `position`, `velocity`, `force`, `potential energy`; per system (atom −1) `potential energy`, `kinetic energy`, `max force`. */
  what: string[];
  /** The first non-finite value met (NaN, Infinity or −Infinity). */
  value: number;
}

/** Creates a NaN detector hook (after-step, every `spec.every` steps). */
export function nanDetectorHook(spec: NanDetectorHookSpec, deps: HookDeps): NanDetectorHook {
  let good: LastGoodFrame | null = null;
  return {
    name: 'nan-detector',
    points: ['after-step'],
    every: spec.every,
    lastGood: () => good,
    async run(ctx) {
      const stats = await ctx.stats();
      const atoms = await ctx.atoms();
      const bad = findNonFinite(stats, atoms, ctx.slots, ctx.statusCode);
      if (bad === null) {
        good = keepFrame(good, ctx, atoms);
        return;
      }
      const system = ctx.slots.systemIds[bad.slot]!;
      const message = nanMessage(bad, system, ctx, good);
      deps.emit({
        type: 'nan-detected',
        stage: ctx.stage,
        step: ctx.step,
        system,
        atom: bad.atom,
        message,
        lastGood: good && copyFrame(good),
      });
      ctx.requestStop('nan', message);
    },
    dispose() {
      good = null;
    },
  };
}

/**
 * The first non-finite value among the slots a hook watches, slot by slot: system energies and max
 * force from `stats`, then per atom its position, velocity, force and energy (GPU reductions may
 * drop a NaN from a max, so atoms are scanned whatever the statistics say). Null when all are finite.
 */
export function findNonFinite(
  stats: SystemStats,
  atoms: AtomState,
  slots: SlotView,
  statusCode: number | null,
): NonFinite | null {
  const perAtom: [string, ArrayLike<number>, number][] = [
    ['position', atoms.positions, 3],
    ['velocity', atoms.velocities, 3],
    ['force', atoms.forces, 3],
    ['potential energy', atoms.energies, 1],
  ];
  const perSystem: [string, ArrayLike<number>][] = [
    ['potential energy', stats.potentialEnergy],
    ['kinetic energy', stats.kineticEnergy],
    ['max force', stats.maxForce],
  ];
  for (let s = 0; s < slots.systemIds.length; s++) {
    if (!isLiveSlot(slots, s, statusCode)) continue;
    const first = slots.atomsPtr[s]!;
    const end = slots.atomsPtr[s + 1]!;
    // x·0 is 0 for finite x and NaN otherwise: one sum per array finds a bad slot without branches.
    let allFinite = true;
    for (const [, a, k] of perAtom) if (!finiteRange(a, k * first, k * end)) allFinite = false;
    if (allFinite) {
      for (const [what, a] of perSystem) {
        const v = a[s]!;
        if (!Number.isFinite(v)) return { slot: s, atom: -1, what: [what], value: v };
      }
      continue;
    }
    for (let i = first; i < end; i++) {
      const what: string[] = [];
      let value = 0;
      for (const [name, a, k] of perAtom) {
        for (let c = k * i; c < k * (i + 1); c++) {
          const v = a[c]!;
          if (Number.isFinite(v)) continue;
          if (what.length === 0) value = v;
          what.push(name);
          break;
        }
      }
      if (what.length > 0) return { slot: s, atom: i - first, what, value };
    }
  }
  return null;
}

function finiteRange(a: ArrayLike<number>, from: number, to: number): boolean {
  let sum = 0;
  for (let i = from; i < to; i++) sum += a[i]! * 0;
  return sum === 0;
}

function nanMessage(bad: NonFinite, system: number, ctx: HookContext, good: LastGoodFrame | null): string {
  const where = bad.atom >= 0 ? `atom ${bad.atom} of system ${system}` : `system ${system}`;
  const kept = good
    ? `the last good state (step ${good.step}) is kept and can be restarted from`
    : 'no earlier state was checked good';
  return (
    `non-finite ${bad.what.join(', ')} (${bad.value}) of ${where} at step ${ctx.step} (stage ${ctx.stage + 1}, step ${ctx.stageStep} of the stage). ` +
    'The integration blew up: try a smaller time step, relax the structure first (FIRE) or look for atoms ' +
    `closer than the potential allows; ${kept}.`
  );
}

/** Copies the state into `frame` (reusing its arrays where the sizes match). */
function keepFrame(frame: LastGoodFrame | null, ctx: HookContext, atoms: AtomState): LastGoodFrame {
  const reuse = <T extends Float32Array | Int32Array>(old: T | undefined, src: T): T => {
    if (old?.length !== src.length) return src.slice() as T;
    old.set(src);
    return old;
  };
  return {
    stage: ctx.stage,
    stageStep: ctx.stageStep,
    step: ctx.step,
    time: ctx.time,
    positions: reuse(frame?.positions, atoms.positions),
    velocities: reuse(frame?.velocities, atoms.velocities),
    systemIds: reuse(frame?.systemIds, ctx.slots.systemIds),
    atomsPtr: reuse(frame?.atomsPtr, ctx.slots.atomsPtr),
  };
}

function copyFrame(frame: LastGoodFrame): LastGoodFrame {
  return {
    ...frame,
    positions: frame.positions.slice(),
    velocities: frame.velocities.slice(),
    systemIds: frame.systemIds.slice(),
    atomsPtr: frame.atomsPtr.slice(),
  };
}
