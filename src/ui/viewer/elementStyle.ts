import { elementByNumber } from '../../io/elements.ts';
import type { ElementStyle } from './atomStyle.ts';

/** Jmol colour and van der Waals radius (Å) of element `z`; throws for elements not in the table. */
export function elementStyle(z: number): ElementStyle {
  const e = elementByNumber(z);
  return { color: e.color, radius: e.vdwRadius };
}
