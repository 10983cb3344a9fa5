/**
 * Element → potential type, as LAMMPS's `pair_coeff * * file El1 El2 ...` does it for a structure
 * whose atoms carry element symbols: each element of the structure gets its own type t (in order
 * of first appearance) and `elements[t]` names what the potential sees for it, an element of the
 * potential file or NULL (atoms the potential ignores). Pair potentials here have one parameter set,
 * so every non-NULL element is type 0.
 */
import { NULL_ELEMENT } from '../../io/spec.ts';
import { type EamUpload, fileElements, offeredElements } from './eamFiles.ts';

/** Element of the structure → element of the potential or `NULL`; absent entries map to themselves. */
export type ElementMapping = Readonly<Record<string, string>>;

/** What an element of the structure is mapped to. */
export function targetOf(mapping: ElementMapping, element: string): string {
  return mapping[element] ?? element;
}

/** Types for a pair potential: non-NULL elements are type 0, NULL ones −1. */
export interface PairTypes {
  typeMap: Map<string, number>;
  /** Why these types cannot be used (empty when they can). */
  problems: string[];
}

export function pairTypes(elements: readonly string[], mapping: ElementMapping): PairTypes {
  const typeMap = new Map(elements.map((el) => [el, targetOf(mapping, el) === NULL_ELEMENT ? -1 : 0]));
  const problems =
    elements.length > 0 && [...typeMap.values()].every((t) => t < 0)
      ? ['every element is NULL: the potential has nothing to compute']
      : [];
  return { typeMap, problems };
}

/** Types for an EAM potential, and the `file`, `files` and `elements` of its spec. */
export interface EamTypes {
  typeMap: Map<string, number>;
  /** Per type: element of the potential file or NULL. */
  elements: string[];
  /** The potential file ('' before one is uploaded). */
  file: string;
  /** Style `eam` with several funcfl files: the file of each type. */
  files?: string[];
  problems: string[];
}

/**
 * @param elements Elements of the structure, in order of first appearance.
 * @param structureFile Name of the structure (file or example), for messages.
 */
export function eamTypes(
  elements: readonly string[],
  mapping: ElementMapping,
  upload: EamUpload | null,
  structureFile: string,
): EamTypes {
  const typeMap = new Map(elements.map((el, t) => [el, t]));
  const targets = elements.map((el) => targetOf(mapping, el));
  if (!upload) {
    return { typeMap, elements: targets, file: '', problems: ['upload the EAM potential file(s)'] };
  }
  const offered = offeredElements(upload);
  const names = upload.files.map((f) => f.file);
  const problems: string[] = [];
  elements.forEach((el, t) => {
    const target = targets[t]!;
    if (target !== NULL_ELEMENT && !offered.includes(target)) {
      problems.push(
        `element ${el} of ${structureFile} is not in ${names.join(', ')} (it has ${offered.join(', ')}): map it to one of these or to NULL`,
      );
    }
  });
  if (elements.length > 0 && targets.every((t) => t === NULL_ELEMENT)) {
    problems.push('every element is NULL: the potential has nothing to compute');
  }
  const first = names[0]!;
  const out: EamTypes = { typeMap, elements: targets, file: first, problems };
  if (upload.style === 'eam' && upload.files.length > 1) {
    // One funcfl file per type; a NULL type's entry is ignored, so any file will do.
    out.files = targets.map((target) => {
      const f = upload.files.find((file) => fileElements(file).includes(target));
      return f?.file ?? first;
    });
  }
  return out;
}

/** Types for a GNN potential, and the `elements` of its spec. */
export interface GnnTypes {
  typeMap: Map<string, number>;
  /** Per type: element of the model or NULL. */
  elements: string[];
  problems: string[];
}

/**
 * Like {@link eamTypes}, for a GNN model: each element of the structure is its own type, mapped to an
 * element of the model or NULL.
 * @param modelName The spec's model ('' when none is chosen).
 * @param modelElements Elements of that model, or null while it is not loaded.
 * @param structureFile Name of the structure (file or example), for messages.
 */
export function gnnTypes(
  elements: readonly string[],
  mapping: ElementMapping,
  modelName: string,
  modelElements: readonly string[] | null,
  structureFile: string,
): GnnTypes {
  const typeMap = new Map(elements.map((el, t) => [el, t]));
  const targets = elements.map((el) => targetOf(mapping, el));
  if (!modelElements) {
    const problem = modelName
      ? `the GNN model ${modelName} is not loaded: choose a shipped model or upload its .json and .safetensors`
      : 'choose a shipped GNN model or upload one (.json + .safetensors)';
    return { typeMap, elements: targets, problems: [problem] };
  }
  const problems: string[] = [];
  elements.forEach((el, t) => {
    const target = targets[t]!;
    if (target !== NULL_ELEMENT && !modelElements.includes(target)) {
      problems.push(
        `element ${el} of ${structureFile} is not in the GNN model ${modelName} (it has ${modelElements.join(', ')}): map it to one of these or to NULL`,
      );
    }
  });
  if (elements.length > 0 && targets.every((t) => t === NULL_ELEMENT)) {
    problems.push('every element is NULL: the potential has nothing to compute');
  }
  return { typeMap, elements: targets, problems };
}
