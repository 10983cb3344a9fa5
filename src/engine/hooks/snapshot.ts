/**
 * Snapshot hooks (seed 002): `snapshot` writes the live systems every N steps (after the step, so the
 * frame is the fully resolved state of that step); `converged-snapshot` writes each system once, at
 * the step it converges. Both write {@link TrajectoryFrame}s to the sink their spec names (host ring,
 * GPU ring, or the run's Zarr trajectory, see {@link SinkSet}) and emit a `snapshot` event.
 */
import type { HookSpec } from '../../io/spec.ts';
import type { EngineListener } from '../api.ts';
import { GpuRingSink } from '../gpu/ringSink.ts';
import type { FrameClock, FrameSink } from '../sinks/sink.ts';
import type { SinkSet } from '../sinks/sinkSet.ts';
import { liveSlots, type SlotLayout, slotFrame } from '../sinks/slotFrame.ts';
import type { Hook, HookContext, SlotView } from './hook.ts';

/** What snapshot hooks need from the runner. */
export interface SnapshotDeps {
  /** Receives the `snapshot` events. */
  emit: EngineListener;
  /** The sinks of the run (a pipeline worker's forward frames to the coordinator's). */
  sinks: Pick<SinkSet, 'sinkFor'>;
}

/** The slot layout a frame is cut from; the runner must fill the optional SlotView fields snapshots use. */
export function slotLayout(slots: SlotView): SlotLayout {
  const { atomicNumbers, cells, pbc } = slots;
  if (!atomicNumbers || !cells || !pbc) {
    throw new Error('snapshot hooks need SlotView.atomicNumbers, cells and pbc from the runner');
  }
  return {
    atomsPtr: slots.atomsPtr,
    systemIds: slots.systemIds,
    status: slots.status,
    atomicNumbers,
    cells,
    pbc,
  };
}

/**
 * Writes the frame of the slots `selected` (ascending) to `sink`: a GPU ring copies on the GPU (no
 * read-back); other sinks get positions, velocities, forces, per-system energy (and stress when the
 * engine gives it) read back through the context.
 */
export async function writeSnapshot(
  ctx: HookContext,
  sink: FrameSink,
  selected: readonly number[],
  emit: EngineListener,
): Promise<void> {
  const layout = slotLayout(ctx.slots);
  const clock: FrameClock = { step: ctx.step, time: ctx.time, stage: ctx.stage, stageStep: ctx.stageStep };
  if (sink instanceof GpuRingSink) {
    await sink.capture(clock, layout, selected);
  } else {
    const atoms = await ctx.atoms();
    const stats = await ctx.stats();
    const frame = slotFrame(clock, layout, selected, {
      positions: atoms.positions,
      velocities: atoms.velocities,
      forces: atoms.forces,
      energy: stats.potentialEnergy,
      ...(stats.stress ? { stress: stats.stress } : {}),
    });
    await sink.write(frame);
  }
  emit({
    type: 'snapshot',
    stage: ctx.stage,
    step: ctx.step,
    framesInSink: sink.length,
    sink: sink.kind,
    systemIds: selected.map((s) => layout.systemIds[s]!),
  });
}

/**
 * Writes the live systems every `spec.every` steps, after the step; a hook of a fused sub-stage
 * writes only the systems with that sub-stage's status code.
 */
export function snapshotHook(spec: Extract<HookSpec, { kind: 'snapshot' }>, deps: SnapshotDeps): Hook {
  const sink = deps.sinks.sinkFor(spec);
  return {
    name: `snapshot (${spec.sink})`,
    points: ['after-step'],
    every: spec.every,
    async run(ctx) {
      const selected = liveSlots(ctx.slots, ctx.statusCode);
      if (selected.length > 0) await writeSnapshot(ctx, sink, selected, deps.emit);
    },
  };
}

/**
 * Writes exactly the systems that just converged (`ctx.newlyConverged`, empty slots left out), each
 * system once over the hook's life, at on-converge.
 */
export function convergedSnapshotHook(
  spec: Extract<HookSpec, { kind: 'converged-snapshot' }>,
  deps: SnapshotDeps,
): Hook {
  const sink = deps.sinks.sinkFor(spec);
  const written = new Set<number>();
  return {
    name: `converged snapshot (${spec.sink})`,
    points: ['on-converge'],
    every: 1,
    async run(ctx) {
      const ids = ctx.slots.systemIds;
      const selected = [...new Set(ctx.newlyConverged)]
        .filter((s) => s >= 0 && s < ids.length && ids[s]! >= 0 && !written.has(ids[s]!))
        .sort((a, b) => a - b);
      if (selected.length === 0) return;
      for (const s of selected) written.add(ids[s]!);
      await writeSnapshot(ctx, sink, selected, deps.emit);
    },
  };
}
