// Rebuild pass 7 (per atom, cell order): full Verlet list within cutoff + skin, every periodic image
// included, in LAMMPS's restricted triclinic cells (a = (lx,0,0), b = (xy,ly,0), c = (xz,yz,lz)).
//
// Cells are bins of the fractional coordinates (a fastest), and the atoms were just sorted into
// cell order, so every a-row of the grid is one contiguous run of rows; the neighbor index is the
// row index. Cell coordinates are "raw": outside the grid on periodic axes, a raw cell is cell
// (raw mod n) of periodic image ⌊raw / n⌋, so a cutoff longer than the cell visits several images
// (an atom also meets its own images). For each raw (b, c) row of cells the kernel takes the gap
// from the atom to the row's prism (parallel to a: exact in the (y, z) plane), skips the row when
// the gap exceeds the list cutoff, and otherwise scans the raw a cells overlapping the chord
// |x − x_i| ≤ e = sqrt(rc² − gap²), split into runs of one image each. Each run shifts the atom by
// minus its image once, so the inner loop has no image arithmetic: one vec4 load, a distance, a
// compare. Open axes clamp to the grid; their face cells hold the atoms beyond the box and reach to
// infinity in the gap test (neighborList.ts only allows tilts along periodic axes, as LAMMPS).
// Column-major with the count as row 0:
//   neighbors[i] = number of stored neighbors of atom i (≤ capacity),
//   neighbors[(k + 1)·nAtoms + i] = neighborEntry(row of the k-th neighbor, its image).
// A row longer than the capacity is truncated and its true length goes to control[MAX_NEIGHBORS];
// the engine sees it at its next readback, grows the capacity and rebuilds.

@group(0) @binding(0) var<storage, read> positions: array<vec4f>;
@group(0) @binding(1) var<storage, read> systemOf: array<u32>;
@group(0) @binding(2) var<storage, read> systems: array<System>;
@group(0) @binding(3) var<storage, read> cellStart: array<u32>;
@group(0) @binding(4) var<storage, read_write> neighbors: array<u32>;
@group(0) @binding(5) var<storage, read_write> control: array<atomic<u32>>;
@group(0) @binding(6) var<uniform> params: NeighborParams;
/// 1 when this step rebuilds the list, else the pass returns (schedule_rebuild.wgsl).
@group(0) @binding(7) var<storage, read> rebuildDue: array<u32, 1>;

/// Appends the atoms of rows [begin, end) within the list cutoff of `center` (atom i's position
/// minus the translation of `image`) to row i of the list; returns the new count (which keeps
/// counting past the capacity). Atom i itself is skipped in image 0 only.
fn scanRun(begin: u32, end: u32, center: vec3f, i: u32, image: vec3i, count: u32) -> u32 {
  let n = params.nAtoms;
  let capacity = params.capacity;
  let cutoff2 = params.listCutoff2;
  let code = neighborEntry(0u, image);
  let skip = select(i, 0xffffffffu, code != 0u);
  var found = count;
  for (var k = begin; k < end; k++) {
    let d = center - positions[k].xyz;
    if (dot(d, d) < cutoff2 && k != skip) {
      if (found < capacity) {
        neighbors[(found + 1u) * n + i] = k | code;
      }
      found++;
    }
  }
  return found;
}

/// ⌊x / n⌋ for n > 0.
fn floorDiv(x: i32, n: i32) -> i32 {
  return select(-((n - 1 - x) / n), x / n, x >= 0);
}

/// Distance from coordinate p to raw cell c of width h along one untilted axis; an open axis's
/// face cells extend to infinity (they hold the atoms beyond the box).
fn gapToCell(p: f32, c: i32, h: f32, cells: i32, open: bool) -> f32 {
  let lo = select(f32(c) * h, -3.0e38, open && c == 0);
  let hi = select(f32(c + 1) * h, 3.0e38, open && c == cells - 1);
  return max(max(lo - p, p - hi), 0.0);
}

/// Squared distance from q to the segment [a, a + u].
fn segmentDistance2(q: vec2f, a: vec2f, u: vec2f) -> f32 {
  let t = clamp(dot(q - a, u) / dot(u, u), 0.0, 1.0);
  let d = q - a - t * u;
  return dot(d, d);
}

/// Squared distance in the (y, z) plane from q to the parallelogram of s_b ∈ [b0, b1],
/// s_c ∈ [c0, c1] (y = s_b·ly + s_c·yz, z = s_c·lz): zero inside, else the nearest edge.
fn parallelogramDistance2(q: vec2f, b0: f32, b1: f32, c0: f32, c1: f32, system: System) -> f32 {
  let sc = q.y * system.inverseLength.z;
  let sb = (q.x - sc * system.tilt.z) * system.inverseLength.y;
  if (sb >= b0 && sb <= b1 && sc >= c0 && sc <= c1) {
    return 0.0;
  }
  let ly = system.length.y;
  let lz = system.length.z;
  let yz = system.tilt.z;
  let p00 = vec2f(b0 * ly + c0 * yz, c0 * lz);
  let u = vec2f((b1 - b0) * ly, 0.0);
  let v = vec2f((c1 - c0) * yz, (c1 - c0) * lz);
  let d0 = min(segmentDistance2(q, p00, u), segmentDistance2(q, p00, v));
  let d1 = min(segmentDistance2(q, p00 + v, u), segmentDistance2(q, p00 + u, v));
  return min(d0, d1);
}

