/**
 * The DomainEngine's Engine contract on in-process ranks against the f64 CPU engine: reduced
 * statistics, per-atom reads gathered by id, writes scattered by id, constraints, re-neighbouring
 * counts, and errors that propagate through the command chain.
 */
import { describe, expect, it } from 'vitest';
import type { PotentialSpec } from '../../io/spec.ts';
import type { SystemStats } from '../api.ts';
import type { Batch } from '../batch.ts';
import { cloneBatch } from '../batch.ts';
import { CpuEngine } from '../cpu/engine.ts';
import type { Engine } from '../gpu/types.ts';
import { randomTriclinicBatch } from '../reference/testing.ts';
import { mulberry32, normal } from '../structures/random.ts';
import { relativeError } from './domain.testing.ts';
import { DomainEngine } from './domainEngine.ts';
import { runRanks } from './inProcess.ts';
import { createReferenceForceField } from './referenceForces.ts';

const LJ: PotentialSpec = { kind: 'lennard-jones', epsilon: 0.0104, sigma: 3.4, cutoff: 8.5, shift: true };

function fluid(seed: number): Batch {
  const rnd = mulberry32(seed);
  const b = randomTriclinicBatch(60, [16.5, 0, 0, 2, 16, 0, -1.5, 1, 15.5], 3.2, rnd, [0, 0, 0, 0, -1]);
  b.masses.fill(39.948);
  for (let k = 0; k < b.velocities.length; k++) b.velocities[k] = 0.005 * normal(rnd);
  return b;
}

/** The same calls on any engine: compute, stats; returns the stats. */
async function computeAndStats<C>(engine: Engine<C>): Promise<SystemStats> {
  const c = engine.begin('test');
  engine.encodeCompute(c);
  engine.encodeStats(c);
  engine.submit(c);
  return engine.readStats();
}

function expectStats(got: SystemStats, want: SystemStats): void {
  for (const key of ['potentialEnergy', 'kineticEnergy', 'temperature', 'maxForce', 'virial'] as const) {
    expect(relativeError(got[key], want[key]), key).toBeLessThan(1e-12);
  }
}

