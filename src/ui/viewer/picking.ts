/**
 * Picking an atom on the CPU: the ray through the clicked pixel against every instance's sphere
 * (linear scan over Float32 arrays, no per-atom objects; ~10 ms for 1M atoms in V8).
 */

/**
 * Index of the atom whose sphere the ray `origin + t·dir` (t > 0; Å) hits first, or −1.
 * `radii` are display radii before `radiusScale`; `dir` need not be normalised.
 */
export function pickAtom(
  positions: ArrayLike<number>,
  radii: ArrayLike<number>,
  radiusScale: number,
  origin: readonly [number, number, number],
  dir: readonly [number, number, number],
  count = radii.length,
): number {
  const [ox, oy, oz] = origin;
  const len = Math.hypot(dir[0], dir[1], dir[2]);
  if (!(len > 0)) return -1;
  const dx = dir[0] / len;
  const dy = dir[1] / len;
  const dz = dir[2] / len;
  let best = -1;
  let bestT = Number.POSITIVE_INFINITY;
  for (let i = 0; i < count; i++) {
    const cx = positions[3 * i]! - ox;
    const cy = positions[3 * i + 1]! - oy;
    const cz = positions[3 * i + 2]! - oz;
    const b = cx * dx + cy * dy + cz * dz;
    if (b <= 0) continue;
    const r = radii[i]! * radiusScale;
    const c = cx * cx + cy * cy + cz * cz - r * r;
    const h = b * b - c;
    if (h < 0) continue;
    const t = b - Math.sqrt(h);
    if (t < bestT && t > 0) {
      bestT = t;
      best = i;
    }
  }
  return best;
}

/** The next (`delta` = +1) or previous (−1) atom index within [from, to), wrapping around. */
export function stepWithin(index: number, delta: number, from: number, to: number): number {
  const n = to - from;
  if (n <= 0) return index;
  const k = (((index - from + delta) % n) + n) % n;
  return from + k;
}
