/**
 * A GPU ring buffer of frames (DESIGN §4 sinks, seed 002's GPUBuffer): `capacity` preallocated frame
 * slots of the batch's per-atom rows (positions, velocities, forces as vec4f, as in
 * {@link BatchBuffers}, plus the `originalIndex` permutation of that step), filled by
 * copyBufferToBuffer on the GPU queue: no read-back during the run. Per-frame metadata (step, time,
 * stage, slot layout, the selected slots) stays on the host. `drain()` maps the ring once and turns the
 * frames held into {@link TrajectoryFrame}s (rows un-permuted to batch order, selected live slots only),
 * oldest first. When full, the oldest frame is overwritten, unless `drainWhenFull` empties the ring
 * into its downstream sink first.
 */
import type { TrajectoryFrame } from '../../io/zarr/trajectoryFrame.ts';
import { frameSize } from '../../io/zarr/trajectoryFrame.ts';
import type { FrameClock, FrameSink } from '../sinks/sink.ts';
import { type SlotLayout, slotFrame } from '../sinks/slotFrame.ts';
import type { BatchBuffers } from './buffers.ts';

/** The GPU buffers a ring copies from. */
export type RingSource = Pick<
  BatchBuffers,
  'nAtoms' | 'positions' | 'velocities' | 'forces' | 'originalIndex'
>;

export interface GpuRingSinkOptions {
  /** Sink that drained frames are written to (drain's default). */
  downstream?: FrameSink;
  /** Drain into `downstream` whenever the ring fills, so that no frame is overwritten. Default false. */
  drainWhenFull?: boolean;
  /** Label of the GPU buffers. */
  label?: string;
  /** Largest GPU buffer to allocate, bytes (default and upper bound: the device's maxBufferSize). */
  maxBufferBytes?: number;
}

/** The parts of a layout that change only when systems move in or out (shared between frames). */
interface Structure {
  atomsPtr: Int32Array;
  systemIds: Int32Array;
  atomicNumbers: Int32Array;
  cells: Float64Array;
  pbc: Uint8Array;
}

/** What the host keeps of one ring slot. */
type SlotRecord =
  | {
      kind: 'capture';
      clock: FrameClock;
      structure: Structure;
      status: Int32Array;
      selected: readonly number[];
    }
  | { kind: 'frame'; frame: TrajectoryFrame; atoms: number };

const VEC4 = 16;

