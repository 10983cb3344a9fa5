/**
 * The composer's model (pure functions, no React): what can be dragged, where it can be dropped and
 * what the drop does to the draft spec; which node owns each validation issue; the counts of systems
 * each node shows. The document is the draft spec and nothing else: the canvas is derived from it.
 */
import type { HookKind, PipelineSpecInput, SpecIssue } from '../../io/spec.ts';
import {
  appendItem,
  canFuse,
  canFuseInto,
  fuseWithNext,
  moveSegment,
  moveStage,
  placeStage,
  type StageAddress,
  type StageDestination,
  stageAt,
  stageKey,
  stagePath,
  subStageCount,
} from '../state/pipelineEdits.ts';
import type { PipelineInfo } from '../state/pipelineInfo.ts';
import {
  type CriterionKind,
  newCriterion,
  newHook,
  newStage,
  type StageKind,
  stageKindLabels,
} from '../state/specCatalog.ts';
import { isRecord, type PathSegment } from '../state/specFields.ts';
import type { SystemTracker } from '../state/systemCounts.ts';

type Draft = PipelineSpecInput;

/** What is being dragged: a new stage, hook or criterion from the palette, or a node of the canvas. */
export type DragPayload =
  | { type: 'new-stage'; kind: StageKind }
  | { type: 'new-hook'; kind: HookKind }
  | { type: 'new-criterion'; kind: CriterionKind }
  /** A stage node (a plain segment, or a sub-stage of a fused one). */
  | { type: 'stage'; from: StageAddress }
  /** A fused stage, by its header. */
  | { type: 'segment'; from: number };

/** What the pointer is over (read from the drop zones' data attributes). */
export type DropZone =
  /** The pipe between segments `index − 1` and `index` (0: before the first; n: after the last). */
  | { zone: 'gap'; index: number }
  /** A fuse link of fused segment `segment`, before its sub-stage `position`. */
  | { zone: 'fuse-gap'; segment: number; position: number }
  /** A stage node; `side` from the pointer's x (left or right half). */
  | { zone: 'stage'; address: StageAddress; side: 'before' | 'after' }
  /** The header of fused segment `segment`. */
  | { zone: 'group'; segment: number };

/** What a drop does. */
export type DropAction =
  | { type: 'place-stage'; to: StageDestination }
  | { type: 'move-segment'; to: number }
  | { type: 'add-item'; list: 'hooks' | 'convergence'; path: PathSegment[] };

/** A drop zone judged for a payload: the action, or null with the reason, and a label for people. */
export interface DropResolution {
  action: DropAction | null;
  label: string;
}

/** What the canvas has selected (the inspector shows it). */
export type Selection =
  | { type: 'stage'; address: StageAddress }
  | { type: 'group'; segment: number }
  | { type: 'link'; index: number };

const segmentsOf = (draft: Draft): unknown[] => (Array.isArray(draft.stages) ? draft.stages : []);

const kindOf = (v: unknown) => (isRecord(v) && typeof v.kind === 'string' ? v.kind : '?');

/** Short name of a stage for messages: its name, or its kind in capitals. */
export function stageLabel(draft: Draft, a: StageAddress): string {
  const s = stageAt(draft, a);
  if (isRecord(s) && typeof s.name === 'string' && s.name) return s.name;
  return kindOf(s).toUpperCase();
}

function segmentLabel(draft: Draft, index: number): string {
  const s = segmentsOf(draft)[index];
  if (isRecord(s) && typeof s.name === 'string' && s.name) return s.name;
  if (isRecord(s) && s.kind === 'fused' && Array.isArray(s.stages))
    return `fused ${s.stages.map((x) => kindOf(x).toUpperCase()).join(' + ')}`;
  return kindOf(s).toUpperCase();
}

export const isFusedSegment = (draft: Draft, index: number): boolean => {
  const s = segmentsOf(draft)[index];
  return isRecord(s) && s.kind === 'fused';
};

/** Name of what a payload carries, e.g. `FIRE` or `snapshot hook`. */
export function payloadLabel(draft: Draft, p: DragPayload): string {
  switch (p.type) {
    case 'new-stage':
      return p.kind.toUpperCase();
    case 'new-hook':
      return `${p.kind} hook`;
    case 'new-criterion':
      return `${p.kind} criterion`;
    case 'stage':
      return stageLabel(draft, p.from);
    case 'segment':
      return segmentLabel(draft, p.from);
  }
}

const gapLabel = (draft: Draft, index: number): string => {
  const n = segmentsOf(draft).length;
  if (n === 0) return 'Add as the first stage';
  if (index <= 0) return `Pipe in before ${segmentLabel(draft, 0)}`;
  if (index >= n) return `Pipe in after ${segmentLabel(draft, n - 1)}`;
  return `Pipe in between ${segmentLabel(draft, index - 1)} and ${segmentLabel(draft, index)}`;
};

