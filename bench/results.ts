/**
 * The result file of a benchmark (DESIGN §9): bench/results/<name>.json, plus a readable table.
 * Node only.
 */

import { mkdir, writeFile } from 'node:fs/promises';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** One measured case; `peer` and `ratio` (ours / peer) when a peer ran in the same run. */
export interface BenchCase {
  case: string;
  atoms: number;
  metric: string;
  value: number;
  unit: string;
  peer?: { name: string; value: number };
  ratio?: number;
  /** What else was measured (rebuild counts, energy drift, checks), so a result can be judged. */
  details?: Record<string, number | string | boolean>;
}

export interface BenchResult {
  name: string;
  date: string;
  machine: { cpu: string; adapter: string };
  cases: BenchCase[];
}

/** The host CPU, e.g. "AMD EPYC 9B14 (2 logical cores)". */
export function cpuName(): string {
  const list = cpus();
  return `${list[0]?.model.trim() ?? 'unknown CPU'} (${list.length} logical cores)`;
}

/** Where results go: bench/results/<name>.json. */
export function resultPath(name: string): string {
  return join(dirname(fileURLToPath(import.meta.url)), 'results', `${name}.json`);
}

export async function writeResult(result: BenchResult): Promise<string> {
  const path = resultPath(result.name);
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, `${JSON.stringify(result, null, 2)}\n`);
  return path;
}

function formatNumber(x: number): string {
  return Math.abs(x) >= 1e4 || (Math.abs(x) < 1e-2 && x !== 0) ? x.toExponential(3) : x.toPrecision(4);
}

/** A fixed-width table of the cases, one row each. */
export function formatTable(result: BenchResult): string {
  const header = ['case', 'atoms', 'ours', 'peer', 'ratio'];
  const rows = result.cases.map((c) => [
    c.case,
    String(c.atoms),
    `${formatNumber(c.value)} ${c.unit}`,
    c.peer ? `${formatNumber(c.peer.value)} (${c.peer.name})` : '–',
    c.ratio === undefined ? '–' : `${c.ratio.toFixed(3)}×`,
  ]);
  const widths = header.map((h, k) => Math.max(h.length, ...rows.map((r) => r[k]!.length)));
  const line = (cells: string[]) => cells.map((c, k) => c.padEnd(widths[k]!)).join('  ');
  return [
    `${result.name} — ${result.date}`,
    `cpu: ${result.machine.cpu}; adapter: ${result.machine.adapter}`,
    line(header),
    line(widths.map((w) => '-'.repeat(w))),
    ...rows.map(line),
  ].join('\n');
}
