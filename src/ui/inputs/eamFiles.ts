/**
 * Uploaded EAM potential files: parsed in the format of the chosen pair style, with the element
 * names each file offers to `pair_coeff * * file El1 El2 ...`.
 */
import { ELEMENTS } from '../../io/elements.ts';
import { type EamPotentialFile, type EamStyle, parseEamPotential } from '../../io/lammpsPotential.ts';
import { ParseError } from '../../io/parseError.ts';

/** The text of one uploaded file. */
export interface FileText {
  name: string;
  text: string;
}

/** Uploaded EAM file(s) and the style they were read with. */
export interface EamUpload {
  style: EamStyle;
  sources: FileText[];
  files: EamPotentialFile[];
}

/** Element names of a potential file: a funcfl file's element comes from its atomic number. */
export function fileElements(file: EamPotentialFile): string[] {
  if (file.format !== 'funcfl') return [...file.elements];
  const z = file.element.atomicNumber;
  return [ELEMENTS.find((e) => e.atomicNumber === z)?.symbol ?? `Z${z}`];
}

/**
 * Parses the uploaded files as `style`. `eam` (funcfl) takes one file or one per element;
 * `eam/alloy` and `eam/fs` take exactly one.
 * @throws ParseError naming the file, the line and the problem.
 */
export function readEamFiles(sources: readonly FileText[], style: EamStyle): EamUpload {
  const first = sources[0];
  if (!first) throw new ParseError('(eam)', 0, 'no potential file given');
  if (style !== 'eam' && sources.length !== 1) {
    throw new ParseError(first.name, 0, `pair_style ${style} takes one file; ${sources.length} were given`);
  }
  const files = sources.map((s) => parseEamPotential(s.text, s.name, style));
  return { style, sources: [...sources], files };
}

/** Every element the files offer, each once, in file order. */
export function offeredElements(upload: EamUpload): string[] {
  return [...new Set(upload.files.flatMap(fileElements))];
}
