/** The viewer's data of a recorded frame: the atoms of the frame and system chosen in a trajectory view. */
import type { TrajectoryFrame } from '../../io/zarr/trajectoryFrame.ts';
import type { TrajectoryViewState } from '../trajectory/trajectoryView.ts';
import type { ViewData } from './viewController.ts';

/** The frame chosen in `state` (all systems, or one: a missing id falls back to the first), or null. */
export function trajectoryViewData(state: TrajectoryViewState): ViewData | null {
  const frame: TrajectoryFrame | undefined = state.trajectory?.frames[state.frame];
  if (!frame) return null;
  const nSystems = frame.systemIds.length;
  const status = frame.status ?? new Int32Array(nSystems);
  const base = { stage: frame.stage, rank: null, step: frame.step };
  if (state.system === 'all') {
    return {
      ...base,
      atomicNumbers: frame.atomicNumbers,
      positions: frame.positions,
      cell: frame.cells.subarray(0, 9),
      slots: { systemIds: frame.systemIds, atomsPtr: frame.atomsPtr, status },
      forces: frame.forces ?? null,
      velocities: frame.velocities ?? null,
    };
  }
  const k = Math.max(0, Array.prototype.indexOf.call(frame.systemIds, state.system) as number);
  const [from, to] = [frame.atomsPtr[k]!, frame.atomsPtr[k + 1]!];
  return {
    ...base,
    atomicNumbers: frame.atomicNumbers.subarray(from, to),
    positions: frame.positions.subarray(3 * from, 3 * to),
    cell: frame.cells.subarray(9 * k, 9 * k + 9),
    slots: {
      systemIds: frame.systemIds.subarray(k, k + 1),
      atomsPtr: Int32Array.of(0, to - from),
      status: status.subarray(k, k + 1),
    },
    forces: frame.forces?.subarray(3 * from, 3 * to) ?? null,
    velocities: frame.velocities?.subarray(3 * from, 3 * to) ?? null,
  };
}
