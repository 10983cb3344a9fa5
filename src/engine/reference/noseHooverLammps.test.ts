/**
 * LAMMPS parity of the Nosé–Hoover chain reference: 200 steps of `fix nvt temp T T Tdamp tchain M`
 * (with the fix's temperature compute at N_f = 3N, `extra/dof 0`) against noseHooverStep, f64
 * against f64, on a small argon crystal heated from 40 K towards 85 K by a fast thermostat.
 */
import { describe, expect, test } from 'vitest';
import {
  lammpsBoundary,
  lammpsDataFile,
  lammpsTypes,
  parseDumpRows,
  runLammps,
} from '../../../scripts/lammps.ts';
import { lammpsPairLines } from '../../../scripts/lammpsPair.ts';
import { cloneBatch } from '../batch.ts';
import { buildFcc } from '../structures/fcc.ts';
import { lennardJonesReference } from './lennardJones.ts';
import { initialNoseHooverChain, type NoseHooverParams, noseHooverStep } from './noseHoover.ts';

const STEPS = 200;
const argon = { epsilon: 0.0104, sigma: 3.4, cutoff: 8.5, shift: false };

describe('Nosé–Hoover chain vs LAMMPS fix nvt', () => {
  test.each([1, 3])('tchain %i: 200 steps agree to 1e-5 Å and 1e-7 Å/fs', async (chainLength) => {
    const batch = buildFcc({
      kind: 'fcc',
      element: 'Ar',
      mass: 39.948,
      latticeConstant: 5.26,
      repeat: [3, 3, 3],
      voidRadius: 0,
      temperature: 40,
      jitter: 0.05,
      seed: 12,
    });
    const p: NoseHooverParams = { dt: 5, temperature: 85, tau: 50, chainLength };
    const deck = [
      'units metal',
      'atom_style atomic',
      'atom_modify map array',
      `boundary ${lammpsBoundary(batch, 0)}`,
      'read_data data.lmp',
      ...lammpsPairLines(lammpsTypes(batch, 0), { kind: 'lennard-jones', ...argon }),
      'neighbor 1.0 bin',
      'neigh_modify every 1 delay 0 check yes',
      `timestep ${p.dt / 1000}`,
      `fix thermostat all nvt temp ${p.temperature} ${p.temperature} ${p.tau / 1000} tchain ${chainLength}`,
      'compute_modify thermostat_temp extra/dof 0',
      'thermo 0',
      `run ${STEPS}`,
      'write_dump all custom traj.txt id xu yu zu vx vy vz modify sort id format float %.17g',
      '',
    ].join('\n');
    const run = await runLammps(
      {
        'data.lmp': lammpsDataFile(batch, 0, { velocities: true, velocityScale: 1000, margin: 5 }),
        'in.lmp': deck,
      },
      ['traj.txt'],
    );
    const rows = parseDumpRows(run.files.get('traj.txt')!);
    expect(rows.length).toBe(batch.nAtoms);

    const traj = cloneBatch(batch);
    const forceFn = (b: typeof batch) => lennardJonesReference(b, argon);
    const chains = [initialNoseHooverChain(chainLength)];
    let f = forceFn(traj);
    for (let k = 0; k < STEPS; k++) f = noseHooverStep(traj, f, forceFn, p, chains);

    const l = batch.cells[0]!;
    let dx = 0;
    let dv = 0;
    let moved = 0;
    for (const row of rows) {
      const i = row[0]! - 1;
      for (let a = 0; a < 3; a++) {
        const d = traj.positions[3 * i + a]! - row[1 + a]!;
        dx = Math.max(dx, Math.abs(d - Math.round(d / l) * l));
        dv = Math.max(dv, Math.abs(traj.velocities[3 * i + a]! - row[4 + a]! / 1000));
        moved = Math.max(moved, Math.abs(traj.positions[3 * i + a]! - batch.positions[3 * i + a]!));
      }
    }
    console.info(
      `NHC tchain ${chainLength}: moved ${moved.toFixed(3)} Å, η₁ ${chains[0]!.eta[0]!.toFixed(3)}, |Δr| ${dx.toExponential(2)} Å, |Δv| ${dv.toExponential(2)} Å/fs`,
    );
    expect(moved).toBeGreaterThan(0.1);
    expect(Math.abs(chains[0]!.eta[0]!)).toBeGreaterThan(0.05); // the thermostat acted
    // LAMMPS's metal-units kB (8.617343e-5 eV/K) differs from CODATA's by 1e-6: the rest is rounding.
    expect(dx).toBeLessThan(1e-5);
    expect(dv).toBeLessThan(1e-7);
  });
});
