/**
 * The fields of a trajectory in the CSR layout of DESIGN §7: atom-level arrays are concatenated
 * along their first axis (`atom`), system-level arrays have one row per sample (`sample`, one
 * system at one snapshot). `meta/atoms_ptr[k]` is the first atom row of sample k.
 */
import type { ZarrDataType } from './metadata.ts';

/** Whether a field has one row per atom or one row per sample (system at one snapshot). */
export type FieldLevel = 'atom' | 'system';

/** How one field is stored. */
export interface FieldInfo {
  level: FieldLevel;
  dataType: ZarrDataType;
  /** Shape of one row. */
  rowShape: readonly number[];
  /** Names of the dimensions after the first. */
  innerDimensions: readonly string[];
  /** Units, ASE conventions; '1' for dimensionless. */
  units: string;
  description: string;
}

const xyz = { rowShape: [3], innerDimensions: ['xyz'] } as const;
const tensor = { rowShape: [3, 3], innerDimensions: ['row', 'xyz'] } as const;
const scalar = { rowShape: [], innerDimensions: [] } as const;

/** Every field the writer knows, under `core/`. */
export const TRAJECTORY_FIELDS = {
  positions: { level: 'atom', dataType: 'float32', ...xyz, units: 'Å', description: 'Cartesian positions' },
  velocities: { level: 'atom', dataType: 'float32', ...xyz, units: 'Å/fs', description: 'velocities' },
  forces: { level: 'atom', dataType: 'float32', ...xyz, units: 'eV/Å', description: 'forces' },
  atomic_numbers: { level: 'atom', dataType: 'int32', ...scalar, units: '1', description: 'atomic numbers' },
  energy: { level: 'system', dataType: 'float64', ...scalar, units: 'eV', description: 'potential energy' },
  cell: { level: 'system', dataType: 'float64', ...tensor, units: 'Å', description: 'cell, rows a, b, c' },
  pbc: {
    level: 'system',
    dataType: 'bool',
    rowShape: [3],
    innerDimensions: ['axis'],
    units: '1',
    description: 'periodic along a, b, c',
  },
  stress: {
    level: 'system',
    dataType: 'float64',
    ...tensor,
    units: 'eV/Å^3',
    description: 'stress tensor, ASE sign convention',
  },
  status: { level: 'system', dataType: 'int32', ...scalar, units: '1', description: 'status code' },
  system_id: { level: 'system', dataType: 'int64', ...scalar, units: '1', description: 'stable system id' },
  step: { level: 'system', dataType: 'int64', ...scalar, units: 'step', description: 'global step' },
  time: { level: 'system', dataType: 'float64', ...scalar, units: 'fs', description: 'simulated time' },
  stage: {
    level: 'system',
    dataType: 'int32',
    ...scalar,
    units: '1',
    description: 'stage index in the chain',
  },
  stage_step: {
    level: 'system',
    dataType: 'int64',
    ...scalar,
    units: 'step',
    description: 'step in the stage',
  },
  frame: {
    level: 'system',
    dataType: 'int64',
    ...scalar,
    units: '1',
    description: 'index of the snapshot that wrote the sample',
  },
} as const satisfies Record<string, FieldInfo>;

export type FieldName = keyof typeof TRAJECTORY_FIELDS;

/** Fields a frame may carry or not; the writer is told at creation which it stores. */
export const OPTIONAL_FIELDS = ['velocities', 'forces', 'energy', 'stress', 'status'] as const;
export type OptionalField = (typeof OPTIONAL_FIELDS)[number];

/** Fields every trajectory has. */
export const REQUIRED_FIELDS = [
  'positions',
  'atomic_numbers',
  'cell',
  'pbc',
  'system_id',
  'step',
  'time',
  'stage',
  'stage_step',
  'frame',
] as const satisfies readonly FieldName[];
