/**
 * The GNN's building blocks, f64: SiLU, the C² switch, the Gaussian radial basis, and MLPs with a
 * forward pass that keeps what the analytic backward pass needs (vector–Jacobian products only:
 * the reference differentiates with respect to positions, never weights).
 */
import type { GnnMlp } from '../../io/gnnWeights.ts';

/** Logistic σ(x) = 1 / (1 + e^−x). */
function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

/** SiLU(x) = x σ(x). */
export function silu(x: number): number {
  return x * sigmoid(x);
}

/** d SiLU / dx = σ(x) (1 + x (1 − σ(x))). */
export function siluDerivative(x: number): number {
  const s = sigmoid(x);
  return s * (1 + x * (1 - s));
}

/**
 * Switch s(r) and ds/dr: 1 for r ≤ rs, 1 − 10u³ + 15u⁴ − 6u⁵ with u = (r − rs)/(rc − rs) between,
 * 0 for r ≥ rc. s′ and s″ vanish at both ends (C²).
 * @param out out[0] = s, out[1] = ds/dr (1/Å).
 */
export function smoothSwitch(r: number, rs: number, rc: number, out: Float64Array): void {
  if (r <= rs) {
    out[0] = 1;
    out[1] = 0;
  } else if (r >= rc) {
    out[0] = 0;
    out[1] = 0;
  } else {
    const u = (r - rs) / (rc - rs);
    const u2 = u * u;
    out[0] = 1 - u2 * u * (10 - 15 * u + 6 * u2);
    out[1] = (-30 * u2 * (1 - u) * (1 - u)) / (rc - rs);
  }
}

/**
 * Gaussian radial basis φ_k(r) = exp(−((r − μ_k)/w)²), μ_k = k·rc/(K−1), w = rc/(K−1), k = 0..K−1,
 * and its derivative.
 */
export function radialBasis(r: number, rc: number, phi: Float64Array, dphi: Float64Array): void {
  const n = phi.length;
  const w = rc / (n - 1);
  for (let k = 0; k < n; k++) {
    const t = (r - (k * rc) / (n - 1)) / w;
    const p = Math.exp(-t * t);
    phi[k] = p;
    dphi[k] = (-2 * t * p) / w;
  }
}

/** What an MLP forward pass keeps for its backward pass: the pre-activations of each hidden layer. */
export type MlpTape = Float64Array[];

/**
 * y = MLP(x): linear layers with SiLU between them, none after the last.
 * @param tape If given, receives the pre-activation vector of every layer but the last.
 */
export function mlpForward(mlp: GnnMlp, x: Float64Array, tape?: MlpTape): Float64Array {
  let a = x;
  for (let k = 0; k < mlp.length; k++) {
    const { nIn, nOut, weight, bias } = mlp[k]!;
    const z = new Float64Array(nOut);
    for (let o = 0; o < nOut; o++) {
      let sum = bias[o]!;
      const row = o * nIn;
      for (let q = 0; q < nIn; q++) sum += weight[row + q]! * a[q]!;
      z[o] = sum;
    }
    if (k === mlp.length - 1) return z;
    tape?.push(z);
    a = z.map(silu);
  }
  return a;
}

/** x̄ = (∂y/∂x)ᵀ ȳ for the forward pass recorded in `tape`. */
export function mlpBackward(mlp: GnnMlp, tape: MlpTape, gy: Float64Array): Float64Array {
  let g = gy;
  for (let k = mlp.length - 1; k >= 0; k--) {
    const { nIn, nOut, weight } = mlp[k]!;
    const gIn = new Float64Array(nIn);
    for (let o = 0; o < nOut; o++) {
      const go = g[o]!;
      if (go === 0) continue;
      const row = o * nIn;
      for (let q = 0; q < nIn; q++) gIn[q]! += weight[row + q]! * go;
    }
    if (k > 0) {
      const z = tape[k - 1]!;
      for (let q = 0; q < nIn; q++) gIn[q]! *= siluDerivative(z[q]!);
    }
    g = gIn;
  }
  return g;
}
