/**
 * Structural edits of a draft pipeline: add, remove and move segments; fuse a segment with the next
 * one (the Python framework's `a + b`) or split a fused one back into a pipe (`a | b`), whole or at
 * one fuse link; put a stage into a fused stage at a position, take one out, move a stage anywhere
 * (the composer's drag and drop and its keyboard moves); add and remove hooks and convergence
 * criteria. Pure functions: each returns a new draft (the input is never modified).
 */
import type { PipelineSpecInput } from '../../io/spec.ts';
import { getAt, isRecord, type PathSegment, pathKey, setAt } from './specFields.ts';

/** Most sub-stages a fused stage may hold (the schema's limit). */
export const MAX_SUB_STAGES = 16;

type Draft = PipelineSpecInput;
type Segment = Draft['stages'][number];

function segmentsOf(draft: Draft): Segment[] {
  return Array.isArray(draft.stages) ? draft.stages : [];
}

function withSegments(draft: Draft, stages: Segment[]): Draft {
  return { ...structuredClone(draft), stages: structuredClone(stages) };
}

/** The stages of a segment: a fused stage's sub-stages, or the stage itself. */
function stagesOf(segment: Segment): unknown[] {
  return isRecord(segment) && segment.kind === 'fused' && Array.isArray(segment.stages)
    ? segment.stages
    : [segment];
}

const stepsOf = (stage: unknown) =>
  isRecord(stage) && typeof stage.steps === 'number' && Number.isFinite(stage.steps) ? stage.steps : 0;

/** Appends `segment` at the end (or before `index`). */
export function insertSegment(draft: Draft, segment: Segment, index = segmentsOf(draft).length): Draft {
  const stages = [...segmentsOf(draft)];
  stages.splice(index, 0, segment);
  return withSegments(draft, stages);
}

/** Removes segment `index` (the schema then says if none is left). */
export function removeSegment(draft: Draft, index: number): Draft {
  return withSegments(
    draft,
    segmentsOf(draft).filter((_, i) => i !== index),
  );
}

/** Moves segment `index` by `delta` places (−1: earlier), when there is room. */
export function moveSegment(draft: Draft, index: number, delta: -1 | 1): Draft {
  const stages = [...segmentsOf(draft)];
  const to = index + delta;
  if (to < 0 || to >= stages.length || index < 0 || index >= stages.length) return draft;
  const [moved] = stages.splice(index, 1);
  stages.splice(to, 0, moved!);
  return withSegments(draft, stages);
}

/** Whether segments `index` and `index + 1` can be fused (both exist, sub-stages within the limit). */
export function canFuse(draft: Draft, index: number): boolean {
  const stages = segmentsOf(draft);
  const a = stages[index];
  const b = stages[index + 1];
  return a !== undefined && b !== undefined && stagesOf(a).length + stagesOf(b).length <= MAX_SUB_STAGES;
}

const isLog = (h: unknown) => isRecord(h) && h.kind === 'log';
const hooksOf = (s: unknown): unknown[] => (isRecord(s) && Array.isArray(s.hooks) ? s.hooks : []);

/**
 * Fuses segment `index` with the next one: one fused stage whose sub-stages are theirs, in order.
 * Its max steps is the sum of the sub-stages' budgets (enough for a system to pass through every
 * one); entry and exit status go back to their defaults. The hooks of a fused stage are kept; the
 * sub-stages' `log` hooks become one on the fused stage (the most frequent), so that each logged
 * step is one record of all its systems rather than one per sub-stage.
 */
export function fuseWithNext(draft: Draft, index: number): Draft {
  if (!canFuse(draft, index)) return draft;
  const stages = [...segmentsOf(draft)];
  const a = stages[index]!;
  const b = stages[index + 1]!;
  const subs = [...stagesOf(a), ...stagesOf(b)].map((s) =>
    isRecord(s) ? { ...s, hooks: hooksOf(s).filter((h) => !isLog(h)) } : s,
  );
  const ownHooks = [a, b].flatMap((s) => (isRecord(s) && s.kind === 'fused' ? hooksOf(s) : []));
  const logs = [...stagesOf(a), ...stagesOf(b)].flatMap(hooksOf).filter(isLog) as Record<string, unknown>[];
  if (logs.length > 0 && !ownHooks.some(isLog)) {
    const everies = logs.map((h) => (typeof h.every === 'number' ? h.every : 10));
    ownHooks.unshift({ kind: 'log', every: Math.min(...everies) });
  }
  const fused = {
    kind: 'fused',
    stages: subs,
    steps: Math.max(
      1,
      subs.reduce((n: number, s) => n + stepsOf(s), 0),
    ),
    entryStatus: 0,
    hooks: ownHooks,
  } as unknown as Segment;
  stages.splice(index, 2, fused);
  return withSegments(draft, stages);
}

