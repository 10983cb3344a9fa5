// Rebuild pass 6 (per row): copies the rows gathered into cell order back to the atom buffers.

@group(0) @binding(0) var<storage, read> referencePositions: array<vec4f>;
@group(0) @binding(1) var<storage, read> sortedVelocities: array<vec4f>;
@group(0) @binding(2) var<storage, read> sortedOriginalIndex: array<u32>;
@group(0) @binding(3) var<storage, read_write> positions: array<vec4f>;
@group(0) @binding(4) var<storage, read_write> velocities: array<vec4f>;
@group(0) @binding(5) var<storage, read_write> originalIndex: array<u32>;
@group(0) @binding(6) var<uniform> params: NeighborParams;
/// 1 when this step rebuilds the list, else the pass returns (schedule_rebuild.wgsl).
@group(0) @binding(7) var<storage, read> rebuildDue: array<u32, 1>;

@compute @workgroup_size(WORKGROUP_SIZE)
fn main(@builtin(global_invocation_id) gid: vec3u) {
  if (rebuildDue[0] == 0u) {
    return;
  }
  let k = gid.x;
  if (k >= params.nAtoms) {
    return;
  }
  positions[k] = referencePositions[k];
  velocities[k] = sortedVelocities[k];
  originalIndex[k] = sortedOriginalIndex[k];
}
