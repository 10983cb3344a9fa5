import { describe, expect, it } from 'vitest';
import { parseSpec } from '../../io/spec.ts';
import { makeFrame } from '../../io/zarr/frames.testing.ts';
import { MemoryStore } from '../../io/zarr/store.ts';
import { selectSystems } from '../../io/zarr/trajectoryFrame.ts';
import { readTrajectory } from '../../io/zarr/trajectoryReader.ts';
import type { EngineEvent } from '../api.ts';
import { HostMemorySink } from './hostMemory.ts';
import { SinkSet, snapshotHookSpecs } from './sinkSet.ts';

const system = { kind: 'fcc', element: 'Ar', mass: 39.948, latticeConstant: 5.26, repeat: [2, 2, 2] };
const potential = { kind: 'lennard-jones', epsilon: 0.0104, sigma: 3.4, cutoff: 6, shift: true };

/** A chain with snapshot hooks on a plain stage, on a fused stage and on its sub-stages. */
function chain(sinks: { a: string; b: string; c: string; d: string }) {
  return parseSpec({
    version: 1,
    system,
    potential,
    stages: [
      {
        kind: 'nve',
        steps: 10,
        dt: 5,
        hooks: [
          { kind: 'log', every: 5 },
          { kind: 'snapshot', every: 5, sink: sinks.a, capacity: 2 },
        ],
      },
      {
        kind: 'fused',
        steps: 100,
        hooks: [{ kind: 'snapshot', every: 10, sink: sinks.b, capacity: 3 }],
        stages: [
          {
            kind: 'fire',
            steps: 50,
            dt: 5,
            hooks: [{ kind: 'converged-snapshot', sink: sinks.c, capacity: 4 }],
          },
          { kind: 'nve', steps: 50, dt: 5, hooks: [{ kind: 'snapshot', every: 1, sink: sinks.d }] },
        ],
      },
    ],
  }).stages;
}

const frame = (f: number, systems = [0, 1]) => selectSystems(makeFrame(f, [3, 4]), systems);

describe('SinkSet', () => {
  it('collects the snapshot hooks of plain, fused and sub-stages', () => {
    const hooks = snapshotHookSpecs(chain({ a: 'host', b: 'host', c: 'zarr', d: 'host' }));
    expect(hooks.map((h) => [h.kind, h.sink, h.capacity])).toEqual([
      ['snapshot', 'host', 2],
      ['snapshot', 'host', 3],
      ['converged-snapshot', 'zarr', 4],
      ['snapshot', 'host', 1000],
    ]);
  });

  it('gives each host hook its own ring and every Zarr hook the one trajectory of the run', async () => {
    const hooks = snapshotHookSpecs(chain({ a: 'host', b: 'zarr', c: 'host', d: 'zarr' }));
    const store = new MemoryStore();
    const events: EngineEvent[] = [];
    const sinks = await SinkSet.create(hooks, { zarrStore: store, emit: (e) => events.push(e) });
    const [a, b, c, d] = hooks.map((h) => sinks.sinkFor(h));
    expect([a, b, c, d].map((s) => s!.kind)).toEqual(['host', 'zarr', 'host', 'zarr']);
    expect(a).not.toBe(c);
    expect(sinks.sinkFor(hooks[0]!)).toBe(a);
    expect((a as HostMemorySink).capacity).toBe(2);
    expect((c as HostMemorySink).capacity).toBe(4);

    for (let f = 0; f < 3; f++) a!.write(frame(10 * f));
    c!.write(frame(25, [1]));
    await b!.write(frame(1));
    await d!.write(frame(2, [0]));
    expect(b!.length).toBe(2);
    expect(d!.length).toBe(2);
    // The restart point is the newest frame of a periodic hook, host or Zarr, not a converged one.
    expect(sinks.lastFrame()).toEqual(frame(20));
    await b!.write(frame(30));
    expect(sinks.lastFrame()).toEqual(frame(30));
    expect(sinks.hostFrames().map((f) => f.stageStep)).toEqual([10, 20, 25]);
    expect(sinks.zarr!.length).toBe(3);
    expect(events).toEqual([
      { type: 'trajectory', frames: 1, samples: 2, atoms: 7 },
      { type: 'trajectory', frames: 2, samples: 3, atoms: 10 },
      { type: 'trajectory', frames: 3, samples: 5, atoms: 17 },
    ]);
    await sinks.close();
    const back = await readTrajectory(store);
    expect(back.frames).toEqual([frame(1), frame(2, [0]), frame(30)].map(({ stress: _s, ...f }) => f));
    expect(() => sinks.sinkFor({ kind: 'snapshot', every: 1, sink: 'host', capacity: 1 })).toThrow(/closed/);
    // Host frames stay readable after close.
    expect(sinks.hostFrames()).toHaveLength(3);
  });

  it('makes no trajectory when no hook writes to Zarr', async () => {
    const store = new MemoryStore();
    const sinks = await SinkSet.create(
      snapshotHookSpecs(chain({ a: 'host', b: 'host', c: 'host', d: 'host' })),
      {
        zarrStore: store,
      },
    );
    expect(sinks.zarr).toBeNull();
    await sinks.close();
    expect(store.map.size).toBe(0);
  });

  it('says which sink cannot be made, and gives a host ring for a GPU ring without a GPU', async () => {
    await expect(
      SinkSet.create(snapshotHookSpecs(chain({ a: 'host', b: 'zarr', c: 'host', d: 'host' }))),
    ).rejects.toThrow(/writes to zarr, but this engine host has no Zarr store/);
    const hooks = snapshotHookSpecs(chain({ a: 'gpu-ring', b: 'host', c: 'host', d: 'host' }));
    const sinks = await SinkSet.create(hooks);
    const ring = sinks.sinkFor(hooks[0]!);
    expect(ring).toBeInstanceOf(HostMemorySink);
    expect((ring as HostMemorySink).capacity).toBe(2);
    ring.write(frame(7));
    expect(sinks.lastFrame()).toEqual(frame(7));
  });
});

describe('SinkSet.destroy', () => {
  it('completes the Zarr trajectory with what was written', async () => {
    const hooks = snapshotHookSpecs(chain({ a: 'zarr', b: 'host', c: 'host', d: 'host' }));
    const store = new MemoryStore();
    const sinks = await SinkSet.create(hooks, { zarrStore: store });
    await sinks.sinkFor(hooks[0]!).write(frame(4));
    const samples = async () =>
      JSON.parse(new TextDecoder().decode((await store.get('/meta/samples_mask/zarr.json'))!)).shape[0];
    expect(await samples()).toBe(0);
    sinks.destroy();
    await expect.poll(samples).toBe(2);
    await expect.poll(async () => (await readTrajectory(store)).frames.length).toBe(1);
  });
});
