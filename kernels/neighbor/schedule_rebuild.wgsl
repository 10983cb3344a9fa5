// One thread: turns the rebuild flag into indirect-dispatch arguments for the rebuild passes
// (0 workgroups when no rebuild is due), clears the flag and counts builds. No CPU round trip.
//   dispatchArgs[0..3): per-atom passes, [3..6): per-cell passes, [6..9): single-workgroup passes.

@group(0) @binding(0) var<storage, read_write> control: array<atomic<u32>>;
@group(0) @binding(1) var<storage, read_write> dispatchArgs: array<u32, 9>;
@group(0) @binding(2) var<uniform> params: NeighborParams;

@compute @workgroup_size(1)
fn main() {
  let due = atomicExchange(&control[CONTROL_REBUILD_REQUESTED], 0u) != 0u;
  dispatchArgs[0] = select(0u, (params.nAtoms + WORKGROUP_SIZE - 1u) / WORKGROUP_SIZE, due);
  dispatchArgs[1] = 1u;
  dispatchArgs[2] = 1u;
  dispatchArgs[3] = select(0u, (params.nCells + WORKGROUP_SIZE - 1u) / WORKGROUP_SIZE, due);
  dispatchArgs[4] = 1u;
  dispatchArgs[5] = 1u;
  dispatchArgs[6] = select(0u, 1u, due);
  dispatchArgs[7] = 1u;
  dispatchArgs[8] = 1u;
  if (due) {
    atomicAdd(&control[CONTROL_REBUILD_COUNT], 1u);
  }
}
