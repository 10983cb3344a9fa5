/**
 * Declares the ASE browser commands that vitest.config.ts registers (their server side is
 * scripts/ase.ts): GPU tests send a plain batch and get ASE's FIRE minima or velocity-Verlet
 * trajectory back. Import this module (for its types) in a test that calls them.
 */
import type { AseFireParams, AseFireResult, AseLennardJones, AseVerletResult } from '../../../scripts/ase.ts';
import type { PlainBatch } from './plain.ts';

export type { AseFireParams, AseFireResult, AseLennardJones, AseVerletResult };

/** One ASE time unit (Å·sqrt(amu/eV)) in fs: 1 / ase.units.fs. */
export const ASE_TIME_UNIT_FS = 10.1805056712;

declare module 'vitest/browser' {
  interface BrowserCommands {
    /**
     * ASE's FIRE (massless) with `LennardJones(rc, smooth=False)` on every system of the batch, to
     * max |F| < fmax (scripts/ase.ts `aseFire`; dt, dtMax in fs), over `processes` Python processes
     * side by side (default 1).
     */
    aseFire: (
      batch: PlainBatch,
      lj: AseLennardJones,
      params: AseFireParams,
      processes?: number,
    ) => Promise<AseFireResult>;
    /**
     * `steps` steps of ASE's VelocityVerlet (time step `dt` fs) of system `s` (scripts/ase.ts
     * `aseVelocityVerlet`): final unwrapped positions (Å) and velocities (Å/fs).
     */
    aseVelocityVerlet: (
      batch: PlainBatch,
      s: number,
      lj: AseLennardJones,
      dt: number,
      steps: number,
    ) => Promise<AseVerletResult>;
  }
}
