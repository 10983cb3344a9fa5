import {
  type KeyboardEvent,
  type PointerEvent as ReactPointerEvent,
  useEffect,
  useId,
  useRef,
  useState,
} from 'react';
import type { HookKind, PipelineSpecInput, SpecIssue } from '../../io/spec.ts';
import { useApp } from '../appContext.ts';
import { useRunState } from '../hooks/useRunState.ts';
import { useSpecState } from '../hooks/useSpecState.ts';
import {
  appendItem,
  moveSegment,
  nudgeStage,
  removeSegment,
  removeStage,
  type StageAddress,
  sameAddress,
  splitFusedAt,
  stageAddresses,
} from '../state/pipelineEdits.ts';
import { type ItemForm, type SegmentForm, type StageForm, segmentForms } from '../state/segmentForms.ts';
import {
  type CriterionKind,
  criterionKindLabels,
  hookKindLabels,
  newCriterion,
  newHook,
  type StageKind,
  stageKindLabels,
  stageKinds,
} from '../state/specCatalog.ts';
import { effectiveSelection, useComposerState, useComposerStore } from './composerState.ts';
import {
  addStageAfter,
  applyDrop,
  countsText,
  type DragPayload,
  type DropResolution,
  type DropZone,
  fusePipeLink,
  issueOwner,
  issuesByNode,
  linkKey,
  nodeKey,
  PIPELINE_KEY,
  payloadLabel,
  relativePath,
  resolveDrop,
  runCounts,
  type SegmentCountsView,
  type Selection,
  stageLabel,
} from './model.ts';
import './composer.css';

/** Pointer travel (px) before a press becomes a drag. */
const DRAG_THRESHOLD = 5;

interface DragState {
  payload: DragPayload;
  x: number;
  y: number;
  /** Key of the zone under the pointer (see {@link zoneKey}), with its side for stage nodes. */
  zone: string | null;
  resolution: DropResolution | null;
}

/** A key naming a drop zone, to highlight it. */
function zoneKey(z: DropZone): string {
  switch (z.zone) {
    case 'gap':
      return `gap:${z.index}`;
    case 'fuse-gap':
      return `fuse-gap:${z.segment}:${z.position}`;
    case 'stage':
      return `stage:${nodeKey(z.address)}:${z.side}`;
    case 'group':
      return `group:${z.segment}`;
  }
}

/** The drop zone under a viewport point, read from the `data-drop` attributes of the canvas. */
function zoneAt(x: number, y: number): DropZone | null {
  const el = document.elementFromPoint(x, y)?.closest<HTMLElement>('[data-drop]');
  if (!el) return null;
  const d = el.dataset;
  const num = (v: string | undefined) => Number(v ?? Number.NaN);
  switch (d.drop) {
    case 'gap':
      return { zone: 'gap', index: num(d.index) };
    case 'fuse-gap':
      return { zone: 'fuse-gap', segment: num(d.segment), position: num(d.position) };
    case 'group':
      return { zone: 'group', segment: num(d.segment) };
    case 'stage': {
      const r = el.getBoundingClientRect();
      const sub = d.sub === undefined || d.sub === '' ? null : num(d.sub);
      return {
        zone: 'stage',
        address: { segment: num(d.segment), sub },
        side: x < r.left + r.width / 2 ? 'before' : 'after',
      };
    }
    default:
      return null;
  }
}

/** Everything a node needs to draw itself and react. */
interface CanvasContext {
  draft: PipelineSpecInput;
  selection: Selection | null;
  issues: Map<string, SpecIssue[]>;
  counts: SegmentCountsView[] | null;
  drag: DragState | null;
  startDrag(e: ReactPointerEvent, payload: DragPayload): void;
  select(s: Selection): void;
  edit(
    next: PipelineSpecInput,
    selection: Selection | null,
    announcement: string,
    focus: string | null,
  ): void;
  announce(text: string): void;
}

/** Classes marking a drop zone under the pointer as accepted or refused. */
function dropClass(ctx: CanvasContext, key: string): string {
  if (!ctx.drag || ctx.drag.zone !== key) return '';
  return ctx.drag.resolution?.action ? ' drop-ok' : ' drop-refused';
}

function stageNodeSideClass(ctx: CanvasContext, key: string): string {
  const before = dropClass(ctx, `stage:${key}:before`);
  const after = dropClass(ctx, `stage:${key}:after`);
  return `${before ? `${before} drop-before` : ''}${after ? `${after} drop-after` : ''}`;
}

