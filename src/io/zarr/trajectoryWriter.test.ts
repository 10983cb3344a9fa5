import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import * as zarr from 'zarrita';
import packageJson from '../../../package.json' with { type: 'json' };
import { DirectoryStore } from './directoryStore.ts';
import { type FieldName, TRAJECTORY_FIELDS } from './fields.ts';
import { makeFrame } from './frames.testing.ts';
import { readWithPython } from './pythonReader.testing.ts';
import { MemoryStore, type ZarrStore } from './store.ts';
import type { TrajectoryFrame } from './trajectoryFrame.ts';
import { readTrajectory } from './trajectoryReader.ts';
import { TrajectoryWriter } from './trajectoryWriter.ts';

const SIZES = [5, 8, 13];
const ALL = ['velocities', 'forces', 'energy', 'stress', 'status'] as const;
const SPEC = { version: 1, stages: [{ kind: 'fire', fmax: 0.01 }] };

/** Expected values of a field over the frames, concatenated along the first axis, as numbers. */
function expected(frames: readonly TrajectoryFrame[], field: FieldName): number[] {
  const out: number[] = [];
  frames.forEach((f, index) => {
    const s = f.atomsPtr.length - 1;
    const per = (v: number) => Array.from({ length: s }, () => v);
    const values: Record<FieldName, ArrayLike<number> | undefined> = {
      positions: f.positions,
      velocities: f.velocities,
      forces: f.forces,
      atomic_numbers: f.atomicNumbers,
      energy: f.energy,
      cell: f.cells,
      pbc: f.pbc,
      stress: f.stress,
      status: f.status,
      system_id: f.systemIds,
      step: per(f.step),
      time: per(f.time),
      stage: per(f.stage),
      stage_step: per(f.stageStep),
      frame: per(index),
    };
    out.push(...Array.from(values[field]!));
  });
  return out;
}

function asNumbers(data: unknown): number[] {
  if (data instanceof zarr.BoolArray) return Array.from(data, (b) => (b ? 1 : 0));
  if (data instanceof BigInt64Array) return Array.from(data, Number);
  return Array.from(data as ArrayLike<number>);
}

async function writeFrames(store: ZarrStore, frames: readonly TrajectoryFrame[]): Promise<TrajectoryWriter> {
  const writer = await TrajectoryWriter.create(store, {
    fields: ALL,
    atomChunkRows: 64,
    systemChunkRows: 8,
    pipelineSpec: SPEC,
  });
  for (const f of frames) await writer.append(f);
  await writer.close();
  return writer;
}

const frames = Array.from({ length: 25 }, (_, f) => makeFrame(f, SIZES));
const atoms = 25 * 26;
const samples = 25 * 3;