/** The stage destination a zone means for a stage payload. */
function stageDestination(draft: Draft, zone: DropZone): StageDestination | null {
  switch (zone.zone) {
    case 'gap':
      return { type: 'pipe', index: zone.index };
    case 'fuse-gap':
      return { type: 'fuse', segment: zone.segment, position: zone.position };
    case 'group':
      return { type: 'fuse', segment: zone.segment, position: subStageCount(draft, zone.segment) };
    case 'stage': {
      const { segment, sub } = zone.address;
      const at = sub ?? 0;
      return { type: 'fuse', segment, position: zone.side === 'before' ? at : at + 1 };
    }
  }
}

/** Whether moving `from` to `to` leaves the stage where it is. */
function isOwnPlace(from: StageAddress, to: StageDestination): boolean {
  if (from.sub === null)
    return to.type === 'pipe'
      ? to.index === from.segment || to.index === from.segment + 1
      : to.segment === from.segment;
  return (
    to.type === 'fuse' &&
    to.segment === from.segment &&
    (to.position === from.sub || to.position === from.sub + 1)
  );
}

/**
 * What dropping `payload` on `zone` would do, or why it cannot be dropped there. Stages go into a
 * gap (piped) or onto a stage or fuse link (fused at that side); hooks and criteria onto a stage;
 * hooks (not criteria: a fused stage has none of its own) onto a fused stage's header; a fused stage
 * moves by its header into a gap.
 */
export function resolveDrop(draft: Draft, payload: DragPayload, zone: DropZone): DropResolution {
  const what = payloadLabel(draft, payload);
  if (payload.type === 'new-hook' || payload.type === 'new-criterion') {
    const list = payload.type === 'new-hook' ? 'hooks' : 'convergence';
    const noun = payload.type === 'new-hook' ? 'hook' : 'criterion';
    if (zone.zone === 'stage') {
      return {
        action: { type: 'add-item', list, path: [...stagePath(zone.address), list] },
        label: `Attach the ${what} to ${stageLabel(draft, zone.address)}`,
      };
    }
    if (zone.zone === 'group') {
      if (list === 'convergence')
        return {
          action: null,
          label: 'A fused stage has no criteria of its own: drop the criterion onto one of its sub-stages',
        };
      return {
        action: { type: 'add-item', list, path: ['stages', zone.segment, 'hooks'] },
        label: `Attach the ${what} to the fused stage (it sees all its systems)`,
      };
    }
    return { action: null, label: `Drop the ${noun} onto a stage` };
  }
  if (payload.type === 'segment') {
    if (zone.zone !== 'gap')
      return { action: null, label: 'A fused stage moves between stages: drop it into a gap (a pipe)' };
    if (zone.index === payload.from || zone.index === payload.from + 1)
      return { action: null, label: 'This is where it is already' };
    return {
      action: { type: 'move-segment', to: zone.index },
      label: `Move it: ${gapLabel(draft, zone.index)}`,
    };
  }
  const to = stageDestination(draft, zone);
  if (!to) return { action: null, label: 'Not a place for a stage' };
  if (payload.type === 'stage' && isOwnPlace(payload.from, to))
    return { action: null, label: 'This is where it is already' };
  if (to.type === 'pipe') return { action: { type: 'place-stage', to }, label: gapLabel(draft, to.index) };
  const movingWithin = payload.type === 'stage' && payload.from.segment === to.segment;
  if (!movingWithin && !canFuseInto(draft, to.segment))
    return { action: null, label: 'That fused stage is full (16 sub-stages at most)' };
  const onto =
    zone.zone === 'stage'
      ? `${zone.side} ${stageLabel(draft, zone.address)}`
      : `into ${segmentLabel(draft, to.segment)} at position ${to.position + 1}`;
  return { action: { type: 'place-stage', to }, label: `Fuse ${onto} (shared force evaluation)` };
}

/** The draft after a drop, and what to select then. */
export function applyDrop(
  draft: Draft,
  payload: DragPayload,
  action: DropAction,
): { draft: Draft; selection: Selection | null } {
  switch (action.type) {
    case 'add-item': {
      const item =
        payload.type === 'new-hook'
          ? newHook(payload.kind)
          : payload.type === 'new-criterion'
            ? newCriterion(payload.kind)
            : null;
      if (item === null) return { draft, selection: null };
      const owner = action.path.slice(0, -1);
      const selection: Selection =
        owner.length === 2 && isFusedSegment(draft, owner[1] as number)
          ? { type: 'group', segment: owner[1] as number }
          : { type: 'stage', address: addressOfPath(owner) };
      return { draft: appendItem(draft, action.path, item), selection };
    }
    case 'move-segment': {
      if (payload.type !== 'segment') return { draft, selection: null };
      const target = action.to > payload.from ? action.to - 1 : action.to;
      let d = draft;
      let at = payload.from;
      while (at !== target) {
        const delta = target > at ? 1 : -1;
        d = moveSegment(d, at, delta);
        at += delta;
      }
      return { draft: d, selection: { type: 'group', segment: target } };
    }
    case 'place-stage': {
      if (payload.type === 'stage') {
        const r = moveStage(draft, payload.from, action.to);
        return { draft: r.draft, selection: { type: 'stage', address: r.address } };
      }
      if (payload.type !== 'new-stage') return { draft, selection: null };
      const r = placeStage(draft, newStage(payload.kind), action.to);
      return { draft: r.draft, selection: { type: 'stage', address: r.address } };
    }
  }
}