/** The node to focus once the stage at `removed` is gone: the one now in its place, else the last. */
function focusAfterRemoval(
  before: PipelineSpecInput,
  after: PipelineSpecInput,
  removed: StageAddress,
): string | null {
  const index = stageAddresses(before).findIndex((a) => sameAddress(a, removed));
  const all = stageAddresses(after);
  const a = all[Math.min(Math.max(index, 0), all.length - 1)];
  return a ? nodeKey(a) : null;
}

/** Arrow keys on a link move the focus along the canvas, as on nodes. */
function linkKeys(e: KeyboardEvent<HTMLButtonElement>): void {
  if (e.altKey || (e.key !== 'ArrowLeft' && e.key !== 'ArrowRight')) return;
  e.preventDefault();
  focusSibling(e.currentTarget, e.key === 'ArrowLeft' ? -1 : 1);
}

/** Moves keyboard focus to the previous or next node of the canvas. */
function focusSibling(from: HTMLElement, delta: -1 | 1): void {
  const canvas = from.closest('.composer-canvas');
  if (!canvas) return;
  const nodes = [...canvas.querySelectorAll<HTMLElement>('[data-node]')];
  const i = nodes.indexOf(from);
  nodes[i + delta]?.focus();
}

function Chips({ items, kind }: { items: ItemForm[]; kind: 'hook' | 'criterion' }) {
  if (items.length === 0) return null;
  return (
    <ul className={`chips ${kind}s`} aria-label={kind === 'hook' ? 'Hooks' : 'Convergence criteria'}>
      {items.map((item) => (
        <li
          key={item.key}
          className={`chip ${kind}`}
          data-testid={`chip-${item.key}`}
          title={item.description}
        >
          {item.kind}
        </li>
      ))}
    </ul>
  );
}

function NodeIssues({ id, owner, issues }: { id: string; owner: string; issues: SpecIssue[] | undefined }) {
  if (!issues || issues.length === 0) return null;
  return (
    <ul id={id} className="node-issues" data-testid={`node-issues-${owner}`}>
      {issues.map((i) => (
        <li key={`${i.path}:${i.message}`}>
          {relativePath(i.path, owner)}: {i.message}
        </li>
      ))}
    </ul>
  );
}

const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? String(v) : '?');

