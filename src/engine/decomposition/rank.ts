/**
 * One rank of a domain decomposition (DESIGN §5): the atoms it owns, the ghost copies of atoms
 * within the ghost cutoff of its box (stored after the owned rows, contiguously in swap order), the
 * send lists of its swaps, and the exchanges every step needs: forward (ghost positions, or any
 * per-atom quantity such as EAM's F'(ρ)) and reverse (ghost rows added into the owners' rows).
 * Every exchange is collective: each rank joins every swap in the same order, zero atoms or not.
 */
import type { Batch } from '../batch.ts';
import { fractional } from '../cell.ts';
import { type DomainGrid, ownerOfFractional } from './grid.ts';
import { migrateAtoms } from './migrate.ts';
import { exchangeBorders } from './sendLists.ts';
import { type Swap, type SwapPlan, swapPlan } from './swaps.ts';
import type { RankTransport } from './transport.ts';

/** A swap's lists after re-neighbouring. */
export interface SwapLists {
  /** Rows (owned or earlier ghosts) sent on this swap, in order. */
  sendList: Int32Array;
  /** First ghost row received on this swap. */
  firstRecv: number;
  /** Number of ghost rows received on this swap (what the partner's send list holds). */
  nRecv: number;
  /** Cartesian translation (Å) added to positions sent on this swap: image · cell. */
  shift: Float64Array;
}

/** Which atom types the potential sees (false: a NULL atom, never sent as a ghost). */
export type TypeVisibility = (type: number) => boolean;

/** Default visibility: type −1 is NULL. */
export const notNull: TypeVisibility = (t) => t !== -1;

/** State of one rank. Rows 0 … nLocal−1 are owned atoms, rows nLocal … nAll−1 ghosts. */
export class DomainRank {
  readonly grid: DomainGrid;
  readonly transport: RankTransport;
  readonly plan: SwapPlan;
  /** Which types are visible to the potential (NULL atoms are never ghosts). */
  readonly visible: TypeVisibility;
  /** Owned atoms. */
  nLocal = 0;
  /** Ghost atoms. */
  nGhost = 0;
  /** Global atom id per row (owned and ghost). */
  id = new Int32Array(0);
  /** Potential type per row; −1 = NULL. */
  type = new Int32Array(0);
  /** Positions per row, Å (owned: wrapped into the periodic cell at re-neighbouring). */
  x = new Float64Array(0);
  /** Fractional coordinates per row at the last re-neighbouring (slab and owner tests). */
  frac: Float64Array = new Float64Array(0);
  /** Velocities of owned atoms, Å/fs. */
  v = new Float64Array(0);
  /** Masses of owned atoms, amu. */
  mass = new Float64Array(0);
  /** Image flags of owned atoms: unwrapped position = x + Σ_a imageFlags_a · cell row a. */
  imageFlags = new Int32Array(0);
  /** Lattice translation of each ghost (3 per ghost) relative to its owner's wrapped position. */
  ghostShift = new Int32Array(0);
  /** Per-swap lists, valid since the last {@link DomainRank.reneighbor}. */
  lists: SwapLists[] = [];
  /**
   * Re-neighbourings since creation: rows, ids and ghosts change only when it changes (force fields
   * that keep per-row state, such as a GPU engine, reload then and upload positions otherwise).
   */
  generation = 0;
  /**
   * Wall time spent in forward and reverse exchanges so far, ms (packing, messages, unpacking): lets
   * callers tell a force field's own exchanges (EAM's F′, a GNN's node features) from its arithmetic.
   */
  exchangeMs = 0;
  /** Exchanges done since creation (the tag suffix of every message: the same on every rank). */
  private sequence = 0;

  constructor(grid: DomainGrid, transport: RankTransport, ghostCutoff: number, visible = notNull) {
    if (transport.size !== grid.size) {
      throw new Error(`the transport connects ${transport.size} ranks but the grid has ${grid.size}`);
    }
    this.grid = grid;
    this.transport = transport;
    this.plan = swapPlan(grid, transport.rank, ghostCutoff);
    this.visible = visible;
  }

