/**
 * The LAMMPS parity matrix (issue 3): every potential the workbench shares with LAMMPS on every kind
 * of structure that trips up force codes — bulk crystal, liquid, surface slab with vacuum, triclinic
 * cell, a cell smaller than twice the cutoff, and NULL atoms. One module, so that the f64 reference
 * tests and the GPU tests run exactly the same cases. Deterministic (seeded); no Node imports (EAM
 * potential files are named by path under {@link LAMMPS_POTENTIALS}; tests read them).
 */
import type { PotentialSpec } from '../../io/spec.ts';
import type { Batch } from '../batch.ts';
import { rotateVectors, toRestrictedTriclinic } from '../cell.ts';
import { setMaxwellBoltzmann } from './fcc.ts';
import { mulberry32, randomPositions } from './random.ts';

/** Debian's lammps-data potential directory (scripts/ensure-system-deps.sh installs it). */
export const LAMMPS_POTENTIALS = '/usr/share/lammps/potentials';

/** A material of the matrix: a potential and the crystal it describes. */
export interface ParityMaterial {
  name: string;
  potential: PotentialSpec;
  lattice: 'fcc' | 'bcc';
  /** Cubic lattice constant, Å. */
  latticeConstant: number;
  /** Conventional cells per axis of the bulk crystal (its cell exceeds 2 × cutoff). */
  repeat: number;
  /** Conventional cells per axis of the small cell (below 2 × cutoff). */
  smallRepeat: number;
  /** Fraction of atoms of each potential type (types 0, 1, …). */
  typeFractions: number[];
  /** Mass per potential type, amu (EAM: LAMMPS takes masses from the file; tests overwrite with them). */
  masses: number[];
  /** Atomic number per potential type. */
  atomicNumbers: number[];
  /** Initial temperature of the NVE runs, K. */
  temperature: number;
  /** Time step of the NVE runs, fs. */
  dt: number;
  /**
   * Potential type that the NULL-atom structure adds as an element `NULL` (EAM only: the element
   * list gets one more entry `NULL`); atoms of type −1 are added in every material.
   */
  nullElementType?: number;
}

/** Structures of the matrix. */
export const PARITY_STRUCTURES = ['crystal', 'liquid', 'slab', 'triclinic', 'small', 'null'] as const;
export type ParityStructure = (typeof PARITY_STRUCTURES)[number];

const eamFile = (name: string) => `${LAMMPS_POTENTIALS}/${name}`;

/** The materials: LJ argon, Morse copper, and EAM funcfl Cu, setfl Cu–Ni, Finnis–Sinclair Fe–Al. */
export const PARITY_MATERIALS: readonly ParityMaterial[] = [
  {
    name: 'lj-argon',
    potential: { kind: 'lennard-jones', epsilon: 0.0104, sigma: 3.4, cutoff: 8.5, shift: true },
    lattice: 'fcc',
    latticeConstant: 5.26,
    repeat: 4,
    smallRepeat: 2,
    typeFractions: [1],
    masses: [39.948],
    atomicNumbers: [18],
    temperature: 60,
    dt: 4,
  },
  {
    name: 'morse-copper',
    // Girifalco & Weizer's Morse copper.
    potential: { kind: 'morse', d0: 0.3429, alpha: 1.3588, r0: 2.866, cutoff: 6.0, shift: false },
    lattice: 'fcc',
    latticeConstant: 3.615,
    repeat: 4,
    smallRepeat: 2,
    typeFractions: [1],
    masses: [63.546],
    atomicNumbers: [29],
    temperature: 300,
    dt: 2,
  },
  {
    name: 'eam-funcfl-Cu_u3',
    potential: { kind: 'eam', style: 'eam', file: eamFile('Cu_u3.eam'), elements: ['Cu'] },
    lattice: 'fcc',
    latticeConstant: 3.615,
    repeat: 3,
    smallRepeat: 2,
    typeFractions: [1],
    masses: [63.55],
    atomicNumbers: [29],
    temperature: 300,
    dt: 2,
    nullElementType: 1,
  },
  {
    name: 'eam-alloy-CuNi',
    potential: { kind: 'eam', style: 'eam/alloy', file: eamFile('CuNi.eam.alloy'), elements: ['Cu', 'Ni'] },
    lattice: 'fcc',
    latticeConstant: 3.56,
    repeat: 4,
    smallRepeat: 2,
    typeFractions: [0.6, 0.4],
    masses: [63.546, 58.6934],
    atomicNumbers: [29, 28],
    temperature: 300,
    dt: 2,
    nullElementType: 2,
  },
  {
    name: 'eam-fs-AlFe',
    potential: { kind: 'eam', style: 'eam/fs', file: eamFile('AlFe_mm.eam.fs'), elements: ['Fe', 'Al'] },
    lattice: 'bcc',
    latticeConstant: 2.855,
    repeat: 5,
    smallRepeat: 3,
    typeFractions: [0.75, 0.25],
    masses: [55.845, 26.9815],
    atomicNumbers: [26, 13],
    temperature: 300,
    dt: 2,
    nullElementType: 2,
  },
];

