/**
 * The engine host (what the page's worker exposes) with a GNN potential on real WebGPU: the model
 * travels next to the spec, a spec without it is refused with the loaded run kept, and loads asked
 * for while another is in flight are taken one after the other, so a run never loses its engine.
 */
import { describe, expect, it } from 'vitest';
import { copperGnnSpec } from '../io/examples.ts';
import { type PipelineSpecInput, parseSpec } from '../io/spec.ts';
import type { EngineEvent } from './api.ts';
import { EngineHost } from './host.ts';
import { randomGnnModel, testGnnConfig } from './reference/gnn.testing.ts';
import { gnnReference } from './reference/gnn.ts';
import { buildSystem } from './structures/index.ts';

const model = randomGnnModel(testGnnConfig({ elements: ['Cu'], energyBias: { Cu: -3.5 } }), 5);
const spec: PipelineSpecInput = {
  ...copperGnnSpec,
  system: {
    kind: 'fcc',
    element: 'Cu',
    mass: 63.546,
    latticeConstant: 3.615,
    repeat: [2, 2, 2],
    jitter: 0.02,
    temperature: 300,
    seed: 3,
  },
  potential: { kind: 'gnn', model: 'random-cu', elements: ['Cu'] },
  stages: [{ kind: 'nve', steps: 6, dt: 1, hooks: [{ kind: 'log', every: 2 }] }],
};

describe('engine host, GNN potential (gpu)', () => {
  it('loads with the model, refuses a spec without it, and serialises overlapping loads before a run', async () => {
    const host = new EngineHost();
    await host.init();
    const events: EngineEvent[] = [];
    const listener = (e: EngineEvent) => events.push(e);
    await expect(host.load(spec, listener)).rejects.toThrow(
      'the GNN potential random-cu needs its model: give its .json and .safetensors with the spec',
    );
    expect(events).toHaveLength(0);

    // Two loads at once, then a run: both loads finish before the run starts, which completes.
    const first = host.load(spec, listener, undefined, undefined, model);
    const second = host.load(spec, listener, undefined, undefined, model);
    const end = host.run();
    await Promise.all([first, second]);
    expect(await end).toBe('completed');
    expect(events.filter((e) => e.type === 'loaded')).toHaveLength(2);
    const logs = events.flatMap((e) => (e.type === 'log' ? [e.record] : []));
    expect(logs.length).toBeGreaterThanOrEqual(3);
    // The first log is at the start: the GPU energy of the crystal is the f64 reference's (f32 tolerance).
    expect(logs[0]!.step).toBe(0);
    const want = gnnReference(buildSystem(parseSpec(spec).system), model).energy[0]!;
    expect(Math.abs(logs[0]!.potentialEnergy - want)).toBeLessThan(1e-4 * Math.abs(want) + 1e-3);
    expect(events.some((e) => e.type === 'end' && e.reason === 'error')).toBe(false);
  });
});
