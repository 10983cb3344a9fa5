/**
 * Send lists and ghosts, built at re-neighbouring (LAMMPS CommBrick::borders). Swap by swap, in plan
 * order, a rank sends the visible rows whose fractional coordinate along the swap's axis lies in the
 * swap's slab: on a first hop its owned atoms and every ghost of earlier axes (so edges and corners
 * are forwarded), on a later hop only the ghosts received on the previous hop of this axis. The
 * receiver appends what arrives as ghosts, contiguously in swap order. NULL atoms (invisible to the
 * potential) are never sent: the receive count of a swap is the length of the partner's filtered
 * send list, the same number on both sides by construction.
 */
import type { DomainRank, SwapLists } from './rank.ts';

/** Values per atom in a border message: f64 = x, y, z, sa, sb, sc; i32 = id, type, image a, b, c. */
const F64_PER_ATOM = 6;
const I32_PER_ATOM = 5;

/** Builds every swap's send list and receives the ghosts (collective). Owned rows must be wrapped. */
export async function exchangeBorders(rank: DomainRank): Promise<void> {
  const nLocal = rank.nLocal;
  // Growing row stores, owned rows first.
  const x = Array.from(rank.x.subarray(0, 3 * nLocal));
  const frac = Array.from(rank.frac.subarray(0, 3 * nLocal));
  const id = Array.from(rank.id.subarray(0, nLocal));
  const type = Array.from(rank.type.subarray(0, nLocal));
  const shift: number[] = new Array(3 * nLocal).fill(0); // owned rows: no translation
  const cell = rank.grid.cell;
  const lists: SwapLists[] = [];
  const tag = rank.nextTag('borders');
  let nFirst = 0;
  let nLast = 0;
  let dim = -1;
  for (const swap of rank.swaps) {
    if (swap.dim !== dim) {
      dim = swap.dim;
      nLast = 0;
    }
    if (swap.dir === -1) {
      // First swap of a hop: candidates are the rows that arrived since the previous hop began.
      nFirst = nLast;
      nLast = id.length;
    }
    const send: number[] = [];
    if (!swap.sendNothing) {
      for (let i = nFirst; i < nLast; i++) {
        if (!rank.visible(type[i]!)) continue;
        const s = frac[3 * i + dim]!;
        if (s >= swap.slabLo && s <= swap.slabHi) send.push(i);
      }
    }
    const cart = new Float64Array(3);
    for (let a = 0; a < 3; a++) {
      for (let b = 0; b < 3; b++) cart[b]! += swap.image[a]! * cell[3 * a + b]!;
    }
    const f64 = new Float64Array(F64_PER_ATOM * send.length);
    const i32 = new Int32Array(I32_PER_ATOM * send.length);
    send.forEach((i, m) => {
      for (let a = 0; a < 3; a++) {
        f64[F64_PER_ATOM * m + a] = x[3 * i + a]! + cart[a]!;
        f64[F64_PER_ATOM * m + 3 + a] = frac[3 * i + a]! + swap.image[a]!;
        i32[I32_PER_ATOM * m + 2 + a] = shift[3 * i + a]! + swap.image[a]!;
      }
      i32[I32_PER_ATOM * m] = id[i]!;
      i32[I32_PER_ATOM * m + 1] = type[i]!;
    });
    let got: { f64: Float64Array; i32: Int32Array } = { f64, i32 };
    if (!swap.self) {
      const t = `${tag} swap ${swap.index}`;
      rank.transport.send(swap.sendTo, { tag: t, f64, i32 });
      got = await rank.transport.recv(swap.recvFrom, t);
    }
    const nRecv = got.i32.length / I32_PER_ATOM;
    if (!Number.isInteger(nRecv) || got.f64.length !== F64_PER_ATOM * nRecv) {
      throw new Error(`rank ${rank.rank}: malformed border message on swap ${swap.index}`);
    }
    lists.push({ sendList: Int32Array.from(send), firstRecv: id.length, nRecv, shift: cart });
    for (let m = 0; m < nRecv; m++) {
      for (let a = 0; a < 3; a++) {
        x.push(got.f64[F64_PER_ATOM * m + a]!);
        frac.push(got.f64[F64_PER_ATOM * m + 3 + a]!);
        shift.push(got.i32[I32_PER_ATOM * m + 2 + a]!);
      }
      id.push(got.i32[I32_PER_ATOM * m]!);
      type.push(got.i32[I32_PER_ATOM * m + 1]!);
    }
  }
  rank.nGhost = id.length - nLocal;
  rank.x = Float64Array.from(x);
  rank.frac = Float64Array.from(frac);
  rank.id = Int32Array.from(id);
  rank.type = Int32Array.from(type);
  rank.ghostShift = Int32Array.from(shift.slice(3 * nLocal));
  rank.lists = lists;
}
