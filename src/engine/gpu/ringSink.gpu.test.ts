import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { StageSpec } from '../../io/spec.ts';
import { makeFrame } from '../../io/zarr/frames.testing.ts';
import type { TrajectoryFrame } from '../../io/zarr/trajectoryFrame.ts';
import type { Batch } from '../batch.ts';
import { HostMemorySink } from '../sinks/hostMemory.ts';
import type { FrameClock } from '../sinks/sink.ts';
import { type SlotLayout, slotFrame } from '../sinks/slotFrame.ts';
import type { WebGpuEngine } from './engine.ts';
import { GpuRingSink } from './ringSink.ts';
import {
  argonFcc,
  concatenateBatches,
  expectClose,
  runSteps,
  startArgonEngine,
  testDevice,
  withErrorScopes,
  withNullAtoms,
  withVelocities,
} from './testing.ts';

let device: GPUDevice;
beforeAll(async () => {
  device = await testDevice();
});
afterAll(() => device.destroy());

/** Two argon crystals at 60 K (ids 7 and 9; the second with NULL atoms), 140 atoms. */
function testBatch(): Batch {
  const a = withVelocities(argonFcc(2, 0.15), 60, 3);
  const b = withNullAtoms(withVelocities(argonFcc(3, 0.15), 60, 4), 17, 2);
  const batch = concatenateBatches([a, b]);
  batch.systemIds.set([7, 9]);
  batch.atomicNumbers.set(Int32Array.from({ length: batch.nAtoms }, (_, i) => (i % 3 === 0 ? 36 : 18)));
  batch.pbc.set([1, 1, 0], 3);
  return batch;
}

function layoutOf(batch: Batch, status: Int32Array): SlotLayout {
  return {
    atomsPtr: batch.atomsPtr,
    systemIds: batch.systemIds,
    status,
    atomicNumbers: batch.atomicNumbers,
    cells: batch.cells,
    pbc: batch.pbc,
  };
}

/** The frame a host snapshot would write: read back now, energy as the f64 sum of per-atom energies. */
async function readbackFrame(
  engine: WebGpuEngine,
  clock: FrameClock,
  layout: SlotLayout,
  selected: number[],
): Promise<TrajectoryFrame> {
  const atoms = await engine.readAtoms();
  const slots = layout.atomsPtr.length - 1;
  const energy = new Float64Array(slots);
  for (let s = 0; s < slots; s++) {
    for (let i = layout.atomsPtr[s]!; i < layout.atomsPtr[s + 1]!; i++) energy[s]! += atoms.energies[i]!;
  }
  return slotFrame(clock, layout, selected, { ...atoms, energy });
}

const clockAt = (n: number): FrameClock => ({ step: 10 * n, time: 50 * n, stage: 2, stageStep: n });
const nveSpec = StageSpec.parse({ kind: 'nve', steps: 100, dt: 5 });