/**
 * Splits fused segment `index` into its sub-stages, run one after the other. The fused stage's own
 * `log` hooks go to every one of them (each stage logs its systems), its other hooks to the first.
 */
export function splitFused(draft: Draft, index: number): Draft {
  const stages = [...segmentsOf(draft)];
  const segment = stages[index];
  if (!isRecord(segment) || segment.kind !== 'fused' || !Array.isArray(segment.stages)) return draft;
  const subs = structuredClone(segment.stages) as Segment[];
  const own = hooksOf(segment);
  const logs = own.filter(isLog);
  subs.forEach((sub, k) => {
    if (!isRecord(sub)) return;
    const given = k === 0 ? own : logs;
    const kept = hooksOf(sub).filter((h) => !(isLog(h) && logs.length > 0));
    if (given.length > 0) (sub as Record<string, unknown>).hooks = structuredClone([...given, ...kept]);
  });
  stages.splice(index, 1, ...subs);
  return withSegments(draft, stages);
}

/** Appends `item` to the list at `path` (created when absent), e.g. a stage's hooks. */
export function appendItem(draft: Draft, path: readonly PathSegment[], item: unknown): Draft {
  const list = getAt(draft, path);
  return setAt(draft, path, [...(Array.isArray(list) ? list : []), item]);
}

/** Removes entry `index` of the list at `path`. */
export function removeItem(draft: Draft, path: readonly PathSegment[], index: number): Draft {
  const list = getAt(draft, path);
  if (!Array.isArray(list)) return draft;
  return setAt(
    draft,
    path,
    list.filter((_, i) => i !== index),
  );
}

/**
 * Where a stage sits: segment `segment`, and for a fused segment its sub-stage `sub` (null: the
 * segment is a plain stage).
 */
export interface StageAddress {
  segment: number;
  sub: number | null;
}

/** Path of the stage at `a` in the spec, e.g. ['stages', 0, 'stages', 1]. */
export function stagePath(a: StageAddress): PathSegment[] {
  return a.sub === null ? ['stages', a.segment] : ['stages', a.segment, 'stages', a.sub];
}

/** The same address as a spec issue path writes it (`stages[0].stages[1]`). */
export function stageKey(a: StageAddress): string {
  return pathKey(stagePath(a));
}

export const sameAddress = (a: StageAddress | null, b: StageAddress | null): boolean =>
  a !== null && b !== null && a.segment === b.segment && a.sub === b.sub;

const isFused = (segment: unknown): segment is Record<string, unknown> & { stages: unknown[] } =>
  isRecord(segment) && segment.kind === 'fused' && Array.isArray(segment.stages);

/** The stage at `a` (undefined where there is none). */
export function stageAt(draft: Draft, a: StageAddress): unknown {
  const segment = segmentsOf(draft)[a.segment];
  if (a.sub === null) return isFused(segment) ? undefined : segment;
  return isFused(segment) ? segment.stages[a.sub] : undefined;
}

/** Every stage of a draft in pipeline order (sub-stages of fused segments in status order). */
export function stageAddresses(draft: Draft): StageAddress[] {
  return segmentsOf(draft).flatMap((segment, i): StageAddress[] =>
    isFused(segment) ? segment.stages.map((_, j) => ({ segment: i, sub: j })) : [{ segment: i, sub: null }],
  );
}

/** Number of sub-stages of segment `index` (1 for a plain stage, 0 when there is no such segment). */
export function subStageCount(draft: Draft, index: number): number {
  const segment = segmentsOf(draft)[index];
  return segment === undefined ? 0 : stagesOf(segment).length;
}

/** Whether `stage` can go into segment `index` as a sub-stage (the limit of sub-stages). */
export function canFuseInto(draft: Draft, index: number): boolean {
  const n = subStageCount(draft, index);
  return n > 0 && n < MAX_SUB_STAGES;
}

const withoutLogs = (stage: unknown) =>
  isRecord(stage) ? { ...stage, hooks: hooksOf(stage).filter((h) => !isLog(h)) } : stage;

