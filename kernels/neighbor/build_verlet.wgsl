// Rebuild pass 5 (per atom): full Verlet list within cutoff + skin from the 27 cells around the
// atom's cell. Periodic axes wrap the stencil and shift the atom by the cell's image once per cell,
// so the inner loop has no minimum-image arithmetic: one vec4 load, a distance, a compare.
// (Periodic lengths exceed 2·(cutoff + skin), so at most one image of an atom is within reach and
// an axis with 1 or 2 cells still lists each neighbor once.) Column-major with the count as row 0:
//   neighbors[i] = number of stored neighbors of atom i (≤ capacity),
//   neighbors[(k + 1)·nAtoms + i] = k-th neighbor of atom i.
// A row longer than the capacity is truncated and its true length goes to control[MAX_NEIGHBORS];
// the engine sees it at its next readback, grows the capacity and rebuilds.

@group(0) @binding(0) var<storage, read> positions: array<vec4f>;
@group(0) @binding(1) var<storage, read> systemOf: array<u32>;
@group(0) @binding(2) var<storage, read> systems: array<System>;
@group(0) @binding(3) var<storage, read> cellStart: array<u32>;
@group(0) @binding(4) var<storage, read> cellAtoms: array<u32>;
@group(0) @binding(5) var<storage, read> cellPositions: array<vec4f>;
@group(0) @binding(6) var<storage, read_write> neighbors: array<u32>;
@group(0) @binding(7) var<storage, read_write> control: array<atomic<u32>>;
@group(0) @binding(8) var<uniform> params: NeighborParams;

@compute @workgroup_size(WORKGROUP_SIZE)
fn main(@builtin(global_invocation_id) gid: vec3u) {
  let i = gid.x;
  let n = params.nAtoms;
  if (i >= n) {
    return;
  }
  let pi = positions[i];
  if (pi.w < 0.0) {
    neighbors[i] = 0u;
    return;
  }
  let system = systems[systemOf[i]];
  let grid = vec3i(system.grid.xyz);
  let periodic = system.periodicLength.xyz > vec3f(0.0);
  let center = cellCoordinates(pi.xyz, system);
  // Open axes: neighbors cells inside the grid only.
  let low = select(max(center - vec3i(1), vec3i(0)), center - vec3i(1), periodic);
  let high = select(min(center + vec3i(1), grid - vec3i(1)), center + vec3i(1), periodic);
  let capacity = params.capacity;
  let cutoff2 = params.listCutoff2;
  var count = 0u;
  for (var z = low.z; z <= high.z; z++) {
    for (var y = low.y; y <= high.y; y++) {
      for (var x = low.x; x <= high.x; x++) {
        let raw = vec3i(x, y, z);
        let wrapped = (raw + grid) % grid;
        // The image of this cell: −1, 0 or +1 box lengths per axis (0 on open axes).
        let image = vec3f((raw - wrapped) / grid);
        let shifted = pi.xyz - image * system.length.xyz;
        let c = cellIndex(wrapped, system);
        let end = cellStart[c + 1u];
        for (var k = cellStart[c]; k < end; k++) {
          let d = shifted - cellPositions[k].xyz;
          if (dot(d, d) < cutoff2) {
            let j = cellAtoms[k];
            if (j != i) {
              if (count < capacity) {
                neighbors[(count + 1u) * n + i] = j;
              }
              count++;
            }
          }
        }
      }
    }
  }
  neighbors[i] = min(count, capacity);
  if (count > capacity) {
    atomicMax(&control[CONTROL_MAX_NEIGHBORS], count);
  }
}
