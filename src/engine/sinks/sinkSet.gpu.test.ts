import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { HookSpec, StageSpec } from '../../io/spec.ts';
import { MemoryStore } from '../../io/zarr/store.ts';
import type { TrajectoryFrame } from '../../io/zarr/trajectoryFrame.ts';
import { readTrajectory } from '../../io/zarr/trajectoryReader.ts';
import type { EngineEvent } from '../api.ts';
import { GpuRingSink } from '../gpu/ringSink.ts';
import {
  argonFcc,
  concatenateBatches,
  startArgonEngine,
  testDevice,
  withErrorScopes,
  withVelocities,
} from '../gpu/testing.ts';
import { hookContext, slotsOfBatch } from '../hooks/context.testing.ts';
import type { SlotView } from '../hooks/hook.ts';
import { snapshotHook } from '../hooks/snapshot.ts';
import { SinkSet } from './sinkSet.ts';
import { slotFrame } from './slotFrame.ts';

let device: GPUDevice;
beforeAll(async () => {
  device = await testDevice();
});
afterAll(() => device.destroy());

describe('a snapshot hook writing to a GPU ring', () => {
  test('fills the run’s Zarr trajectory with the frames a host read-back gives, none lost', async () => {
    const batch = concatenateBatches([
      withVelocities(argonFcc(2, 0.1), 50, 1),
      withVelocities(argonFcc(2, 0.1), 50, 2),
      withVelocities(argonFcc(2, 0.1), 50, 3),
    ]);
    batch.systemIds.set([4, 5, 6]);
    batch.atomicNumbers.fill(18);
    await withErrorScopes(device, async () => {
      const engine = await startArgonEngine(device, batch);
      const nve = engine.createDynamics(StageSpec.parse({ kind: 'nve', steps: 100, dt: 5 }));
      const spec = HookSpec.parse({ kind: 'snapshot', every: 1, sink: 'gpu-ring', capacity: 3 });
      if (spec.kind !== 'snapshot') throw new Error('not a snapshot hook spec');
      const store = new MemoryStore();
      const events: EngineEvent[] = [];
      const sinks = await SinkSet.create([spec], {
        zarrStore: store,
        gpu: { device, source: engine.buffers },
        emit: (e) => events.push(e),
      });
      const ring = sinks.sinkFor(spec);
      expect(ring).toBeInstanceOf(GpuRingSink);
      const hook = snapshotHook(spec, { emit: (e) => events.push(e), sinks });
      // Slot 1 is empty (id −1): frames hold systems 4 and 6.
      const slots: SlotView = {
        ...slotsOfBatch(batch, [1]),
        atomicNumbers: batch.atomicNumbers,
        cells: batch.cells,
        pbc: batch.pbc,
      };
      const expected: TrajectoryFrame[] = [];
      for (let n = 1; n <= 7; n++) {
        const e = engine.begin(`step ${n}`);
        nve.encodePreUpdate(e, 0);
        engine.encodeCompute(e);
        nve.encodePostUpdate(e, 0);
        engine.submit(e);
        const ctx = hookContext(engine, slots, { stage: 0, stageStep: n, step: n, time: 5 * n });
        await hook.run(ctx);
        const atoms = await engine.readAtoms();
        const energy = new Float64Array(3);
        for (let s = 0; s < 3; s++)
          for (let i = batch.atomsPtr[s]!; i < batch.atomsPtr[s + 1]!; i++) energy[s]! += atoms.energies[i]!;
        const clock = { step: n, time: 5 * n, stage: 0, stageStep: n };
        const layout = { ...slots, atomicNumbers: batch.atomicNumbers, cells: batch.cells, pbc: batch.pbc };
        expected.push(slotFrame(clock, layout, [0, 2], { ...atoms, energy }));
      }
      // Drained into Zarr each time the ring filled (after 3 and 6 frames); the 7th waits on the GPU.
      expect(sinks.zarr!.length).toBe(6);
      expect(ring.length).toBe(1);
      await sinks.close();
      expect((await readTrajectory(store)).frames).toEqual(expected);
      expect(events.filter((e) => e.type === 'snapshot')).toHaveLength(7);
      expect(events.filter((e) => e.type === 'trajectory').at(-1)).toMatchObject({ frames: 7, samples: 14 });
      nve.destroy();
      engine.destroy();
    });
  });
});
