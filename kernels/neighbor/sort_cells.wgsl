// Rebuild pass 4 (per cell): sorts each cell's atoms by their original index (insertion sort; a
// few atoms a cell), so that neither the scatter's atomic order nor the current storage order leaks
// into the new order: the permutation is a function of the positions alone, and builds are
// deterministic. Null cells are skipped: their NULL atoms arrive in a fixed order (assign_cells.wgsl).

@group(0) @binding(0) var<storage, read> cellStart: array<u32>;
@group(0) @binding(1) var<storage, read_write> cellAtoms: array<u32>;
@group(0) @binding(2) var<storage, read> originalIndex: array<u32>;
@group(0) @binding(3) var<uniform> params: NeighborParams;
@group(0) @binding(4) var<storage, read> positions: array<vec4f>;
/// 1 when this step rebuilds the list, else the pass returns (schedule_rebuild.wgsl).
@group(0) @binding(5) var<storage, read> rebuildDue: array<u32, 1>;

@compute @workgroup_size(WORKGROUP_SIZE)
fn main(@builtin(global_invocation_id) gid: vec3u) {
  if (rebuildDue[0] == 0u) {
    return;
  }
  let c = gid.x;
  if (c >= params.nCells) {
    return;
  }
  let begin = cellStart[c];
  let end = cellStart[c + 1u];
  // A null cell (its atoms are NULL) is in order already: see assign_cells.wgsl.
  if (begin == end || positions[cellAtoms[begin]].w < 0.0) {
    return;
  }
  for (var k = begin + 1u; k < end; k++) {
    let atom = cellAtoms[k];
    let key = originalIndex[atom];
    var m = k;
    while (m > begin && originalIndex[cellAtoms[m - 1u]] > key) {
      cellAtoms[m] = cellAtoms[m - 1u];
      m--;
    }
    cellAtoms[m] = atom;
  }
}
