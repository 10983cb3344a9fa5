/**
 * A domain decomposition of browser Web Workers, each rank with its own GPUDevice, on real WebGPU
 * (issue 5): a hot argon liquid (256 atoms, Lennard-Jones) on a 2×1×1 grid of two workers matches
 * the same spec on one worker (grid 1×1×1, the same runtime) within DESIGN §3's tolerances after 50
 * NVE steps — energies, forces, positions within 1e-4 Å — with `rank` statuses from both workers and
 * frames carrying each atom's owner. A Web Worker killed mid-run (it fires no event: only its
 * silence tells) stops the run within 2 s, naming the rank and its box.
 */
import { describe, expect, it } from 'vitest';
import type { PipelineSpec, PipelineSpecInput } from '../../io/spec.ts';
import type { EngineEvent, LogRecord } from '../api.ts';
import { EngineHost } from '../host.ts';
import { buildSystem } from '../structures/index.ts';
import { DomainCoordinator, type DomainResult } from './coordinator.ts';
import { hotArgonSpec } from './domain.testing.ts';
import { browserDomainLaunch } from './launchBrowser.ts';

const spec = hotArgonSpec;

async function run(
  s: PipelineSpec,
  during?: (c: DomainCoordinator, events: EngineEvent[]) => void,
): Promise<{ result: DomainResult; events: EngineEvent[] }> {
  const events: EngineEvent[] = [];
  const coordinator = new DomainCoordinator({
    spec: s,
    system: buildSystem(s.system),
    listener: (e) => events.push(e),
    launch: browserDomainLaunch(),
    viewFrameIntervalMs: 0,
    // SwiftShader on a shared machine: a healthy worker may be descheduled for a while.
    unresponsiveMs: during ? 1500 : 10_000,
  });
  try {
    await coordinator.start();
    const running = coordinator.run();
    during?.(coordinator, events);
    return { result: await running, events };
  } finally {
    coordinator.destroy();
  }
}

const logs = (events: EngineEvent[]): LogRecord[] =>
  events.flatMap((e) => (e.type === 'log' ? [e.record] : []));

describe('domain decomposition of Web Workers on WebGPU', () => {
  it('2×1×1 matches 1×1×1 after 50 NVE steps within the f32 tolerances', async () => {
    const one = await run(spec([1, 1, 1], 50));
    const two = await run(spec([2, 1, 1], 50));
    for (const r of [one, two]) {
      expect(r.result.message).toBeUndefined();
      expect(r.result.end).toBe('completed');
      expect(r.result.step).toBe(50);
    }
    expect(two.events.find((e) => e.type === 'loaded')).toMatchObject({ nAtoms: 256 });
    const a = logs(two.events);
    const b = logs(one.events);
    expect(a.map((r) => r.step)).toEqual([0, 10, 20, 30, 40, 50]);
    expect(a.map((r) => r.step)).toEqual(b.map((r) => r.step));
    for (let k = 0; k < a.length; k++) {
      const e1 = a[k]!.potentialEnergy;
      const e0 = b[k]!.potentialEnergy;
      expect(Math.abs(e1 - e0) / Math.abs(e0), `energy at step ${a[k]!.step}`).toBeLessThan(1e-5);
    }
    const got = two.result.atoms!;
    const want = one.result.atoms!;
    let dx = 0;
    for (let k = 0; k < got.positions.length; k++)
      dx = Math.max(dx, Math.abs(got.positions[k]! - want.positions[k]!));
    expect(dx, 'positions, Å').toBeLessThan(1e-4);
    for (let k = 0; k < got.forces.length; k++) {
      const tol = 1e-4 + 1e-3 * Math.abs(want.forces[k]!);
      if (Math.abs(got.forces[k]! - want.forces[k]!) > tol)
        expect.fail(`force component ${k}: ${got.forces[k]} vs ${want.forces[k]}`);
    }
    // Both workers reported; each owns part of the system.
    const owners = new Set(got.owner);
    expect([...owners].sort()).toEqual([0, 1]);
    const done = [0, 1].map((r) =>
      two.events.findLast((e) => e.type === 'rank' && e.rank === r && e.state === 'done'),
    );
    expect(done.every((e) => e?.type === 'rank' && e.owned > 0 && e.ghosts > 0)).toBe(true);
    const frame = two.events.findLast((e) => e.type === 'frame');
    expect(frame?.type === 'frame' ? frame.frame.owner?.length : 0).toBe(256);
  });

  it('a Web Worker killed mid-run is detected from its silence within 2 s', async () => {
    let killedAt = 0;
    const { result, events } = await run(spec([2, 1, 1], 1_000_000), (c, seen) => {
      const poll = setInterval(() => {
        if (seen.some((e) => e.type === 'rank' && e.rank === 1 && e.step > 0)) {
          clearInterval(poll);
          killedAt = performance.now();
          c.kill(1);
        }
      }, 5);
    });
    const endedAt = performance.now();
    expect(killedAt).toBeGreaterThan(0);
    expect(endedAt - killedAt).toBeLessThan(2000);
    expect(result.end).toBe('error');
    expect(result.message).toMatch(
      /^rank 1 at \(1, 0, 0\), box a 0\.5–1, b 0–1, c 0–1 of the cell .*stopped answering/,
    );
    expect(events.find((e) => e.type === 'worker-failed')).toMatchObject({
      worker: 1,
      reason: 'unresponsive',
    });
  });

  it('the engine host runs a domain spec on nested workers, its snapshots in the host sinks', async () => {
    const host = new EngineHost();
    const events: EngineEvent[] = [];
    const input: PipelineSpecInput = {
      version: 1,
      system: {
        kind: 'fcc',
        element: 'Ar',
        mass: 39.948,
        latticeConstant: 5.7,
        repeat: [4, 4, 4],
        temperature: 200,
      },
      potential: { kind: 'lennard-jones', epsilon: 0.0104, sigma: 3.4, cutoff: 8.5, shift: true },
      stages: [{ kind: 'nve', steps: 20, dt: 5, hooks: [{ kind: 'snapshot', every: 10, sink: 'host' }] }],
      placement: { kind: 'domain', grid: [2, 1, 1] },
    };
    await host.load(input, (e) => events.push(e));
    expect(events.find((e) => e.type === 'loaded')).toMatchObject({
      nAtoms: 256,
      adapter: expect.stringMatching(/^2 WebGPU workers \(grid 2×1×1\)/),
    });
    expect(await host.run()).toBe('completed');
    const frames = await host.snapshots();
    expect(frames.map((f) => f.step)).toEqual([10, 20]);
    expect(frames[1]!.positions.length).toBe(3 * 256);
    expect(new Set(events.flatMap((e) => (e.type === 'rank' ? [e.rank] : [])))).toEqual(new Set([0, 1]));
    expect(events.findLast((e) => e.type === 'end')).toMatchObject({ reason: 'completed', step: 20 });
  });
});
