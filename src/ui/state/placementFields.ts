/**
 * The placement of a spec as the System panel edits it: one worker for every segment; one worker
 * per piped segment with a link of fixed capacity (systems, atoms, neighbor pairs) between each pair
 * of consecutive segments; or one system split over a Px×Py×Pz grid of workers (domain), with the
 * size of a subdomain and how many hops its ghosts need. Pure edits of a draft, tested in Node.
 */
import { perpendicularHeights } from '../../engine/cell.ts';
import {
  DomainPlacementSpec,
  LinkSpec,
  type LinkSpecInput,
  MAX_DOMAIN_WORKERS,
  type PipelineSpecInput,
} from '../../io/spec.ts';
import { isRecord, numberAt, objectFields, type ParamField, pathKey } from './specFields.ts';

/** Where the segments of a draft run: one worker, one worker per piped segment, or a grid of workers. */
export type PlacementKind = 'single' | 'pipeline' | 'domain';

/** How the draft places its segments (absent: one worker). */
export function placementKind(draft: PipelineSpecInput): PlacementKind {
  const placement: unknown = draft.placement;
  if (!isRecord(placement)) return 'single';
  return placement.kind === 'pipeline' || placement.kind === 'domain' ? placement.kind : 'single';
}

/** The draft's links (pipeline placement), as written; none for one worker. */
export function draftLinks(draft: PipelineSpecInput): unknown[] {
  const placement: unknown = draft.placement;
  if (!isRecord(placement) || placement.kind !== 'pipeline' || !Array.isArray(placement.links)) return [];
  return placement.links;
}

/** Links a pipeline of the draft needs: one between each pair of consecutive segments. */
export function linksNeeded(draft: PipelineSpecInput): number {
  return Math.max(0, (Array.isArray(draft.stages) ? draft.stages.length : 0) - 1);
}

/**
 * A new link with the schema's defaults, wide enough for the draft's largest cluster (a link whose
 * max atoms is below it could never carry that cluster).
 */
export function defaultLink(draft: PipelineSpecInput): LinkSpecInput {
  const link = LinkSpec.parse({});
  const system: unknown = draft.system;
  const largest =
    isRecord(system) && system.kind === 'clusters' && typeof system.maxAtoms === 'number'
      ? system.maxAtoms
      : 0;
  return { ...link, maxAtoms: Math.max(link.maxAtoms, largest) };
}

/** The grid a new domain placement starts from: two workers along the longest axis of the cell. */
export function defaultGrid(cell: ArrayLike<number> | null): [number, number, number] {
  if (!cell) return [2, 1, 1];
  const h = perpendicularHeights(cell);
  const longest = h.indexOf(Math.max(...h));
  return [0, 1, 2].map((a) => (a === longest ? 2 : 1)) as [number, number, number];
}

/** The draft's grid as written (domain placement): three entries, NaN where not a number; null otherwise. */
export function draftGrid(draft: PipelineSpecInput): [number, number, number] | null {
  const placement: unknown = draft.placement;
  if (!isRecord(placement) || placement.kind !== 'domain') return null;
  const grid = Array.isArray(placement.grid) ? (placement.grid as unknown[]) : [];
  return [0, 1, 2].map((a) => (typeof grid[a] === 'number' ? grid[a] : Number.NaN)) as [
    number,
    number,
    number,
  ];
}

/**
 * The placement value for `kind`: `single`; `pipeline` with the draft's links kept and as many
 * added or removed at the end as the segments need; `domain` with the draft's grid kept, else two
 * workers along the longest axis of `cell` (Å, rows a, b, c; when known).
 */
export function placementFor(
  draft: PipelineSpecInput,
  kind: PlacementKind,
  cell: ArrayLike<number> | null = null,
): NonNullable<PipelineSpecInput['placement']> {
  if (kind === 'single') return { kind: 'single' };
  if (kind === 'domain') {
    const placement: unknown = draft.placement;
    const kept = isRecord(placement) && placement.kind === 'domain' && Array.isArray(placement.grid);
    return { kind: 'domain', grid: kept ? (placement.grid as [number, number, number]) : defaultGrid(cell) };
  }
  const kept = draftLinks(draft).slice(0, linksNeeded(draft)) as LinkSpecInput[];
  const links = [...kept];
  while (links.length < linksNeeded(draft)) links.push(defaultLink(draft));
  return { kind: 'pipeline', links };
}

/** Labels of the capacity fields of a link (the batching fields call theirs the same). */
const linkTexts: Record<string, { label: string; title: string }> = {
  maxSystems: { label: 'max systems', title: 'Most systems in flight on this link (sent, not yet admitted)' },
  maxAtoms: { label: 'max atoms', title: 'Most atoms of the systems in flight on this link' },
  maxEdges: {
    label: 'max edges',
    title: 'Most neighbor pairs (within the potential cutoff) of the systems in flight on this link',
  },
};

/** The capacity fields of link `index` (none when the draft has no such link). */
export function linkFields(draft: PipelineSpecInput, index: number): ParamField[] {
  const link = draftLinks(draft)[index];
  if (!isRecord(link)) return [];
  return objectFields('link', LinkSpec, link, ['placement', 'links', index]).map((f) => {
    const name = f.path[f.path.length - 1] as string;
    return { ...f, ...(linkTexts[name] ?? {}) };
  });
}

