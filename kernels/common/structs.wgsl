// Declarations shared by every kernel module. src/engine/gpu/shaders.ts prepends this file (and a
// few constants generated from src/engine/units.ts) to each kernel, so TypeScript packers
// (src/engine/gpu/layout.ts) and WGSL read one definition of each struct.
//
// Per-atom buffers (structure of arrays, one row per atom, batch-wide atom index i):
//   positions:  vec4f, xyz Å; w = potential type as f32 (−1 marks a NULL atom).
//   velocities: vec4f, xyz Å/fs; w = ACCELERATION_PER_FORCE_OVER_MASS / mass, Å/fs² per eV/Å; w = 0
//               marks a frozen atom (infinite mass, velocity 0; see integrators/constrain_forces.wgsl),
//               which carries no kinetic energy and no degrees of freedom.
//   forces:     vec4f, xyz eV/Å; w = potential energy of the atom, eV (half of each pair energy).
//   virials:    vec4f × 2, column-major: virials[i] = (xx, yy, zz, xy), virials[N + i] = (xz, yz, 0, 0), eV.
//   systemOf:   u32, index of the atom's system.
//   originalIndex: u32, the atom's index in the batch as uploaded (its index in every read-back).
//
// Spatial order: each neighbor-list rebuild permutes the per-atom rows into cell order (see
// kernels/neighbor/gather_atoms.wgsl). Atoms stay inside their system's row range, so systemOf and
// the reduction blocks never change; originalIndex follows the atoms, and whatever must not depend
// on the storage order (the Langevin random numbers, read-backs) goes through it.

/// Threads per workgroup; a power of two (the tree reductions halve it).
override WORKGROUP_SIZE: u32 = 64u;

/// Per-system geometry and bookkeeping, uploaded at creation and at each reload (and the frozen
/// count at each change of constraints). The cell is LAMMPS's restricted triclinic
/// cell: a = (lx, 0, 0), b = (xy, ly, 0), c = (xz, yz, lz), origin 0 (orthorhombic: tilts 0).
struct System {
  /// lx, ly, lz, Å (w unused).
  length: vec4f,
  /// 1/lx, 1/ly, 1/lz, 1/Å (w unused).
  inverseLength: vec4f,
  /// Tilt factors xy, xz, yz, Å (w unused).
  tilt: vec4f,
  /// 1 on periodic axes a, b, c, 0 on open ones (w unused).
  periodic: vec4f,
  /// 1 / perpendicular height between opposite faces along a, b, c, 1/Å: a distance d spans at
  /// most d / h of a fractional coordinate (w unused).
  inverseHeight: vec4f,
  /// Cells along a, b, c; index of the system's first cell in the batch-wide cell arrays.
  grid: vec4u,
  /// First atom, one past the last atom, first reduction block, one past the last block.
  range: vec4u,
  /// Atoms held by constraints (frozen: inverse mass 0 in velocities.w); NULL atoms (they always
  /// occupy the system's last constraints.y rows, see assign_cells.wgsl); the system's stable id
  /// (u32 of the i32; keys its Langevin noise); 0. The system has
  /// 3·(range.y − range.x − constraints.x) degrees of freedom.
  constraints: vec4u,
}

/// Neighbor-list settings (uniform).
struct NeighborParams {
  nAtoms: u32,
  /// Cells over all systems.
  nCells: u32,
  /// Neighbors stored per atom.
  capacity: u32,
  _pad0: u32,
  /// (cutoff + skin)², Å².
  listCutoff2: f32,
  /// (skin / 2)², Å²: a larger displacement since the last build triggers a rebuild.
  halfSkin2: f32,
  _pad1: f32,
  _pad2: f32,
}

/// Per-system parameters of a dynamics (one struct serves NVE, Langevin and FIRE).
struct DynamicsParams {
  /// Time step, fs (FIRE: the initial one).
  dt: f32,
  /// Langevin: c1 = exp(−γ·dt).
  c1: f32,
  /// Langevin: (1 − c1²)·kB·T, eV.
  thermalVariance: f32,
  /// Langevin: seed of the random numbers.
  seed: u32,
  /// FIRE: largest time step, fs.
  dtMax: f32,
  /// FIRE: largest displacement norm of a system per step, Å.
  maxStep: f32,
  _pad0: f32,
  _pad1: f32,
}

/// FIRE's adaptive state per system, plus the coefficients of the current step.
struct FireState {
  /// Current time step, fs.
  dt: f32,
  /// Mixing coefficient α.
  alpha: f32,
  /// Consecutive steps with P = F·v > 0.
  nPositive: u32,
  /// 0 until the first step (which skips the P test).
  started: u32,
  /// This step: v ← mixVelocity·v + mixForce·F before the kick.
  mixVelocity: f32,
  /// Å/fs per eV/Å.
  mixForce: f32,
  /// This step: displacement scale that keeps |dr| ≤ maxStep.
  stepScale: f32,
  _pad0: f32,
}

