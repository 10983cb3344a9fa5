// Rebuild pass 1 (per atom, current order): wraps positions into the box on periodic axes, and
// finds each atom's cell and its slot within that cell (atomic count per cell). NULL atoms go to
// their system's null cell.

@group(0) @binding(0) var<storage, read_write> positions: array<vec4f>;
@group(0) @binding(1) var<storage, read> systemOf: array<u32>;
@group(0) @binding(2) var<storage, read> systems: array<System>;
@group(0) @binding(3) var<storage, read_write> cellCount: array<atomic<u32>>;
/// Per atom: (cell, slot within the cell).
@group(0) @binding(4) var<storage, read_write> cellSlots: array<vec2u>;
@group(0) @binding(5) var<uniform> params: NeighborParams;

@compute @workgroup_size(WORKGROUP_SIZE)
fn main(@builtin(global_invocation_id) gid: vec3u) {
  let i = gid.x;
  if (i >= params.nAtoms) {
    return;
  }
  let system = systems[systemOf[i]];
  let p = positions[i];
  let wrapped = wrapIntoCell(p.xyz, system);
  positions[i] = vec4f(wrapped, p.w);
  let cell = select(cellIndex(cellCoordinates(wrapped, system), system), nullCell(system), p.w < 0.0);
  cellSlots[i] = vec2u(cell, atomicAdd(&cellCount[cell], 1u));
}