function StageNode({
  ctx,
  form,
  address,
  counts,
  waitingDone,
}: {
  ctx: CanvasContext;
  form: StageForm;
  address: StageAddress;
  counts: { active: number; converged: number } | null;
  /** A plain segment's queue and leavers (a sub-stage's are on its group). */
  waitingDone: { waiting: number; done: number } | null;
}) {
  const id = useId();
  const key = nodeKey(address);
  const issues = ctx.issues.get(key);
  const selected = ctx.selection?.type === 'stage' && sameAddress(ctx.selection.address, address);
  const params = Object.fromEntries(form.params.map((p) => [p.key.slice(key.length + 1), p]));
  const steps = params.steps?.type === 'number' ? params.steps.value : Number.NaN;
  const dt = params.dt?.type === 'number' ? params.dt.value : Number.NaN;
  const label = stageLabel(ctx.draft, address);
  const where =
    address.sub === null
      ? `stage ${address.segment + 1}`
      : `sub-stage ${address.sub + 1} of fused stage ${address.segment + 1}`;
  const countText =
    counts === null
      ? ''
      : countsText({
          active: counts.active,
          waiting: waitingDone?.waiting ?? 0,
          converged: counts.converged,
          done: waitingDone?.done ?? 0,
        });

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.key === 'ArrowLeft' || e.key === 'ArrowRight') {
      const delta = e.key === 'ArrowLeft' ? -1 : 1;
      e.preventDefault();
      if (!e.altKey) return focusSibling(e.currentTarget, delta);
      const r = nudgeStage(ctx.draft, address, delta);
      if (r.draft === ctx.draft)
        return ctx.announce(`${label} cannot move ${delta < 0 ? 'earlier' : 'later'}`);
      const to = r.address;
      const text =
        to.sub === null
          ? `Moved ${label} to stage ${to.segment + 1}`
          : `Moved ${label} to sub-stage ${to.sub + 1} of fused stage ${to.segment + 1}`;
      ctx.edit(r.draft, { type: 'stage', address: to }, text, nodeKey(to));
    } else if (e.key === 'Delete' || e.key === 'Backspace') {
      e.preventDefault();
      const next = removeStage(ctx.draft, address);
      ctx.edit(next, null, `Removed ${label}`, focusAfterRemoval(ctx.draft, next, address));
    } else if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      ctx.select({ type: 'stage', address });
    }
  };

  return (
    // biome-ignore lint/a11y/useSemanticElements: a node holds lists (chips, issues), which a <button> may not contain
    <div
      role="button"
      tabIndex={0}
      data-node={key}
      data-testid={`node-${key}`}
      data-drop="stage"
      data-segment={address.segment}
      data-sub={address.sub ?? ''}
      className={`node stage-node${selected ? ' selected' : ''}${issues ? ' invalid' : ''}${stageNodeSideClass(ctx, key)}`}
      aria-current={selected ? 'true' : undefined}
      aria-label={`${label} (${form.kind}), ${where}${issues ? `, ${issues.length} problem(s)` : ''}`}
      aria-describedby={issues ? id : undefined}
      aria-keyshortcuts="ArrowLeft ArrowRight Alt+ArrowLeft Alt+ArrowRight Delete"
      onPointerDown={(e) => ctx.startDrag(e, { type: 'stage', from: address })}
      onClick={() => ctx.select({ type: 'stage', address })}
      onKeyDown={onKeyDown}
    >
      <span className="node-kind">{form.kind.toUpperCase()}</span>
      {label !== form.kind.toUpperCase() && <span className="node-title">{label}</span>}
      <span className="node-params">
        {num(steps)} steps · dt {num(dt)} fs
      </span>
      <Chips items={form.criteria} kind="criterion" />
      <Chips items={form.hooks} kind="hook" />
      {countText && (
        <span className="node-counts" data-testid={`node-counts-${key}`}>
          {countText}
        </span>
      )}
      <NodeIssues id={id} owner={key} issues={issues} />
    </div>
  );
}

