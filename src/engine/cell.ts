/**
 * Periodic cells. A cell is 9 numbers, the row vectors a, b, c (Å). The engine works in LAMMPS's
 * RESTRICTED triclinic convention: a = (lx, 0, 0), b = (xy, ly, 0), c = (xz, yz, lz) with
 * lx, ly, lz > 0 and the origin at 0; an orthorhombic cell has zero tilts. General cells (from
 * extXYZ, ASE, …) are rotated into this form by {@link toRestrictedTriclinic}.
 */

/** A 3×3 cell as row vectors a, b, c (Å), row-major: [ax, ay, az, bx, by, bz, cx, cy, cz]. */
export type Cell9 = ArrayLike<number>;

function dot(u: ArrayLike<number>, v: ArrayLike<number>): number {
  return u[0]! * v[0]! + u[1]! * v[1]! + u[2]! * v[2]!;
}

function cross(u: ArrayLike<number>, v: ArrayLike<number>): [number, number, number] {
  return [u[1]! * v[2]! - u[2]! * v[1]!, u[2]! * v[0]! - u[0]! * v[2]!, u[0]! * v[1]! - u[1]! * v[0]!];
}

function row(cell: Cell9, k: number): [number, number, number] {
  return [cell[3 * k]!, cell[3 * k + 1]!, cell[3 * k + 2]!];
}

/** Signed volume a · (b × c), Å³ (positive for a right-handed cell). */
export function signedCellVolume(cell: Cell9): number {
  return dot(row(cell, 0), cross(row(cell, 1), row(cell, 2)));
}

/** Volume |a · (b × c)| of the cell, Å³. */
export function cellVolume(cell: Cell9): number {
  return Math.abs(signedCellVolume(cell));
}

/**
 * True if the cell is in LAMMPS's restricted triclinic form: a = (lx, 0, 0), b = (xy, ly, 0),
 * c = (xz, yz, lz) with lx, ly, lz > 0.
 */
export function isRestrictedTriclinic(cell: Cell9): boolean {
  return cell[1] === 0 && cell[2] === 0 && cell[5] === 0 && cell[0]! > 0 && cell[4]! > 0 && cell[8]! > 0;
}

/**
 * Rotates a general cell into LAMMPS's restricted triclinic form (LAMMPS docs, "Triclinic
 * (non-orthogonal) simulation boxes"): lx = |A|, xy = B·Â, ly = |Â × B|, xz = C·Â,
 * yz = (B·C − xy·xz)/ly, lz = |(Â × B)/|Â × B| · C|.
 *
 * `rotation` R is row-major 3×3 with rows the orthonormal basis (Â, unit(B − (B·Â)Â), Â × that),
 * so that r_restricted = R · r_general for positions, forces and velocities alike, and
 * cell_restricted rows = R · (A, B, C). For a right-handed cell R is a proper rotation. LAMMPS
 * rejects left-handed cells; here the third row of R is flipped instead (det R = −1, a reflection),
 * which preserves every distance, so energies are unchanged and forces transform with R too.
 * Throws if the cell is degenerate (zero volume).
 */
export function toRestrictedTriclinic(cell: Cell9): { cell: Float64Array; rotation: Float64Array } {
  const A = row(cell, 0);
  const B = row(cell, 1);
  const C = row(cell, 2);
  const lenA = Math.hypot(A[0], A[1], A[2]);
  const volume = signedCellVolume(cell);
  if (!(lenA > 0) || !(Math.abs(volume) > 0) || !Number.isFinite(volume)) {
    throw new Error(`degenerate cell (volume ${volume} Å³): a, b, c must span 3D space`);
  }
  const e1 = A.map((x) => x / lenA);
  const bx = dot(B, e1);
  const bPerp = B.map((x, k) => x - bx * e1[k]!);
  const ly = Math.hypot(bPerp[0]!, bPerp[1]!, bPerp[2]!);
  const e2 = bPerp.map((x) => x / ly);
  const sign = volume > 0 ? 1 : -1;
  const e3 = cross(e1, e2).map((x) => sign * x);
  const rotation = Float64Array.of(...e1, ...e2, ...e3);
  const xz = dot(C, e1);
  const out = Float64Array.of(lenA, 0, 0, bx, ly, 0, xz, dot(C, e2), dot(C, e3));
  return { cell: out, rotation };
}