/** The address of a stage path (['stages', i] or ['stages', i, 'stages', j]). */
function addressOfPath(path: readonly PathSegment[]): StageAddress {
  return { segment: path[1] as number, sub: path.length >= 4 ? (path[3] as number) : null };
}

/**
 * Adds a new stage of `kind` from the keyboard (a palette button): piped in after the selected node's
 * segment, or at the end when nothing is selected.
 */
export function addStageAfter(
  draft: Draft,
  kind: StageKind,
  selection: Selection | null,
): { draft: Draft; address: StageAddress } {
  const n = segmentsOf(draft).length;
  const after =
    selection === null
      ? n
      : selection.type === 'stage'
        ? selection.address.segment + 1
        : selection.type === 'group'
          ? selection.segment + 1
          : selection.index + 1;
  return placeStage(draft, newStage(kind), { type: 'pipe', index: Math.min(after, n) });
}

/** Toggles pipe link `index` (between segments index and index + 1) into a fuse link. */
export function fusePipeLink(draft: Draft, index: number): Draft {
  return canFuse(draft, index) ? fuseWithNext(draft, index) : draft;
}

/** Key of a node as issue paths write it: `stages[0]` (a stage or fused stage), `stages[0].stages[1]`. */
export const nodeKey = stageKey;

/** Key of the pipe link between segments `index` and `index + 1`. */
export const linkKey = (index: number) => `link[${index}]`;

/** Key of the pipeline as a whole (issues about the list of stages). */
export const PIPELINE_KEY = 'pipeline';

/**
 * The composer node an issue belongs to: a stage node (plain segment or sub-stage), a fused stage's
 * group, a pipe link (`placement.links[k]`) or the pipeline; null for issues shown in other panels
 * (system, potential, batching).
 */
export function issueOwner(path: string): string | null {
  const sub = /^stages\[(\d+)\]\.stages\[(\d+)\]/.exec(path);
  if (sub) return `stages[${sub[1]}].stages[${sub[2]}]`;
  const seg = /^stages\[(\d+)\]/.exec(path);
  if (seg) return `stages[${seg[1]}]`;
  if (path === 'stages') return PIPELINE_KEY;
  const link = /^placement\.links\[(\d+)\]/.exec(path);
  if (link) return linkKey(Number(link[1]));
  if (path.startsWith('placement')) return PIPELINE_KEY;
  return null;
}

/** The composer's issues grouped by the node that owns them (see {@link issueOwner}). */
export function issuesByNode(issues: readonly SpecIssue[]): Map<string, SpecIssue[]> {
  const out = new Map<string, SpecIssue[]>();
  for (const issue of issues) {
    const owner = issueOwner(issue.path);
    if (owner === null) continue;
    const list = out.get(owner);
    if (list) list.push(issue);
    else out.set(owner, [issue]);
  }
  return out;
}

/** An issue's path as seen from its node (`stages[0].hooks[1].every` on node `stages[0]`: `hooks[1].every`). */
export function relativePath(path: string, owner: string): string {
  if (!path.startsWith(owner)) return path;
  const rest = path.slice(owner.length).replace(/^\./, '');
  return rest || 'stage';
}

/** What a node shows of the run: systems in it now and so far. */
export interface NodeCounts {
  /** Systems in the stage now. */
  active: number;
  /** Systems whose criteria held in it so far. */
  converged: number;
}

/** What a segment (plain stage or fused group) shows of the run. */
export interface SegmentCountsView {
  waiting: number;
  done: number;
  stages: NodeCounts[];
}

/**
 * Counts of the loaded run per segment, when the loaded pipeline has the draft's shape (the same
 * segments and sub-stages); null otherwise (the draft was edited since: its nodes are not those run).
 */
export function runCounts(
  draft: Draft,
  pipeline: PipelineInfo,
  tracker: SystemTracker | null,
): SegmentCountsView[] | null {
  if (!tracker) return null;
  const segs = segmentsOf(draft);
  if (segs.length !== pipeline.segments.length) return null;
  for (let i = 0; i < segs.length; i++)
    if (subStageCount(draft, i) !== pipeline.segments[i]!.subStages.length) return null;
  return tracker.counts.map((c) => ({
    waiting: c.waiting,
    done: c.done,
    stages: c.active.map((active, j) => ({ active, converged: c.converged[j] ?? 0 })),
  }));
}

/** `2 active · 1 converged` (zeros left out). */
export function countsText(parts: Record<string, number>): string {
  return Object.entries(parts)
    .filter(([, n]) => n > 0)
    .map(([k, n]) => `${n} ${k}`)
    .join(' · ');
}

/** The label of a stage kind for people. */
export const stageKindLabel = (kind: string): string => stageKindLabels[kind as StageKind] ?? kind;
