// Flags a neighbor-list rebuild when any non-NULL atom moved more than skin/2 since the last build.
// Positions are wrapped only at builds (where the reference is taken), so the displacement is a
// plain difference: no minimum image, which would be wrong in a cell smaller than the list cutoff.

@group(0) @binding(0) var<storage, read> positions: array<vec4f>;
@group(0) @binding(1) var<storage, read> referencePositions: array<vec4f>;
@group(0) @binding(2) var<storage, read_write> control: array<atomic<u32>>;
@group(0) @binding(3) var<uniform> params: NeighborParams;

@compute @workgroup_size(WORKGROUP_SIZE)
fn main(@builtin(global_invocation_id) gid: vec3u) {
  let i = gid.x;
  if (i >= params.nAtoms) {
    return;
  }
  let p = positions[i];
  if (p.w < 0.0) {
    return;
  }
  let d = p.xyz - referencePositions[i].xyz;
  if (dot(d, d) > params.halfSkin2) {
    atomicMax(&control[CONTROL_REBUILD_REQUESTED], 1u);
  }
}
