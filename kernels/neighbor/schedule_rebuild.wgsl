// One thread: turns the rebuild flag into rebuildDue (1 when the list is rebuilt this step), clears
// the flag and counts builds. No CPU round trip: the rebuild passes are dispatched every step and
// return at once when rebuildDue is 0. (Indirect dispatches of 0 workgroups did the same, but cost
// Dawn about 0.6 ms each on the CPU: more than a whole step of a small system.)

@group(0) @binding(0) var<storage, read_write> control: array<atomic<u32>>;
@group(0) @binding(1) var<storage, read_write> rebuildDue: array<u32, 1>;

@compute @workgroup_size(1)
fn main() {
  let due = atomicExchange(&control[CONTROL_REBUILD_REQUESTED], 0u) != 0u;
  rebuildDue[0] = select(0u, 1u, due);
  if (due) {
    atomicAdd(&control[CONTROL_REBUILD_COUNT], 1u);
  }
}
