// Rebuild pass 4 (per cell): sorts each cell's atoms by index (insertion sort; ~20 atoms a cell),
// so that the scatter's atomic order does not leak into the list (builds are deterministic), then
// gathers their positions into cell order (cellPositions), which build_verlet streams through.

@group(0) @binding(0) var<storage, read> cellStart: array<u32>;
@group(0) @binding(1) var<storage, read_write> cellAtoms: array<u32>;
@group(0) @binding(2) var<storage, read> positions: array<vec4f>;
@group(0) @binding(3) var<storage, read_write> cellPositions: array<vec4f>;
@group(0) @binding(4) var<uniform> params: NeighborParams;

@compute @workgroup_size(WORKGROUP_SIZE)
fn main(@builtin(global_invocation_id) gid: vec3u) {
  let c = gid.x;
  if (c >= params.nCells) {
    return;
  }
  let begin = cellStart[c];
  let end = cellStart[c + 1u];
  for (var k = begin + 1u; k < end; k++) {
    let atom = cellAtoms[k];
    var m = k;
    while (m > begin && cellAtoms[m - 1u] > atom) {
      cellAtoms[m] = cellAtoms[m - 1u];
      m--;
    }
    cellAtoms[m] = atom;
  }
  for (var k = begin; k < end; k++) {
    cellPositions[k] = positions[cellAtoms[k]];
  }
}
