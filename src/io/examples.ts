/** Built-in example specs. The first one is loaded when the page opens. */
import type { PipelineSpecInput } from './spec.ts';

/**
 * Argon (ε = 0.0104 eV, σ = 3.40 Å, rc = 8.5 Å, m = 39.948 amu): an fcc crystal of 10×10×10 cells
 * with a void at its centre, relaxed by FIRE, thermalised at 85 K (just above the melting point,
 * so the void's surface starts to melt), then run in NVE.
 */
export const argonVoidSpec: PipelineSpecInput = {
  version: 1,
  name: 'Argon crystal with a void: FIRE → Langevin 85 K → NVE',
  system: {
    kind: 'fcc',
    element: 'Ar',
    mass: 39.948,
    latticeConstant: 5.26,
    repeat: [10, 10, 10],
    voidRadius: 8,
    jitter: 0.25,
    temperature: 0,
    seed: 1,
  },
  potential: { kind: 'lennard-jones', epsilon: 0.0104, sigma: 3.4, cutoff: 8.5, shift: true },
  neighbor: { skin: 1 },
  stages: [
    {
      kind: 'fire',
      name: 'FIRE relaxation',
      steps: 2000,
      dt: 5,
      dtMax: 20,
      maxStep: 0.2,
      convergence: [{ kind: 'max-force', fmax: 0.01 }],
      hooks: [{ kind: 'log', every: 10 }],
    },
    {
      kind: 'langevin',
      name: 'Langevin NVT 85 K',
      steps: 2000,
      dt: 5,
      temperature: 85,
      friction: 0.01,
      seed: 7,
      hooks: [
        { kind: 'log', every: 20 },
        { kind: 'snapshot', every: 200, sink: 'host', capacity: 1000 },
      ],
    },
    {
      kind: 'nve',
      name: 'NVE production',
      steps: 20000,
      dt: 5,
      hooks: [
        { kind: 'log', every: 20 },
        { kind: 'snapshot', every: 200, sink: 'host', capacity: 1000 },
      ],
    },
  ],
};

/**
 * 120 random argon clusters of 13–60 atoms, relaxed by FIRE on one worker (a converged snapshot of
 * each minimum) and thermalised at 30 K on a second: the pipe link is a worker boundary, and at most
 * 4 relaxed clusters wait on it for room (back-pressure).
 */
export const argonClustersSpec: PipelineSpecInput = {
  version: 1,
  name: 'Argon clusters: FIRE minima, then 30 K on a second worker',
  system: { kind: 'clusters', count: 120, minAtoms: 13, maxAtoms: 60, element: 'Ar', mass: 39.948, seed: 3 },
  potential: { kind: 'lennard-jones', epsilon: 0.0104, sigma: 3.4, cutoff: 8.5, shift: true },
  batching: { maxSystems: 24, maxAtoms: 1200 },
  stages: [
    {
      kind: 'fire',
      name: 'FIRE minima',
      steps: 3000,
      dt: 5,
      dtMax: 20,
      maxStep: 0.2,
      convergence: [{ kind: 'max-force', fmax: 0.01 }],
      hooks: [
        { kind: 'log', every: 20 },
        { kind: 'converged-snapshot', sink: 'host', capacity: 200 },
      ],
    },
    {
      kind: 'langevin',
      name: 'Langevin 30 K',
      steps: 1000,
      dt: 5,
      temperature: 30,
      friction: 0.02,
      seed: 11,
      hooks: [
        { kind: 'log', every: 20 },
        { kind: 'snapshot', every: 250, sink: 'host', capacity: 1000 },
      ],
    },
  ],
  placement: { kind: 'pipeline', links: [{ maxSystems: 4, maxAtoms: 240, maxEdges: 20_000 }] },
};

/**
 * Copper with the Morse pair potential of Girifalco and Weizer (Phys. Rev. 114, 687 (1959):
 * D0 = 0.3429 eV, α = 1.3588 1/Å, r0 = 2.866 Å), an fcc crystal of 8×8×8 cells heated to 600 K by
 * FIRE + Langevin fused into one stage (one force evaluation per step), then run in NVE.
 */
