import { describe, expect, it } from 'vitest';
import { makeFrame } from '../../io/zarr/frames.testing.ts';
import { encodeJson, groupMetadata } from '../../io/zarr/metadata.ts';
import { MemoryStore } from '../../io/zarr/store.ts';
import { selectSystems } from '../../io/zarr/trajectoryFrame.ts';
import { TrajectoryWriter } from '../../io/zarr/trajectoryWriter.ts';
import { exportZarrZip } from '../../io/zarr/zarrZip.ts';
import { shownFrame, TrajectoryView, trajectorySystemIds } from './trajectoryView.ts';

const SIZES = [3, 5];
const frames = Array.from({ length: 4 }, (_, f) => makeFrame(f, SIZES));

async function zipOf(write: (store: MemoryStore) => Promise<void>): Promise<Blob> {
  const store = new MemoryStore();
  await write(store);
  return exportZarrZip(store);
}

const goodZip = () =>
  zipOf(async (store) => {
    const writer = await TrajectoryWriter.create(store, { fields: ['velocities', 'energy'] });
    for (const f of frames) await writer.append(f);
    // A converged-snapshot-like frame with the second system only.
    await writer.append(selectSystems(makeFrame(9, SIZES), [1]));
    await writer.close();
  });

describe('TrajectoryView', () => {
  it('loads a .zarr.zip and scrubs frames and systems', async () => {
    const view = new TrajectoryView();
    expect(await view.load(await goodZip(), 'run.zarr.zip')).toBe(true);
    const s = view.store.getState();
    expect(s.trajectory?.frames).toHaveLength(5);
    expect(s.trajectory?.name).toBe('run.zarr.zip');
    expect(trajectorySystemIds(s.trajectory!)).toEqual([100, 101]);
    // Several systems: the first is shown by default.
    expect(s.system).toBe(100);
    let shown = shownFrame(view.store.getState())!;
    expect(shown.systemIds).toEqual([100]);
    expect(shown.positions).toEqual(frames[0]!.positions.slice(0, 9));
    expect(shown.cell).toEqual(frames[0]!.cells.slice(0, 9));
    view.setSystem(101);
    view.setFrame(2);
    shown = shownFrame(view.store.getState())!;
    expect([shown.step, shown.time, shown.stage]).toEqual([20, 50, 2]);
    expect(shown.atomicNumbers).toEqual(frames[2]!.atomicNumbers.slice(3));
    expect(shown.positions).toEqual(frames[2]!.positions.slice(9));
    expect(shown.cell).toEqual(frames[2]!.cells.slice(9));
    view.setSystem('all');
    expect(shownFrame(view.store.getState())!.positions).toEqual(frames[2]!.positions);
    // The last frame holds system 101 only; a choice of 100 falls back to it.
    view.setSystem(100);
    view.setFrame(99);
    expect(view.store.getState().frame).toBe(4);
    expect(shownFrame(view.store.getState())!.systemIds).toEqual([101]);
    view.close();
    expect(shownFrame(view.store.getState())).toBeNull();
  });

  it('refuses bad files with a message naming the problem, keeping what was loaded', async () => {
    const view = new TrajectoryView();
    await view.load(await goodZip(), 'good.zarr.zip');
    const before = view.store.getState().trajectory;
    view.setFrame(3);

    const refuse = async (blob: Blob, pattern: RegExp) => {
      expect(await view.load(blob, 'bad.zarr.zip')).toBe(false);
      const s = view.store.getState();
      expect(s.error?.file).toBe('bad.zarr.zip');
      expect(s.error?.message).toMatch(pattern);
      expect(s.trajectory).toBe(before);
      expect(s.frame).toBe(3);
      expect(s.loading).toBe(false);
      view.dismissError();
      expect(view.store.getState().error).toBeNull();
    };
    await refuse(new Blob([]), /empty/);
    await refuse(new Blob(['this is not a zip archive at all']), /not a zip archive/);
    const good = new Uint8Array(await (await goodZip()).arrayBuffer());
    await refuse(new Blob([good.slice(0, good.length - 30)]), /zip/);
    await refuse(
      await zipOf(async (store) =>
        store.set('/zarr.json', encodeJson(groupMetadata({ format: 'something' }))),
      ),
      /not a trajectory/,
    );
    await refuse(
      await zipOf(async (store) => {
        const writer = await TrajectoryWriter.create(store);
        await writer.close();
        const root = JSON.parse(new TextDecoder().decode((await store.get('/zarr.json'))!));
        root.attributes.format_version = 99;
        await store.set('/zarr.json', encodeJson(root));
      }),
      /unsupported trajectory format version 99/,
    );
    await refuse(await zipOf(async (store) => (await TrajectoryWriter.create(store)).close()), /no frames/);
    await refuse(
      await zipOf(async (store) => {
        const writer = await TrajectoryWriter.create(store);
        for (const f of frames) await writer.append(f);
        await writer.close();
        store.map.delete('/core/positions/zarr.json');
      }),
      /no array core\/positions/,
    );
  });
});
