// Statistics, level 2 (one workgroup per system): reduces the system's block partials into 16 f32:
//   [0] E_pot eV, [1] E_kin eV, [2] T K (3·(N − N_frozen) degrees of freedom, NULL atoms included;
//   0 without any), [3] max|F| eV/Å,
//   [4..13) virial W row-major 3×3 eV, [13..16) 0.

@group(0) @binding(0) var<storage, read> statisticsPartials: array<vec4f>;
@group(0) @binding(1) var<storage, read> systems: array<System>;
@group(0) @binding(2) var<storage, read_write> statistics: array<f32>;

var<workgroup> scratchA: array<vec4f, WORKGROUP_SIZE>;
var<workgroup> scratchB: array<vec4f, WORKGROUP_SIZE>;
var<workgroup> scratchC: array<f32, WORKGROUP_SIZE>;

@compute @workgroup_size(WORKGROUP_SIZE)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(local_invocation_index) t: u32) {
  let s = wid.x;
  let range = systems[s].range;
  var a = vec4f(0.0);
  var b = vec4f(0.0);
  var c = 0.0;
  for (var k = range.z + t; k < range.w; k += WORKGROUP_SIZE) {
    let x = statisticsPartials[3u * k];
    a = vec4f(a.x + x.x, a.y + x.y, max(a.z, x.z), a.w + x.w);
    b += statisticsPartials[3u * k + 1u];
    c += statisticsPartials[3u * k + 2u].x;
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
  if (t != 0u) {
    return;
  }
  let total = scratchA[0];
  let w = scratchB[0];
  let frozen = systems[s].constraints.x;
  let mobile = f32(range.y - range.x - min(frozen, range.y - range.x));
  let o = 16u * s;
  statistics[o] = total.x;
  statistics[o + 1u] = total.y;
  statistics[o + 2u] = select(0.0, 2.0 * total.y / (3.0 * mobile * BOLTZMANN_EV_PER_K), mobile > 0.0);
  statistics[o + 3u] = total.z;
  // Row-major W: xx xy xz / xy yy yz / xz yz zz (symmetric for pair forces).
  statistics[o + 4u] = total.w;
  statistics[o + 5u] = w.z;
  statistics[o + 6u] = w.w;
  statistics[o + 7u] = w.z;
  statistics[o + 8u] = w.x;
  statistics[o + 9u] = scratchC[0];
  statistics[o + 10u] = w.w;
  statistics[o + 11u] = scratchC[0];
  statistics[o + 12u] = w.y;
}
