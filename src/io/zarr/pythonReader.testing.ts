/** Runs the independent Python reader (json + gzip + zipfile + numpy) on a store or archive. */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const script = fileURLToPath(new URL('./read_trajectory.py', import.meta.url));

export interface PythonArray {
  metadata: Record<string, unknown> & { shape: number[]; dimension_names: string[] };
  values: unknown[];
}

export interface PythonReading {
  attributes: Record<string, unknown>;
  arrays: Record<string, PythonArray>;
  zip?: { first: string; entries: number; stored: boolean; crc_ok: boolean };
}

/** What /usr/bin/python3 reads from a directory store or a `.zip` archive at `path`. */
export function readWithPython(path: string): PythonReading {
  const out = execFileSync('/usr/bin/python3', [script, path], { maxBuffer: 256 * 1024 * 1024 });
  return JSON.parse(out.toString()) as PythonReading;
}
