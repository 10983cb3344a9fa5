// Langevin pre-update, BAOAB splitting (B A O A; the last B is half_kick.wgsl after the forces):
//   v += dt/2·a; x += dt/2·v; v = c1·v + sqrt((1 − c1²)·kB·T/m)·g; x += dt/2·v
// with g = gaussian(systemSeed(seed, system id), step, atom, component) from the counter-based RNG,
// step = the system's step counter and atom the atom's ORIGINAL index within its system (rows are
// permuted at neighbor-list rebuilds, the random stream of an atom is not; the system id, not the
// slot, keys the stream, so a system draws the same noise in any slot, batch or worker), for atoms of
// systems whose status equals the bound code.

@group(0) @binding(0) var<storage, read_write> positions: array<vec4f>;
@group(0) @binding(1) var<storage, read_write> velocities: array<vec4f>;
@group(0) @binding(2) var<storage, read> forces: array<vec4f>;
@group(0) @binding(3) var<storage, read> systemOf: array<u32>;
@group(0) @binding(4) var<storage, read> status: array<i32>;
@group(0) @binding(5) var<storage, read> dynamics: array<DynamicsParams>;
@group(0) @binding(6) var<storage, read> steps: array<u32>;
@group(0) @binding(7) var<storage, read> originalIndex: array<u32>;
@group(0) @binding(8) var<storage, read> systems: array<System>;
@group(1) @binding(0) var<uniform> code: StatusCode;

@compute @workgroup_size(WORKGROUP_SIZE)
fn main(@builtin(global_invocation_id) gid: vec3u) {
  let i = gid.x;
  if (i >= arrayLength(&positions)) {
    return;
  }
  let s = systemOf[i];
  if (status[s] != code.value) {
    return;
  }
  let params = dynamics[s];
  let halfDt = 0.5 * params.dt;
  let v0 = velocities[i];
  let p0 = positions[i];
  // velocities.w = conversion / mass, so kB·T/m in (Å/fs)² is kB·T·w.
  let sigma = sqrt(params.thermalVariance * v0.w);
  var v = v0.xyz + (halfDt * v0.w) * forces[i].xyz;
  var x = p0.xyz + halfDt * v;
  let system = systems[s];
  let seed = systemSeed(params.seed, system.constraints.z);
  v = params.c1 * v + sigma * gaussian3(seed, steps[s], originalIndex[i] - system.range.x);
  x += halfDt * v;
  velocities[i] = vec4f(v, v0.w);
  positions[i] = vec4f(x, p0.w);
}
