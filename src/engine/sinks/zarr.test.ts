import { describe, expect, it } from 'vitest';
import { makeFrame } from '../../io/zarr/frames.testing.ts';
import { MemoryStore } from '../../io/zarr/store.ts';
import { readTrajectory } from '../../io/zarr/trajectoryReader.ts';
import type { Frame } from '../api.ts';
import { ZarrSink } from './zarr.ts';

const SIZES = [4, 7, 2];
const template = makeFrame(0, SIZES);
const layout = {
  atomsPtr: template.atomsPtr,
  atomicNumbers: template.atomicNumbers,
  cells: template.cells,
  pbc: template.pbc,
  systemIds: template.systemIds,
};

function engineFrame(f: number): Frame {
  const t = makeFrame(f, SIZES);
  return {
    stage: t.stage,
    stageStep: t.stageStep,
    step: t.step,
    time: t.time,
    positions: t.positions,
    velocities: t.velocities!,
    forces: t.forces!,
  };
}

describe('ZarrSink', () => {
  it('streams engine frames into a trajectory that reads back identical', async () => {
    const store = new MemoryStore();
    const sink = await ZarrSink.create(store, layout, { fields: ['velocities', 'forces', 'energy'] });
    const written = Array.from({ length: 6 }, (_, f) => engineFrame(f));
    const energies = written.map((_, f) => Float64Array.of(-f, -2 * f, -3 * f));
    for (const [f, frame] of written.entries()) await sink.write(frame, { energy: energies[f]! });
    await sink.close();
    expect(sink.length).toBe(6);
    const back = await readTrajectory(store);
    expect(back.frames).toHaveLength(6);
    for (const [f, frame] of back.frames.entries()) {
      expect(frame).toEqual({ ...layout, ...written[f]!, energy: energies[f]! });
    }
  });

  it('writes only the selected systems (converged snapshots)', async () => {
    const store = new MemoryStore();
    const sink = await ZarrSink.create(store, layout, { fields: ['forces', 'status'] });
    const frame = engineFrame(3);
    const status = Int32Array.of(1, 2, 3);
    await sink.write(frame, { systems: [0, 1, 1], status });
    await sink.write(engineFrame(4), { systems: [false, false, false], status });
    await sink.write(engineFrame(5), { systems: [true, false, false], status });
    await sink.close();
    const back = await readTrajectory(store);
    expect(back.frames.map((f) => Array.from(f.systemIds))).toEqual([[101, 102], [100]]);
    const [first] = back.frames;
    expect(Array.from(first!.atomsPtr)).toEqual([0, 7, 9]);
    expect(first!.positions).toEqual(frame.positions.slice(3 * 4, 3 * 13));
    expect(first!.forces).toEqual(frame.forces!.slice(3 * 4, 3 * 13));
    expect(first!.cells).toEqual(layout.cells.slice(9));
    expect(first!.atomicNumbers).toEqual(layout.atomicNumbers.slice(4));
    expect(Array.from(first!.status!)).toEqual([2, 3]);
    expect(back.frames[1]!.step).toBe(engineFrame(5).step);
  });

  it('refuses frames without a field it stores', async () => {
    const sink = await ZarrSink.create(new MemoryStore(), layout, { fields: ['energy'] });
    await expect(sink.write(engineFrame(0))).rejects.toThrow(/energy/);
  });
});
