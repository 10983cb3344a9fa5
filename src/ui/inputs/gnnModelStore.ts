/**
 * Uploaded GNN models kept across reloads: each accepted upload's two files are written to the
 * Origin Private File System under `gnn-models/<name>/`, and read back (and validated again) when the
 * page starts. Where there is no OPFS (Node, a browser that refuses it) nothing is kept.
 */
import type { FileBytes } from './gnnFiles.ts';

/** Where uploaded models are kept. */
export interface GnnModelStore {
  /** Keeps the two files of model `name` (replacing an older upload of that name). */
  save(name: string, files: readonly FileBytes[]): Promise<void>;
  /** Every kept model's files. */
  list(): Promise<{ name: string; files: FileBytes[] }[]>;
  /** Forgets model `name`. */
  remove(name: string): Promise<void>;
}

/** Directory at the OPFS root holding one directory per uploaded model. */
export const GNN_MODELS_DIRECTORY = 'gnn-models';

type IterableDirectory = FileSystemDirectoryHandle & {
  entries(): AsyncIterableIterator<[string, FileSystemHandle]>;
};

/** A store in memory (tests; browsers without OPFS keep models for the page's lifetime only). */
export function memoryGnnModelStore(): GnnModelStore {
  const kept = new Map<string, FileBytes[]>();
  return {
    async save(name, files) {
      kept.set(
        name,
        files.map((f) => ({ name: f.name, bytes: f.bytes.slice() })),
      );
    },
    async list() {
      return [...kept].map(([name, files]) => ({ name, files }));
    },
    async remove(name) {
      kept.delete(name);
    },
  };
}

/** The OPFS store, or null where the page has no Origin Private File System. */
export function opfsGnnModelStore(): GnnModelStore | null {
  if (typeof navigator === 'undefined' || typeof navigator.storage?.getDirectory !== 'function') return null;
  const root = async () =>
    (await navigator.storage.getDirectory()).getDirectoryHandle(GNN_MODELS_DIRECTORY, { create: true });
  return {
    async save(name, files) {
      const models = await root();
      await models.removeEntry(name, { recursive: true }).catch(() => {});
      const dir = await models.getDirectoryHandle(name, { create: true });
      for (const f of files) {
        const writable = await (await dir.getFileHandle(f.name, { create: true })).createWritable();
        await writable.write(f.bytes.slice().buffer);
        await writable.close();
      }
    },
    async list() {
      const out: { name: string; files: FileBytes[] }[] = [];
      for await (const [name, handle] of ((await root()) as IterableDirectory).entries()) {
        if (handle.kind !== 'directory') continue;
        const files: FileBytes[] = [];
        for await (const [fileName, fileHandle] of (handle as IterableDirectory).entries()) {
          if (fileHandle.kind !== 'file') continue;
          const file = await (fileHandle as FileSystemFileHandle).getFile();
          files.push({ name: fileName, bytes: new Uint8Array(await file.arrayBuffer()) });
        }
        out.push({ name, files });
      }
      return out;
    },
    async remove(name) {
      await (await root()).removeEntry(name, { recursive: true }).catch(() => {});
    },
  };
}
