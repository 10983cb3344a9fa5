/** Live view frames on real WebGPU (gpu): slots, and forces / velocities only when the host asks. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseSpec } from '../io/spec.ts';
import type { EngineEvent, Frame } from './api.ts';
import { requestGpuDevice } from './device.ts';
import { createGpuEngine } from './gpu/engine.ts';
import { StageRunner } from './runner.ts';
import { SinkSet } from './sinks/sinkSet.ts';
import { buildSystem } from './structures/index.ts';

let device: GPUDevice;
beforeAll(async () => {
  device = (await requestGpuDevice()).device;
});
afterAll(() => device.destroy());

describe('view frames (gpu)', () => {
  it('carry slots always, forces and velocities once asked; asking while idle sends a frame at once', async () => {
    const spec = parseSpec({
      version: 1,
      system: {
        kind: 'fcc',
        element: 'Ar',
        mass: 39.948,
        latticeConstant: 5.26,
        repeat: [3, 3, 3],
        jitter: 0.1,
        temperature: 40,
        seed: 3,
      },
      potential: { kind: 'lennard-jones', epsilon: 0.0104, sigma: 3.4, cutoff: 8.5, shift: true },
      stages: [{ kind: 'nve', steps: 3, dt: 2 }],
    });
    const batch = buildSystem(spec.system);
    const engine = await createGpuEngine(device, batch, spec.potential, { skin: spec.neighbor.skin });
    const frames: Frame[] = [];
    const runner = new StageRunner({
      engine,
      stages: spec.stages,
      systems: batch,
      listener: (e: EngineEvent) => {
        if (e.type === 'frame') frames.push(e.frame);
      },
      hookDeps: { sinks: await SinkSet.create([]) },
      viewFrameIntervalMs: 0,
    });
    // Before any run: asking for forces sends a frame with them (computed for it).
    await runner.setViewOptions({ forces: true });
    expect(frames).toHaveLength(1);
    const first = frames[0]!;
    expect(first.velocities).toBeUndefined();
    expect(first.forces).toHaveLength(3 * batch.nAtoms);
    const atoms = await engine.readAtoms();
    expect(Array.from(first.forces!)).toEqual(Array.from(atoms.forces));
    // Jittered fcc: the forces are not all zero.
    expect(first.forces!.some((f) => Math.abs(f) > 1e-4)).toBe(true);
    expect(Array.from(first.slots!.atomsPtr)).toEqual([0, batch.nAtoms]);
    expect(Array.from(first.slots!.systemIds)).toEqual([0]);
    expect(first.rank).toBe(0);

    await runner.setViewOptions({ velocities: true });
    await runner.run();
    const last = frames[frames.length - 1]!;
    expect(last.step).toBe(3);
    expect(last.forces).toBeUndefined();
    expect(last.velocities).toHaveLength(3 * batch.nAtoms);
    engine.destroy();
  });
});