function sameArray(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function sameStructure(s: Structure, layout: SlotLayout): boolean {
  return (
    sameArray(s.atomsPtr, layout.atomsPtr) &&
    sameArray(s.systemIds, layout.systemIds) &&
    sameArray(s.cells, layout.cells) &&
    sameArray(s.pbc, layout.pbc) &&
    sameArray(s.atomicNumbers, layout.atomicNumbers)
  );
}

/** Packs xyz triples into vec4f rows (w = 0). */
function packRows(xyz: ArrayLike<number> | undefined, rows: number, out: Float32Array, at: number): void {
  if (!xyz) return;
  for (let i = 0; i < rows; i++) {
    out[at + 4 * i] = xyz[3 * i]!;
    out[at + 4 * i + 1] = xyz[3 * i + 1]!;
    out[at + 4 * i + 2] = xyz[3 * i + 2]!;
  }
}

export class GpuRingSink implements FrameSink {
  readonly kind = 'gpu-ring';
  /** Atom rows per frame slot (the batch's atom count). */
  readonly rows: number;
  /** Bytes of one frame slot on the GPU. */
  readonly frameBytes: number;
  private readonly framesPerBuffer: number;
  private readonly ring: GPUBuffer[] = [];
  private readonly records: (SlotRecord | undefined)[];
  /** Ring slot the next frame goes to. */
  private next = 0;
  private held = 0;
  private dropped = 0;
  private structure: Structure | null = null;
  private destroyed = false;

  /**
   * Allocates `capacity` frame slots of `source.nAtoms` rows (52 bytes per atom and frame), split
   * over as many buffers as the device's maxBufferSize requires.
   */
  constructor(
    readonly device: GPUDevice,
    private readonly source: RingSource,
    readonly capacity: number,
    private readonly options: GpuRingSinkOptions = {},
  ) {
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new RangeError(`capacity must be ≥ 1 frame, got ${capacity}`);
    }
    if (options.drainWhenFull && !options.downstream) {
      throw new Error('drainWhenFull needs a downstream sink to drain into');
    }
    this.rows = source.nAtoms;
    this.frameBytes = (3 * VEC4 + 4) * this.rows;
    const limit = Math.min(device.limits.maxBufferSize, options.maxBufferBytes ?? Number.POSITIVE_INFINITY);
    this.framesPerBuffer = Math.min(capacity, Math.floor(limit / this.frameBytes));
    if (this.framesPerBuffer < 1) {
      throw new Error(
        `a frame of ${this.rows} atoms takes ${this.frameBytes} bytes, more than the largest GPU ` +
          `buffer allowed (${limit} bytes)`,
      );
    }
    for (let first = 0; first < capacity; first += this.framesPerBuffer) {
      const frames = Math.min(this.framesPerBuffer, capacity - first);
      this.ring.push(
        device.createBuffer({
          label: `${options.label ?? 'frame ring'} ${this.ring.length}`,
          size: frames * this.frameBytes,
          usage: GPUBufferUsage.COPY_DST | GPUBufferUsage.COPY_SRC,
        }),
      );
    }
    this.records = new Array<SlotRecord | undefined>(capacity);
  }

  /** Frames held. */
  get length(): number {
    return this.held;
  }

  /** Frames overwritten before they were drained. */
  get droppedFrames(): number {
    return this.dropped;
  }

  /** GPU memory held by the ring, bytes. */
  get bytes(): number {
    return this.capacity * this.frameBytes;
  }

  private where(slot: number): { buffer: GPUBuffer; offset: number } {
    return {
      buffer: this.ring[Math.floor(slot / this.framesPerBuffer)]!,
      offset: (slot % this.framesPerBuffer) * this.frameBytes,
    };
  }

  /** Claims the next ring slot for `record` (overwriting the oldest frame when full). */
  private claim(record: SlotRecord): number {
    if (this.destroyed) throw new Error('the GPU ring was destroyed');
    const slot = this.next;
    this.records[slot] = record;
    this.next = (slot + 1) % this.capacity;
    if (this.held === this.capacity) this.dropped++;
    else this.held++;
    return slot;
  }

  /** The layout's structure, shared with the previous frame when it has not changed. */
  private structureOf(layout: SlotLayout): Structure {
    if (this.structure && sameStructure(this.structure, layout)) return this.structure;
    this.structure = {
      atomsPtr: layout.atomsPtr.slice(),
      systemIds: layout.systemIds.slice(),
      atomicNumbers: layout.atomicNumbers.slice(),
      cells: layout.cells.slice(),
      pbc: layout.pbc.slice(),
    };
    return this.structure;
  }

  /**
   * Records the copy of the batch's current rows into the next ring slot, into `encoder` (submit it
   * after the work whose result it should hold). `selected`: the slots the frame keeps (ascending).
   */
  encodeCapture(
    encoder: GPUCommandEncoder,
    clock: FrameClock,
    layout: SlotLayout,
    selected: readonly number[],
  ): void {
    if (layout.atomsPtr[layout.atomsPtr.length - 1] !== this.rows) {
      throw new Error(
        `the layout has ${layout.atomsPtr.at(-1)} atoms; the ring holds frames of ${this.rows}`,
      );
    }
    const slot = this.claim({
      kind: 'capture',
      clock: { step: clock.step, time: clock.time, stage: clock.stage, stageStep: clock.stageStep },
      structure: this.structureOf(layout),
      status: layout.status.slice(),
      selected: selected.slice(),
    });
    const { buffer, offset } = this.where(slot);
    const bytes = VEC4 * this.rows;
    const s = this.source;
    encoder.copyBufferToBuffer(s.positions, 0, buffer, offset, bytes);
    encoder.copyBufferToBuffer(s.velocities, 0, buffer, offset + bytes, bytes);
    encoder.copyBufferToBuffer(s.forces, 0, buffer, offset + 2 * bytes, bytes);
    encoder.copyBufferToBuffer(s.originalIndex, 0, buffer, offset + 3 * bytes, 4 * this.rows);
  }

  /**
   * Copies the batch's current rows into the next ring slot in a command buffer of its own, queued
   * after everything submitted so far. Returns a promise only when the ring was full and
   * `drainWhenFull` drains it.
   */
  capture(clock: FrameClock, layout: SlotLayout, selected: readonly number[]): void | Promise<void> {
    const encoder = this.device.createCommandEncoder({ label: `ring capture step ${clock.step}` });
    this.encodeCapture(encoder, clock, layout, selected);
    this.device.queue.submit([encoder.finish()]);
    if (this.options.drainWhenFull && this.held === this.capacity) {
      return this.drain().then(() => {});
    }
  }

  /** Uploads a host frame (at most `rows` atoms) into the next ring slot. */
  write(frame: TrajectoryFrame): void | Promise<void> {
    const { nAtoms } = frameSize(frame);
    if (nAtoms > this.rows)
      throw new Error(`a frame of ${nAtoms} atoms does not fit a ring of ${this.rows}-atom frames`);
    const { positions: _p, velocities: _v, forces: _f, ...rest } = frame;
    // The record remembers which optional per-atom fields the frame had (as empty arrays).
    const slot = this.claim({
      kind: 'frame',
      frame: {
        ...rest,
        positions: new Float32Array(0),
        ...(frame.velocities ? { velocities: new Float32Array(0) } : {}),
        ...(frame.forces ? { forces: new Float32Array(0) } : {}),
      },
      atoms: nAtoms,
    });
    const rowFloats = 4 * this.rows;
    const data = new Float32Array(this.frameBytes / 4);
    packRows(frame.positions, nAtoms, data, 0);
    packRows(frame.velocities, nAtoms, data, rowFloats);
    packRows(frame.forces, nAtoms, data, 2 * rowFloats);
    const index = new Uint32Array(data.buffer, 3 * 4 * rowFloats, this.rows);
    for (let i = 0; i < this.rows; i++) index[i] = i;
    const { buffer, offset } = this.where(slot);
    this.device.queue.writeBuffer(buffer, offset, data);
    if (this.options.drainWhenFull && this.held === this.capacity) {
      return this.drain().then(() => {});
    }
  }

  /**
   * Reads every frame held back (one map per ring buffer), empties the ring, and writes the frames to
   * `downstream` (the options' by default) if there is one. Frames come oldest first, rows in batch
   * order, selected slots only; per-system energy is the f64 sum of the per-atom energies.
   */
  async drain(downstream: FrameSink | undefined = this.options.downstream): Promise<TrajectoryFrame[]> {
    const count = this.held;
    const first = (this.next - count + this.capacity) % this.capacity;
    const order = Array.from({ length: count }, (_, k) => (first + k) % this.capacity);
    this.held = 0;
    const frames: TrajectoryFrame[] = [];
    // One staging buffer per batch of frames that fits the device's maxBufferSize.
    for (let k0 = 0; k0 < order.length; k0 += this.framesPerBuffer) {
      const batch = order.slice(k0, k0 + this.framesPerBuffer);
      const staging = this.device.createBuffer({
        label: 'frame ring readback',
        size: batch.length * this.frameBytes,
        usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST,
      });
      const encoder = this.device.createCommandEncoder({ label: 'frame ring drain' });
      batch.forEach((slot, k) => {
        const { buffer, offset } = this.where(slot);
        encoder.copyBufferToBuffer(buffer, offset, staging, k * this.frameBytes, this.frameBytes);
      });
      this.device.queue.submit([encoder.finish()]);
      await staging.mapAsync(GPUMapMode.READ);
      const data = staging.getMappedRange().slice(0);
      staging.destroy();
      batch.forEach((slot, k) => {
        frames.push(this.toFrame(this.records[slot]!, data, k * this.frameBytes));
        this.records[slot] = undefined;
      });
    }
    if (downstream) for (const f of frames) await downstream.write(f);
    return frames;
  }

  /** Un-permutes one frame slot's rows (at `offset` in `data`) into a frame. */
  private toFrame(record: SlotRecord, data: ArrayBuffer, offset: number): TrajectoryFrame {
    const n = this.rows;
    const bytes = VEC4 * n;
    const rows = record.kind === 'frame' ? record.atoms : n;
    const index = new Uint32Array(data, offset + 3 * bytes, n);
    const unpack = (at: number) => {
      const v = new Float32Array(data, offset + at, 4 * n);
      const out = new Float32Array(3 * rows);
      for (let k = 0; k < rows; k++) {
        const i = index[k]!;
        out[3 * i] = v[4 * k]!;
        out[3 * i + 1] = v[4 * k + 1]!;
        out[3 * i + 2] = v[4 * k + 2]!;
      }
      return out;
    };
    const positions = unpack(0);
    if (record.kind === 'frame') {
      const f = record.frame;
      return {
        ...f,
        positions,
        ...(f.velocities ? { velocities: unpack(bytes) } : {}),
        ...(f.forces ? { forces: unpack(2 * bytes) } : {}),
      };
    }
    const { structure, status, selected, clock } = record;
    // Per-atom energy (w of the force rows), summed per slot in batch order, in f64.
    const forceRows = new Float32Array(data, offset + 2 * bytes, 4 * n);
    const atomEnergy = new Float64Array(n);
    for (let k = 0; k < n; k++) atomEnergy[index[k]!] = forceRows[4 * k + 3]!;
    const slots = structure.atomsPtr.length - 1;
    const energy = new Float64Array(slots);
    for (const s of selected) {
      let e = 0;
      for (let i = structure.atomsPtr[s]!; i < structure.atomsPtr[s + 1]!; i++) e += atomEnergy[i]!;
      energy[s] = e;
    }
    return slotFrame(clock, { ...structure, status }, selected, {
      positions,
      velocities: unpack(bytes),
      forces: unpack(2 * bytes),
      energy,
    });
  }

  /** Frees the GPU buffers; the ring takes no more frames. */
  destroy(): void {
    this.destroyed = true;
    for (const b of this.ring) b.destroy();
    this.ring.length = 0;
    this.records.fill(undefined);
    this.held = 0;
  }
}
