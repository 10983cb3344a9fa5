/**
 * Test helper: small synthetic EAM files in the three DYNAMO formats, from simple analytic
 * functions, five values per line like the files LAMMPS ships. Values are known exactly, so
 * tests can check what the parsers and the tabulation read.
 */

/** A grid and analytic functions; element k uses scale (k + 1). */
export interface SyntheticEam {
  nrho: number;
  drho: number;
  nr: number;
  dr: number;
  cutoff: number;
}

export const SMALL_GRID: SyntheticEam = { nrho: 12, drho: 0.05, nr: 14, dr: 0.4, cutoff: 5.0 };

/** F(ρ) of element k at grid point m. */
export const embedding = (k: number, m: number, g: SyntheticEam) => -(k + 1) * Math.sqrt(m * g.drho);
/** ρ(r) of element k at grid point m (eam/fs: `j` is the neighbour's element). */
export const density = (k: number, m: number, g: SyntheticEam, j = 0) =>
  (k + 1 + 0.1 * j) * Math.exp(-m * g.dr);
/** Z(r) (funcfl) or r·φ(r) (setfl) of a pair at grid point m. */
export const pair = (k: number, l: number, m: number, g: SyntheticEam) =>
  (k + l + 1) * Math.exp(-0.5 * m * g.dr);

function block(values: number[]): string {
  const lines: string[] = [];
  for (let i = 0; i < values.length; i += 5) {
    lines.push(
      values
        .slice(i, i + 5)
        .map((x) => x.toExponential(16))
        .join(' '),
    );
  }
  return lines.join('\n');
}

const range = (n: number, f: (m: number) => number) => Array.from({ length: n }, (_, m) => f(m));

export function funcflText(g: SyntheticEam = SMALL_GRID, z = 29, mass = 63.55, k = 0): string {
  return [
    'synthetic funcfl test file',
    `${z} ${mass} 3.615 FCC`,
    `${g.nrho} ${g.drho} ${g.nr} ${g.dr} ${g.cutoff}`,
    block(range(g.nrho, (m) => embedding(k, m, g))),
    block(range(g.nr, (m) => pair(k, k, m, g))),
    block(range(g.nr, (m) => density(k, m, g))),
    '',
  ].join('\n');
}

const HEADERS: Record<string, string> = {
  Cu: '29 63.546 3.615 fcc',
  Ni: '28 58.6934 3.52 fcc',
  Al: '13 26.98 4.05 fcc',
};

export function setflText(
  elements: string[] = ['Cu', 'Ni'],
  g: SyntheticEam = SMALL_GRID,
  fs = false,
): string {
  const out = ['synthetic', fs ? 'eam/fs' : 'setfl', 'test file', `${elements.length} ${elements.join(' ')}`];
  out.push(`${g.nrho} ${g.drho} ${g.nr} ${g.dr} ${g.cutoff}`);
  elements.forEach((el, k) => {
    out.push(HEADERS[el] ?? '1 1.0 1.0 fcc');
    out.push(block(range(g.nrho, (m) => embedding(k, m, g))));
    if (fs)
      for (let j = 0; j < elements.length; j++) out.push(block(range(g.nr, (m) => density(k, m, g, j))));
    else out.push(block(range(g.nr, (m) => density(k, m, g))));
  });
  for (let k = 0; k < elements.length; k++) {
    for (let l = 0; l <= k; l++) out.push(block(range(g.nr, (m) => pair(k, l, m, g))));
  }
  return `${out.join('\n')}\n`;
}