/// The status code a masked update applies to (a uniform bound at a per-code offset).
struct StatusCode {
  value: i32,
}

/// Indices into the `control` buffer (atomic<u32>).
const CONTROL_REBUILD_REQUESTED: u32 = 0u;
const CONTROL_REBUILD_COUNT: u32 = 1u;
const CONTROL_MAX_NEIGHBORS: u32 = 2u;

/// The extra cell after a system's grid that holds its NULL atoms (no stencil visits it), so that
/// cell order covers every atom of the system.
fn nullCell(system: System) -> u32 {
  return system.grid.w + system.grid.x * system.grid.y * system.grid.z;
}

/// n_a·a + n_b·b + n_c·c, Å: the translation of periodic image n of `system`'s cell.
fn imageShift(n: vec3i, system: System) -> vec3f {
  let f = vec3f(n);
  return vec3f(
    f.x * system.length.x + f.y * system.tilt.x + f.z * system.tilt.y,
    f.y * system.length.y + f.z * system.tilt.z,
    f.z * system.length.z,
  );
}

/// Fractional coordinates s of a position, r = s_a·a + s_b·b + s_c·c (restricted triclinic cell).
fn fractionalCoordinates(p: vec3f, system: System) -> vec3f {
  let sc = p.z * system.inverseLength.z;
  let sb = (p.y - sc * system.tilt.z) * system.inverseLength.y;
  let sa = (p.x - sb * system.tilt.x - sc * system.tilt.y) * system.inverseLength.x;
  return vec3f(sa, sb, sc);
}

/// A position wrapped into the cell on the periodic axes of `system`: the fractional coordinates of
/// periodic axes brought into [0, 1) by a lattice translation (up to f32 rounding).
fn wrapIntoCell(p: vec3f, system: System) -> vec3f {
  let n = floor(fractionalCoordinates(p, system)) * system.periodic.xyz;
  return p - imageShift(vec3i(n), system);
}

/// Integer cell coordinates of a position (clamped: atoms outside an open cell go to its faces).
fn cellCoordinates(p: vec3f, system: System) -> vec3i {
  let n = vec3i(system.grid.xyz);
  let c = vec3i(floor(fractionalCoordinates(p, system) * vec3f(system.grid.xyz)));
  return clamp(c, vec3i(0), n - vec3i(1));
}

/// Batch-wide index of the cell with coordinates c in `system`.
fn cellIndex(c: vec3i, system: System) -> u32 {
  return system.grid.w + u32(c.x) + system.grid.x * (u32(c.y) + system.grid.y * u32(c.z));
}

/// Neighbor-list entries: bits 0–22 hold the neighbor's row (so at most 2²³ − 1 atoms), bits 23–25,
/// 26–28 and 29–31 the periodic image n_a, n_b, n_c of the neighbor as 3-bit two's complement
/// (|n| ≤ 3; src/engine/gpu/neighborList.ts enforces both limits). Image 0 encodes as zero bits, so
/// an entry equal to a row index means "that atom, same image".
const NEIGHBOR_ROW_BITS: u32 = 23u;
const NEIGHBOR_ROW_MASK: u32 = 0x7fffffu;
/// Largest |n| per axis of an image in a neighbor entry.
const NEIGHBOR_MAX_IMAGE: i32 = 3;

/// The entry of the neighbor at `row` in periodic image n (|n| ≤ NEIGHBOR_MAX_IMAGE per axis).
fn neighborEntry(row: u32, n: vec3i) -> u32 {
  let bits = vec3u(n) & vec3u(7u);
  return row | (bits.x << 23u) | (bits.y << 26u) | (bits.z << 29u);
}

/// Row of atom j in a neighbor-list entry. Potential kernels decode entries only through this and
/// pairSeparation, so the list's encoding lives in this file alone.
fn neighborRow(entry: u32) -> u32 {
  return entry & NEIGHBOR_ROW_MASK;
}

/// Periodic image (n_a, n_b, n_c) of the neighbor of an entry.
fn neighborImage(entry: u32) -> vec3i {
  return vec3i(i32(entry << 6u), i32(entry << 3u), i32(entry)) >> vec3u(29u);
}

/// Separation r_i − (r_j + n_a·a + n_b·b + n_c·c), Å, of atom i at `pi` from the neighbor of list
/// entry `entry` at `pj`, in the periodic image the list stored for it. Positions are not wrapped
/// between list builds, so the stored image stays right as atoms move.
fn pairSeparation(pi: vec3f, pj: vec3f, entry: u32, system: System) -> vec3f {
  return pi - pj - imageShift(neighborImage(entry), system);
}
