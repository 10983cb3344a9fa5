/**
 * Test helper: runs a Python snippet with Debian's python3-ase (/usr/bin/python3) in a scratch
 * directory and returns what it printed as JSON. Used by the round-trip tests of the formats.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const PYTHON = '/usr/bin/python3';

/** Python that prints an `atoms` list as JSON: symbols, positions, cell, pbc, energy, forces, stress. */
export const DUMP_ATOMS = `
import json, sys
from ase import units
def dump(images):
    out = []
    for a in images:
        d = {'symbols': a.get_chemical_symbols(), 'positions': a.positions.tolist(),
             'cell': a.cell.array.tolist(), 'pbc': [bool(x) for x in a.pbc]}
        if a.calc is not None:
            r = a.calc.results
            if 'energy' in r: d['energy'] = float(r['energy'])
            if 'forces' in r: d['forces'] = r['forces'].tolist()
            if 'stress' in r: d['stress'] = r['stress'].tolist()
        if 'momenta' in a.arrays: d['velocities'] = (a.get_velocities() * units.fs).tolist()  # Å/fs
        if a.has('masses'): d['masses'] = a.get_masses().tolist()
        out.append(d)
    json.dump(out, sys.stdout)
`;

/** Runs `script` in a fresh directory holding `files`; returns its stdout parsed as JSON and the files it wrote. */
export function runPython(
  script: string,
  files: Record<string, string> = {},
  outputs: readonly string[] = [],
): { json: unknown; files: Record<string, string> } {
  const dir = mkdtempSync(join(tmpdir(), 'ase-'));
  try {
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
    const stdout = execFileSync(PYTHON, ['-c', script], { cwd: dir, encoding: 'utf8' });
    const written: Record<string, string> = {};
    for (const name of outputs) written[name] = readFileSync(join(dir, name), 'utf8');
    return { json: stdout.trim() === '' ? null : JSON.parse(stdout), files: written };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** What {@link DUMP_ATOMS} prints per image. */
export interface AseImage {
  symbols: string[];
  positions: number[][];
  cell: number[][];
  pbc: boolean[];
  energy?: number;
  forces?: number[][];
  stress?: number[];
  velocities?: number[][];
  masses?: number[];
}
