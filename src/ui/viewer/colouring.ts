/**
 * Per-atom colours of the viewer besides the element's: by stage (the status code of the atom's
 * system in the running segment), by owning worker (rank), by force magnitude (|F|, eV/Å, on a
 * perceptual colour scale). Every function writes into arrays the caller owns (3 floats per atom,
 * 0…1), so recolouring a frame allocates nothing.
 */

/** What the viewer colours atoms by. */
export type ColourMode = 'element' | 'stage' | 'worker' | 'force';

export const colourModes: readonly { mode: ColourMode; label: string }[] = [
  { mode: 'element', label: 'Element' },
  { mode: 'stage', label: 'Stage' },
  { mode: 'worker', label: 'Worker' },
  { mode: 'force', label: 'Force |F|' },
];

/** Categorical colours (sub-stages, workers), 0xRRGGBB; distinguishable on the dark background. */
export const CATEGORY_COLOURS = [
  0x4e9af1, 0xe0b341, 0x5cc98a, 0xe0603f, 0xc678dd, 0x56c7d4, 0xf28fb4, 0xa3be8c,
];
/**
 * Colours of the ranks of a domain run (up to 16 workers), 0xRRGGBB: the category colours, then
 * darker companions of them, so that no two ranks of the largest grid share a colour.
 */
export const RANK_COLOURS = [
  ...CATEGORY_COLOURS,
  0x2859a8,
  0x9c7a1c,
  0x2e8a55,
  0x9e3a22,
  0x8a4a9e,
  0x2a8791,
  0xb0567d,
  0x6b8a55,
];

/** Colour of rank `r` (cycled past 16), 0xRRGGBB. */
export function rankColour(r: number): number {
  const n = RANK_COLOURS.length;
  return RANK_COLOURS[((r % n) + n) % n]!;
}

/**
 * Colours each atom by the rank that owns it (`owner`, one rank per atom; a negative or missing
 * entry gets {@link LEFT_COLOUR}); returns the atoms each rank owns, by rank.
 */
export function fillOwnerColours(owner: ArrayLike<number>, colors: Float32Array): number[] {
  const counts: number[] = [];
  const n = colors.length / 3;
  for (let i = 0; i < n; i++) {
    const r = i < owner.length ? owner[i]! : -1;
    const rgb = r >= 0 && Number.isInteger(r) ? rankColour(r) : LEFT_COLOUR;
    if (r >= 0 && Number.isInteger(r)) counts[r] = (counts[r] ?? 0) + 1;
    colors[3 * i] = ((rgb >> 16) & 0xff) / 255;
    colors[3 * i + 1] = ((rgb >> 8) & 0xff) / 255;
    colors[3 * i + 2] = (rgb & 0xff) / 255;
  }
  return Array.from(counts, (c) => c ?? 0);
}

/** Systems that left the running segment (parked until it ends) or empty slots. */
export const LEFT_COLOUR = 0x59616d;

/** Colour of category `k` (cycled), 0xRRGGBB. */
export function categoryColour(k: number): number {
  const n = CATEGORY_COLOURS.length;
  return CATEGORY_COLOURS[((k % n) + n) % n]!;
}

/** Writes colour `rgb` (0xRRGGBB) to atoms [from, to). */
export function fillRange(colors: Float32Array, from: number, to: number, rgb: number): void {
  const r = ((rgb >> 16) & 0xff) / 255;
  const g = ((rgb >> 8) & 0xff) / 255;
  const b = (rgb & 0xff) / 255;
  for (let i = from; i < to; i++) {
    colors[3 * i] = r;
    colors[3 * i + 1] = g;
    colors[3 * i + 2] = b;
  }
}

/** The slots of a frame: system id, atom offsets (slots + 1) and status code per slot. */
export interface SlotLayout {
  systemIds: ArrayLike<number>;
  atomsPtr: ArrayLike<number>;
  status: ArrayLike<number>;
}

/**
 * Colours each atom by the status code of its slot: code c < `nCodes` (sub-stage c of the running
 * segment) gets category colour c, anything else (left the segment, parked, empty) {@link LEFT_COLOUR}.
 * Atoms past the last slot keep {@link LEFT_COLOUR} too.
 */
