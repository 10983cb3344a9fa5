/** Turns the hook and convergence entries of a stage spec into engine hooks and criteria. */
import type { ConvergenceSpec, HookSpec } from '../../io/spec.ts';
import type { EngineListener, LogRecord, SystemStats } from '../api.ts';
import type { HostMemorySink } from '../sinks/hostMemory.ts';
import type { ConvergenceCriterion, Hook, HookContext } from './hook.ts';
import { maxForceCriterion } from './maxForce.ts';

/** Builds the log record of one step from the per-system statistics. */
export function logRecord(
  ctx: Pick<HookContext, 'stage' | 'stageStep' | 'step' | 'time'>,
  stats: SystemStats,
  atomsPerSystem: Int32Array,
): LogRecord {
  let pe = 0;
  let ke = 0;
  let tSum = 0;
  let nSum = 0;
  let fmax = 0;
  const n = stats.potentialEnergy.length;
  for (let s = 0; s < n; s++) {
    pe += stats.potentialEnergy[s]!;
    ke += stats.kineticEnergy[s]!;
    tSum += stats.temperature[s]! * atomsPerSystem[s]!;
    nSum += atomsPerSystem[s]!;
    fmax = Math.max(fmax, stats.maxForce[s]!);
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
    perSystem: {
      potentialEnergy: Array.from(stats.potentialEnergy),
      kineticEnergy: Array.from(stats.kineticEnergy),
      temperature: Array.from(stats.temperature),
      maxForce: Array.from(stats.maxForce),
    },
  };
}

/** Streams a {@link LogRecord} to the host every `every` steps (after the step). */
export function loggingHook(every: number, emit: EngineListener, atomsPerSystem: Int32Array): Hook {
  return {
    name: 'log',
    points: ['after-step'],
    every,
    async run(ctx) {
      emit({ type: 'log', record: logRecord(ctx, await ctx.stats(), atomsPerSystem) });
    },
  };
}

/** Writes a full frame (positions, velocities, forces) to a sink every `every` steps (after the step). */
export function snapshotHook(every: number, sink: HostMemorySink, emit: EngineListener): Hook {
  return {
    name: 'snapshot',
    points: ['after-step'],
    every,
    async run(ctx) {
      const atoms = await ctx.atoms();
      sink.write({
        stage: ctx.stage,
        stageStep: ctx.stageStep,
        step: ctx.step,
        time: ctx.time,
        positions: atoms.positions.slice(),
        velocities: atoms.velocities.slice(),
        forces: atoms.forces.slice(),
      });
      emit({ type: 'snapshot', stage: ctx.stage, step: ctx.step, framesInSink: sink.length });
    },
  };
}

/** Stops the run when an energy is not finite, naming the system and the step. */
export function nanGuardHook(every: number): Hook {
  return {
    name: 'nan-guard',
    points: ['after-step'],
    every,
    async run(ctx) {
      const stats = await ctx.stats();
      for (let s = 0; s < stats.potentialEnergy.length; s++) {
        if (!Number.isFinite(stats.potentialEnergy[s]!) || !Number.isFinite(stats.kineticEnergy[s]!)) {
          ctx.requestStop(
            'nan',
            `energy of system ${s} is not finite at step ${ctx.step} (stage ${ctx.stage + 1}, step ${ctx.stageStep}); ` +
              'try a smaller time step or relax the structure first',
          );
          return;
        }
      }
    },
  };
}

/** Engine hooks for a stage's hook specs. */
export function hooksFromSpec(
  specs: readonly HookSpec[],
  deps: { emit: EngineListener; sink: HostMemorySink; atomsPerSystem: Int32Array },
): Hook[] {
  return specs.map((h) =>
    h.kind === 'log'
      ? loggingHook(h.every, deps.emit, deps.atomsPerSystem)
      : snapshotHook(h.every, deps.sink, deps.emit),
  );
}

/** Engine criteria for a stage's convergence specs. */
export function criteriaFromSpec(specs: readonly ConvergenceSpec[]): ConvergenceCriterion[] {
  // One kind of criterion so far; the discriminated union makes the next one a type error here.
  return specs.map((c) => maxForceCriterion(c.fmax));
}
