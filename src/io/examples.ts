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

/** Examples offered in the UI, by name. */
export const examples: Record<string, PipelineSpecInput> = { 'argon-void': argonVoidSpec };
