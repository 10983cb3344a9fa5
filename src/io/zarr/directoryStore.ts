/** A Zarr store in a directory of the local file system (Node only: imports `node:fs`). */
import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { keySegments, type StoreKey, type ZarrStore } from './store.ts';

/** One file per key under `root`, the layout zarr-python's LocalStore reads. */
export class DirectoryStore implements ZarrStore {
  constructor(readonly root: string) {}

  private path(key: StoreKey): string {
    return join(this.root, ...keySegments(key));
  }

  async get(key: StoreKey): Promise<Uint8Array | undefined> {
    try {
      return new Uint8Array(await readFile(this.path(key)));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw e;
    }
  }

  async set(key: StoreKey, value: Uint8Array): Promise<void> {
    const parts = keySegments(key);
    await mkdir(join(this.root, ...parts.slice(0, -1)), { recursive: true });
    await writeFile(this.path(key), value);
  }

  async *keys(): AsyncIterable<StoreKey> {
    let entries: string[];
    try {
      entries = await readdir(this.root, { recursive: true, withFileTypes: false });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw e;
    }
    for (const rel of entries) {
      if ((await stat(join(this.root, rel))).isFile()) yield `/${rel.split(/[\\/]/).join('/')}`;
    }
  }
}