/**
 * Puts `stage` into segment `index` as sub-stage `position` (0: first). Into a plain stage, this
 * fuses the two ({@link fuseWithNext}: max steps the sum of the budgets). Into a fused stage, its
 * max steps grows by the stage's budget, status codes at or after `position` shift by one (an entry
 * status equal to `position` then names the new stage, systems enter it first), and the stage's
 * `log` hooks go to the fused stage (one log for the whole stage) when that has none. Past the limit
 * of sub-stages the draft is returned unchanged.
 */
export function fuseStageInto(draft: Draft, stage: unknown, index: number, position: number): Draft {
  const stages = [...segmentsOf(draft)];
  const segment = stages[index];
  if (segment === undefined || !canFuseInto(draft, index)) return draft;
  if (!isFused(segment)) {
    const at = position <= 0 ? index : index + 1;
    return fuseWithNext(insertSegment(draft, stage as Segment, at), index);
  }
  const subs: unknown[] = [...segment.stages];
  const p = Math.max(0, Math.min(position, subs.length));
  subs.splice(p, 0, withoutLogs(stage));
  const next: Record<string, unknown> = { ...segment, stages: subs };
  next.steps = Math.max(1, stepsOf(segment) + stepsOf(stage));
  const entry = typeof segment.entryStatus === 'number' ? segment.entryStatus : 0;
  if (entry > p) next.entryStatus = entry + 1;
  if (typeof segment.exitStatus === 'number' && p <= segment.exitStatus)
    next.exitStatus = segment.exitStatus + 1;
  const logs = hooksOf(stage).filter(isLog);
  if (logs.length > 0 && !hooksOf(segment).some(isLog))
    next.hooks = [structuredClone(logs[0]), ...hooksOf(segment)];
  stages[index] = next as unknown as Segment;
  return withSegments(draft, stages);
}

/**
 * Removes the stage at `a`. From a fused stage: its max steps shrinks by the stage's budget (at
 * least 1) and the status codes after it shift down; a fused stage left with one sub-stage becomes
 * that stage, with the fused stage's own hooks ({@link splitFused}).
 */
export function removeStage(draft: Draft, a: StageAddress): Draft {
  if (a.sub === null) return stageAt(draft, a) === undefined ? draft : removeSegment(draft, a.segment);
  const stages = [...segmentsOf(draft)];
  const segment = stages[a.segment];
  if (!isFused(segment) || a.sub < 0 || a.sub >= segment.stages.length) return draft;
  const subs = segment.stages.filter((_, j) => j !== a.sub);
  const next: Record<string, unknown> = { ...segment, stages: subs };
  next.steps = Math.max(1, stepsOf(segment) - stepsOf(segment.stages[a.sub]));
  const entry = typeof segment.entryStatus === 'number' ? segment.entryStatus : 0;
  if (entry > a.sub) next.entryStatus = entry - 1;
  if (typeof segment.exitStatus === 'number' && a.sub < segment.exitStatus)
    next.exitStatus = segment.exitStatus - 1;
  stages[a.segment] = next as unknown as Segment;
  const out = withSegments(draft, stages);
  return subs.length === 1 ? splitFused(out, a.segment) : out;
}

/** Where a moved or new stage goes: piped in before segment `index`, or fused into a segment. */
export type StageDestination =
  | { type: 'pipe'; index: number }
  | { type: 'fuse'; segment: number; position: number };

/** Address of the stage that {@link placeStage} put at `to` (the draft it returned). */
function placedAddress(to: StageDestination, before: Draft): StageAddress {
  if (to.type === 'pipe') return { segment: to.index, sub: null };
  const fused = isFused(segmentsOf(before)[to.segment]);
  const p = fused
    ? Math.max(0, Math.min(to.position, subStageCount(before, to.segment)))
    : to.position <= 0
      ? 0
      : 1;
  return { segment: to.segment, sub: p };
}

/** Puts `stage` at `to`; returns the new draft and the stage's address in it. */
export function placeStage(
  draft: Draft,
  stage: unknown,
  to: StageDestination,
): { draft: Draft; address: StageAddress } {
  if (to.type === 'pipe') {
    const index = Math.max(0, Math.min(to.index, segmentsOf(draft).length));
    return { draft: insertSegment(draft, stage as Segment, index), address: { segment: index, sub: null } };
  }
  const next = fuseStageInto(draft, stage, to.segment, to.position);
  return { draft: next, address: placedAddress(to, draft) };
}

/**
 * Moves sub-stage `from` of fused segment `index` to position `to` (0-based, among the others); the
 * fused stage's fields are kept.
 */