function FusedGroup({
  ctx,
  form,
  counts,
}: {
  ctx: CanvasContext;
  form: Extract<SegmentForm, { type: 'fused' }>;
  counts: SegmentCountsView | null;
}) {
  const id = useId();
  const i = form.index;
  const key = nodeKey({ segment: i, sub: null });
  const issues = ctx.issues.get(key);
  const selected = ctx.selection?.type === 'group' && ctx.selection.segment === i;
  const steps = form.params.find((p) => p.key === `${key}.steps`);
  const label = stageLabel(ctx.draft, { segment: i, sub: null });
  const title = form.title.replace(/^\d+\. /, '');
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.key === 'ArrowLeft' || e.key === 'ArrowRight') {
      const delta = e.key === 'ArrowLeft' ? -1 : 1;
      e.preventDefault();
      if (!e.altKey) return focusSibling(e.currentTarget, delta);
      const next = moveSegment(ctx.draft, i, delta);
      if (next === ctx.draft)
        return ctx.announce(`The fused stage cannot move ${delta < 0 ? 'earlier' : 'later'}`);
      ctx.edit(
        next,
        { type: 'group', segment: i + delta },
        `Moved the fused stage to stage ${i + delta + 1}`,
        nodeKey({ segment: i + delta, sub: null }),
      );
    } else if (e.key === 'Delete' || e.key === 'Backspace') {
      e.preventDefault();
      const next = removeSegment(ctx.draft, i);
      ctx.edit(
        next,
        null,
        'Removed the fused stage',
        focusAfterRemoval(ctx.draft, next, { segment: i, sub: 0 }),
      );
    } else if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      ctx.select({ type: 'group', segment: i });
    }
  };
  const groupCounts = counts === null ? '' : countsText({ waiting: counts.waiting, done: counts.done });
  return (
    <div className={`group${issues ? ' invalid' : ''}`} data-testid={`group-${key}`}>
      {/* biome-ignore lint/a11y/useSemanticElements: the header holds lists (chips, issues), which a <button> may not contain */}
      <div
        role="button"
        tabIndex={0}
        data-node={key}
        data-testid={`node-${key}`}
        data-drop="group"
        data-segment={i}
        className={`group-header${selected ? ' selected' : ''}${dropClass(ctx, `group:${i}`)}`}
        aria-current={selected ? 'true' : undefined}
        aria-label={`Fused stage ${i + 1}: ${title}${issues ? `, ${issues.length} problem(s)` : ''}`}
        aria-describedby={issues ? id : undefined}
        onPointerDown={(e) => ctx.startDrag(e, { type: 'segment', from: i })}
        onClick={() => ctx.select({ type: 'group', segment: i })}
        onKeyDown={onKeyDown}
      >
        <span className="node-kind">fused</span>
        <span className="node-title">{label.startsWith('fused ') ? '' : label}</span>
        <span className="node-params">max {steps?.type === 'number' ? num(steps.value) : '?'} steps</span>
        <Chips items={form.hooks} kind="hook" />
        {groupCounts && (
          <span className="node-counts" data-testid={`node-counts-${key}`}>
            {groupCounts}
          </span>
        )}
        <NodeIssues id={id} owner={key} issues={issues} />
      </div>
      <div className="group-body">
        {form.stages.map((sub, j) => (
          <div className="group-item" key={sub.key}>
            {j > 0 && (
              <div
                className={`fuse-gap${dropClass(ctx, `fuse-gap:${i}:${j}`)}`}
                data-drop="fuse-gap"
                data-segment={i}
                data-position={j}
              >
                <button
                  type="button"
                  className="link fuse-link"
                  onKeyDown={linkKeys}
                  data-testid={`fuse-link-${i}-${j - 1}`}
                  aria-label={`Fuse link between ${stageLabel(ctx.draft, { segment: i, sub: j - 1 })} and ${stageLabel(ctx.draft, { segment: i, sub: j })}: press to pipe them instead`}
                  title="Fuse link (shared force evaluation): press to split the fused stage here"
                  onClick={() =>
                    ctx.edit(
                      splitFusedAt(ctx.draft, i, j - 1),
                      { type: 'stage', address: { segment: i + 1, sub: null } },
                      `Split the fused stage between sub-stages ${j} and ${j + 1}`,
                      linkKey(i),
                    )
                  }
                  data-node={`fuse-link[${i}][${j - 1}]`}
                >
                  +
                </button>
              </div>
            )}
            <StageNode
              ctx={ctx}
              form={sub}
              address={{ segment: i, sub: j }}
              counts={counts?.stages[j] ?? null}
              waitingDone={null}
            />
          </div>
        ))}
      </div>
    </div>
  );
}

function Gap({ ctx, index, count }: { ctx: CanvasContext; index: number; count: number }) {
  const link = index > 0 && index < count ? index - 1 : null;
  const issues = link === null ? undefined : ctx.issues.get(linkKey(link));
  const placement = (ctx.draft as Record<string, unknown>).placement;
  const pipelined =
    typeof placement === 'object' &&
    placement !== null &&
    (placement as { kind?: unknown }).kind === 'pipeline';
  const from = link === null ? '' : stageLabelOfSegment(ctx.draft, link);
  const to = link === null ? '' : stageLabelOfSegment(ctx.draft, link + 1);
  return (
    <div
      className={`gap${count === 0 ? ' empty' : ''}${link === null ? ' end' : ''}${issues ? ' invalid' : ''}${dropClass(ctx, `gap:${index}`)}`}
      data-drop="gap"
      data-index={index}
      data-testid={`gap-${index}`}
    >
      {count === 0 && (
        <span className="muted">Drag a stage here, or press a stage button of the palette</span>
      )}
      {link !== null && (
        <button
          type="button"
          className="link pipe-link"
          onKeyDown={linkKeys}
          data-node={linkKey(link)}
          data-testid={`link-${link}`}
          aria-label={`Pipe link from ${from} to ${to}: press to fuse them`}
          title="Pipe link (the next stage, or the next worker): press to fuse the two stages"
          onClick={() => {
            const next = fusePipeLink(ctx.draft, link);
            if (next === ctx.draft)
              return ctx.announce('These stages cannot be fused (16 sub-stages at most)');
            ctx.edit(
              next,
              { type: 'group', segment: link },
              `Fused ${from} and ${to}`,
              nodeKey({ segment: link, sub: null }),
            );
          }}
        >
          →
        </button>
      )}
      {link !== null && pipelined && (
        <button
          type="button"
          className="small link-select"
          data-node={`link-select[${link}]`}
          data-testid={`link-select-${link}`}
          aria-label={`Capacities of the link from ${from} to ${to}`}
          aria-current={ctx.selection?.type === 'link' && ctx.selection.index === link ? 'true' : undefined}
          onClick={() => ctx.select({ type: 'link', index: link })}
        >
          inbox
        </button>
      )}
      {issues && (
        <ul className="node-issues" data-testid={`node-issues-${linkKey(link ?? 0)}`}>
          {issues.map((i) => (
            <li key={i.path + i.message}>{i.message}</li>
          ))}
        </ul>
      )}
    </div>
  );
}