describe('GpuRingSink', () => {
  test('captures on the GPU what a read-back of the same steps gives, oldest overwritten', async () => {
    const batch = testBatch();
    await withErrorScopes(device, async () => {
      const engine = await startArgonEngine(device, batch);
      const nve = engine.createDynamics(nveSpec);
      const status = Int32Array.of(0, 0);
      const layout = layoutOf(batch, status);
      const ring = new GpuRingSink(device, engine.buffers, 3);
      expect(ring.bytes).toBe(3 * 52 * batch.nAtoms);
      const expected: TrajectoryFrame[] = [];
      for (let n = 1; n <= 5; n++) {
        runSteps(engine, nve, 0, 3);
        status[1] = n % 2; // the layout changes between frames; each frame keeps its own
        ring.capture(clockAt(n), layout, [0, 1]);
        expected.push(await readbackFrame(engine, clockAt(n), layout, [0, 1]));
      }
      // Rows are stored in cell order on the GPU: the ring must un-permute them.
      const original = await engine.readOriginalIndex();
      expect(original.some((v, k) => v !== k)).toBe(true);
      expect(ring.length).toBe(3);
      expect(ring.droppedFrames).toBe(2);
      const frames = await ring.drain();
      expect(ring.length).toBe(0);
      expect(frames).toEqual(expected.slice(2));
      expect(frames.map((f) => Array.from(f.status!))).toEqual([
        [0, 1],
        [0, 0],
        [0, 1],
      ]);
      // Energy per system from the per-atom energies agrees with the GPU's reduction.
      const stats = await (async () => {
        const e = engine.begin('stats');
        engine.encodeStats(e);
        engine.submit(e);
        return engine.readStats();
      })();
      expectClose(frames[2]!.energy!, stats.potentialEnergy, 0, 1e-5, 'energy');
      expect(await ring.drain()).toEqual([]);
      ring.destroy();
      nve.destroy();
      engine.destroy();
    });
  });

  test('keeps the selected slots only and, draining when full, loses no frame', async () => {
    const batch = testBatch();
    await withErrorScopes(device, async () => {
      const engine = await startArgonEngine(device, batch);
      const nve = engine.createDynamics(nveSpec);
      const layout = layoutOf(batch, Int32Array.of(0, 1));
      const downstream = new HostMemorySink(100);
      // Buffers of at most 2 frames: 3 GPU buffers, and drains in batches of 2.
      const ring = new GpuRingSink(device, engine.buffers, 5, {
        downstream,
        drainWhenFull: true,
        maxBufferBytes: 2 * 52 * batch.nAtoms,
      });
      const expected: TrajectoryFrame[] = [];
      for (let n = 1; n <= 12; n++) {
        runSteps(engine, nve, 0, 1);
        const selected = n % 3 === 0 ? [0, 1] : [1];
        await ring.capture(clockAt(n), layout, selected);
        expected.push(await readbackFrame(engine, clockAt(n), layout, selected));
        expect(downstream.length).toBe(n < 5 ? 0 : n < 10 ? 5 : 10);
      }
      await ring.drain();
      expect(ring.droppedFrames).toBe(0);
      expect(downstream.read()).toEqual(expected);
      expect(Array.from(downstream.read()[0]!.systemIds)).toEqual([9]);
      ring.destroy();
      nve.destroy();
      engine.destroy();
    });
  });

  test('takes host frames too, and gives them back as written', async () => {
    const batch = testBatch();
    await withErrorScopes(device, async () => {
      const engine = await startArgonEngine(device, batch);
      const ring = new GpuRingSink(device, engine.buffers, 4);
      const frames = [makeFrame(0, [5, 9]), makeFrame(1, [140])];
      const { velocities: _v, ...noVelocities } = makeFrame(2, [30]);
      for (const f of [...frames, noVelocities]) await ring.write(f);
      expect(await ring.drain()).toEqual([...frames, noVelocities]);
      expect(() => ring.write(makeFrame(3, [141]))).toThrow(/does not fit/);
      ring.destroy();
      engine.destroy();
    });
  });

  test('refuses what it cannot hold', async () => {
    const batch = testBatch();
    const engine = await startArgonEngine(device, batch);
    expect(() => new GpuRingSink(device, engine.buffers, 0)).toThrow(/capacity/);
    expect(() => new GpuRingSink(device, engine.buffers, 2, { maxBufferBytes: 100 })).toThrow(
      /largest GPU buffer/,
    );
    expect(() => new GpuRingSink(device, engine.buffers, 2, { drainWhenFull: true })).toThrow(/downstream/);
    const ring = new GpuRingSink(device, engine.buffers, 2);
    const other = { ...layoutOf(batch, Int32Array.of(0, 0)), atomsPtr: Int32Array.of(0, 10) };
    expect(() => ring.capture(clockAt(1), other, [0])).toThrow(/holds frames of 140/);
    ring.destroy();
    engine.destroy();
  });
});