export function reorderSubStage(draft: Draft, index: number, from: number, to: number): Draft {
  const stages = [...segmentsOf(draft)];
  const segment = stages[index];
  if (!isFused(segment) || from === to || to < 0 || to >= segment.stages.length) return draft;
  const subs: unknown[] = [...segment.stages];
  const [moved] = subs.splice(from, 1);
  subs.splice(to, 0, moved);
  stages[index] = { ...segment, stages: subs } as unknown as Segment;
  return withSegments(draft, stages);
}

/**
 * Moves the stage at `from` to `to`, where `to` is meant in the draft as it is (before the stage is
 * taken out). Moving a stage out of a fused stage unfuses it; within its fused stage it is reordered;
 * onto its own place nothing changes. Returns the new draft and the stage's new address.
 */
export function moveStage(
  draft: Draft,
  from: StageAddress,
  to: StageDestination,
): { draft: Draft; address: StageAddress } {
  const stage = stageAt(draft, from);
  if (stage === undefined) return { draft, address: from };
  const s = from.segment;
  if (from.sub === null) {
    if (to.type === 'pipe') {
      if (to.index === s || to.index === s + 1) return { draft, address: from };
      const index = to.index > s ? to.index - 1 : to.index;
      return placeStage(removeSegment(draft, s), stage, { type: 'pipe', index });
    }
    if (to.segment === s) return { draft, address: from };
    const segment = to.segment > s ? to.segment - 1 : to.segment;
    return placeStage(removeSegment(draft, s), stage, { ...to, segment });
  }
  const j = from.sub;
  if (to.type === 'fuse' && to.segment === s) {
    if (to.position === j || to.position === j + 1) return { draft, address: from };
    const p = to.position > j ? to.position - 1 : to.position;
    return { draft: reorderSubStage(draft, s, j, p), address: { segment: s, sub: p } };
  }
  // Out of its fused stage: the segments keep their indices (a fused stage of two becomes a stage).
  return placeStage(removeStage(draft, from), stage, to);
}

/**
 * Moves the stage at `a` one place earlier (−1) or later (+1) in the pipeline's order, as the
 * composer's Alt+Arrow keys do: a plain stage swaps with the neighbouring segment; a sub-stage swaps
 * with its neighbouring sub-stage, and at the edge of its fused stage leaves it (piped before or
 * after it). Returns the new draft and address (the same draft when there is no room).
 */
export function nudgeStage(
  draft: Draft,
  a: StageAddress,
  delta: -1 | 1,
): { draft: Draft; address: StageAddress } {
  if (a.sub === null) {
    const next = moveSegment(draft, a.segment, delta);
    return next === draft
      ? { draft, address: a }
      : { draft: next, address: { segment: a.segment + delta, sub: null } };
  }
  const n = subStageCount(draft, a.segment);
  const to = a.sub + delta;
  if (to >= 0 && to < n)
    return { draft: reorderSubStage(draft, a.segment, a.sub, to), address: { segment: a.segment, sub: to } };
  return moveStage(draft, a, { type: 'pipe', index: delta < 0 ? a.segment : a.segment + 1 });
}

/**
 * Splits fused segment `index` at its fuse link `link` (between sub-stages `link` and `link + 1`)
 * into two segments run one after the other. A part of one sub-stage becomes that stage; a part of
 * several stays fused, with max steps the sum of its budgets and default entry and exit status. The
 * fused stage's own hooks go to the first part, its `log` hooks to both (as in {@link splitFused}).
 */
export function splitFusedAt(draft: Draft, index: number, link: number): Draft {
  const stages = [...segmentsOf(draft)];
  const segment = stages[index];
  if (!isFused(segment) || link < 0 || link >= segment.stages.length - 1) return draft;
  if (segment.stages.length === 2) return splitFused(draft, index);
  const own = hooksOf(segment);
  const part = (subs: unknown[], hooks: unknown[]): Segment => {
    if (subs.length === 1) {
      const only = structuredClone(subs[0]);
      if (isRecord(only) && hooks.length > 0) {
        const kept = hooksOf(only).filter((h) => !(isLog(h) && hooks.some(isLog)));
        only.hooks = structuredClone([...hooks, ...kept]);
      }
      return only as Segment;
    }
    return {
      kind: 'fused',
      stages: structuredClone(subs),
      steps: Math.max(
        1,
        subs.reduce((n: number, s) => n + stepsOf(s), 0),
      ),
      entryStatus: 0,
      hooks: structuredClone(hooks),
    } as unknown as Segment;
  };
  stages.splice(
    index,
    1,
    part(segment.stages.slice(0, link + 1), own),
    part(segment.stages.slice(link + 1), own.filter(isLog)),
  );
  return withSegments(draft, stages);
}