export function fillStageColours(slots: SlotLayout, nCodes: number, colors: Float32Array): void {
  const nAtoms = colors.length / 3;
  let covered = 0;
  for (let s = 0; s < slots.status.length; s++) {
    const from = Math.min(slots.atomsPtr[s] ?? 0, nAtoms);
    const to = Math.min(slots.atomsPtr[s + 1] ?? from, nAtoms);
    const code = slots.status[s] ?? -1;
    const id = slots.systemIds[s] ?? -1;
    fillRange(colors, from, to, id >= 0 && code >= 0 && code < nCodes ? categoryColour(code) : LEFT_COLOUR);
    covered = Math.max(covered, to);
  }
  fillRange(colors, covered, nAtoms, LEFT_COLOUR);
}

/** |F| of each atom, eV/Å, into `out` (length N; forces xyz interleaved, 3N); returns the largest. */
export function forceMagnitudes(forces: ArrayLike<number>, out: Float32Array): number {
  let max = 0;
  for (let i = 0; i < out.length; i++) {
    const x = forces[3 * i] ?? 0;
    const y = forces[3 * i + 1] ?? 0;
    const z = forces[3 * i + 2] ?? 0;
    const m = Math.sqrt(x * x + y * y + z * z);
    out[i] = m;
    if (m > max) max = m;
  }
  return max;
}

/** The smallest "nice" number (1, 2 or 5 × 10^k) ≥ `x`; 1e-3 for x ≤ 1e-3 or non-finite. */
export function niceCeiling(x: number): number {
  if (!Number.isFinite(x) || x <= 1e-3) return 1e-3;
  const p = 10 ** Math.floor(Math.log10(x));
  // Forces are f32: a value a rounding error above 1, 2 or 5 × 10^k still gets that scale.
  for (const m of [1, 2, 5, 10]) if (m * p >= x * (1 - 1e-6)) return m * p;
  return 10 * p;
}

/** Control points of viridis (matplotlib), sRGB 0…1, at t = 0, 0.25, 0.5, 0.75, 1. */
const VIRIDIS: readonly (readonly [number, number, number])[] = [
  [0.267, 0.005, 0.329],
  [0.229, 0.322, 0.546],
  [0.128, 0.567, 0.551],
  [0.369, 0.789, 0.383],
  [0.993, 0.906, 0.144],
];

/** Viridis at t (clamped to 0…1), into out[offset..offset+2]. */
export function viridis(t: number, out: Float32Array | number[], offset = 0): void {
  const x = Math.min(Math.max(Number.isFinite(t) ? t : 0, 0), 1) * (VIRIDIS.length - 1);
  const k = Math.min(Math.floor(x), VIRIDIS.length - 2);
  const f = x - k;
  const a = VIRIDIS[k]!;
  const b = VIRIDIS[k + 1]!;
  for (let c = 0; c < 3; c++) out[offset + c] = a[c]! + f * (b[c]! - a[c]!);
}

/** Colours atoms by |F| on viridis from 0 (dark blue) to `scaleMax` eV/Å and above (yellow). */
export function fillForceColours(magnitudes: Float32Array, scaleMax: number, colors: Float32Array): void {
  const inv = scaleMax > 0 ? 1 / scaleMax : 0;
  for (let i = 0; i < magnitudes.length; i++) viridis(magnitudes[i]! * inv, colors, 3 * i);
}

/** CSS colour of 0xRRGGBB. */
export function cssColour(rgb: number): string {
  return `#${rgb.toString(16).padStart(6, '0')}`;
}

/** CSS linear-gradient of viridis, left (0) to right (max). */
export function viridisGradient(): string {
  const stops = VIRIDIS.map(
    ([r, g, b], k) =>
      `rgb(${Math.round(r * 255)}, ${Math.round(g * 255)}, ${Math.round(b * 255)}) ${(100 * k) / (VIRIDIS.length - 1)}%`,
  );
  return `linear-gradient(to right, ${stops.join(', ')})`;
}
