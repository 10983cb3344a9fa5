/** One snapshot of a batch of systems, as the trajectory writer takes it and the reader gives it back. */
export interface TrajectoryFrame {
  /** Global step. */
  step: number;
  /** Simulated time, fs. */
  time: number;
  /** Index of the stage in the chain. */
  stage: number;
  /** Step within the stage. */
  stageStep: number;
  /** Atom offsets of the systems in this frame, length S + 1, starting at 0. */
  atomsPtr: Int32Array;
  /** Stable system ids (length S). */
  systemIds: Int32Array;
  /** Atomic numbers (length N). */
  atomicNumbers: Int32Array;
  /** Cells, Å, rows a, b, c per system (length 9S). */
  cells: Float64Array;
  /** Periodicity along a, b, c per system, 1 = periodic (length 3S). */
  pbc: Uint8Array;
  /** Positions, Å, xyz interleaved (length 3N). */
  positions: Float32Array;
  /** Velocities, Å/fs (length 3N). */
  velocities?: Float32Array;
  /** Forces, eV/Å (length 3N). */
  forces?: Float32Array;
  /** Potential energy per system, eV (length S). */
  energy?: Float64Array;
  /** Stress per system, eV/Å³, 3×3 row-major, ASE sign convention (length 9S). */
  stress?: Float64Array;
  /** Status code per system (length S). */
  status?: Int32Array;
}

/** Number of systems and atoms of a frame, after checking that its arrays agree. */
export function frameSize(frame: TrajectoryFrame): { nSystems: number; nAtoms: number } {
  const s = frame.atomsPtr.length - 1;
  if (s < 0 || frame.atomsPtr[0] !== 0) throw new Error('atomsPtr must start at 0 and have S + 1 entries');
  for (let k = 0; k < s; k++) {
    if (frame.atomsPtr[k + 1]! < frame.atomsPtr[k]!) throw new Error('atomsPtr must not decrease');
  }
  const n = frame.atomsPtr[s]!;
  const expect: [string, ArrayLike<number> | undefined, number][] = [
    ['systemIds', frame.systemIds, s],
    ['atomicNumbers', frame.atomicNumbers, n],
    ['cells', frame.cells, 9 * s],
    ['pbc', frame.pbc, 3 * s],
    ['positions', frame.positions, 3 * n],
    ['velocities', frame.velocities, 3 * n],
    ['forces', frame.forces, 3 * n],
    ['energy', frame.energy, s],
    ['stress', frame.stress, 9 * s],
    ['status', frame.status, s],
  ];
  for (const [name, values, length] of expect) {
    if (values && values.length !== length) {
      throw new Error(
        `${name} has ${values.length} values; expected ${length} for ${s} systems and ${n} atoms`,
      );
    }
  }
  return { nSystems: s, nAtoms: n };
}

/** The systems `selected` (ascending) of a frame, as a frame of their own. */
export function selectSystems(frame: TrajectoryFrame, selected: readonly number[]): TrajectoryFrame {
  const ptr = new Int32Array(selected.length + 1);
  selected.forEach((s, k) => {
    ptr[k + 1] = ptr[k]! + frame.atomsPtr[s + 1]! - frame.atomsPtr[s]!;
  });
  function pick<T extends Float32Array | Float64Array | Int32Array | Uint8Array>(
    values: T,
    width: number,
    atom: boolean,
  ): T {
    const out = new (values.constructor as new (n: number) => T)(
      (atom ? ptr.at(-1)! : selected.length) * width,
    );
    selected.forEach((s, k) => {
      const [from, to, at] = atom ? [frame.atomsPtr[s]!, frame.atomsPtr[s + 1]!, ptr[k]!] : [s, s + 1, k];
      out.set(values.subarray(from * width, to * width), at * width);
    });
    return out;
  }
  return {
    step: frame.step,
    time: frame.time,
    stage: frame.stage,
    stageStep: frame.stageStep,
    atomsPtr: ptr,
    systemIds: pick(frame.systemIds, 1, false),
    atomicNumbers: pick(frame.atomicNumbers, 1, true),
    cells: pick(frame.cells, 9, false),
    pbc: pick(frame.pbc, 3, false),
    positions: pick(frame.positions, 3, true),
    ...(frame.velocities ? { velocities: pick(frame.velocities, 3, true) } : {}),
    ...(frame.forces ? { forces: pick(frame.forces, 3, true) } : {}),
    ...(frame.energy ? { energy: pick(frame.energy, 1, false) } : {}),
    ...(frame.stress ? { stress: pick(frame.stress, 9, false) } : {}),
    ...(frame.status ? { status: pick(frame.status, 1, false) } : {}),
  };
}
