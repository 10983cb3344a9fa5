/** The frame the page shows, written as extXYZ (ASE-readable) for download. */
import { ELEMENTS } from '../../io/elements.ts';
import { writeExtXyz } from '../../io/xyz.ts';
import type { CurrentFrame } from '../engine/engineClient.ts';

const symbolByNumber = new Map(ELEMENTS.map((e) => [e.atomicNumber, e.symbol]));

/** Element symbols of a frame: the uploaded file's, else from the atomic numbers (`X` if unknown). */
export function frameSymbols(frame: CurrentFrame): string[] {
  if (frame.symbols) return frame.symbols;
  return Array.from(frame.atomicNumbers, (z) => symbolByNumber.get(z) ?? 'X');
}

/** extXYZ text of one frame: species, positions (Å), Lattice, pbc, and the step and time (fs). */
export function frameToExtXyz(frame: CurrentFrame): string {
  return writeExtXyz([
    {
      symbols: frameSymbols(frame),
      positions: frame.positions,
      cell: frame.cell,
      pbc: frame.pbc,
      info: { step: frame.step, time: frame.time },
    },
  ]);
}

/** File name for the download: `<name>-step<step>.extxyz`, with only safe characters. */
export function exportFileName(name: string, step: number): string {
  const base = name
    .replace(/\.[^.]*$/, '')
    .replace(/[^A-Za-z0-9_-]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return `${base || 'frame'}-step${step}.extxyz`;
}