/** One case of the matrix. */
export interface ParityCase {
  /** `material/structure`. */
  name: string;
  material: ParityMaterial;
  structure: ParityStructure;
  /** The potential of this case (the NULL structure of an EAM material lists one more, `NULL`, element). */
  potential: PotentialSpec;
  /** The structure, with Maxwell–Boltzmann velocities at the material's temperature. */
  build: () => Batch;
}

const BASES: Record<'fcc' | 'bcc', readonly (readonly [number, number, number])[]> = {
  fcc: [
    [0, 0, 0],
    [0.5, 0.5, 0],
    [0.5, 0, 0.5],
    [0, 0.5, 0.5],
  ],
  bcc: [
    [0, 0, 0],
    [0.5, 0.5, 0.5],
  ],
};

/** Fractional coordinates (in the supercell) of a cubic lattice of n³ conventional cells. */
function latticeFractions(lattice: 'fcc' | 'bcc', n: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      for (let k = 0; k < n; k++) {
        for (const b of BASES[lattice]) out.push((i + b[0]) / n, (j + b[1]) / n, (k + b[2]) / n);
      }
    }
  }
  return out;
}

/** Types drawn with the material's fractions (exact counts, shuffled). */
function drawTypes(n: number, fractions: readonly number[], random: () => number): Int32Array {
  const types = new Int32Array(n);
  let k = 0;
  fractions.forEach((f, t) => {
    const count = t === fractions.length - 1 ? n - k : Math.round(f * n);
    for (let c = 0; c < count && k < n; c++) types[k++] = t;
  });
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const x = types[i]!;
    types[i] = types[j]!;
    types[j] = x;
  }
  return types;
}

function makeBatch(
  m: ParityMaterial,
  positions: Float64Array,
  cell: Float64Array,
  pbc: readonly [boolean, boolean, boolean],
  types: Int32Array,
  seed: number,
): Batch {
  const n = types.length;
  const batch: Batch = {
    nAtoms: n,
    nSystems: 1,
    atomsPtr: Int32Array.of(0, n),
    positions,
    velocities: new Float64Array(3 * n),
    masses: Float64Array.from(types, (t) => m.masses[Math.max(0, t)] ?? m.masses[0]!),
    types,
    atomicNumbers: Int32Array.from(types, (t) => (t < 0 ? 0 : (m.atomicNumbers[t] ?? 0))),
    cells: cell,
    pbc: Uint8Array.from(pbc, (p) => (p ? 1 : 0)),
    systemIds: Int32Array.of(0),
  };
  setMaxwellBoltzmann(batch, m.temperature, mulberry32(seed + 1000));
  return batch;
}

/** Crystal sites of n³ conventional cells in `cell` (rows), jittered by ±jitter Å per coordinate. */
function crystal(m: ParityMaterial, n: number, cell: Float64Array, jitter: number, random: () => number) {
  const s = latticeFractions(m.lattice, n);
  const r = new Float64Array(s.length);
  for (let k = 0; k < s.length; k += 3) {
    for (let a = 0; a < 3; a++) {
      r[k + a] =
        s[k]! * cell[a]! + s[k + 1]! * cell[3 + a]! + s[k + 2]! * cell[6 + a]! + jitter * (2 * random() - 1);
    }
  }
  return r;
}

