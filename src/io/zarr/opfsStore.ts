/**
 * A Zarr store in the browser's Origin Private File System: every chunk is a file as soon as it is
 * written, so a crash or a reload loses nothing already written (DESIGN §7).
 */
import { keySegments, type StoreKey, type ZarrStore } from './store.ts';

// TS's DOM lib (without DOM.AsyncIterable) does not declare directory iteration; Chromium has it.
type IterableDirectory = FileSystemDirectoryHandle & {
  entries(): AsyncIterableIterator<[string, FileSystemDirectoryHandle | FileSystemFileHandle]>;
};

/** One OPFS file per key under a directory handle. */
export class OpfsStore implements ZarrStore {
  private readonly dirs = new Map<string, FileSystemDirectoryHandle>();

  constructor(readonly root: FileSystemDirectoryHandle) {}

  /** Opens (creating it if needed) the directory `name` at the root of the origin's private file system. */
  static async open(name: string): Promise<OpfsStore> {
    const origin = await navigator.storage.getDirectory();
    return new OpfsStore(await origin.getDirectoryHandle(name, { create: true }));
  }

  private async dir(parts: readonly string[], create: boolean): Promise<FileSystemDirectoryHandle> {
    const path = parts.join('/');
    const cached = this.dirs.get(path);
    if (cached) return cached;
    let handle = this.root;
    for (const p of parts) handle = await handle.getDirectoryHandle(p, { create });
    this.dirs.set(path, handle);
    return handle;
  }

  async get(key: StoreKey): Promise<Uint8Array | undefined> {
    const parts = keySegments(key);
    try {
      const dir = await this.dir(parts.slice(0, -1), false);
      const file = await (await dir.getFileHandle(parts.at(-1)!)).getFile();
      return new Uint8Array(await file.arrayBuffer());
    } catch (e) {
      if (e instanceof DOMException && e.name === 'NotFoundError') return undefined;
      throw e;
    }
  }

  async set(key: StoreKey, value: Uint8Array): Promise<void> {
    const parts = keySegments(key);
    const dir = await this.dir(parts.slice(0, -1), true);
    const writable = await (await dir.getFileHandle(parts.at(-1)!, { create: true })).createWritable();
    await writable.write(value as Uint8Array<ArrayBuffer>);
    await writable.close();
  }

  async *keys(): AsyncIterable<StoreKey> {
    yield* walk(this.root as IterableDirectory, '');
  }
}

async function* walk(dir: IterableDirectory, prefix: string): AsyncIterable<StoreKey> {
  for await (const [name, handle] of dir.entries()) {
    if (handle.kind === 'file') yield `/${prefix}${name}`;
    else yield* walk(handle as IterableDirectory, `${prefix}${name}/`);
  }
}
