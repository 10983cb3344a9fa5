// Declarations shared by every kernel module. src/engine/gpu/shaders.ts prepends this file (and a
// few constants generated from src/engine/units.ts) to each kernel, so TypeScript packers
// (src/engine/gpu/layout.ts) and WGSL read one definition of each struct.
//
// Per-atom buffers (structure of arrays, one row per atom, batch-wide atom index i):
//   positions:  vec4f, xyz Å; w = potential type as f32 (−1 marks a NULL atom).
//   velocities: vec4f, xyz Å/fs; w = ACCELERATION_PER_FORCE_OVER_MASS / mass, Å/fs² per eV/Å.
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

/// Per-system geometry and bookkeeping, uploaded once.
struct System {
  /// Cell lengths Lx, Ly, Lz, Å (w unused).
  length: vec4f,
  /// 1 / length, 1/Å (w unused).
  inverseLength: vec4f,
  /// Length on periodic axes, 0 on open ones (w unused).
  periodicLength: vec4f,
  /// Cells along x, y, z; index of the system's first cell in the batch-wide cell arrays.
  grid: vec4u,
  /// First atom, one past the last atom, first reduction block, one past the last block.
  range: vec4u,
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

/// Minimum image of a separation vector d (Å) in an orthorhombic cell, periodic axes only.
fn minimumImage(d: vec3f, system: System) -> vec3f {
  return d - system.periodicLength.xyz * round(d * system.inverseLength.xyz);
}

/// A position wrapped into [0, L) on the periodic axes of `system` (unchanged on open axes).
fn wrapIntoCell(p: vec3f, system: System) -> vec3f {
  return p - system.periodicLength.xyz * floor(p * system.inverseLength.xyz);
}

/// Integer cell coordinates of a position (clamped: atoms outside an open cell go to its faces).
fn cellCoordinates(p: vec3f, system: System) -> vec3i {
  let n = vec3i(system.grid.xyz);
  let c = vec3i(floor(p * system.inverseLength.xyz * vec3f(system.grid.xyz)));
  return clamp(c, vec3i(0), n - vec3i(1));
}

/// Batch-wide index of the cell with coordinates c in `system`.
fn cellIndex(c: vec3i, system: System) -> u32 {
  return system.grid.w + u32(c.x) + system.grid.x * (u32(c.y) + system.grid.y * u32(c.z));
}

/// Row of atom j in a neighbor-list entry. Potential kernels decode entries only through this and
/// pairSeparation, so the list's encoding (e.g. periodic image codes) can change in one place.
fn neighborRow(entry: u32) -> u32 {
  return entry;
}

/// Separation r_i − r_j, Å, of atom i at `pi` from the neighbor of list entry `entry` at `pj`, taking
/// the periodic image the list chose (here: the minimum image of an orthorhombic cell).
fn pairSeparation(pi: vec3f, pj: vec3f, entry: u32, system: System) -> vec3f {
  let s = pi - pj;
  return s - system.periodicLength.xyz * round(s * system.inverseLength.xyz);
}