describe('TrajectoryWriter', () => {
  it('writes arrays that zarrita reads back identical, with CSR atoms_ptr', async () => {
    const store = new MemoryStore();
    const writer = await writeFrames(store, frames);
    expect([writer.frames, writer.samples, writer.atoms]).toEqual([25, samples, atoms]);
    const root = zarr.root(store);
    for (const [name, info] of Object.entries(TRAJECTORY_FIELDS) as [
      FieldName,
      (typeof TRAJECTORY_FIELDS)[FieldName],
    ][]) {
      const array = await zarr.open(root.resolve(`core/${name}`), { kind: 'array' });
      expect(array.shape).toEqual([info.level === 'atom' ? atoms : samples, ...info.rowShape]);
      const { data } = await zarr.get(array);
      const want = expected(frames, name);
      // float32 fields were stored from Float32Array: bit-identical.
      expect(asNumbers(data), name).toEqual(want);
    }
    const ptr = await zarr.get(await zarr.open(root.resolve('meta/atoms_ptr'), { kind: 'array' }));
    const wantPtr = [0];
    for (let f = 0; f < 25; f++) for (const n of SIZES) wantPtr.push(wantPtr.at(-1)! + n);
    expect(ptr.data).toBeInstanceOf(BigInt64Array);
    expect(asNumbers(ptr.data)).toEqual(wantPtr);
    const mask = await zarr.get(await zarr.open(root.resolve('meta/samples_mask'), { kind: 'array' }));
    expect(asNumbers(mask.data)).toEqual(new Array(samples).fill(1));
  });

  it('reads back into the same frames', async () => {
    const store = new MemoryStore();
    await writeFrames(store, frames);
    const trajectory = await readTrajectory(store);
    expect(trajectory.frames).toEqual(frames);
    expect(trajectory.attributes.pipeline_spec).toEqual(SPEC);
  });

  it('writes valid v3 metadata: bytes + gzip codecs, numeric fill values, dimension names, units', async () => {
    const store = new MemoryStore();
    await writeFrames(store, frames);
    const docs = new Map<string, Record<string, unknown>>();
    for await (const key of store.keys()) {
      if (key.endsWith('/zarr.json')) {
        docs.set(key, JSON.parse(new TextDecoder().decode(store.map.get(key)!)) as Record<string, unknown>);
      }
    }
    expect([...docs.keys()].filter((k) => docs.get(k)!.node_type === 'group').sort()).toEqual([
      '/core/zarr.json',
      '/meta/zarr.json',
      '/zarr.json',
    ]);
    const arrays = [...docs.entries()].filter(([, d]) => d.node_type === 'array');
    expect(arrays).toHaveLength(Object.keys(TRAJECTORY_FIELDS).length + 2);
    for (const [key, d] of arrays) {
      expect(d.zarr_format, key).toBe(3);
      expect(d.codecs, key).toEqual([
        { name: 'bytes', configuration: { endian: 'little' } },
        { name: 'gzip', configuration: { level: 6 } },
      ]);
      if (d.data_type === 'bool') expect(d.fill_value, key).toBe(false);
      else expect(typeof d.fill_value, key).toBe('number');
      const shape = d.shape as number[];
      expect((d.dimension_names as string[]).length, key).toBe(shape.length);
      expect(
        (d.chunk_grid as { configuration: { chunk_shape: number[] } }).configuration.chunk_shape.length,
      ).toBe(shape.length);
      if (key.startsWith('/core/')) {
        const attrs = d.attributes as { units: string; level: string };
        const name = key.split('/')[2] as FieldName;
        expect(attrs.units, key).toBe(TRAJECTORY_FIELDS[name].units);
        expect((d.dimension_names as string[])[0]).toBe(attrs.level === 'atom' ? 'atom' : 'sample');
      }
    }
    const root = docs.get('/zarr.json')!.attributes as {
      creator: { name: string; version: string };
      fields: Record<string, { level: string; units: string }>;
      pipeline_spec: unknown;
    };
    expect(root.creator).toEqual({ name: packageJson.name, version: packageJson.version });
    expect(root.fields.positions).toMatchObject({ level: 'atom', units: 'Å' });
    expect(root.fields.energy).toMatchObject({ level: 'system', units: 'eV' });
    expect(root.fields.time).toMatchObject({ level: 'system', units: 'fs' });
    expect(root.pipeline_spec).toEqual(SPEC);
  });

  it('is complete after each flush and keeps appending after it', async () => {
    const store = new MemoryStore();
    const writer = await TrajectoryWriter.create(store, {
      fields: ALL,
      atomChunkRows: 64,
      systemChunkRows: 8,
    });
    for (const f of frames.slice(0, 7)) await writer.append(f);
    await writer.flush();
    expect((await readTrajectory(store)).frames).toEqual(frames.slice(0, 7));
    for (const f of frames.slice(7)) await writer.append(f);
    await writer.close();
    expect((await readTrajectory(store)).frames).toEqual(frames);
    await expect(writer.append(frames[0]!)).rejects.toThrow(/closed/);
  });

  it('stores only the optional fields asked for, and rejects frames that lack them or disagree in size', async () => {
    const store = new MemoryStore();
    const writer = await TrajectoryWriter.create(store, { fields: ['forces'] });
    const { velocities: _v, energy: _e, stress: _s, status: _t, ...slim } = frames[0]!;
    await writer.append(slim);
    const { forces: _f, ...noForces } = slim;
    await expect(writer.append(noForces)).rejects.toThrow(/forces/);
    await expect(writer.append({ ...slim, positions: new Float32Array(3) })).rejects.toThrow(
      /positions has 3 values/,
    );
    await writer.close();
    const back = await readTrajectory(store);
    expect(back.frames).toEqual([slim]);
    expect(Object.keys(back.attributes.fields)).not.toContain('velocities');
    expect(await store.get('/core/velocities/zarr.json')).toBeUndefined();
  });

  describe('read by an independent reader (Python: json, gzip, numpy)', () => {
    let dir = '';
    afterAll(async () => {
      if (dir) await rm(dir, { recursive: true, force: true });
    });

    it('gives the same arrays from a directory store', async () => {
      dir = await mkdtemp(join(tmpdir(), 'zarr-dir-'));
      await writeFrames(new DirectoryStore(dir), frames);
      const py = readWithPython(dir);
      expect(py.attributes.pipeline_spec).toEqual(SPEC);
      for (const name of Object.keys(TRAJECTORY_FIELDS) as FieldName[]) {
        const a = py.arrays[`core/${name}`]!;
        const flat = (a.values as unknown[]).flat(2).map((v) => (typeof v === 'boolean' ? Number(v) : v));
        expect(flat, name).toEqual(expected(frames, name));
        expect(a.metadata.dimension_names.length).toBe(a.metadata.shape.length);
      }
      expect(py.arrays['meta/atoms_ptr']!.values.at(-1)).toBe(atoms);
      expect(py.arrays['meta/atoms_ptr']!.values).toHaveLength(samples + 1);
    });
  });
});
