import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseEamPotential } from '../../io/lammpsPotential.ts';
import { eamSplines, interpolate, rhoKnot, rKnot, splineDerivative, splineValue } from './eamSpline.ts';
import { eamTabulation } from './eamTabulation.ts';

/** A cubic, which LAMMPS's spline reproduces exactly away from the ends (its 5-point slopes are exact for it). */
const cubic = (x: number) => 1 + 2 * x - 0.5 * x * x + 0.1 * x * x * x;
const dCubic = (x: number) => 2 - x + 0.3 * x * x;

describe("LAMMPS's EAM splines", () => {
  const n = 40;
  const delta = 0.25;
  const f = Float64Array.from({ length: n }, (_, m) => cubic(m * delta));
  const spline = new Float64Array(7 * n);
  interpolate(n, delta, f, spline);

  it('passes through the knots, is C¹, and reproduces a cubic in the interior', () => {
    for (let m = 0; m < n; m++) expect(spline[7 * m + 6]).toBe(f[m]);
    for (let m = 0; m < n - 1; m++) {
      // Value and derivative at p = 1 of knot m equal those at p = 0 of knot m + 1.
      expect(splineValue(spline, 7 * m, 1)).toBeCloseTo(f[m + 1]!, 12);
      expect(splineDerivative(spline, 7 * m, 1)).toBeCloseTo(spline[7 * (m + 1) + 2]!, 12);
    }
    for (let m = 3; m < n - 4; m++) {
      for (const p of [0, 0.3, 0.77]) {
        const x = (m + p) * delta;
        expect(splineValue(spline, 7 * m, p)).toBeCloseTo(cubic(x), 12);
        expect(splineDerivative(spline, 7 * m, p)).toBeCloseTo(dCubic(x), 11);
      }
    }
  });

  it("looks up knots exactly as LAMMPS's compute (1-based m, clamped p)", () => {
    const s = { rdr: 1 / delta, nr: n, rdrho: 1 / delta, nrho: n } as Parameters<typeof rKnot>[0];
    const out = new Float64Array(2);
    rKnot(s, 2.6, out); // p = 11.4: LAMMPS m = 11 → our knot 10, p = 0.4
    expect(out[0]).toBe(7 * 10);
    expect(out[1]).toBeCloseTo(0.4, 12);
    rKnot(s, 100, out); // beyond the table: last interval, p clamped to 1
    expect(out[0]).toBe(7 * (n - 2));
    expect(out[1]).toBe(1);
    rhoKnot(s, -0.3, out); // negative density: LAMMPS clamps m to 1
    expect(out[0]).toBe(0);
  });

  it('splines every table of a LAMMPS file (CuNi.eam.alloy)', () => {
    const file = '/usr/share/lammps/potentials/CuNi.eam.alloy';
    const parsed = parseEamPotential(readFileSync(file, 'utf8'), file, 'eam/alloy');
    const t = eamTabulation([parsed], 'eam/alloy', ['Cu', 'Ni']);
    const s = eamSplines(t);
    expect(s.frho.length).toBe(7 * t.nrho * t.frho.length);
    expect(s.rhor.length).toBe(7 * t.nr * t.rhor.length);
    expect(s.z2r.length).toBe(7 * t.nr * t.z2r.length);
    expect(s.rdr).toBeCloseTo(1 / t.dr, 12);
    // Knot values are the tables.
    expect(s.z2r[7 * (t.nr + 17) + 6]).toBe(t.z2r[1]![17]);
  });
});