  get rank(): number {
    return this.transport.rank;
  }

  /** Owned plus ghost rows. */
  get nAll(): number {
    return this.nLocal + this.nGhost;
  }

  /** The swaps of the plan. */
  get swaps(): readonly Swap[] {
    return this.plan.swaps;
  }

  /** A fresh tag for a per-step exchange (the same sequence on every rank). */
  nextTag(what: string): string {
    return `${what} #${this.sequence++}`;
  }

  /**
   * Takes this rank's share of a one-system batch: the atoms whose position lies in its box (ids are
   * batch indices). Positions are wrapped into the periodic cell; image flags remember the wraps.
   */
  loadFromBatch(batch: Batch): void {
    if (batch.nSystems !== 1)
      throw new Error(`a decomposition runs one system, the batch has ${batch.nSystems}`);
    const s = fractional(this.grid.cell, batch.positions);
    const mine: number[] = [];
    for (let i = 0; i < batch.nAtoms; i++) {
      const si = [s[3 * i]!, s[3 * i + 1]!, s[3 * i + 2]!];
      if (ownerOfFractional(this.grid, si) === this.rank) mine.push(i);
    }
    const n = mine.length;
    this.nLocal = n;
    this.nGhost = 0;
    this.id = Int32Array.from(mine);
    this.type = Int32Array.from(mine, (i) => batch.types[i]!);
    this.mass = Float64Array.from(mine, (i) => batch.masses[i]!);
    this.x = new Float64Array(3 * n);
    this.v = new Float64Array(3 * n);
    this.imageFlags = new Int32Array(3 * n);
    this.ghostShift = new Int32Array(0);
    this.lists = [];
    mine.forEach((i, k) => {
      for (let a = 0; a < 3; a++) {
        this.x[3 * k + a] = batch.positions[3 * i + a]!;
        this.v[3 * k + a] = batch.velocities[3 * i + a]!;
      }
    });
    this.wrapOwned();
  }

  /**
   * Wraps owned positions into the cell along periodic axes (updating image flags) and refreshes
   * their fractional coordinates.
   */
  wrapOwned(): void {
    const n = this.nLocal;
    const cell = this.grid.cell;
    const s = fractional(cell, this.x.subarray(0, 3 * n));
    for (let i = 0; i < n; i++) {
      for (let a = 0; a < 3; a++) {
        if (!this.grid.pbc[a]) continue;
        const k = Math.floor(s[3 * i + a]!);
        if (k === 0) continue;
        for (let b = 0; b < 3; b++) this.x[3 * i + b]! -= k * cell[3 * a + b]!;
        this.imageFlags[3 * i + a]! += k;
        let u = s[3 * i + a]! - k;
        if (u >= 1) u = 1 - Number.EPSILON; // rounding: stay inside [0, 1)
        s[3 * i + a] = u;
      }
    }
    this.frac = s;
  }

  /**
   * Re-neighbouring: wraps owned atoms into the cell, migrates atoms that left the box to their new
   * owners, then builds the send lists and receives the ghosts (collective).
   */
  async reneighbor(): Promise<void> {
    this.generation++;
    this.nGhost = 0;
    this.x = this.x.slice(0, 3 * this.nLocal);
    this.id = this.id.slice(0, this.nLocal);
    this.type = this.type.slice(0, this.nLocal);
    this.wrapOwned();
    await migrateAtoms(this);
    await exchangeBorders(this);
  }

  /**
   * Forward exchange of ghost positions (collective): every ghost row of `x` gets its owner's
   * current position plus the lattice translation of its path. Call after moving owned atoms,
   * between re-neighbourings.
   */
  async forwardPositions(): Promise<void> {
    await this.forward(this.x, 3, true);
  }

  /**
   * Forward exchange of a per-row quantity of `width` numbers (collective): ghost rows of `data`
   * (length ≥ width·nAll) receive their owners' values (e.g. EAM's F'(ρ), width 1). With
   * `translate`, width must be 3 and positions get each swap's Cartesian shift.
   */
  async forward(data: Float64Array, width: number, translate = false): Promise<void> {
    const t0 = performance.now();
    try {
      await this.forwardUntimed(data, width, translate);
    } finally {
      this.exchangeMs += performance.now() - t0;
    }
  }

