/**
 * A spec with placement `domain` run by the CLI (and the benchmarks): one worker per rank of the
 * grid (browser Web Workers in the Chromium backend's page, Node worker_threads in the reference and
 * Dawn backends), coordinated here; rank 0's snapshot frames go to one set of sinks. The outcome has
 * the shape of a one-worker run's (src/engine/evaluate.ts): the final state is the whole system
 * gathered over every rank in atom order when the run ended (else rank 0's last live frame).
 */
import type { EngineEvent, EngineListener, Frame } from '../engine/api.ts';
import type { Batch } from '../engine/batch.ts';
import {
  DomainCoordinator,
  type DomainLaunch,
  type DomainOptions,
} from '../engine/decomposition/coordinator.ts';
import type { RunOutcome } from '../engine/evaluate.ts';
import type { EamTabulation } from '../engine/potentials/eamTabulation.ts';
import { SinkSet, snapshotHookSpecs } from '../engine/sinks/sinkSet.ts';
import { type PipelineSpec, parseSpec } from '../io/spec.ts';
import { MemoryStore } from '../io/zarr/store.ts';

/** Extra options of {@link runDomain} (tests and benchmarks). */
export type DomainRunOptions = Partial<
  Pick<DomainOptions, 'unresponsiveMs' | 'heartbeatMs' | 'startTimeoutMs' | 'gnnModel'>
> & {
  /** Called with the coordinator once it started (tests: kill a worker mid-run). */
  started?: (coordinator: DomainCoordinator) => void;
};

/** Runs `spec` (placement domain) over the one system `system` with workers from `launch`. */
export async function runDomain(
  spec: PipelineSpec,
  system: Batch,
  tables: EamTabulation | undefined,
  listener: EngineListener,
  launch: DomainLaunch,
  options: DomainRunOptions = {},
): Promise<RunOutcome> {
  const sinks = await SinkSet.create(snapshotHookSpecs(spec.stages), { zarrStore: new MemoryStore() });
  let last: Frame | null = null;
  let message: string | undefined;
  const { started, gnnModel, ...limits } = options;
  const coordinator = new DomainCoordinator({
    spec,
    system,
    ...(tables ? { tables } : {}),
    ...(gnnModel ? { gnnModel } : {}),
    listener: (e: EngineEvent) => {
      if (e.type === 'frame') last = e.frame;
      if (e.type === 'end' && e.message) message = e.message;
      listener(e);
    },
    launch,
    sinks,
    // Only the frames the runner must send (start, pause, end): each one gathers every rank.
    viewFrameIntervalMs: 0,
    ...limits,
  });
  try {
    await coordinator.start();
    coordinator.setViewOptions({ forces: true, velocities: true });
    started?.(coordinator);
    const result = await coordinator.run();
    await sinks.flush();
    const atoms = result.atoms;
    const frame = last as Frame | null;
    const final = atoms
      ? {
          positions: Float32Array.from(atoms.positions),
          velocities: Float32Array.from(atoms.velocities),
          forces: Float32Array.from(atoms.forces),
          energies: Float32Array.from(atoms.energies),
        }
      : frame && frame.positions.length === 3 * system.nAtoms
        ? {
            positions: frame.positions,
            velocities: frame.velocities ?? new Float32Array(0),
            forces: frame.forces ?? new Float32Array(0),
            energies: new Float32Array(0),
          }
        : {
            // Nothing came back (a failed run): the starting state.
            positions: Float32Array.from(system.positions),
            velocities: Float32Array.from(system.velocities),
            forces: new Float32Array(0),
            energies: new Float32Array(0),
          };
    const why = result.message ?? message;
    return {
      end: result.end,
      frames: sinks.hostFrames(),
      final,
      finished: [],
      ...(why ? { message: why } : {}),
    };
  } finally {
    coordinator.destroy();
  }
}

/**
 * parseSpec, also accepting placement `domain` with a 1×1×1 grid — which the schema refuses (one
 * worker is placement single) but benchmarks run: the 1-rank baseline of the same runtime, whose
 * only exchanges are its self-swaps and reductions. Every other check is the schema's.
 */
export function parseSpecAllowingOneRank(input: unknown): PipelineSpec {
  const placement = (input as { placement?: { kind?: unknown; grid?: unknown } } | null)?.placement;
  const one =
    placement?.kind === 'domain' &&
    Array.isArray(placement.grid) &&
    placement.grid.length === 3 &&
    placement.grid.every((p) => p === 1);
  if (!one) return parseSpec(input);
  const spec = parseSpec({ ...(input as object), placement: { kind: 'domain', grid: [2, 1, 1] } });
  spec.placement = { kind: 'domain', grid: [1, 1, 1] };
  return spec;
}
