// Statistics, level 1 (one workgroup per reduction block of WORKGROUP_SIZE × ATOMS_PER_THREAD
// atoms; each thread first sums its atoms in order, which saves SwiftShader costly barriers): partial sums of potential energy,
// kinetic energy (frozen atoms, velocities.w = 0, carry none) and the six virial components, and the
// largest |F| over non-NULL atoms.
// statisticsPartials, 3 per block: (E_pot, E_kin, max|F|, W_xx), (W_yy, W_zz, W_xy, W_xz), (W_yz, 0, 0, 0).
// Deterministic tree reductions in f32, no float atomics.

@group(0) @binding(0) var<storage, read> positions: array<vec4f>;
@group(0) @binding(1) var<storage, read> velocities: array<vec4f>;
@group(0) @binding(2) var<storage, read> forces: array<vec4f>;
@group(0) @binding(3) var<storage, read> virials: array<vec4f>;
@group(0) @binding(4) var<storage, read> blocks: array<vec4u>;
@group(0) @binding(5) var<storage, read_write> statisticsPartials: array<vec4f>;

var<workgroup> scratchA: array<vec4f, WORKGROUP_SIZE>;
var<workgroup> scratchB: array<vec4f, WORKGROUP_SIZE>;
var<workgroup> scratchC: array<f32, WORKGROUP_SIZE>;

@compute @workgroup_size(WORKGROUP_SIZE)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(local_invocation_index) t: u32) {
  let n = arrayLength(&positions);
  let block = blocks[wid.x];
  var a = vec4f(0.0);
  var b = vec4f(0.0);
  var c = 0.0;
  for (var m = 0u; m < ATOMS_PER_THREAD; m++) {
    let i = block.y + t + m * WORKGROUP_SIZE;
    if (i < block.z) {
      let v = velocities[i];
      let f = forces[i];
      let w0 = virials[i];
      let w1 = virials[n + i];
      let isAtom = positions[i].w >= 0.0;
      // ½ m v² in eV: m / conversion = 1 / velocities.w; 0 for a frozen atom (w = 0, at rest).
      let kinetic = select(0.0, 0.5 * dot(v.xyz, v.xyz) / v.w, v.w > 0.0);
      a = vec4f(a.x + f.w, a.y + kinetic, max(a.z, select(0.0, length(f.xyz), isAtom)), a.w + w0.x);
      b += vec4f(w0.y, w0.z, w0.w, w1.x);
      c += w1.y;
    }
  }
  scratchA[t] = a;
  scratchB[t] = b;
  scratchC[t] = c;
  for (var stride = WORKGROUP_SIZE / 2u; stride > 0u; stride /= 2u) {
    workgroupBarrier();
    if (t < stride) {
      let x = scratchA[t];
      let y = scratchA[t + stride];
      scratchA[t] = vec4f(x.x + y.x, x.y + y.y, max(x.z, y.z), x.w + y.w);
      scratchB[t] += scratchB[t + stride];
      scratchC[t] += scratchC[t + stride];
    }
  }
  if (t == 0u) {
    statisticsPartials[3u * wid.x] = scratchA[0];
    statisticsPartials[3u * wid.x + 1u] = scratchB[0];
    statisticsPartials[3u * wid.x + 2u] = vec4f(scratchC[0], 0.0, 0.0, 0.0);
  }
}
