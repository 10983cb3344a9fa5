/**
 * Cutting a {@link TrajectoryFrame} out of the resident batch: the slots a snapshot selects (live
 * slots, those of one status code, or those that just converged), with their atoms gathered into a
 * CSR frame of their own.
 */
import { selectSystems, type TrajectoryFrame } from '../../io/zarr/trajectoryFrame.ts';
import type { FrameClock } from './sink.ts';

/** The slots of the resident batch, as a snapshot needs them (batch order; one slot = one system). */
export interface SlotLayout {
  /** Atom offsets per slot in batch order (length slots + 1). */
  readonly atomsPtr: Int32Array;
  /** System id per slot; −1 marks an empty slot. */
  readonly systemIds: Int32Array;
  /** Status code per slot. */
  readonly status: Int32Array;
  /** Atomic number per atom, batch order (length atomsPtr[slots]). */
  readonly atomicNumbers: Int32Array;
  /** Cell per slot, Å, rows a, b, c (9 per slot). */
  readonly cells: Float64Array;
  /** Periodicity per slot along a, b, c, 1 = periodic (3 per slot). */
  readonly pbc: Uint8Array;
}

/** Per-atom (batch order) and per-slot data of the whole batch at one step. */
export interface SlotData {
  /** Å, xyz per atom. */
  readonly positions: Float32Array;
  /** Å/fs, xyz per atom. */
  readonly velocities?: Float32Array;
  /** eV/Å, xyz per atom. */
  readonly forces?: Float32Array;
  /** Potential energy per slot, eV. */
  readonly energy?: Float64Array;
  /** Stress per slot, eV/Å³, 3×3 row-major, ASE sign. */
  readonly stress?: Float64Array;
}

/** Slots holding a system (id ≥ 0), and only those with status `statusCode` when it is not null. */
export function liveSlots(
  layout: Pick<SlotLayout, 'systemIds' | 'status'>,
  statusCode: number | null,
): number[] {
  const out: number[] = [];
  for (let s = 0; s < layout.systemIds.length; s++) {
    if (layout.systemIds[s]! < 0) continue;
    if (statusCode !== null && layout.status[s] !== statusCode) continue;
    out.push(s);
  }
  return out;
}

/** Checks that a layout's arrays agree with each other and with the data. */
function checkLayout(layout: SlotLayout, data: SlotData): void {
  const slots = layout.atomsPtr.length - 1;
  const atoms = layout.atomsPtr[slots] ?? 0;
  const expect: [string, number | undefined, number][] = [
    ['systemIds', layout.systemIds.length, slots],
    ['status', layout.status.length, slots],
    ['atomicNumbers', layout.atomicNumbers.length, atoms],
    ['cells', layout.cells.length, 9 * slots],
    ['pbc', layout.pbc.length, 3 * slots],
    ['positions', data.positions.length, 3 * atoms],
    ['velocities', data.velocities?.length, 3 * atoms],
    ['forces', data.forces?.length, 3 * atoms],
    ['energy', data.energy?.length, slots],
    ['stress', data.stress?.length, 9 * slots],
  ];
  for (const [name, length, want] of expect) {
    if (length !== undefined && length !== want) {
      throw new Error(
        `snapshot: ${name} has ${length} values; expected ${want} for ${slots} slots and ${atoms} atoms`,
      );
    }
  }
}

/** The frame of the slots `selected` (ascending, distinct), copied out of the batch-wide arrays. */
export function slotFrame(
  clock: FrameClock,
  layout: SlotLayout,
  selected: readonly number[],
  data: SlotData,
): TrajectoryFrame {
  checkLayout(layout, data);
  // The batch-wide arrays as one frame of every slot; selectSystems copies the selected ones out.
  const whole: TrajectoryFrame = {
    step: clock.step,
    time: clock.time,
    stage: clock.stage,
    stageStep: clock.stageStep,
    atomsPtr: layout.atomsPtr,
    systemIds: layout.systemIds,
    atomicNumbers: layout.atomicNumbers,
    cells: layout.cells,
    pbc: layout.pbc,
    positions: data.positions,
    ...(data.velocities ? { velocities: data.velocities } : {}),
    ...(data.forces ? { forces: data.forces } : {}),
    ...(data.energy ? { energy: data.energy } : {}),
    ...(data.stress ? { stress: data.stress } : {}),
    status: layout.status,
  };
  return selectSystems(whole, selected);
}