/** Labels of the grid's counts, by cell axis. */
const gridTexts = [
  { label: 'Px', title: 'Workers along the cell axis a (x)' },
  { label: 'Py', title: 'Workers along the cell axis b (y)' },
  { label: 'Pz', title: 'Workers along the cell axis c (z)' },
];

/** The three counts of the draft's worker grid (domain placement), else none. */
export function gridFields(draft: PipelineSpecInput): ParamField[] {
  const grid = draftGrid(draft);
  if (!grid) return [];
  const count = DomainPlacementSpec.shape.grid.def.items[0];
  return grid.map((value, a) => {
    const path = ['placement', 'grid', a];
    return {
      type: 'number' as const,
      path,
      key: pathKey(path),
      ...gridTexts[a]!,
      title: `${gridTexts[a]!.title}; Px·Py·Pz from 2 to ${MAX_DOMAIN_WORKERS}`,
      unit: '',
      value,
      integer: count.isInt === true,
    };
  });
}

/** Where a domain split stands geometrically: subdomain sizes against the ghost cutoff. */
export interface DomainGeometry {
  /** Workers, Px·Py·Pz. */
  workers: number;
  /** Thickness of a subdomain along a, b, c (perpendicular height of the cell / P), Å. */
  subdomain: [number, number, number];
  /** Potential cutoff + skin, Å; null when the cutoff is not known yet (EAM file not uploaded). */
  ghostCutoff: number | null;
  /**
   * Hops per direction a ghost exchange needs along each axis (1: neighbours only; more: the cutoff
   * reaches past the next subdomain, multi-hop swaps), as src/engine/decomposition/swaps.ts plans
   * them; null without a cutoff.
   */
  hops: [number, number, number] | null;
  /** Axes split over more than one worker whose subdomain is thinner than the ghost cutoff. */
  thinAxes: number[];
}

/**
 * The subdomains of `grid` over `cell` (Å, rows a, b, c) for a potential cutoff and skin (Å):
 * their thickness and whether ghosts must travel over several workers. Null when the grid or the
 * cell is not usable.
 */
export function domainGeometry(
  grid: readonly number[],
  cell: ArrayLike<number> | null,
  cutoff: number | null,
  skin: number,
): DomainGeometry | null {
  if (cell?.length !== 9) return null;
  if (!grid.every((p) => Number.isInteger(p) && p >= 1)) return null;
  const h = perpendicularHeights(cell);
  if (!h.every((x) => Number.isFinite(x) && x > 0)) return null;
  const subdomain = h.map((x, a) => x / grid[a]!) as [number, number, number];
  const ghostCutoff = cutoff !== null && cutoff > 0 ? cutoff + Math.max(0, skin) : null;
  const hops =
    ghostCutoff === null
      ? null
      : (subdomain.map((d) => Math.floor(ghostCutoff / d) + 1) as [number, number, number]);
  const thinAxes =
    ghostCutoff === null ? [] : [0, 1, 2].filter((a) => grid[a]! > 1 && subdomain[a]! < ghostCutoff);
  return { workers: grid[0]! * grid[1]! * grid[2]!, subdomain, ghostCutoff, hops, thinAxes };
}

/**
 * The cell of the draft's system, Å: the fcc crystal's (lattice constant × repeats), an uploaded
 * structure's, else the loaded run's (random clusters); null when none is known.
 */
export function draftCell(
  draft: PipelineSpecInput,
  uploaded: ArrayLike<number> | null,
  loaded: ArrayLike<number> | null,
): ArrayLike<number> | null {
  const system: unknown = draft.system;
  if (isRecord(system) && system.kind === 'fcc') {
    const a = numberAt(system, 'latticeConstant');
    const repeat = Array.isArray(system.repeat) ? (system.repeat as unknown[]) : [];
    const n = [0, 1, 2].map((k) => (typeof repeat[k] === 'number' ? (repeat[k] as number) : Number.NaN));
    if (!(a > 0) || !n.every((x) => x > 0)) return null;
    return [a * n[0]!, 0, 0, 0, a * n[1]!, 0, 0, 0, a * n[2]!];
  }
  if (isRecord(system) && system.kind === 'file') return uploaded ?? loaded;
  return loaded;
}

/**
 * The potential's cutoff, Å: the draft's (Lennard-Jones, Morse) or the largest of the uploaded EAM
 * files' (`eamCutoffs`); null when not known.
 */
export function draftCutoff(draft: PipelineSpecInput, eamCutoffs: readonly number[] | null): number | null {
  const potential: unknown = draft.potential;
  if (!isRecord(potential)) return null;
  if (potential.kind === 'lennard-jones' || potential.kind === 'morse') {
    const c = numberAt(potential, 'cutoff');
    return c > 0 ? c : null;
  }
  if (potential.kind === 'eam' && eamCutoffs && eamCutoffs.length > 0) return Math.max(...eamCutoffs);
  return null;
}

/** The draft's neighbor skin, Å (the schema's default, 1 Å, when left out). */
export function draftSkin(draft: PipelineSpecInput): number {
  const neighbor: unknown = draft.neighbor;
  const skin = isRecord(neighbor) ? numberAt(neighbor, 'skin') : Number.NaN;
  return Number.isFinite(skin) && skin >= 0 ? skin : 1;
}

/** Keys under which the validation reports problems of the placement as a whole (not of one field). */
export const placementIssueKeys = [
  pathKey(['placement']),
  pathKey(['placement', 'links']),
  pathKey(['placement', 'grid']),
];
