// Rebuild pass 7 (per atom, cell order): full Verlet list within cutoff + skin.
//
// The atoms were just sorted into cell order with cells numbered x fastest, so every x-row of the
// grid is one contiguous run of rows, and the neighbor index is the row index. For each (y, z) row
// of cells within the list cutoff of the atom, the loop scans the run of x cells that overlaps
// [x − e, x + e], e = sqrt(rc² − (gap from the atom to the row in y and z)²): a per-atom stencil
// close to the sphere (cells are thin in x, see neighborList.ts). Periodic axes wrap rows and runs
// and shift the atom by the run's image once per run, so the inner loop has no minimum-image
// arithmetic: one vec4 load, a distance, a compare. (Periodic lengths exceed 2·(cutoff + skin), so
// at most one image of an atom is within reach, and the runs cover distinct (cell, image) pairs.)
// Open axes clamp to the grid; their face cells hold the atoms beyond the box, so those cells reach
// to infinity in the gap test. Column-major with the count as row 0:
//   neighbors[i] = number of stored neighbors of atom i (≤ capacity),
//   neighbors[(k + 1)·nAtoms + i] = k-th neighbor of atom i.
// A row longer than the capacity is truncated and its true length goes to control[MAX_NEIGHBORS];
// the engine sees it at its next readback, grows the capacity and rebuilds.

@group(0) @binding(0) var<storage, read> positions: array<vec4f>;
@group(0) @binding(1) var<storage, read> systemOf: array<u32>;
@group(0) @binding(2) var<storage, read> systems: array<System>;
@group(0) @binding(3) var<storage, read> cellStart: array<u32>;
@group(0) @binding(4) var<storage, read_write> neighbors: array<u32>;
@group(0) @binding(5) var<storage, read_write> control: array<atomic<u32>>;
@group(0) @binding(6) var<uniform> params: NeighborParams;

/// Appends the atoms of rows [begin, end) within the list cutoff of `center` to row i of the list;
/// returns the new count (which keeps counting past the capacity).
fn scanRun(begin: u32, end: u32, center: vec3f, i: u32, count: u32) -> u32 {
  let n = params.nAtoms;
  let capacity = params.capacity;
  let cutoff2 = params.listCutoff2;
  var found = count;
  for (var k = begin; k < end; k++) {
    let d = center - positions[k].xyz;
    if (dot(d, d) < cutoff2 && k != i) {
      if (found < capacity) {
        neighbors[(found + 1u) * n + i] = k;
      }
      found++;
    }
  }
  return found;
}

/// Distance from coordinate p to cell c (raw, unwrapped) of width h along one axis; an open axis's
/// face cells extend to infinity (they hold the atoms beyond the box).
fn gapToCell(p: f32, c: i32, h: f32, cells: i32, open: bool) -> f32 {
  let lo = select(f32(c) * h, -3.0e38, open && c == 0);
  let hi = select(f32(c + 1) * h, 3.0e38, open && c == cells - 1);
  return max(max(lo - p, p - hi), 0.0);
}

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
  let open = system.periodicLength.xyz == vec3f(0.0);
  let cellsPerLength = vec3f(system.grid.xyz) * system.inverseLength.xyz;
  let width = system.length.xyz / vec3f(system.grid.xyz);
  let cutoff = sqrt(params.listCutoff2);
  let cutoff2 = params.listCutoff2;
  // Rows of cells within reach along y and z (raw: periodic axes may leave the grid, open ones not).
  var low = vec3i(floor((pi.xyz - cutoff) * cellsPerLength));
  var high = vec3i(floor((pi.xyz + cutoff) * cellsPerLength));
  low = select(low, clamp(low, vec3i(0), grid - vec3i(1)), open);
  high = select(high, clamp(high, vec3i(0), grid - vec3i(1)), open);
  let lengthX = system.length.x;
  var count = 0u;
  for (var z = low.z; z <= high.z; z++) {
    let gz = gapToCell(pi.z, z, width.z, grid.z, open.z);
    let imageZ = select(0, 1, z >= grid.z) - select(0, 1, z < 0);
    let wz = z - imageZ * grid.z;
    let shiftZ = pi.z - f32(imageZ) * system.length.z;
    for (var y = low.y; y <= high.y; y++) {
      let gy = gapToCell(pi.y, y, width.y, grid.y, open.y);
      let gap2 = gy * gy + gz * gz;
      if (gap2 >= cutoff2) {
        continue;
      }
      let imageY = select(0, 1, y >= grid.y) - select(0, 1, y < 0);
      let wy = y - imageY * grid.y;
      let center = vec3f(pi.x, pi.y - f32(imageY) * system.length.y, shiftZ);
      let row = system.grid.w + u32(grid.x) * (u32(wy) + u32(grid.y) * u32(wz));
      // The x cells overlapping [x − e, x + e], split into runs of one image each: wrapped below 0,
      // inside the grid, wrapped past the end (the outer two only on a periodic x axis).
      let reachX = sqrt(cutoff2 - gap2);
      var x0 = i32(floor((pi.x - reachX) * cellsPerLength.x));
      var x1 = i32(floor((pi.x + reachX) * cellsPerLength.x));
      if (open.x) {
        x0 = clamp(x0, 0, grid.x - 1);
        x1 = clamp(x1, 0, grid.x - 1);
      }
      if (x0 < 0) {
        let s = center + vec3f(lengthX, 0.0, 0.0);
        count = scanRun(cellStart[row + u32(x0 + grid.x)], cellStart[row + u32(grid.x)], s, i, count);
      }
      let a = u32(max(x0, 0));
      let b = u32(min(x1, grid.x - 1));
      count = scanRun(cellStart[row + a], cellStart[row + b + 1u], center, i, count);
      if (x1 >= grid.x) {
        let s = center - vec3f(lengthX, 0.0, 0.0);
        count = scanRun(cellStart[row], cellStart[row + u32(x1 - grid.x) + 1u], s, i, count);
      }
    }
  }
  neighbors[i] = min(count, params.capacity);
  if (count > params.capacity) {
    atomicMax(&control[CONTROL_MAX_NEIGHBORS], count);
  }
}
