import { describe, expect, it } from 'vitest';
import { makeFrame } from '../../io/zarr/frames.testing.ts';
import { MemoryStore } from '../../io/zarr/store.ts';
import { selectSystems } from '../../io/zarr/trajectoryFrame.ts';
import { readTrajectory } from '../../io/zarr/trajectoryReader.ts';
import { ZarrSink } from './zarr.ts';

const SIZES = [4, 7, 2];

function withoutStress(f: number) {
  const { stress: _s, ...frame } = makeFrame(f, SIZES);
  return frame;
}

describe('ZarrSink', () => {
  it('streams frames into a trajectory that reads back identical', async () => {
    const store = new MemoryStore();
    const sink = await ZarrSink.create(store, {
      fields: ['velocities', 'forces', 'energy', 'status'],
      atomChunkRows: 16,
      systemChunkRows: 4,
    });
    expect(sink.kind).toBe('zarr');
    const written = Array.from({ length: 6 }, (_, f) => withoutStress(f));
    for (const frame of written) await sink.write(frame);
    await sink.close();
    expect(sink.length).toBe(6);
    expect(sink.samples).toBe(18);
    expect(sink.atoms).toBe(6 * 13);
    expect((await readTrajectory(store)).frames).toEqual(written);
  });

  it('takes frames of any subset of systems (converged snapshots) and skips empty ones', async () => {
    const store = new MemoryStore();
    const sink = await ZarrSink.create(store, { fields: ['forces', 'status'] });
    const a = selectSystems(makeFrame(3, SIZES), [1, 2]);
    const empty = selectSystems(makeFrame(4, SIZES), []);
    const b = selectSystems(makeFrame(5, SIZES), [0]);
    await sink.write(a);
    await sink.write(empty);
    await sink.write(b);
    await sink.close();
    expect(sink.length).toBe(2);
    const back = await readTrajectory(store);
    expect(back.frames.map((f) => Array.from(f.systemIds))).toEqual([[101, 102], [100]]);
    expect(Array.from(back.frames[0]!.atomsPtr)).toEqual([0, 7, 9]);
    expect(back.frames[0]!.positions).toEqual(a.positions);
    expect(back.frames[0]!.forces).toEqual(a.forces);
    expect(back.frames[1]!.step).toBe(b.step);
  });

  it('refuses frames without a field it stores', async () => {
    const sink = await ZarrSink.create(new MemoryStore(), { fields: ['energy'] });
    const { energy: _e, ...frame } = makeFrame(0, SIZES);
    await expect(sink.write(frame)).rejects.toThrow(/energy/);
  });
});