  private async forwardUntimed(data: Float64Array, width: number, translate: boolean): Promise<void> {
    if (data.length < width * this.nAll) {
      throw new Error(`forward: ${data.length} values for ${this.nAll} rows of width ${width}`);
    }
    if (translate && width !== 3) throw new Error('forward: only positions (width 3) are translated');
    const tag = this.nextTag('forward');
    for (const swap of this.swaps) {
      const l = this.lists[swap.index]!;
      const buf = new Float64Array(width * l.sendList.length);
      for (let m = 0; m < l.sendList.length; m++) {
        const i = l.sendList[m]!;
        for (let c = 0; c < width; c++) {
          buf[width * m + c] = data[width * i + c]! + (translate ? l.shift[c]! : 0);
        }
      }
      const got = await this.swapData(swap, buf, `${tag} swap ${swap.index}`);
      if (got.length !== width * l.nRecv) {
        throw new Error(
          `rank ${this.rank}, ${tag} swap ${swap.index}: received ${got.length / width} rows, expected ${l.nRecv}`,
        );
      }
      data.set(got, width * l.firstRecv);
    }
  }

  /**
   * Reverse exchange (collective): the swaps in reverse order send every ghost row of `data` back
   * to the rank it came from, which adds it into the row it sent (an owned row, or a ghost forwarded
   * further, which goes on back in an earlier swap). Ghost rows are zero afterwards.
   */
  async reverse(data: Float64Array, width: number): Promise<void> {
    const t0 = performance.now();
    try {
      await this.reverseUntimed(data, width);
    } finally {
      this.exchangeMs += performance.now() - t0;
    }
  }

  private async reverseUntimed(data: Float64Array, width: number): Promise<void> {
    if (data.length < width * this.nAll) {
      throw new Error(`reverse: ${data.length} values for ${this.nAll} rows of width ${width}`);
    }
    const tag = this.nextTag('reverse');
    for (let k = this.swaps.length - 1; k >= 0; k--) {
      const swap = this.swaps[k]!;
      const l = this.lists[k]!;
      const buf = data.slice(width * l.firstRecv, width * (l.firstRecv + l.nRecv));
      const got = await this.swapData(swap, buf, `${tag} swap ${k}`, true);
      if (got.length !== width * l.sendList.length) {
        throw new Error(
          `rank ${this.rank}, ${tag} swap ${k}: received ${got.length / width} rows, expected ${l.sendList.length}`,
        );
      }
      for (let m = 0; m < l.sendList.length; m++) {
        const i = l.sendList[m]!;
        for (let c = 0; c < width; c++) data[width * i + c]! += got[width * m + c]!;
      }
    }
    data.fill(0, width * this.nLocal, width * this.nAll);
  }

  /**
   * Sends `buf` to the swap's partner and returns what the other partner sent (a self-swap returns
   * `buf`). `backwards` exchanges in the reverse direction (to recvFrom, from sendTo).
   */
  async swapData(swap: Swap, buf: Float64Array, tag: string, backwards = false): Promise<Float64Array> {
    if (swap.self) return buf;
    const to = backwards ? swap.recvFrom : swap.sendTo;
    const from = backwards ? swap.sendTo : swap.recvFrom;
    this.transport.send(to, { tag, f64: buf, i32: new Int32Array(0) });
    return (await this.transport.recv(from, tag)).f64;
  }

  /** Unwrapped positions of owned atoms, Å (x + image flags · cell). */
  unwrappedPositions(): Float64Array {
    const out = this.x.slice(0, 3 * this.nLocal);
    const cell = this.grid.cell;
    for (let i = 0; i < this.nLocal; i++) {
      for (let a = 0; a < 3; a++) {
        const k = this.imageFlags[3 * i + a]!;
        if (k !== 0) for (let b = 0; b < 3; b++) out[3 * i + b]! += k * cell[3 * a + b]!;
      }
    }
    return out;
  }
}
