/**
 * The GNN models shipped with the workbench (public/models/): each is `<name>.json` +
 * `<name>.safetensors` (docs/gnn-weights.md) with a model card `<name>.md`. The page lists them in
 * its potential panel; the CLI falls back to them when a spec's model is not next to the spec. What
 * is listed here (elements, cutoff, held-out accuracy) is checked against the files by
 * src/io/models.test.ts, so it cannot drift from them.
 */

/** One shipped model, as the page lists it. */
export interface ShippedGnnModel {
  /** Stem of its files in public/models/ (the spec's `model`). */
  name: string;
  /** One line for a person choosing it. */
  title: string;
  /** Element symbols, in model type order. */
  elements: readonly string[];
  /** Cutoff, Å. */
  rcut: number;
  /** Held-out accuracy (the model card's test split): energy MAE, meV/atom. */
  energyMae_meV_per_atom: number;
  /** Held-out accuracy: force MAE per component, meV/Å. */
  forceMae_meV_per_A: number;
}

/** Every shipped model, the default first. */
export const SHIPPED_GNN_MODELS: readonly ShippedGnnModel[] = [
  {
    name: 'cu-mishin1',
    title: 'Copper, trained on LAMMPS eam/alloy Cu_mishin1 (300–2,000 K, strain, surfaces, defects)',
    elements: ['Cu'],
    rcut: 5.5,
    energyMae_meV_per_atom: 0.4698,
    forceMae_meV_per_A: 2.3612,
  },
];

/** Directory of the shipped models, relative to the site root (the page) or the repository (the CLI). */
export const SHIPPED_MODELS_DIR = 'models';

/** The shipped model called `name`, or undefined. */
export function shippedGnnModel(name: string): ShippedGnnModel | undefined {
  return SHIPPED_GNN_MODELS.find((m) => m.name === name);
}

/** The two file names of a model. */
export function gnnModelFiles(name: string): { config: string; tensors: string } {
  return { config: `${name}.json`, tensors: `${name}.safetensors` };
}

/** One line describing a shipped model: elements, cutoff and held-out accuracy. */
export function describeShippedModel(m: ShippedGnnModel): string {
  return `${m.elements.join(', ')}; rcut ${m.rcut} Å; held-out MAE ${m.energyMae_meV_per_atom.toFixed(2)} meV/atom, ${m.forceMae_meV_per_A.toFixed(1)} meV/Å`;
}