@compute @workgroup_size(WORKGROUP_SIZE)
fn main(@builtin(global_invocation_id) gid: vec3u) {
  if (rebuildDue[0] == 0u) {
    return;
  }
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
  let cells = vec3f(system.grid.xyz);
  let open = system.periodic.xyz == vec3f(0.0);
  let width = system.length.xyz / cells;
  let cutoff2 = params.listCutoff2;
  let cutoff = sqrt(cutoff2);
  let s = fractionalCoordinates(pi.xyz, system);
  // Fractional half-extent of the cutoff sphere along each axis, and the raw cells it covers
  // (open axes: clamped to the grid; periodic: at most NEIGHBOR_MAX_IMAGE images either way).
  let reach = cutoff * system.inverseHeight.xyz;
  let lowest = -NEIGHBOR_MAX_IMAGE * grid;
  let highest = (NEIGHBOR_MAX_IMAGE + 1) * grid - vec3i(1);
  var low = vec3i(floor((s - reach) * cells));
  var high = vec3i(floor((s + reach) * cells));
  low = select(max(low, lowest), clamp(low, vec3i(0), grid - vec3i(1)), open);
  high = select(min(high, highest), clamp(high, vec3i(0), grid - vec3i(1)), open);
  let xy = system.tilt.x;
  let xz = system.tilt.y;
  let yz = system.tilt.z;
  let inverseCells = 1.0 / cells;
  var count = 0u;
  for (var z = low.z; z <= high.z; z++) {
    let imageZ = floorDiv(z, grid.z);
    let wz = z - imageZ * grid.z;
    let gz = gapToCell(pi.z, z, width.z, grid.z, open.z);
    let c0 = f32(z) * inverseCells.z;
    let c1 = f32(z + 1) * inverseCells.z;
    for (var y = low.y; y <= high.y; y++) {
      let b0 = f32(y) * inverseCells.y;
      let b1 = f32(y + 1) * inverseCells.y;
      // Gap from the atom to the prism of this row: a rectangle in (y, z) without the yz tilt
      // (open axes only occur there), else a parallelogram (b and c periodic).
      var gap2: f32;
      if (yz == 0.0) {
        let gy = gapToCell(pi.y, y, width.y, grid.y, open.y);
        gap2 = gy * gy + gz * gz;
      } else {
        gap2 = parallelogramDistance2(pi.yz, b0, b1, c0, c1, system);
      }
      if (gap2 >= cutoff2) {
        continue;
      }
      let imageY = floorDiv(y, grid.y);
      let wy = y - imageY * grid.y;
      let row = system.grid.w + u32(grid.x) * (u32(wy) + u32(grid.y) * u32(wz));
      let rowCenter = pi.xyz - imageShift(vec3i(0, imageY, imageZ), system);
      // Points of the prism within the sphere have |x − x_i| ≤ e, and s_a = (x − s_b·xy − s_c·xz)/lx
      // with (s_b, s_c) in the row: a range of s_a, intersected with the sphere's own extent.
      let e = sqrt(cutoff2 - gap2);
      let tMin = min(b0 * xy, b1 * xy) + min(c0 * xz, c1 * xz);
      let tMax = max(b0 * xy, b1 * xy) + max(c0 * xz, c1 * xz);
      let a0 = max((pi.x - e - tMax) * system.inverseLength.x, s.x - reach.x);
      let a1 = min((pi.x + e - tMin) * system.inverseLength.x, s.x + reach.x);
      var x0 = i32(floor(a0 * cells.x));
      var x1 = i32(floor(a1 * cells.x));
      if (open.x) {
        x0 = clamp(x0, 0, grid.x - 1);
        x1 = clamp(x1, 0, grid.x - 1);
      } else {
        x0 = max(x0, lowest.x);
        x1 = min(x1, highest.x);
      }
      // One run per image along a: raw cells [x0, x1] ∩ [m·nx, (m + 1)·nx).
      for (var m = floorDiv(x0, grid.x); m * grid.x <= x1; m++) {
        let first = u32(max(x0, m * grid.x) - m * grid.x);
        let last = u32(min(x1, m * grid.x + grid.x - 1) - m * grid.x);
        let center = rowCenter - vec3f(f32(m) * system.length.x, 0.0, 0.0);
        let image = vec3i(m, imageY, imageZ);
        count = scanRun(cellStart[row + first], cellStart[row + last + 1u], center, i, image, count);
      }
    }
  }
  neighbors[i] = min(count, params.capacity);
  if (count > params.capacity) {
    atomicMax(&control[CONTROL_MAX_NEIGHBORS], count);
  }
}
