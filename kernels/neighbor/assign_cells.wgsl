// Rebuild pass 1 (per atom, current order): wraps positions into the box on periodic axes, and
// finds each atom's cell and its slot within that cell (atomic count per cell). NULL atoms go to
// their system's null cell. They always occupy the system's last N_null rows (uploaded there,
// src/engine/gpu/buffers.ts uploadOrder, and kept there by every build since the null cell comes
// last), so each takes its row's offset in that run as its slot: the null cell keeps their order
// without atomics or sorting (sort_cells.wgsl skips it), however many NULL atoms a reservoir holds.

@group(0) @binding(0) var<storage, read_write> positions: array<vec4f>;
@group(0) @binding(1) var<storage, read> systemOf: array<u32>;
@group(0) @binding(2) var<storage, read> systems: array<System>;
@group(0) @binding(3) var<storage, read_write> cellCount: array<atomic<u32>>;
/// Per atom: (cell, slot within the cell).
@group(0) @binding(4) var<storage, read_write> cellSlots: array<vec2u>;
@group(0) @binding(5) var<uniform> params: NeighborParams;
/// 1 when this step rebuilds the list, else the pass returns (schedule_rebuild.wgsl).
@group(0) @binding(6) var<storage, read> rebuildDue: array<u32, 1>;

@compute @workgroup_size(WORKGROUP_SIZE)
fn main(@builtin(global_invocation_id) gid: vec3u) {
  if (rebuildDue[0] == 0u) {
    return;
  }
  let i = gid.x;
  if (i >= params.nAtoms) {
    return;
  }
  let system = systems[systemOf[i]];
  let p = positions[i];
  let wrapped = wrapIntoCell(p.xyz, system);
  positions[i] = vec4f(wrapped, p.w);
  if (p.w < 0.0) {
    let nulls = system.constraints.y;
    let slot = i - (system.range.y - nulls);
    cellSlots[i] = vec2u(nullCell(system), slot);
    if (slot == 0u) {
      atomicAdd(&cellCount[nullCell(system)], nulls);
    }
    return;
  }
  let cell = cellIndex(cellCoordinates(wrapped, system), system);
  cellSlots[i] = vec2u(cell, atomicAdd(&cellCount[cell], 1u));
}
