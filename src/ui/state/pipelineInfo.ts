/**
 * The shape of a loaded pipeline as the status panel shows it: segments, their sub-stages, the
 * status codes systems enter and leave with, and whether inflight batching is on. The page derives it
 * from the spec it loads (the engine's `loaded` event only names the segments).
 */
import { type PipelineSpec, stageName, subStages } from '../../io/spec.ts';

/** A stage of a segment (the segment itself when it is not fused). */
export interface SubStageInfo {
  /** Display name: the stage's own, or its kind in capitals. */
  name: string;
  kind: string;
  /** Step budget of each system in it. */
  steps: number;
}

/** One segment of the pipeline. */
export interface SegmentInfo {
  name: string;
  fused: boolean;
  /** Sub-stage i has status code i. */
  subStages: SubStageInfo[];
  /** Status code of systems entering the segment. */
  entry: number;
  /** Status code at which systems leave it. */
  exit: number;
}

export interface PipelineInfo {
  segments: SegmentInfo[];
  /** Inflight batching: systems wait in a queue for each segment until a slot is free. */
  batching: boolean;
}

/** The pipeline shape of a (valid) spec. */
export function describePipeline(spec: PipelineSpec): PipelineInfo {
  return {
    batching: spec.batching !== undefined,
    segments: spec.stages.map((segment, i) => {
      const subs = subStages(segment);
      return {
        name: stageName(segment, i),
        fused: segment.kind === 'fused',
        subStages: subs.map((s) => ({ name: s.name ?? s.kind.toUpperCase(), kind: s.kind, steps: s.steps })),
        entry: segment.kind === 'fused' ? segment.entryStatus : 0,
        exit: segment.kind === 'fused' ? (segment.exitStatus ?? subs.length) : 1,
      };
    }),
  };
}

/** A pipeline known only by its segment names (one plain stage each). */
export function pipelineFromNames(names: readonly string[]): PipelineInfo {
  return {
    batching: false,
    segments: names.map((name) => ({
      name,
      fused: false,
      subStages: [{ name, kind: '', steps: 1 }],
      entry: 0,
      exit: 1,
    })),
  };
}
