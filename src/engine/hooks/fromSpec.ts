/** Turns the hook entries of a stage spec into engine hooks, and builds log records. */
import type { HookSpec } from '../../io/spec.ts';
import type { LogRecord, SystemStats } from '../api.ts';
import type { SinkSet } from '../sinks/sinkSet.ts';
import type { HookDeps } from './deps.ts';
import { energyDriftHook } from './energyDrift.ts';
import { forceClampHook } from './forceClamp.ts';
import { freezeHook } from './freeze.ts';
import type { Hook, HookContext, SlotView } from './hook.ts';
import { nanDetectorHook } from './nanDetector.ts';
import { rebuildNeighborsHook } from './rebuildNeighbors.ts';
import { isLiveSlot } from './slots.ts';
import { convergedSnapshotHook, snapshotHook } from './snapshot.ts';
import { timingHook } from './timing.ts';
import { wrapHook } from './wrap.ts';

/** What every hook factory may need: events, the shared constraint board, and the run's sinks. */
export interface HookFactoryDeps extends HookDeps {
  /** Sinks of the run (what snapshot hooks ask them: a sink per hook); required by snapshot hooks. */
  sinks?: Pick<SinkSet, 'sinkFor'>;
}

/**
 * Builds the log record of one step from the per-slot statistics: totals and means over the live
 * slots (empty slots left out) of `statusCode` (all live slots when null).
 */
export function logRecord(
  ctx: Pick<HookContext, 'stage' | 'stageStep' | 'step' | 'time'>,
  stats: SystemStats,
  slots: SlotView,
  statusCode: number | null = null,
): LogRecord {
  let pe = 0;
  let ke = 0;
  let tSum = 0;
  let nSum = 0;
  let fmax = 0;
  const perSystem: LogRecord['perSystem'] = {
    systemIds: [],
    potentialEnergy: [],
    kineticEnergy: [],
    temperature: [],
    maxForce: [],
  };
  for (let s = 0; s < slots.systemIds.length; s++) {
    if (!isLiveSlot(slots, s, statusCode)) continue;
    const n = slots.atoms[s]!;
    pe += stats.potentialEnergy[s]!;
    ke += stats.kineticEnergy[s]!;
    tSum += stats.temperature[s]! * n;
    nSum += n;
    fmax = Math.max(fmax, stats.maxForce[s]!);
    perSystem.systemIds.push(slots.systemIds[s]!);
    perSystem.potentialEnergy.push(stats.potentialEnergy[s]!);
    perSystem.kineticEnergy.push(stats.kineticEnergy[s]!);
    perSystem.temperature.push(stats.temperature[s]!);
    perSystem.maxForce.push(stats.maxForce[s]!);
  }
  return {
    stage: ctx.stage,
    stageStep: ctx.stageStep,
    step: ctx.step,
    time: ctx.time,
    potentialEnergy: pe,
    kineticEnergy: ke,
    temperature: nSum > 0 ? tSum / nSum : 0,
    maxForce: fmax,
    perSystem,
  };
}

/** Streams a {@link LogRecord} to the host every `every` steps (after the step). */
export function loggingHook(every: number, deps: HookDeps): Hook {
  return {
    name: 'log',
    points: ['after-step'],
    every,
    async run(ctx) {
      deps.emit({ type: 'log', record: logRecord(ctx, await ctx.stats(), ctx.slots, ctx.statusCode) });
    },
  };
}

/**
 * The NaN check every run gets without asking (stats only, cheap): stops when an energy or a force
 * of a live system is not finite, naming the system and the step. An explicit `nan-detector` hook
 * does more (names the atom, keeps the last good frame).
 */
export function nanGuardHook(every: number): Hook {
  return {
    name: 'nan-guard',
    points: ['after-step'],
    every,
    async run(ctx) {
      const stats = await ctx.stats();
      for (let s = 0; s < stats.potentialEnergy.length; s++) {
        if (!isLiveSlot(ctx.slots, s, null)) continue;
        const values = [stats.potentialEnergy[s]!, stats.kineticEnergy[s]!, stats.maxForce[s]!];
        if (values.every(Number.isFinite)) continue;
        ctx.requestStop(
          'nan',
          `energy or force of system ${ctx.slots.systemIds[s]} is not finite at step ${ctx.step} ` +
            `(stage ${ctx.stage + 1}, step ${ctx.stageStep}); try a smaller time step or relax the structure ` +
            'first (add a nan-detector hook to locate the atom)',
        );
        return;
      }
    },
  };
}

/**
 * The implicit NaN guard of a segment: as often as its most frequent after-step hook (whose
 * statistics it shares), at least every 100 steps.
 */
export function implicitNanGuard(hooks: readonly Hook[]): Hook {
  return nanGuardHook(
    Math.min(100, ...hooks.filter((h) => h.points.includes('after-step')).map((h) => h.every)),
  );
}

/** The engine hook of one hook spec. */
export function hookFromSpec(spec: HookSpec, deps: HookFactoryDeps): Hook {
  switch (spec.kind) {
    case 'log':
      return loggingHook(spec.every, deps);
    case 'snapshot':
    case 'converged-snapshot': {
      if (!deps.sinks) throw new Error(`the ${spec.kind} hook needs the run's sinks`);
      const snapshotDeps = { emit: deps.emit, sinks: deps.sinks };
      return spec.kind === 'snapshot'
        ? snapshotHook(spec, snapshotDeps)
        : convergedSnapshotHook(spec, snapshotDeps);
    }
    case 'nan-detector':
      return nanDetectorHook(spec, deps);
    case 'force-clamp':
      return forceClampHook(spec, deps);
    case 'energy-drift':
      return energyDriftHook(spec, deps);
    case 'freeze':
      return freezeHook(spec, deps);
    case 'rebuild-neighbors':
      return rebuildNeighborsHook(spec, deps);
    case 'wrap':
      return wrapHook(spec, deps);
    case 'timing':
      return timingHook(spec, deps);
  }
}

/** Engine hooks for a stage's hook specs. */
export function hooksFromSpec(specs: readonly HookSpec[], deps: HookFactoryDeps): Hook[] {
  return specs.map((h) => hookFromSpec(h, deps));
}
