/**
 * The shipped copper model (public/models/cu-mishin1, trained on an H100 on LAMMPS data of the Mishin
 * EAM; model card next to it) parses, and on a perfect fcc crystal gives the EAM's cohesive energy
 * (−3.54 eV/atom at a = 3.615 Å) and zero forces.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseGnnWeights } from '../../io/gnnWeights.ts';
import { parseSpec } from '../../io/spec.ts';
import { buildSystem } from '../structures/index.ts';
import { gnnReference } from './gnn.ts';

const dir = new URL('../../../public/models/', import.meta.url);

describe('shipped GNN model cu-mishin1', () => {
  it('parses, and reproduces the EAM cohesive energy of fcc copper with zero forces', () => {
    const model = parseGnnWeights(
      readFileSync(new URL('cu-mishin1.json', dir), 'utf8'),
      new Uint8Array(readFileSync(new URL('cu-mishin1.safetensors', dir))),
      { config: 'cu-mishin1.json', tensors: 'cu-mishin1.safetensors' },
    );
    expect(model.config.elements).toEqual(['Cu']);
    const spec = parseSpec({
      version: 1,
      system: { kind: 'fcc', element: 'Cu', mass: 63.546, latticeConstant: 3.615, repeat: [4, 4, 4] },
      potential: { kind: 'lennard-jones', epsilon: 0.01, sigma: 2.3, cutoff: 5 },
      stages: [{ kind: 'nve', steps: 1, dt: 1 }],
    });
    const crystal = buildSystem(spec.system);
    const result = gnnReference(crystal, model);
    const perAtom = result.energy[0]! / crystal.nAtoms;
    // Mishin et al. (2001): E_coh = −3.54 eV/atom; the model's bulk test error is 0.24 meV/atom.
    expect(Math.abs(perAtom - -3.54)).toBeLessThan(0.01);
    let maxForce = 0;
    for (const f of result.forces) maxForce = Math.max(maxForce, Math.abs(f));
    expect(maxForce).toBeLessThan(1e-6);
  });
});
