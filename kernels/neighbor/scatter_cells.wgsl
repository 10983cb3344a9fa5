// Rebuild pass 3 (per atom): writes each atom index into its cell's segment of cellAtoms.

@group(0) @binding(0) var<storage, read> cellSlots: array<vec2u>;
@group(0) @binding(1) var<storage, read> cellStart: array<u32>;
@group(0) @binding(2) var<storage, read_write> cellAtoms: array<u32>;
@group(0) @binding(3) var<uniform> params: NeighborParams;
/// 1 when this step rebuilds the list, else the pass returns (schedule_rebuild.wgsl).
@group(0) @binding(4) var<storage, read> rebuildDue: array<u32, 1>;

@compute @workgroup_size(WORKGROUP_SIZE)
fn main(@builtin(global_invocation_id) gid: vec3u) {
  if (rebuildDue[0] == 0u) {
    return;
  }
  let i = gid.x;
  if (i >= params.nAtoms) {
    return;
  }
  let slot = cellSlots[i];
  cellAtoms[cellStart[slot.x] + slot.y] = i;
}
