/**
 * Velocity Verlet on a decomposition with re-neighbouring and migration: equal to the single-rank
 * f64 run, NULL atoms crossing boundaries, and no atom lost or duplicated over thousands of steps.
 */
import { describe, expect, it } from 'vitest';
import type { Batch } from '../batch.ts';
import { cloneBatch } from '../batch.ts';
import { nveStep } from '../reference/dynamics.ts';
import { type LennardJonesParams, lennardJonesReference } from '../reference/lennardJones.ts';
import { randomTriclinicBatch } from '../reference/testing.ts';
import { mulberry32, normal } from '../structures/random.ts';
import { ACCELERATION_PER_FORCE_OVER_MASS, BOLTZMANN_EV_PER_K } from '../units.ts';
import { runOnGrid } from './domain.testing.ts';
import { lennardJonesFull, lennardJonesHalf, reverseLocalForces } from './lennardJones.ts';
import { velocityVerletStep } from './nve.ts';
import type { DomainRank } from './rank.ts';
import { allreduce } from './reduce.ts';

const LJ: LennardJonesParams = { epsilon: 0.0104, sigma: 3.4, cutoff: 8.5, shift: true };
const ARGON = 39.948;

/** Argon-like liquid with Maxwell velocities at `temperature` K; NULL atoms get `nullSpeed` Å/fs along x. */
function liquid(n: number, l: number, temperature: number, seed: number, nullSpeed = 0): Batch {
  const rnd = mulberry32(seed);
  const b = randomTriclinicBatch(n, [l, 0, 0, 0, l, 0, 0, 0, l], 3.2, rnd, [0, 0, 0, 0, 0, -1]);
  b.masses.fill(ARGON);
  const sd = Math.sqrt((BOLTZMANN_EV_PER_K * temperature * ACCELERATION_PER_FORCE_OVER_MASS) / ARGON);
  for (let k = 0; k < 3 * n; k++) b.velocities[k] = sd * normal(rnd);
  for (let i = 0; i < n; i++) {
    if (b.types[i] === -1 && nullSpeed > 0) b.velocities[3 * i] = (i % 2 === 0 ? 1 : -1) * nullSpeed;
  }
  return b;
}

/** Unwrapped positions of owned atoms by id (collective-free). */
function unwrappedById(rank: DomainRank): Map<number, number[]> {
  const u = rank.unwrappedPositions();
  const out = new Map<number, number[]>();
  for (let i = 0; i < rank.nLocal; i++) out.set(rank.id[i]!, [u[3 * i]!, u[3 * i + 1]!, u[3 * i + 2]!]);
  return out;
}

/** Checks (collectively, with a sum over ranks) that every atom id is owned exactly once. */
async function checkOwnership(rank: DomainRank, nAtoms: number, step: number): Promise<void> {
  const count = new Float64Array(nAtoms);
  for (let i = 0; i < rank.nLocal; i++) count[rank.id[i]!]! += 1;
  const total = await allreduce(rank.transport, count, 'sum', rank.nextTag('ids'));
  const bad = total.findIndex((c) => c !== 1);
  if (bad >= 0) throw new Error(`step ${step}: atom ${bad} is owned by ${total[bad]} ranks`);
}

describe('decomposition: velocity Verlet with migration', () => {
  it.each([
    { name: '2×2×2, full list, re-neighbouring every step', dims: [2, 2, 2], half: false, every: 1, skin: 0 },
    {
      name: '4×1×1, half list + reverse, re-neighbouring every step',
      dims: [4, 1, 1],
      half: true,
      every: 1,
      skin: 0,
    },
    {
      name: '2×2×2, half list, re-neighbouring every 10 steps (forward x between)',
      dims: [2, 2, 2],
      half: true,
      every: 10,
      skin: 1.0,
    },
  ] as const)('$name: 100 steps equal the single-rank run within 1e-9 Å', async (c) => {
    // NULL atoms run at 0.06 Å/fs: 12 Å in 100 steps, across two boxes.
    const batch = liquid(100, 17.4, 300, 5, 0.06);
    const dt = 2;
    const steps = 100;
    const ref = cloneBatch(batch);
    let f = lennardJonesReference(ref, LJ);
    for (let s = 0; s < steps; s++) f = nveStep(ref, f, (b) => lennardJonesReference(b, LJ), dt);
    const force = async (rank: DomainRank) => {
      if (!c.half) return lennardJonesFull(rank, LJ);
      const h = lennardJonesHalf(rank, LJ);
      await reverseLocalForces(rank, h);
      return h;
    };
    const crossings = new Float64Array(1);
    const parts = await runOnGrid(batch, [...c.dims], LJ.cutoff + c.skin, async (rank) => {
      let lf = await force(rank);
      for (let s = 1; s <= steps; s++) {
        const before = new Set(rank.id.subarray(0, rank.nLocal));
        lf = await velocityVerletStep(rank, lf, force, dt, s % c.every === 0);
        for (let i = 0; i < rank.nLocal; i++)
          if (!before.has(rank.id[i]!) && rank.type[i] === -1) crossings[0]!++;
        if (s % c.every === 0) await checkOwnership(rank, batch.nAtoms, s);
      }
      return unwrappedById(rank);
    });
    let err = 0;
    let seen = 0;
    for (const m of parts) {
      for (const [id, r] of m) {
        seen++;
        for (let a = 0; a < 3; a++) err = Math.max(err, Math.abs(r[a]! - ref.positions[3 * id + a]!));
      }
    }
    expect(seen).toBe(batch.nAtoms);
    expect(err).toBeLessThan(1e-9);
    expect(crossings[0]).toBeGreaterThan(5); // NULL atoms did migrate
  });

  it('a hot LJ fluid on 2×2×2: no atom lost or duplicated over 3000 steps (ids checked every step)', async () => {
    const batch = liquid(64, 17.4, 2500, 9);
    const force = async (rank: DomainRank) => lennardJonesFull(rank, LJ);
    const migrated = new Float64Array(1);
    await runOnGrid(batch, [2, 2, 2], LJ.cutoff, async (rank) => {
      let lf = await force(rank);
      for (let s = 1; s <= 3000; s++) {
        const before = new Set(rank.id.subarray(0, rank.nLocal));
        lf = await velocityVerletStep(rank, lf, force, 2, true);
        for (let i = 0; i < rank.nLocal; i++) if (!before.has(rank.id[i]!)) migrated[0]!++;
        await checkOwnership(rank, batch.nAtoms, s);
      }
    });
    expect(migrated[0]).toBeGreaterThan(300); // ~700 migrations in practice
  });
});
