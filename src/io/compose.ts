/**
 * Readable names for the Python framework's stage operators (TypeScript has no operator overloading):
 * `fuse(a, b)` is `a + b` (one force evaluation per step shared by sub-stages that update systems by
 * status code) and `pipe(a, b)` is `a | b` (systems leaving one segment enter the next). They build
 * the same plain spec objects a person writes in JSON, so specs built in code and specs loaded from
 * files are one thing.
 */
import type { FusedStageSpecInput, SegmentSpecInput, StageSpecInput } from './spec.ts';

/**
 * `a + b + …`: a fused stage. Fusing a fused stage appends its sub-stages (as `fused + c` does in
 * Python); its own hooks and step limit are dropped in favour of `options`.
 */
export function fuse(
  stages: readonly (StageSpecInput | FusedStageSpecInput)[],
  options: Omit<FusedStageSpecInput, 'kind' | 'stages'>,
): FusedStageSpecInput {
  const flat = stages.flatMap((s) => (s.kind === 'fused' ? s.stages : [s]));
  return { kind: 'fused', stages: flat, ...options };
}

/** `a | b | …`: the segments of a pipeline, in the order systems go through them. */
export function pipe(...segments: readonly SegmentSpecInput[]): SegmentSpecInput[] {
  return [...segments];
}
