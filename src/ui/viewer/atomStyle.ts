/** Per-atom colours and display radii for the viewer, from the element of each atom. */

/** What the viewer needs to know about an element. */
export interface ElementStyle {
  /** sRGB colour as 0xRRGGBB. */
  color: number;
  /** Display radius, Å. */
  radius: number;
}

/** Used for atoms whose element is unknown (atomic number 0 or not in the table). */
export const unknownElementStyle: ElementStyle = { color: 0xff1493, radius: 1.5 };

/**
 * Fills `colors` (3 per atom, 0…1) and `radii` (Å) for the given atomic numbers; `lookup` returns
 * undefined (or throws) for elements it does not know. One lookup per distinct element.
 */
export function fillAtomStyles(
  atomicNumbers: ArrayLike<number>,
  lookup: (z: number) => ElementStyle | undefined,
  colors: Float32Array,
  radii: Float32Array,
): void {
  const cache = new Map<number, ElementStyle>();
  for (let i = 0; i < atomicNumbers.length; i++) {
    const z = atomicNumbers[i] ?? 0;
    let style = cache.get(z);
    if (!style) {
      let found: ElementStyle | undefined;
      try {
        found = z > 0 ? lookup(z) : undefined;
      } catch {
        found = undefined;
      }
      style = found ?? unknownElementStyle;
      cache.set(z, style);
    }
    colors[3 * i] = ((style.color >> 16) & 0xff) / 255;
    colors[3 * i + 1] = ((style.color >> 8) & 0xff) / 255;
    colors[3 * i + 2] = (style.color & 0xff) / 255;
    radii[i] = style.radius;
  }
}
