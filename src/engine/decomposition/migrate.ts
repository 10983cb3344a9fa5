/**
 * Migration at re-neighbouring (LAMMPS Comm::exchange): owned atoms whose (wrapped) position left
 * this rank's box move to their new owner, one axis after the other, hop by hop through neighbours.
 * Each axis of P ranks takes P − 1 rounds on every rank (collective, a fixed count: an atom may cross
 * several boxes, e.g. after a long minimisation step), and atoms take the short way round a periodic
 * axis. NULL atoms migrate like any other: they are carried and integrated.
 */
import { neighborRank, ownerCoordinate, rankCoords } from './grid.ts';
import type { DomainRank } from './rank.ts';

/** f64 per atom: x, y, z, vx, vy, vz, mass, sa, sb, sc; i32 per atom: id, type, image flags a, b, c. */
const F64_PER_ATOM = 10;
const I32_PER_ATOM = 5;

/** Owned atoms only (ghosts are dropped): the arrays migration works on. */
interface Owned {
  x: number[];
  v: number[];
  mass: number[];
  frac: number[];
  id: number[];
  type: number[];
  image: number[];
}

function pack(o: Owned, rows: readonly number[], tag: string) {
  const f64 = new Float64Array(F64_PER_ATOM * rows.length);
  const i32 = new Int32Array(I32_PER_ATOM * rows.length);
  rows.forEach((i, m) => {
    for (let a = 0; a < 3; a++) {
      f64[F64_PER_ATOM * m + a] = o.x[3 * i + a]!;
      f64[F64_PER_ATOM * m + 3 + a] = o.v[3 * i + a]!;
      f64[F64_PER_ATOM * m + 7 + a] = o.frac[3 * i + a]!;
      i32[I32_PER_ATOM * m + 2 + a] = o.image[3 * i + a]!;
    }
    f64[F64_PER_ATOM * m + 6] = o.mass[i]!;
    i32[I32_PER_ATOM * m] = o.id[i]!;
    i32[I32_PER_ATOM * m + 1] = o.type[i]!;
  });
  return { tag, f64, i32 };
}

function unpack(o: Owned, f64: Float64Array, i32: Int32Array): void {
  const n = i32.length / I32_PER_ATOM;
  if (!Number.isInteger(n) || f64.length !== F64_PER_ATOM * n) throw new Error('malformed migration message');
  for (let m = 0; m < n; m++) {
    for (let a = 0; a < 3; a++) {
      o.x.push(f64[F64_PER_ATOM * m + a]!);
      o.v.push(f64[F64_PER_ATOM * m + 3 + a]!);
      o.frac.push(f64[F64_PER_ATOM * m + 7 + a]!);
      o.image.push(i32[I32_PER_ATOM * m + 2 + a]!);
    }
    o.mass.push(f64[F64_PER_ATOM * m + 6]!);
    o.id.push(i32[I32_PER_ATOM * m]!);
    o.type.push(i32[I32_PER_ATOM * m + 1]!);
  }
}

function keep(o: Owned, rows: readonly number[]): Owned {
  const pick = (arr: number[], w: number) => rows.flatMap((i) => arr.slice(w * i, w * i + w));
  return {
    x: pick(o.x, 3),
    v: pick(o.v, 3),
    mass: pick(o.mass, 1),
    frac: pick(o.frac, 3),
    id: pick(o.id, 1),
    type: pick(o.type, 1),
    image: pick(o.image, 3),
  };
}

/**
 * Moves every owned atom to the rank whose box holds its wrapped fractional position (collective).
 * Expects owned rows wrapped ({@link DomainRank.wrapOwned}); leaves the rank with no ghosts.
 */
export async function migrateAtoms(rank: DomainRank): Promise<void> {
  const n = rank.nLocal;
  let o: Owned = {
    x: Array.from(rank.x.subarray(0, 3 * n)),
    v: Array.from(rank.v.subarray(0, 3 * n)),
    mass: Array.from(rank.mass.subarray(0, n)),
    frac: Array.from(rank.frac.subarray(0, 3 * n)),
    id: Array.from(rank.id.subarray(0, n)),
    type: Array.from(rank.type.subarray(0, n)),
    image: Array.from(rank.imageFlags.subarray(0, 3 * n)),
  };
  const grid = rank.grid;
  const me = rankCoords(grid, rank.rank);
  for (let dim = 0; dim < 3; dim++) {
    const p = grid.dims[dim]!;
    if (p === 1) continue;
    const loc = me[dim]!;
    const down = neighborRank(grid, rank.rank, dim, -1);
    const up = neighborRank(grid, rank.rank, dim, 1);
    for (let round = 0; round < p - 1; round++) {
      const stay: number[] = [];
      const goDown: number[] = [];
      const goUp: number[] = [];
      for (let i = 0; i < o.id.length; i++) {
        const t = ownerCoordinate(o.frac[3 * i + dim]!, p, grid.pbc[dim]!);
        if (t === loc) stay.push(i);
        else if (grid.pbc[dim]) ((t - loc + p) % p <= p / 2 ? goUp : goDown).push(i);
        else (t > loc ? goUp : goDown).push(i);
      }
      const tag = rank.nextTag(`migrate axis ${dim} round ${round}`);
      rank.transport.send(down, pack(o, goDown, `${tag} down`));
      rank.transport.send(up, pack(o, goUp, `${tag} up`));
      const fromUp = await rank.transport.recv(up, `${tag} down`);
      const fromDown = await rank.transport.recv(down, `${tag} up`);
      o = keep(o, stay);
      unpack(o, fromUp.f64, fromUp.i32);
      unpack(o, fromDown.f64, fromDown.i32);
    }
  }
  const m = o.id.length;
  rank.nLocal = m;
  rank.nGhost = 0;
  rank.x = Float64Array.from(o.x);
  rank.v = Float64Array.from(o.v);
  rank.mass = Float64Array.from(o.mass);
  rank.frac = Float64Array.from(o.frac);
  rank.id = Int32Array.from(o.id);
  rank.type = Int32Array.from(o.type);
  rank.imageFlags = Int32Array.from(o.image);
  rank.ghostShift = new Int32Array(0);
  rank.lists = [];
}
