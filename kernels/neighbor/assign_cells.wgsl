// Rebuild pass 1 (per atom): wraps positions into the cell on periodic axes, records them as the
// reference for the displacement check, and counts atoms per cell. NULL atoms get no cell.

@group(0) @binding(0) var<storage, read_write> positions: array<vec4f>;
@group(0) @binding(1) var<storage, read_write> referencePositions: array<vec4f>;
@group(0) @binding(2) var<storage, read> systemOf: array<u32>;
@group(0) @binding(3) var<storage, read> systems: array<System>;
@group(0) @binding(4) var<storage, read_write> cellCount: array<atomic<u32>>;
/// Per atom: (cell, slot within the cell).
@group(0) @binding(5) var<storage, read_write> cellSlots: array<vec2u>;
@group(0) @binding(6) var<uniform> params: NeighborParams;

@compute @workgroup_size(WORKGROUP_SIZE)
fn main(@builtin(global_invocation_id) gid: vec3u) {
  let i = gid.x;
  if (i >= params.nAtoms) {
    return;
  }
  let system = systems[systemOf[i]];
  let p = positions[i];
  let wrapped = vec4f(p.xyz - system.periodicLength.xyz * floor(p.xyz * system.inverseLength.xyz), p.w);
  positions[i] = wrapped;
  referencePositions[i] = wrapped;
  if (p.w < 0.0) {
    cellSlots[i] = vec2u(NO_CELL, 0u);
    return;
  }
  let cell = cellIndex(cellCoordinates(wrapped.xyz, system), system);
  cellSlots[i] = vec2u(cell, atomicAdd(&cellCount[cell], 1u));
}