describe('DomainEngine', () => {
  it('statistics reduced over ranks and atoms gathered by id equal the CPU engine (triclinic, NULL atoms)', async () => {
    const batch = fluid(4);
    const cpu = new CpuEngine(batch, LJ);
    const want = await computeAndStats(cpu);
    const exact = cpu.readExact();
    const parts = await runRanks(4, async (transport) => {
      const engine = new DomainEngine({
        transport,
        dims: [2, 2, 1],
        system: cloneBatch(batch),
        forceField: createReferenceForceField(LJ),
        skin: 1,
      });
      const stats = await computeAndStats(engine);
      const atoms = await engine.gatherAtoms();
      const f32 = await engine.readAtoms();
      return { stats, atoms, f32, counters: engine.counters(), rebuilds: await engine.readRebuildCount() };
    });
    for (const p of parts) {
      expectStats(p.stats, want);
      expect(p.stats.stress![0]).toBeCloseTo(-p.stats.virial[0]! / (16.5 * 16 * 15.5), 15);
      expect(relativeError(p.atoms.positions, batch.positions)).toBeLessThan(1e-15);
      expect(relativeError(p.atoms.forces, exact.forces.forces)).toBeLessThan(1e-12);
      expect(relativeError(p.atoms.energies, exact.forces.energies)).toBeLessThan(1e-12);
      expect(relativeError(p.atoms.virials, exact.forces.atomVirial)).toBeLessThan(1e-12);
      expect(Array.from(p.f32.positions)).toEqual(Array.from(Float32Array.from(batch.positions)));
      expect(p.rebuilds).toBe(1);
    }
    // Owners as the counters say: every rank owns what the gather says it owns.
    const owner = parts[0]!.atoms.owner;
    expect(parts.map((_, r) => owner.filter((o) => o === r).length)).toEqual(
      parts.map((p) => p.counters.owned),
    );
    expect(parts.reduce((n, p) => n + p.counters.nullOwned, 0)).toBe(12);
  });

  it('writeAtoms scatters by id (atoms cross boxes), constraints by id, zeroVelocities, rebuild counts', async () => {
    const batch = fluid(6);
    const shifted = batch.positions.map((x, k) => x + (k % 3 === 0 ? 7.3 : -4.1));
    const v = batch.velocities.map((x) => 2 * x);
    const frozen = new Uint8Array(batch.nAtoms);
    frozen[3] = frozen[17] = frozen[44] = 1;
    const script = async <C>(engine: Engine<C>) => {
      await computeAndStats(engine);
      engine.writeAtoms(shifted, v);
      engine.setConstraints({ frozen, maxForce: Float64Array.of(0.03) });
      const constrained = await computeAndStats(engine);
      engine.setConstraints({ frozen: null });
      const lifted = await computeAndStats(engine);
      await engine.zeroVelocities([0]);
      const still = await computeAndStats(engine);
      return { constrained, lifted, still };
    };
    const want = await script(new CpuEngine(batch, LJ));
    const parts = await runRanks(8, async (transport) => {
      const engine = new DomainEngine({
        transport,
        dims: [2, 2, 2],
        system: cloneBatch(batch),
        forceField: createReferenceForceField(LJ),
        skin: 1,
      });
      const got = await script(engine);
      const rebuilds = await engine.readRebuildCount();
      engine.requestRebuild();
      await computeAndStats(engine);
      return { got, rebuilds, after: await engine.readRebuildCount(), atoms: await engine.gatherAtoms() };
    });
    for (const p of parts) {
      expectStats(p.got.constrained, want.constrained);
      expectStats(p.got.lifted, want.lifted);
      expectStats(p.got.still, want.still);
      expect(p.got.constrained.maxForce[0]).toBeCloseTo(0.03, 12);
      expect(p.got.still.kineticEnergy[0]).toBe(0);
      // First compute and writeAtoms re-neighbour; positions unchanged since: no more until requested.
      expect(p.rebuilds).toBe(2);
      expect(p.after).toBe(3);
    }
    // requestRebuild wraps positions into the cell, as the CPU engine does at its next compute.
    const pos = parts[0]!.atoms.positions;
    for (let i = 0; i < batch.nAtoms; i++) expect(pos[3 * i]! >= -1.5 && pos[3 * i]! < 16.5 + 2).toBe(true);
  });

  it('a force field with virials on request is asked for them only when they are read', async () => {
    const batch = fluid(5);
    const cpu = new CpuEngine(batch, LJ);
    const want = await computeAndStats(cpu);
    const parts = await runRanks(2, async (transport) => {
      const ff = createReferenceForceField(LJ);
      const asked: boolean[] = [];
      const engine = new DomainEngine({
        transport,
        dims: [2, 1, 1],
        system: cloneBatch(batch),
        forceField: {
          ...ff,
          virialsOnRequest: true,
          compute: async (rank, request) => {
            asked.push(request.virial);
            const f = await ff.compute(rank, request);
            if (!request.virial) {
              f.virial.fill(0);
              f.atomVirial.fill(0);
            }
            return f;
          },
        },
        skin: 1,
      });
      const compute = () => {
        const c = engine.begin('compute');
        engine.encodeCompute(c);
        engine.submit(c);
      };
      compute(); // the first evaluation computes virials
      compute();
      compute();
      const stats = await computeAndStats(engine); // skipped: evaluated again with virials
      compute(); // the last ones were read: asked again
      compute();
      const atoms = await engine.gatherAtoms(); // evaluated again
      return { asked, stats, atoms };
    });
    for (const p of parts) {
      expect(p.asked).toEqual([true, false, false, false, true, true, false, true]);
      expectStats(p.stats, want);
      expect(relativeError(p.atoms.virials, cpu.readExact().forces.atomVirial)).toBeLessThan(1e-12);
    }
  });

  it('a failing force field: reads reject with its error, later commands do not run', async () => {
    const batch = fluid(7);
    const result = await runRanks(1, async (transport) => {
      let calls = 0;
      const ff = createReferenceForceField(LJ);
      const engine = new DomainEngine({
        transport,
        dims: [1, 1, 1],
        system: cloneBatch(batch),
        forceField: {
          ...ff,
          compute: async (rank, request) => {
            calls++;
            throw new Error(`cannot compute (call ${calls}, ${rank.nLocal} atoms, energy ${request.energy})`);
          },
        },
        skin: 1,
      });
      const first = await computeAndStats(engine).catch((e: Error) => e.message);
      const second = await computeAndStats(engine).catch((e: Error) => e.message);
      const zero = await engine.zeroVelocities().catch((e: Error) => e.message);
      return { first, second, zero, calls };
    });
    expect(result[0]).toEqual({
      first: 'cannot compute (call 1, 60 atoms, energy true)',
      second: 'cannot compute (call 1, 60 atoms, energy true)',
      zero: 'cannot compute (call 1, 60 atoms, energy true)',
      calls: 1,
    });
  });

  it('refuses what it cannot do with clear messages, changing nothing', async () => {
    const batch = fluid(8);
    await runRanks(2, async (transport) => {
      const engine = new DomainEngine({
        transport,
        dims: [2, 1, 1],
        system: cloneBatch(batch),
        forceField: createReferenceForceField(LJ),
        skin: 1,
      });
      expect(() => engine.reload(batch)).toThrow(/cannot reload/);
      expect(() => engine.writeAtoms(new Float64Array(3), new Float64Array(3))).toThrow(/expected 3 × 60/);
      expect(() => engine.writeStatus(Int32Array.of(0, 0))).toThrow(/expected 1 status code/);
      expect(() => engine.setConstraints({ frozen: new Uint8Array(5) })).toThrow(/one per atom \(60\)/);
      await expect(engine.zeroVelocities([1])).rejects.toThrow(/out of range/);
      const stats = await computeAndStats(engine);
      expect(stats.kineticEnergy[0]).toBeGreaterThan(0);
    });
    const two: Batch = { ...batch, nSystems: 2, atomsPtr: Int32Array.of(0, 30, 60) };
    await expect(
      runRanks(1, async (transport) => {
        new DomainEngine({
          transport,
          dims: [1, 1, 1],
          system: two,
          forceField: createReferenceForceField(LJ),
          skin: 1,
        });
      }),
    ).rejects.toThrow('a domain decomposition runs one system; the batch has 2');
  });
});
