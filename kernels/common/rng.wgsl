// Counter-based random numbers, the twin of src/engine/reference/rng.ts. The u32 hash is bit-exact;
// the uniform is its top 24 bits plus one half over 2²⁴, rounded to f32.

/// PCG hash (PCG-RXS-M-XS output on one LCG step): u32 → u32, arithmetic mod 2³².
fn pcgHash(v: u32) -> u32 {
  let state = v * 747796405u + 2891336453u;
  let word = ((state >> ((state >> 28u) + 4u)) ^ state) * 277803737u;
  return (word >> 22u) ^ word;
}

/// The seed of one system's random numbers: pcgHash(pcgHash(seed) ^ id), as systemSeed() of
/// src/engine/reference/rng.ts (the noise follows the system's stable id, not its slot).
fn systemSeed(seed: u32, systemId: u32) -> u32 {
  return pcgHash(pcgHash(seed) ^ systemId);
}

fn hashCounter(seed: u32, step: u32, atom: u32, k: u32) -> u32 {
  return pcgHash(pcgHash(pcgHash(seed) ^ step) ^ (atom * 8u + k));
}

/// Uniform in (0, 1]: ((h >> 8) + 0.5) / 2²⁴.
fn uniform01(seed: u32, step: u32, atom: u32, k: u32) -> f32 {
  return (f32(hashCounter(seed, step, atom, k) >> 8u) + 0.5) / 16777216.0;
}

/// sqrt(−2 ln u) for u = ((h >> 8) + 0.5) / 2²⁴. Near u = 1, f32 `log` keeps only ~2⁻²¹ absolute
/// accuracy, so there ln u = ln(1 − v) comes from its series in v = 1 − u, which is exact in f32.
fn boxMullerRadius(h: u32) -> f32 {
  let top = h >> 8u;
  let u = (f32(top) + 0.5) / 16777216.0;
  let v = (f32(16777215u - top) + 0.5) / 16777216.0;
  let series = -v * (1.0 + v * (0.5 + v * (1.0 / 3.0 + v * 0.25)));
  return sqrt(-2.0 * select(log(u), series, v < 0.01));
}

/// cos(2πu) to ~1e-7: the built-in f32 cos may be off by 2⁻¹¹ (Vulkan's bound, which SwiftShader
/// uses), so reduce to 2πx with x ∈ [0, ¼] and sum the Taylor series (truncation < 1e-8).
fn cos2pi(u: f32) -> f32 {
  let t = abs(u - round(u));
  let x = min(t, 0.5 - t);
  let y2 = 39.47841760435743 * x * x;
  let c = 1.0 - y2 * (1.0 / 2.0 - y2 * (1.0 / 24.0 - y2 * (1.0 / 720.0 - y2 * (1.0 / 40320.0 - y2 * (1.0 / 3628800.0 - y2 / 479001600.0)))));
  return select(c, -c, t > 0.25);
}

/// Three standard normal numbers (Box–Muller on uniforms k = 2c, 2c + 1 for component c), as
/// gaussian() of src/engine/reference/rng.ts.
fn gaussian3(seed: u32, step: u32, atom: u32) -> vec3f {
  var g: vec3f;
  for (var c = 0u; c < 3u; c++) {
    let radius = boxMullerRadius(hashCounter(seed, step, atom, 2u * c));
    g[c] = radius * cos2pi(uniform01(seed, step, atom, 2u * c + 1u));
  }
  return g;
}