function stageLabelOfSegment(draft: PipelineSpecInput, index: number): string {
  return stageLabel(draft, { segment: index, sub: null }).replace(/^\?$/, 'fused stage');
}

/** Palette buttons: each draggable onto the canvas, and pressed (click, Enter) to add to the selection. */
function Palette({ ctx }: { ctx: CanvasContext }) {
  const addStage = (kind: StageKind) => {
    const r = addStageAfter(ctx.draft, kind, ctx.selection);
    ctx.edit(
      r.draft,
      { type: 'stage', address: r.address },
      `Added ${kind.toUpperCase()} as stage ${r.address.segment + 1}`,
      null,
    );
  };
  const addItem = (list: 'hooks' | 'convergence', kind: string) => {
    const s = ctx.selection;
    const noun = list === 'hooks' ? 'hook' : 'criterion';
    if (s === null || s.type === 'link') return ctx.announce(`Select a stage first, then add the ${noun}`);
    if (s.type === 'group' && list === 'convergence')
      return ctx.announce('A fused stage has no criteria of its own: select one of its sub-stages');
    const path = s.type === 'group' ? ['stages', s.segment, 'hooks'] : [...stagePathOf(s.address), list];
    const item = list === 'hooks' ? newHook(kind as HookKind) : newCriterion(kind as CriterionKind);
    const owner = s.type === 'group' ? 'the fused stage' : stageLabel(ctx.draft, s.address);
    ctx.edit(appendItem(ctx.draft, path, item), s, `Attached the ${kind} ${noun} to ${owner}`, null);
  };
  return (
    <nav className="palette" aria-label="Palette">
      <h3 id="palette-stages">Stages</h3>
      <ul aria-labelledby="palette-stages">
        {stageKinds.map((kind) => (
          <li key={kind}>
            <button
              type="button"
              className="palette-item stage"
              data-testid={`palette-stage-${kind}`}
              aria-label={`Add ${kind.toUpperCase()} stage`}
              title={`${stageKindLabels[kind]}: drag onto the canvas, or press to add after the selected stage`}
              onPointerDown={(e) => ctx.startDrag(e, { type: 'new-stage', kind })}
              onClick={() => addStage(kind)}
            >
              {kind.toUpperCase()}
            </button>
          </li>
        ))}
      </ul>
      <h3 id="palette-criteria">Criteria</h3>
      <ul aria-labelledby="palette-criteria">
        {Object.entries(criterionKindLabels).map(([kind, text]) => (
          <li key={kind}>
            <button
              type="button"
              className="palette-item criterion"
              data-testid={`palette-criterion-${kind}`}
              aria-label={`Add ${kind} criterion`}
              title={`${text}: drag onto a stage, or press to add to the selected stage`}
              onPointerDown={(e) => ctx.startDrag(e, { type: 'new-criterion', kind: kind as CriterionKind })}
              onClick={() => addItem('convergence', kind)}
            >
              {kind}
            </button>
          </li>
        ))}
      </ul>
      <h3 id="palette-hooks">Hooks</h3>
      <ul aria-labelledby="palette-hooks">
        {Object.entries(hookKindLabels).map(([kind, text]) => (
          <li key={kind}>
            <button
              type="button"
              className="palette-item hook"
              data-testid={`palette-hook-${kind}`}
              aria-label={`Add ${kind} hook`}
              title={`${text}: drag onto a stage, or press to add to the selected stage`}
              onPointerDown={(e) => ctx.startDrag(e, { type: 'new-hook', kind: kind as HookKind })}
              onClick={() => addItem('hooks', kind)}
            >
              {kind}
            </button>
          </li>
        ))}
      </ul>
    </nav>
  );
}

const stagePathOf = (a: StageAddress): (string | number)[] =>
  a.sub === null ? ['stages', a.segment] : ['stages', a.segment, 'stages', a.sub];

