/**
 * Reads an uploaded structure file: XYZ/extXYZ (the last frame, as the CLI does) or a LAMMPS data
 * file, told apart by the file name and, failing that, by the first line (an atom count means XYZ).
 */
import { parseLammpsData } from '../../io/lammpsData.ts';
import type { Structure } from '../../io/structure.ts';
import { parseXyz } from '../../io/xyz.ts';

export type StructureFormat = 'extxyz' | 'lammps-data';

/** A structure read from a file, with what the page shows about it. */
export interface StructureUpload {
  /** File name as uploaded. */
  file: string;
  format: StructureFormat;
  /** Frames in the file; the last one is used. */
  frames: number;
  structure: Structure;
  /** Element symbols in order of first appearance. */
  elements: string[];
}

/** The format of a structure file, from its name or its first line. */
export function structureFormat(file: string, text: string): StructureFormat {
  if (/\.(ext)?xyz$/i.test(file)) return 'extxyz';
  if (/\.(data|lmp|lammps)$/i.test(file) || /^data\./i.test(file)) return 'lammps-data';
  const first = text.split('\n', 1)[0]?.trim() ?? '';
  return /^\d+$/.test(first) ? 'extxyz' : 'lammps-data';
}

/** Element symbols of a structure, in order of first appearance. */
export function elementsOf(symbols: readonly string[]): string[] {
  return [...new Set(symbols)];
}

/**
 * Parses a structure file.
 * @throws ParseError naming the file, the line and the problem.
 */
export function readStructureFile(file: string, text: string): StructureUpload {
  const format = structureFormat(file, text);
  if (format === 'extxyz') {
    const frames = parseXyz(text, file);
    const structure = frames[frames.length - 1]!;
    return { file, format, frames: frames.length, structure, elements: elementsOf(structure.symbols) };
  }
  const structure = parseLammpsData(text, file);
  return { file, format, frames: 1, structure, elements: elementsOf(structure.symbols) };
}
