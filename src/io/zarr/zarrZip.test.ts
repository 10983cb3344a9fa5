import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import * as zarr from 'zarrita';
import { makeFrame } from './frames.testing.ts';
import { readWithPython } from './pythonReader.testing.ts';
import { MemoryStore } from './store.ts';
import { TrajectoryWriter } from './trajectoryWriter.ts';
import { exportZarrZip, importZarrZip } from './zarrZip.ts';
import { ZipStore } from './zipStore.ts';

const frames = Array.from({ length: 12 }, (_, f) => makeFrame(f, [3, 9], 5));

async function trajectoryStore(): Promise<MemoryStore> {
  const store = new MemoryStore();
  const writer = await TrajectoryWriter.create(store, {
    fields: ['velocities', 'forces', 'energy'],
    atomChunkRows: 32,
    systemChunkRows: 4,
  });
  for (const f of frames) await writer.append(f);
  await writer.close();
  return store;
}

function strip(f: (typeof frames)[number]) {
  const { stress: _s, status: _t, ...rest } = f;
  return rest;
}

describe('.zarr.zip', () => {
  let dir = '';
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('round-trips a trajectory through an archive', async () => {
    const store = await trajectoryStore();
    const blob = await exportZarrZip(store);
    const trajectory = await importZarrZip(blob);
    expect(trajectory.frames).toEqual(frames.map(strip));
  });

  it('stores every key of the store, byte for byte, with zarr.json first and at the root', async () => {
    const store = await trajectoryStore();
    const zip = await ZipStore.open(await exportZarrZip(store));
    expect(zip.keys()[0]).toBe('/zarr.json');
    expect(zip.keys().sort()).toEqual([...store.map.keys()].sort());
    for (const [key, value] of store.map) expect(await zip.get(key), key).toEqual(value);
    expect(await zip.get('/nope/zarr.json')).toBeUndefined();
    // zarrita reads straight from the archive too.
    const positions = await zarr.open(zarr.root(zip).resolve('core/positions'), { kind: 'array' });
    expect(positions.shape).toEqual([12 * 12, 3]);
  });

  it('writes ZIP64 end records and stored entries that Python zipfile reads and checks', async () => {
    const store = await trajectoryStore();
    const bytes = new Uint8Array(await (await exportZarrZip(store)).arrayBuffer());
    const view = new DataView(bytes.buffer);
    expect(view.getUint32(bytes.length - 22, true)).toBe(0x06054b50);
    expect(view.getUint32(bytes.length - 42, true)).toBe(0x07064b50);
    expect(view.getUint32(bytes.length - 98, true)).toBe(0x06064b50);
    dir = await mkdtemp(join(tmpdir(), 'zarr-zip-'));
    const path = join(dir, 'trajectory.zarr.zip');
    await writeFile(path, bytes);
    const py = readWithPython(path);
    expect(py.zip).toEqual({ first: 'zarr.json', entries: store.map.size, stored: true, crc_ok: true });
    const positions = py.arrays['core/positions']!.values.flat();
    expect(positions).toEqual(frames.flatMap((f) => Array.from(f.positions)));
    expect(py.arrays['meta/atoms_ptr']!.values.at(-1)).toBe(12 * 12);
  });

  it('rejects what is not a stored zip', async () => {
    await expect(ZipStore.open(new Blob([new Uint8Array(100)]))).rejects.toThrow(/not a zip archive/);
  });
});