export const copperMorseSpec: PipelineSpecInput = {
  version: 1,
  name: 'Copper (Morse): relax and heat to 600 K fused, then NVE',
  system: {
    kind: 'fcc',
    element: 'Cu',
    mass: 63.546,
    latticeConstant: 3.615,
    repeat: [8, 8, 8],
    voidRadius: 0,
    jitter: 0.05,
    temperature: 0,
    seed: 2,
  },
  potential: { kind: 'morse', d0: 0.3429, alpha: 1.3588, r0: 2.866, cutoff: 7, shift: true },
  neighbor: { skin: 1 },
  stages: [
    {
      kind: 'fused',
      name: 'relax, then heat',
      steps: 3000,
      stages: [
        {
          kind: 'fire',
          steps: 500,
          dt: 2,
          dtMax: 8,
          maxStep: 0.1,
          convergence: [{ kind: 'max-force', fmax: 0.02 }],
        },
        { kind: 'langevin', steps: 2000, dt: 2, temperature: 600, friction: 0.02, seed: 5 },
      ],
      hooks: [{ kind: 'log', every: 20 }],
    },
    {
      kind: 'nve',
      name: 'NVE',
      steps: 10000,
      dt: 2,
      hooks: [
        { kind: 'log', every: 20 },
        { kind: 'snapshot', every: 500, sink: 'host', capacity: 100 },
      ],
    },
  ],
};

/**
 * Copper with the shipped GNN (public/models/cu-mishin1, trained on LAMMPS eam/alloy Cu_mishin1): a
 * 4×4×4 fcc crystal (256 atoms, a = 3.615 Å) thermalised at 300 K by Langevin, then run in NVE.
 */
export const copperGnnSpec: PipelineSpecInput = {
  version: 1,
  name: 'Copper (shipped GNN cu-mishin1): Langevin 300 K → NVE',
  system: {
    kind: 'fcc',
    element: 'Cu',
    mass: 63.546,
    latticeConstant: 3.615,
    repeat: [4, 4, 4],
    voidRadius: 0,
    jitter: 0.02,
    temperature: 300,
    seed: 3,
  },
  potential: { kind: 'gnn', model: 'cu-mishin1', elements: ['Cu'] },
  neighbor: { skin: 1 },
  stages: [
    {
      kind: 'langevin',
      name: 'Langevin 300 K',
      steps: 500,
      dt: 2,
      temperature: 300,
      friction: 0.02,
      seed: 7,
      hooks: [{ kind: 'log', every: 10 }],
    },
    {
      kind: 'nve',
      name: 'NVE',
      steps: 2000,
      dt: 2,
      hooks: [
        { kind: 'log', every: 10 },
        { kind: 'snapshot', every: 100, sink: 'host', capacity: 100 },
      ],
    },
  ],
};

/**
 * One copper slab split over a 2×2×1 grid of workers (domain decomposition, DESIGN §5): an fcc
 * crystal of 12×12×6 cells (3,456 atoms, a = 3.615 Å, 43.4 × 43.4 × 21.7 Å) with the Morse copper of
 * Girifalco and Weizer (cutoff 7 Å), each worker owning a 21.7 × 21.7 × 21.7 Å box and the ghosts
 * within 8 Å (cutoff + skin) of its faces: FIRE, Langevin at 300 K, then NVE, every step exchanging
 * ghost positions between the workers.
 */
export const copperDomainSpec: PipelineSpecInput = {
  version: 1,
  name: 'Copper slab split over 2×2×1 workers: FIRE → Langevin 300 K → NVE',
  system: {
    kind: 'fcc',
    element: 'Cu',
    mass: 63.546,
    latticeConstant: 3.615,
    repeat: [12, 12, 6],
    voidRadius: 0,
    jitter: 0.05,
    temperature: 0,
    seed: 4,
  },
  potential: { kind: 'morse', d0: 0.3429, alpha: 1.3588, r0: 2.866, cutoff: 7, shift: true },
  neighbor: { skin: 1 },
  stages: [
    {
      kind: 'fire',
      name: 'FIRE relaxation',
      steps: 300,
      dt: 2,
      dtMax: 8,
      maxStep: 0.1,
      convergence: [{ kind: 'max-force', fmax: 0.02 }],
      hooks: [{ kind: 'log', every: 10 }],
    },
    {
      kind: 'langevin',
      name: 'Langevin 300 K',
      steps: 1000,
      dt: 2,
      temperature: 300,
      friction: 0.02,
      seed: 9,
      hooks: [{ kind: 'log', every: 10 }],
    },
    {
      kind: 'nve',
      name: 'NVE',
      steps: 2000,
      dt: 2,
      hooks: [
        { kind: 'log', every: 20 },
        { kind: 'snapshot', every: 200, sink: 'host', capacity: 100 },
      ],
    },
  ],
  placement: { kind: 'domain', grid: [2, 2, 1] },
};

/** One example offered in the UI. */
export interface Example {
  id: string;
  spec: PipelineSpecInput;
}

/** Examples offered in the UI, the page's default first. */
export const examples: readonly Example[] = [
  { id: 'argon-void', spec: argonVoidSpec },
  { id: 'argon-clusters', spec: argonClustersSpec },
  { id: 'copper-morse', spec: copperMorseSpec },
  { id: 'copper-domain', spec: copperDomainSpec },
  { id: 'copper-gnn', spec: copperGnnSpec },
];