/** Applies a row-major 3×3 matrix R to every xyz triple of `r` (length 3n): returns R·r_k. */
export function rotateVectors(rotation: ArrayLike<number>, r: ArrayLike<number>): Float64Array {
  const out = new Float64Array(r.length);
  for (let k = 0; k + 2 < r.length; k += 3) {
    const x = r[k]!;
    const y = r[k + 1]!;
    const z = r[k + 2]!;
    for (let a = 0; a < 3; a++) {
      out[k + a] = rotation[3 * a]! * x + rotation[3 * a + 1]! * y + rotation[3 * a + 2]! * z;
    }
  }
  return out;
}

/** Inverse of the 3×3 matrix whose rows are the cell vectors (row-major). Throws if singular. */
function inverse(cell: Cell9): Float64Array {
  const det = signedCellVolume(cell);
  if (!(Math.abs(det) > 0) || !Number.isFinite(det)) throw new Error(`singular cell (volume ${det} Å³)`);
  const [a, b, c, d, e, f, g, h, i] = Array.from({ length: 9 }, (_, k) => cell[k]!) as [
    number,
    number,
    number,
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  return Float64Array.of(
    (e * i - f * h) / det,
    (c * h - b * i) / det,
    (b * f - c * e) / det,
    (f * g - d * i) / det,
    (a * i - c * g) / det,
    (c * d - a * f) / det,
    (d * h - e * g) / det,
    (b * g - a * h) / det,
    (a * e - b * d) / det,
  );
}

/**
 * Fractional coordinates s of Cartesian positions r (Å, xyz triples, length 3n):
 * r = s_a·a + s_b·b + s_c·c.
 */
export function fractional(cell: Cell9, r: ArrayLike<number>): Float64Array {
  // r (row) = s (row) · H with H's rows a, b, c, so s = r · H⁻¹.
  const inv = inverse(cell);
  const out = new Float64Array(r.length);
  for (let k = 0; k + 2 < r.length; k += 3) {
    for (let a = 0; a < 3; a++) {
      out[k + a] = r[k]! * inv[a]! + r[k + 1]! * inv[3 + a]! + r[k + 2]! * inv[6 + a]!;
    }
  }
  return out;
}

/** Cartesian positions (Å) of fractional coordinates s (xyz triples): r = s_a·a + s_b·b + s_c·c. */
export function cartesian(cell: Cell9, s: ArrayLike<number>): Float64Array {
  const out = new Float64Array(s.length);
  for (let k = 0; k + 2 < s.length; k += 3) {
    for (let a = 0; a < 3; a++) {
      out[k + a] = s[k]! * cell[a]! + s[k + 1]! * cell[3 + a]! + s[k + 2]! * cell[6 + a]!;
    }
  }
  return out;
}

/**
 * Distances between opposite faces of the cell, Å: h_a = V / |b × c|, h_b = V / |c × a|,
 * h_c = V / |a × b|. A cutoff rc reaches ceil(rc / h) periodic images along each axis.
 */
export function perpendicularHeights(cell: Cell9): [number, number, number] {
  const a = row(cell, 0);
  const b = row(cell, 1);
  const c = row(cell, 2);
  const v = cellVolume(cell);
  const h = (u: number[]) => v / Math.hypot(u[0]!, u[1]!, u[2]!);
  return [h(cross(b, c)), h(cross(c, a)), h(cross(a, b))];
}

/**
 * Positions (Å, xyz triples) wrapped into the cell along periodic axes: each fractional coordinate
 * of a periodic axis is brought into [0, 1); open axes are left as they are (up to rounding).
 * The cell must be non-singular.
 */
export function wrapPosition(
  cell: Cell9,
  r: ArrayLike<number>,
  pbc: ArrayLike<boolean | number> = [true, true, true],
): Float64Array {
  const s = fractional(cell, r);
  for (let k = 0; k < s.length; k++) {
    if (!pbc[k % 3]) continue;
    let x = s[k]! - Math.floor(s[k]!);
    if (x >= 1) x = 0; // −1e-17 − floor(−1e-17) rounds to 1
    s[k] = x;
  }
  return cartesian(cell, s);
}