/** Focuses the element of the first issue: its field in the inspector, else its node, else its field elsewhere. */
function focusIssue(issue: SpecIssue): void {
  const byTestId = (id: string) => document.querySelector<HTMLElement>(`[data-testid="${CSS.escape(id)}"]`);
  const owner = issueOwner(issue.path);
  const target =
    byTestId(`field-${issue.path}`) ??
    (owner ? document.querySelector<HTMLElement>(`[data-node="${CSS.escape(owner)}"]`) : null) ??
    byTestId(`node-issues-${owner ?? ''}`);
  target?.focus();
  target?.scrollIntoView({ block: 'nearest' });
}

/**
 * The pipeline composer: a palette of stages, criteria and hooks, and a canvas laying the pipeline
 * out left to right (each segment a node, a fused segment a group of nodes joined by fuse links,
 * consecutive segments joined by pipe links). Drag with the pointer (palette items onto the canvas;
 * nodes to move them), or use the keyboard: palette buttons add, arrows move focus, Alt+arrows move
 * a node, Delete removes it, links toggle fuse ↔ pipe. Each node shows its problems and, during a
 * run, its counts of systems.
 */
export function Composer() {
  const { specStore } = useApp();
  const store = useComposerStore();
  const draft = useSpecState((s) => s.draft);
  const validation = useSpecState((s) => s.validation);
  const chosen = useComposerState((s) => s.selected);
  const announcement = useComposerState((s) => s.announcement);
  const focus = useComposerState((s) => s.focus);
  const pipeline = useRunState((s) => s.pipeline);
  const tracker = useRunState((s) => s.systems);
  const [drag, setDrag] = useState<DragState | null>(null);
  const canvasRef = useRef<HTMLDivElement>(null);
  const pendingFocusIssue = useRef<SpecIssue | null>(null);

  const selection = effectiveSelection(draft, chosen);
  const forms = segmentForms(draft);
  const issues = issuesByNode(validation.issues);
  const counts = runCounts(draft, pipeline, tracker);

  useEffect(() => {
    if (focus === null) return;
    canvasRef.current?.querySelector<HTMLElement>(`[data-node="${CSS.escape(focus)}"]`)?.focus();
    store.setState((s) => ({ ...s, focus: null }));
  }, [focus, store]);

  useEffect(() => {
    const issue = pendingFocusIssue.current;
    if (!issue) return;
    pendingFocusIssue.current = null;
    focusIssue(issue);
  });

  // Latest values for the window listeners of a drag.
  const latest = useRef({ draft });
  latest.current.draft = draft;

  const ctx: CanvasContext = {
    draft,
    selection,
    issues,
    counts,
    drag,
    select: (s) => store.setState((st) => ({ ...st, selected: s })),
    announce: (text) => store.setState((st) => ({ ...st, announcement: text })),
    edit(next, sel, text, focusKey) {
      specStore.edit(() => next);
      store.setState((st) => ({ ...st, selected: sel ?? st.selected, announcement: text, focus: focusKey }));
    },
    startDrag(e, payload) {
      if (e.button !== 0 || !e.isPrimary) return;
      const startX = e.clientX;
      const startY = e.clientY;
      let state: DragState | null = null;
      const move = (ev: PointerEvent) => {
        if (!state && Math.hypot(ev.clientX - startX, ev.clientY - startY) < DRAG_THRESHOLD) return;
        ev.preventDefault();
        const zone = zoneAt(ev.clientX, ev.clientY);
        state = {
          payload,
          x: ev.clientX,
          y: ev.clientY,
          zone: zone ? zoneKey(zone) : null,
          resolution: zone ? resolveDrop(latest.current.draft, payload, zone) : null,
        };
        setDrag(state);
      };
      const finish = (drop: boolean) => {
        window.removeEventListener('pointermove', move);
        window.removeEventListener('pointerup', up);
        window.removeEventListener('pointercancel', cancel);
        window.removeEventListener('keydown', onEscape, true);
        if (!state) return;
        // The click that ends a drag is not a press of the dragged button or node.
        const swallow = (c: MouseEvent) => {
          c.stopPropagation();
          c.preventDefault();
        };
        window.addEventListener('click', swallow, { capture: true, once: true });
        setTimeout(() => window.removeEventListener('click', swallow, { capture: true }), 0);
        setDrag(null);
        const action = state.resolution?.action;
        const d = latest.current.draft;
        if (!drop || !action) {
          ctx.announce(
            drop && state.resolution ? `Not dropped: ${state.resolution.label}` : 'Drag cancelled',
          );
          return;
        }
        const r = applyDrop(d, payload, action);
        const sel = r.selection;
        const focusKey =
          sel?.type === 'stage'
            ? nodeKey(sel.address)
            : sel?.type === 'group'
              ? nodeKey({ segment: sel.segment, sub: null })
              : null;
        ctx.edit(r.draft, sel, `${payloadLabel(d, payload)}: ${state.resolution?.label ?? ''}`, focusKey);
      };
      const up = () => finish(true);
      const cancel = () => finish(false);
      const onEscape = (ev: globalThis.KeyboardEvent) => {
        if (ev.key !== 'Escape') return;
        ev.preventDefault();
        finish(false);
      };
      window.addEventListener('pointermove', move);
      window.addEventListener('pointerup', up);
      window.addEventListener('pointercancel', cancel);
      window.addEventListener('keydown', onEscape, true);
    },
  };

  const pipelineIssues = issues.get(PIPELINE_KEY);
  const n = forms.length;
  return (
    <section className="panel composer" aria-labelledby="composer-title" data-testid="composer">
      <div className="composer-head">
        <h2 id="composer-title">Pipeline</h2>
        <p className="muted">
          Drag stages, criteria and hooks from the palette; → pipes, + fuses (press a link to toggle). Arrows
          move between nodes, Alt+arrows move a node, Delete removes it.
        </p>
        {validation.issues.length > 0 && (
          <button
            type="button"
            className="problems"
            data-testid="composer-problems"
            aria-label={`${validation.issues.length} problem${validation.issues.length === 1 ? '' : 's'}: go to the first`}
            onClick={() => {
              const first = validation.issues[0]!;
              const owner = issueOwner(first.path);
              if (owner?.startsWith('stages[')) {
                const m = /^stages\[(\d+)\](?:\.stages\[(\d+)\])?$/.exec(owner)!;
                const segment = Number(m[1]);
                const sel: Selection =
                  m[2] === undefined && forms[segment]?.type === 'fused'
                    ? { type: 'group', segment }
                    : { type: 'stage', address: { segment, sub: m[2] === undefined ? null : Number(m[2]) } };
                ctx.select(sel);
              }
              pendingFocusIssue.current = first;
              ctx.announce(`${first.path}: ${first.message}`);
            }}
          >
            {validation.issues.length} problem{validation.issues.length === 1 ? '' : 's'}
          </button>
        )}
      </div>
      <div className="composer-body">
        <Palette ctx={ctx} />
        <div className="composer-canvas" ref={canvasRef} data-testid="composer-canvas">
          <div className="pipeline-row">
            <Gap ctx={ctx} index={0} count={n} />
            {forms.map((f) => (
              <div className="segment" key={`${f.index}:${f.type}`}>
                {f.type === 'stage' ? (
                  <StageNode
                    ctx={ctx}
                    form={f.stage}
                    address={{ segment: f.index, sub: null }}
                    counts={counts?.[f.index]?.stages[0] ?? null}
                    waitingDone={counts?.[f.index] ?? null}
                  />
                ) : (
                  <FusedGroup ctx={ctx} form={f} counts={counts?.[f.index] ?? null} />
                )}
                {n > 0 && <Gap ctx={ctx} index={f.index + 1} count={n} />}
              </div>
            ))}
          </div>
          {pipelineIssues && (
            <ul className="node-issues" data-testid={`node-issues-${PIPELINE_KEY}`}>
              {pipelineIssues.map((i) => (
                <li key={i.path + i.message}>
                  {i.path}: {i.message}
                </li>
              ))}
            </ul>
          )}
        </div>
      </div>
      <p className="visually-hidden" aria-live="polite" data-testid="composer-announce">
        {announcement}
      </p>
      {drag && (
        <div
          className={`drag-ghost${drag.resolution?.action ? ' ok' : ' refused'}`}
          style={{ left: drag.x + 14, top: drag.y + 14 }}
          data-testid="drag-ghost"
          aria-hidden="true"
        >
          <strong>{payloadLabel(draft, drag.payload)}</strong>
          <span>{drag.resolution?.label ?? 'Drop onto the canvas'}</span>
        </div>
      )}
    </section>
  );
}
