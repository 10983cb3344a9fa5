/**
 * Server side of the `readPotentialFile` Vitest browser command (registered in vitest.config.ts):
 * GPU tests running in Chromium read LAMMPS potential files of Debian's lammps-data through it.
 * Only files directly under /usr/share/lammps/potentials are served. Node only.
 */
import { readFile } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import type { BrowserCommand } from 'vitest/node';

/** The only directory the command reads from. */
export const POTENTIALS_DIRECTORY = '/usr/share/lammps/potentials';

/** The text of a potential file under {@link POTENTIALS_DIRECTORY}; rejects any other path. */
export async function readPotentialFile(path: string): Promise<string> {
  if (dirname(path) !== POTENTIALS_DIRECTORY || basename(path).startsWith('.')) {
    throw new Error(`readPotentialFile serves only files in ${POTENTIALS_DIRECTORY}, not ${path}`);
  }
  return readFile(path, 'utf8');
}

export const readPotentialFileCommand: BrowserCommand<[string], Promise<string>> = async (_context, path) =>
  readPotentialFile(path);
