/**
 * Where each system of a run is (DESIGN §8, per-stage counts of systems), followed from the engine's
 * events: `stage` (a segment starts), `batch` (systems admitted into free slots), `migrated` (from
 * one status code to the next, or out), `graduated` (left the segment), `converged`. Each system id
 * has a segment and a code: a sub-stage's status code, {@link WAITING} (queued for the segment) or
 * {@link LEFT} (left it, or parked until it ends). Counts per segment and sub-stage are kept in step.
 * Immutable: an event that changes anything returns a new tracker.
 */
import type { EngineEvent } from '../../engine/api.ts';
import type { PipelineInfo, SegmentInfo } from './pipelineInfo.ts';

/** Code of a system queued for a segment (inflight batching), or not yet started. */
export const WAITING = -1;
/** Code of a system that left its segment (or, without batching, waits for it to end). */
export const LEFT = -2;

/** Systems of one segment. */
export interface SegmentCounts {
  /** Queued for the segment and not yet admitted (or, before it starts, waiting for it). */
  waiting: number;
  /** In each sub-stage now (index: status code). */
  active: number[];
  /** Left the segment (graduated) so far. */
  done: number;
  /** Whose criteria held in each sub-stage so far (index: status code). */
  converged: number[];
}

export interface SystemTracker {
  /** Segment of each system id (the number of segments once a system went through all of them). */
  segment: Int32Array;
  /** Status code of each system id in its segment, or {@link WAITING} / {@link LEFT}. */
  code: Int32Array;
  counts: SegmentCounts[];
}

/** Every system waiting for the first segment. */
export function createTracker(nSystems: number, pipeline: PipelineInfo): SystemTracker {
  const counts = pipeline.segments.map((s, k) => ({
    waiting: k === 0 ? nSystems : 0,
    active: s.subStages.map(() => 0),
    done: 0,
    converged: s.subStages.map(() => 0),
  }));
  return { segment: new Int32Array(nSystems), code: new Int32Array(nSystems).fill(WAITING), counts };
}

/** Events that move systems or count them. */
export type TrackedEvent = Extract<
  EngineEvent,
  { type: 'stage' | 'batch' | 'migrated' | 'graduated' | 'converged' }
>;

/**
 * The code a system placed at `code` of `segment` ends up with: sub-stages with a step budget of 0
 * are passed through at once (the engine sends no `migrated` for those); reaching the exit is LEFT.
 */
function settledCode(segment: SegmentInfo | undefined, code: number): number {
  if (!segment) return code;
  let c = code;
  while (c < segment.exit && (segment.subStages[c]?.steps ?? 1) === 0) c++;
  return c >= segment.exit ? LEFT : c;
}

class Draft {
  private readonly t: SystemTracker;
  constructor(from: SystemTracker) {
    this.t = {
      segment: from.segment.slice(),
      code: from.code.slice(),
      counts: from.counts.map((c) => ({
        waiting: c.waiting,
        active: [...c.active],
        done: c.done,
        converged: [...c.converged],
      })),
    };
  }

  get result(): SystemTracker {
    return this.t;
  }

  get size(): number {
    return this.t.segment.length;
  }

  segmentOf(id: number): number {
    return this.t.segment[id]!;
  }

  codeOf(id: number): number {
    return this.t.code[id]!;
  }

  private add(segment: number, code: number, n: number): void {
    const c = this.t.counts[segment];
    if (!c) return;
    if (code === WAITING) c.waiting += n;
    else if (code >= 0) c.active[code] = (c.active[code] ?? 0) + n;
  }

  /** Moves system `id` to `code` of `segment`; ids outside the run are ignored. */
  move(id: number, segment: number, code: number): void {
    if (!Number.isInteger(id) || id < 0 || id >= this.size) return;
    this.add(this.t.segment[id]!, this.t.code[id]!, -1);
    this.t.segment[id] = segment;
    this.t.code[id] = code;
    this.add(segment, code, 1);
  }

  count(segment: number, field: 'done' | 'converged', n: number, code = 0): void {
    const c = this.t.counts[segment];
    if (!c) return;
    if (field === 'done') c.done += n;
    else c.converged[code] = (c.converged[code] ?? 0) + n;
  }
}

/** The tracker after `event`: the same object when the event moves and counts nothing. */
export function trackSystems(t: SystemTracker, pipeline: PipelineInfo, event: TrackedEvent): SystemTracker {
  const segment = pipeline.segments[event.stage];
  const nSegments = pipeline.segments.length;
  const d = new Draft(t);
  switch (event.type) {
    case 'stage': {
      const k = event.stage;
      const entry = settledCode(segment, segment?.entry ?? 0);
      for (let id = 0; id < d.size; id++) {
        const s = d.segmentOf(id);
        if (pipeline.batching) {
          // Leftovers of earlier segments (step limit reached) join this segment's queue.
          if (s < k) d.move(id, k, WAITING);
        } else if (s !== k || d.codeOf(id) === WAITING) {
          d.move(id, k, entry);
        }
      }
      break;
    }
    case 'batch': {
      const entry = settledCode(segment, segment?.entry ?? 0);
      for (const id of event.admitted) d.move(id, event.stage, entry);
      break;
    }
    case 'migrated':
      for (const id of event.systems) {
        d.move(id, event.stage, event.to === 'exit' ? LEFT : settledCode(segment, event.to));
      }
      break;
    case 'graduated': {
      d.count(event.stage, 'done', event.systems.length);
      const next = event.stage + 1;
      for (const id of event.systems) {
        if (pipeline.batching) d.move(id, next, next < nSegments ? WAITING : LEFT);
        else d.move(id, event.stage, LEFT);
      }
      break;
    }
    case 'converged':
      d.count(event.stage, 'converged', event.systems.length, event.subStage);
      break;
  }
  return d.result;
}
