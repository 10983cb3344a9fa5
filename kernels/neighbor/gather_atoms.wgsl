// Rebuild pass 5 (per new row k): gathers the atoms into cell order. Row k takes atom
// cellAtoms[k]: its (wrapped) position into referencePositions (the reference of the displacement
// check, which copy_sorted then copies back to positions), its velocity and its original index into
// scratch rows. Cells are grouped by system and each system has its null cell, so every atom stays
// in its system's row range.

@group(0) @binding(0) var<storage, read> cellAtoms: array<u32>;
@group(0) @binding(1) var<storage, read> positions: array<vec4f>;
@group(0) @binding(2) var<storage, read> velocities: array<vec4f>;
@group(0) @binding(3) var<storage, read> originalIndex: array<u32>;
@group(0) @binding(4) var<storage, read_write> referencePositions: array<vec4f>;
@group(0) @binding(5) var<storage, read_write> sortedVelocities: array<vec4f>;
@group(0) @binding(6) var<storage, read_write> sortedOriginalIndex: array<u32>;
@group(0) @binding(7) var<uniform> params: NeighborParams;
/// 1 when this step rebuilds the list, else the pass returns (schedule_rebuild.wgsl).
@group(0) @binding(8) var<storage, read> rebuildDue: array<u32, 1>;

@compute @workgroup_size(WORKGROUP_SIZE)
fn main(@builtin(global_invocation_id) gid: vec3u) {
  if (rebuildDue[0] == 0u) {
    return;
  }
  let k = gid.x;
  if (k >= params.nAtoms) {
    return;
  }
  let atom = cellAtoms[k];
  referencePositions[k] = positions[atom];
  sortedVelocities[k] = velocities[atom];
  sortedOriginalIndex[k] = originalIndex[atom];
}
