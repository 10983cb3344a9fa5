/**
 * What the person uploaded: a structure (or none: the spec's built-in example), EAM potential
 * file(s), GNN models (uploaded or fetched shipped ones) and the element mapping. A file that does not parse leaves everything as it was and only
 * sets `uploadError`, the message (file, line, problem) shown next to the upload.
 */
import { type EamStyle, eamStyleFromFileName } from '../../io/lammpsPotential.ts';
import { structureToBatch } from '../../io/structureToBatch.ts';
import { createStore, type Store } from '../state/createStore.ts';
import { type EamUpload, type FileText, readEamFiles } from './eamFiles.ts';
import { type FileBytes, type GnnEntry, readGnnFiles } from './gnnFiles.ts';
import { readStructureFile, type StructureUpload } from './structureFile.ts';
import type { ElementMapping } from './typeAssignment.ts';

/** Which upload an error belongs to. */
export type UploadTarget = 'structure' | 'potential';

export interface InputsState {
  /** The uploaded structure; null while the spec's built-in example is used. */
  structure: StructureUpload | null;
  /** The uploaded EAM file(s), parsed with `eamStyle`. */
  eam: EamUpload | null;
  /** Style to read EAM files with (guessed from a file name on upload, editable). */
  eamStyle: EamStyle;
  /** GNN models the page holds, by name (the spec's `model`): fetched shipped ones and uploads. */
  gnnModels: Readonly<Record<string, GnnEntry>>;
  /** The shipped model being fetched, if any. */
  gnnLoading: string | null;
  /** Element of the structure → element of the potential or NULL. */
  mapping: ElementMapping;
  /** The last rejected upload, with the parser's message. */
  uploadError: { target: UploadTarget; message: string } | null;
  /** Counts accepted uploads and style changes: the engine reloads when it changes. */
  revision: number;
}

export const initialInputsState: InputsState = {
  structure: null,
  eam: null,
  eamStyle: 'eam/alloy',
  gnnModels: {},
  gnnLoading: null,
  mapping: {},
  uploadError: null,
  revision: 0,
};

export interface InputsStore extends Store<InputsState> {
  /** Reads a structure file; returns false (and sets `uploadError`) if it is unusable. */
  uploadStructure(file: FileText): boolean;
  /** Goes back to the spec's built-in example. */
  chooseExample(): void;
  /** Reads EAM file(s), in the style their name says or the current one; false if unusable. */
  uploadEam(files: readonly FileText[]): boolean;
  /** Changes the EAM style, re-reading uploaded files with it; false (style kept) if they do not parse. */
  setEamStyle(style: EamStyle): boolean;
  setMapping(element: string, target: string): void;
  /** Reads an uploaded GNN model (.json + .safetensors); null (and `uploadError`) if unusable. */
  uploadGnn(files: readonly FileBytes[]): GnnEntry | null;
  /** Holds a model (a fetched shipped one, or an upload kept from an earlier visit). */
  addGnnModel(entry: GnnEntry): void;
  /** Marks a shipped model as being fetched (null: none). */
  setGnnLoading(name: string | null): void;
  /** Shows `message` next to the `target` upload (a failure that is not a parse of a picked file). */
  reportUploadError(target: UploadTarget, message: string): void;
  dismissUploadError(): void;
}

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

export function createInputsStore(initial: InputsState = initialInputsState): InputsStore {
  const store = createStore<InputsState>(initial);
  const reject = (target: UploadTarget, e: unknown) => {
    store.setState((s) => ({ ...s, uploadError: { target, message: messageOf(e) } }));
    return false;
  };
  const eamWith = (style: EamStyle, sources: readonly FileText[]): boolean => {
    let eam: EamUpload;
    try {
      eam = readEamFiles(sources, style);
    } catch (e) {
      return reject('potential', e);
    }
    store.setState((s) => ({ ...s, eam, eamStyle: style, uploadError: null, revision: s.revision + 1 }));
    return true;
  };
  const addGnn = (entry: GnnEntry) =>
    store.setState((s) => ({
      ...s,
      gnnModels: { ...s.gnnModels, [entry.name]: entry },
      uploadError: null,
      revision: s.revision + 1,
    }));
  return {
    ...store,
    uploadStructure(file) {
      let structure: StructureUpload;
      try {
        structure = readStructureFile(file.name, file.text);
        if (structure.structure.symbols.length === 0)
          throw new Error(`${file.name}: the structure has no atom`);
        // Masses and cell are checked now, so that a file the engine cannot take is refused here.
        structureToBatch(structure.structure, new Map(structure.elements.map((el) => [el, 0])));
      } catch (e) {
        return reject('structure', e);
      }
      store.setState((s) => ({ ...s, structure, uploadError: null, revision: s.revision + 1 }));
      return true;
    },
    chooseExample() {
      store.setState((s) => ({ ...s, structure: null, uploadError: null, revision: s.revision + 1 }));
    },
    uploadEam(files) {
      const guess = files[0] ? eamStyleFromFileName(files[0].name) : undefined;
      return eamWith(guess ?? store.getState().eamStyle, files);
    },
    setEamStyle(style) {
      const eam = store.getState().eam;
      if (eam) return eamWith(style, eam.sources);
      store.setState((s) => ({ ...s, eamStyle: style }));
      return true;
    },
    setMapping(element, target) {
      store.setState((s) => ({ ...s, mapping: { ...s.mapping, [element]: target } }));
    },
    uploadGnn(files) {
      let entry: GnnEntry;
      try {
        entry = readGnnFiles(files);
      } catch (e) {
        reject('potential', e);
        return null;
      }
      addGnn(entry);
      return entry;
    },
    addGnnModel: addGnn,
    setGnnLoading(name) {
      store.setState((s) => ({ ...s, gnnLoading: name }));
    },
    reportUploadError(target, message) {
      reject(target, new Error(message));
    },
    dismissUploadError() {
      store.setState((s) => (s.uploadError ? { ...s, uploadError: null } : s));
    },
  };
}
