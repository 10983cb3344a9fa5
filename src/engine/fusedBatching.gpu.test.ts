/**
 * A fused FIRE → Langevin chain over 200 clusters of mixed sizes with inflight batching, on real
 * WebGPU: every system visits both sub-stages, none is lost or duplicated, and converged snapshots
 * hold each system exactly once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fuse } from '../io/compose.ts';
import { parseSpec } from '../io/spec.ts';
import type { EngineEvent } from './api.ts';
import { requestGpuDevice } from './device.ts';
import { runInput, runOn } from './evaluate.ts';
import { createGpuEngine } from './gpu/engine.ts';
import { engineBatch } from './runner.ts';
import { buildSystem } from './structures/index.ts';

let device: GPUDevice;
beforeAll(async () => {
  device = (await requestGpuDevice()).device;
});
afterAll(() => device.destroy());

describe('fused FIRE → NVT over 200 systems with inflight batching (gpu)', () => {
  it('takes every system through both stages exactly once', async () => {
    const spec = parseSpec({
      version: 1,
      system: { kind: 'clusters', count: 200, minAtoms: 6, maxAtoms: 40, seed: 11 },
      potential: { kind: 'lennard-jones', epsilon: 0.0104, sigma: 3.4, cutoff: 8.5, shift: true },
      batching: { maxSystems: 48, maxAtoms: 900 },
      stages: [
        fuse(
          [
            {
              kind: 'fire',
              steps: 400,
              dt: 5,
              dtMax: 20,
              maxStep: 0.2,
              hooks: [{ kind: 'converged-snapshot', sink: 'host', capacity: 1000 }],
              convergence: [{ kind: 'max-force', fmax: 0.02 }],
            },
            {
              kind: 'langevin',
              steps: 25,
              dt: 4,
              temperature: 20,
              friction: 0.02,
              hooks: [],
              convergence: [],
            },
          ],
          { steps: 50_000 },
        ),
      ],
    });
    const systems = buildSystem(spec.system);
    const sizes = Array.from({ length: 200 }, (_, s) => systems.atomsPtr[s + 1]! - systems.atomsPtr[s]!);
    expect(Math.min(...sizes)).toBeLessThan(12);
    expect(Math.max(...sizes)).toBeGreaterThan(34);
    const engine = await createGpuEngine(device, engineBatch(systems, spec.batching), spec.potential, {
      skin: spec.neighbor.skin,
    });
    const events: EngineEvent[] = [];
    const outcome = await runOn(engine, runInput(spec, systems), (e) => events.push(e));
    engine.destroy();
    expect(outcome.end).toBe('completed');

    const all = Array.from({ length: 200 }, (_, s) => s);
    const sorted = (ids: number[]) => [...ids].sort((a, b) => a - b);
    const of = <T extends EngineEvent['type']>(type: T) =>
      events.filter((e): e is Extract<EngineEvent, { type: T }> => e.type === type);
    const migrated = of('migrated');
    // Every system left FIRE for Langevin once, and Langevin for the exit once.
    expect(sorted(migrated.filter((e) => e.from === 0 && e.to === 1).flatMap((e) => e.systems))).toEqual(all);
    expect(sorted(migrated.filter((e) => e.from === 1 && e.to === 'exit').flatMap((e) => e.systems))).toEqual(
      all,
    );
    expect(sorted(of('batch').flatMap((e) => e.admitted))).toEqual(all);
    expect(sorted(outcome.finished.map((b) => b.systemIds[0]!))).toEqual(all);
    for (const b of outcome.finished) expect(b.nAtoms).toBe(sizes[b.systemIds[0]!]);
    for (const e of of('batch')) {
      expect(e.resident).toBeLessThanOrEqual(48);
      expect(e.residentAtoms).toBeLessThanOrEqual(900);
    }
    // Most clusters converge well within the FIRE budget; the snapshots hold each converged one once.
    const converged = sorted(of('converged').flatMap((e) => e.systems));
    expect(converged.length).toBeGreaterThan(180);
    expect(new Set(converged).size).toBe(converged.length);
    const snapshotIds = sorted(outcome.frames.flatMap((f) => Array.from(f.systemIds)));
    expect(snapshotIds).toEqual(converged);
    // A converged snapshot shows its system at rest in a minimum: forces below the threshold.
    for (const f of outcome.frames.slice(0, 20)) {
      for (let s = 0; s < f.systemIds.length; s++) {
        let fmax = 0;
        for (let i = f.atomsPtr[s]!; i < f.atomsPtr[s + 1]!; i++)
          fmax = Math.max(fmax, Math.hypot(f.forces![3 * i]!, f.forces![3 * i + 1]!, f.forces![3 * i + 2]!));
        expect(fmax).toBeLessThan(0.02);
      }
    }
  }, 240_000);
});
