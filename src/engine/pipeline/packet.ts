/**
 * What a system carries from one pipeline worker to the next (issue 8): its atoms (positions,
 * velocities, forces, masses, types, atomic numbers), cell and periodicity, stable id, exit status
 * and history (the segments it went through, with steps per sub-stage), plus its neighbor-pair count
 * for the links' edge capacity. Plain data: every typed array's buffer is transferred, not copied.
 */
import type { GnnModel } from '../../io/gnnWeights.ts';
import type { PotentialSpec } from '../../io/spec.ts';
import type { StageVisit } from '../api.ts';
import type { Batch } from '../batch.ts';
import type { EamTabulation } from '../potentials/eamTabulation.ts';
import type { StreamSystem } from '../runner.ts';

/** One system in flight between workers. */
export interface SystemPacket {
  /** A one-system batch: Å, Å/fs, amu. */
  system: Batch;
  /** Forces at its positions when it left, eV/Å (absent for systems from the sampler). */
  forces?: Float64Array;
  /** Status code it left its segment with. */
  status?: number;
  /** Segments it went through, in order. */
  history: StageVisit[];
  /** Neighbor pairs within the potential cutoff (counted when it was sent). */
  edges: number;
}

/** The packet of a system leaving a runner (its arrays are its own: the runner hands over copies). */
export function toPacket(x: StreamSystem, edges: number): SystemPacket {
  return {
    system: x.system,
    ...(x.forces ? { forces: x.forces } : {}),
    ...(x.status !== undefined ? { status: x.status } : {}),
    history: x.history,
    edges,
  };
}

/** The system a runner admits from a packet. */
export function fromPacket(p: SystemPacket): StreamSystem {
  return {
    system: p.system,
    history: p.history,
    ...(p.forces ? { forces: p.forces } : {}),
    ...(p.status !== undefined ? { status: p.status } : {}),
  };
}

/** The ArrayBuffers of packets, for postMessage's transfer list (each buffer once). */
export function packetTransfer(packets: readonly SystemPacket[]): ArrayBuffer[] {
  const out = new Set<ArrayBuffer>();
  for (const p of packets) {
    const b = p.system;
    for (const a of [
      b.atomsPtr,
      b.positions,
      b.velocities,
      b.masses,
      b.types,
      b.atomicNumbers,
      b.cells,
      b.pbc,
      b.systemIds,
      ...(p.forces ? [p.forces] : []),
    ]) {
      if (a.buffer instanceof ArrayBuffer) out.add(a.buffer);
    }
  }
  return [...out];
}

/** The cutoff of a potential, Å: the spec's, the EAM tables' (LAMMPS's cutmax) or the GNN model's rcut. */
export function potentialCutoff(
  potential: PotentialSpec,
  tables?: EamTabulation,
  gnnModel?: GnnModel,
): number {
  switch (potential.kind) {
    case 'lennard-jones':
    case 'morse':
      return potential.cutoff;
    case 'eam':
      if (!tables) throw new Error(`the EAM potential ${potential.file} needs its tables`);
      return tables.cutoff;
    case 'gnn':
      if (!gnnModel) throw new Error(`the GNN potential ${potential.model} needs its model`);
      return gnnModel.config.rcut;
  }
}

/**
 * Neighbor pairs (i < j, NULL atoms left out) of a one-system batch closer than `cutoff` (Å), in
 * f64, with the nearest periodic image along periodic axes of its restricted triclinic cell. O(N²):
 * the links' edge budget is a capacity check, and the systems that travel between workers are small
 * compared with the cost of stepping them (N = 2,000 atoms: 2·10⁶ distances, a few ms).
 */
export function countEdges(system: Batch, cutoff: number): number {
  const n = system.nAtoms;
  const p = system.positions;
  const c = system.cells;
  const [lx, xy, ly, xz, yz, lz] = [c[0]!, c[3]!, c[4]!, c[6]!, c[7]!, c[8]!];
  const [pa, pb, pc] = [system.pbc[0] === 1, system.pbc[1] === 1, system.pbc[2] === 1];
  const periodic = pa || pb || pc;
  const rc2 = cutoff * cutoff;
  let edges = 0;
  for (let i = 0; i < n; i++) {
    if (system.types[i]! < 0) continue;
    for (let j = i + 1; j < n; j++) {
      if (system.types[j]! < 0) continue;
      let dx = p[3 * j]! - p[3 * i]!;
      let dy = p[3 * j + 1]! - p[3 * i + 1]!;
      let dz = p[3 * j + 2]! - p[3 * i + 2]!;
      if (periodic) {
        // Fractional coordinates in the cell rows a = (lx,0,0), b = (xy,ly,0), c = (xz,yz,lz).
        let fc = dz / lz;
        if (pc) fc -= Math.round(fc);
        let fb = (dy - fc * yz) / ly;
        if (pb) fb -= Math.round(fb);
        let fa = (dx - fb * xy - fc * xz) / lx;
        if (pa) fa -= Math.round(fa);
        dx = fa * lx + fb * xy + fc * xz;
        dy = fb * ly + fc * yz;
        dz = fc * lz;
      }
      if (dx * dx + dy * dy + dz * dz < rc2) edges++;
    }
  }
  return edges;
}