/** Builds one structure of a material. */
export function parityStructure(m: ParityMaterial, structure: ParityStructure, seed = 1): Batch {
  const random = mulberry32(seed);
  const a = m.latticeConstant;
  const cube = (l: number) => Float64Array.of(l, 0, 0, 0, l, 0, 0, 0, l);
  const all: [boolean, boolean, boolean] = [true, true, true];
  const sitesPerCell = BASES[m.lattice].length;
  switch (structure) {
    case 'crystal':
    case 'null': {
      const cell = cube(m.repeat * a);
      const r = crystal(m, m.repeat, cell, 0.05 * a, random);
      const types = drawTypes(r.length / 3, m.typeFractions, random);
      if (structure === 'null') {
        // Every 7th atom NULL (type −1); for EAM also every 5th of the rest of the NULL element type.
        for (let i = 0; i < types.length; i++) {
          if (i % 7 === 3) types[i] = -1;
          else if (m.nullElementType !== undefined && i % 5 === 1) types[i] = m.nullElementType;
        }
      }
      return makeBatch(m, r, cell, all, types, seed);
    }
    case 'small': {
      const cell = cube(m.smallRepeat * a);
      const r = crystal(m, m.smallRepeat, cell, 0.05 * a, random);
      return makeBatch(m, r, cell, all, drawTypes(r.length / 3, m.typeFractions, random), seed);
    }
    case 'liquid': {
      // 90 % of the crystal's density, no two atoms closer than 0.8 × the nearest-neighbour distance.
      const n = Math.min(160, sitesPerCell * m.repeat ** 3);
      const l = Math.cbrt((n * a ** 3) / sitesPerCell / 0.9);
      const nn = m.lattice === 'fcc' ? a / Math.SQRT2 : (a * Math.sqrt(3)) / 2;
      const r = randomPositions(n, [l, l, l], 0.8 * nn, seed);
      return makeBatch(m, r, cube(l), all, drawTypes(n, m.typeFractions, random), seed);
    }
    case 'slab': {
      // repeat × repeat × 2 conventional cells, z open with vacuum above and below.
      const vacuum = 8;
      const cell = Float64Array.of(m.repeat * a, 0, 0, 0, m.repeat * a, 0, 0, 0, 2 * a);
      const s = latticeFractions(m.lattice, 1);
      const sites: number[] = [];
      for (let i = 0; i < m.repeat; i++) {
        for (let j = 0; j < m.repeat; j++) {
          for (let k = 0; k < 2; k++) {
            for (let b = 0; b < s.length; b += 3) {
              sites.push((i + s[b]!) * a, (j + s[b + 1]!) * a, (k + s[b + 2]!) * a + vacuum);
            }
          }
        }
      }
      const r = Float64Array.from(sites, (x) => x + 0.05 * a * (2 * random() - 1));
      cell[8] = 2 * a + 2 * vacuum;
      const types = drawTypes(r.length / 3, m.typeFractions, random);
      return makeBatch(m, r, cell, [true, true, false], types, seed);
    }
    case 'triclinic': {
      // A sheared supercell, rotated into a general orientation, then brought back to LAMMPS's
      // restricted form by toRestrictedTriclinic (positions rotated with it).
      const l = m.repeat * a;
      const sheared = Float64Array.of(l, 0, 0, 0.11 * l, l, 0, -0.07 * l, 0.09 * l, l);
      const r0 = crystal(m, m.repeat, sheared, 0.05 * a, random);
      const rot = rotationMatrix(0.3, -0.5, 0.8);
      const general = rotateVectors(rot, sheared);
      const { cell, rotation } = toRestrictedTriclinic(general);
      const r = rotateVectors(rotation, rotateVectors(rot, r0));
      return makeBatch(m, r, cell, all, drawTypes(r.length / 3, m.typeFractions, random), seed);
    }
  }
}

/** Rotation by Euler angles (z, y, z), row-major. */
function rotationMatrix(alpha: number, beta: number, gamma: number): Float64Array {
  const rz = (t: number) => [Math.cos(t), -Math.sin(t), 0, Math.sin(t), Math.cos(t), 0, 0, 0, 1];
  const ry = (t: number) => [Math.cos(t), 0, Math.sin(t), 0, 1, 0, -Math.sin(t), 0, Math.cos(t)];
  const mul = (x: number[], y: number[]) =>
    Array.from({ length: 9 }, (_, k) => {
      const i = Math.floor(k / 3);
      const j = k % 3;
      return x[3 * i]! * y[j]! + x[3 * i + 1]! * y[3 + j]! + x[3 * i + 2]! * y[6 + j]!;
    });
  return Float64Array.from(mul(rz(alpha), mul(ry(beta), rz(gamma))));
}

/** The potential of a case: the NULL structure of an EAM material appends a `NULL` element. */
function casePotential(m: ParityMaterial, structure: ParityStructure): PotentialSpec {
  const p = m.potential;
  if (structure !== 'null' || p.kind !== 'eam' || m.nullElementType === undefined) return p;
  return { ...p, elements: [...p.elements, 'NULL'] };
}

/** Every case of the matrix: materials × structures. */
export function parityCases(): ParityCase[] {
  return PARITY_MATERIALS.flatMap((material) =>
    PARITY_STRUCTURES.map((structure, k) => ({
      name: `${material.name}/${structure}`,
      material,
      structure,
      potential: casePotential(material, structure),
      build: () => parityStructure(material, structure, 11 + k),
    })),
  );
}
