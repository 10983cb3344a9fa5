// GNN pair path B3 of layer LAYER ≥ 1 (one workgroup per atom i): the edge contributions to
// n̄_i = ∂E/∂n_i^LAYER. Edges enter the first linear layers as P_c + Q_nb (common.wgsl), so
//   n̄_i += W_cᵀ Σ_{i→j} h̄_ij + W_nbᵀ Σ_{j→i} h̄_ji
// for the message MLP (and the same for the edge MLP when the layer has one). Thread t takes i's
// pairs t, t + PAIR_WG, …: the edge i → j when i selects j (LINK_OUT) and the edge j → i when j selects
// i (LINK_IN), both recomputed here (edgeGradient, generated: forward from r, then backward through
// the later layers for ∂E/∂e^(LAYER+1)), so no per-edge gradient is stored or scattered.
// (Layer 0 needs no pass: n⁰ is the type embedding, and its gradient feeds nothing.)

/// [N][N_DIM]: n̄, accumulated into.
@group(0) @binding(2) var<storage, read_write> nodeGrad: array<f32>;

@compute @workgroup_size(PAIR_WG)
fn main(
  @builtin(workgroup_id) wid: vec3u,
  @builtin(num_workgroups) groups: vec3u,
  @builtin(local_invocation_index) tid: u32,
) {
  let i = pairAtom(wid, groups);
  if (i >= params.nAtoms) {
    return;
  }
  for (var b = tid; b < SUM_SIZE; b += PAIR_WG) {
    pairSums[b] = vec4f(0.0);
  }
  let m = atomSel[i].x;
  let row = i * params.slotsPerAtom;
  for (var q0 = 0u; q0 < m; q0 += PAIR_WG) {
    let q = q0 + tid;
    var link = 0u;
    var j = 0u;
    var r = 1.0;
    var s = 0.0;
    if (q < m) {
      link = links[row + q];
      let p = pairs[row + q];
      j = neighborRow(bitcast<u32>(p.w));
      r = length(p.xyz);
      s = smoothSwitch(r).x;
    }
    var out = EdgeGrad();
    if ((link & LINK_OUT) != 0u) {
      out = edgeGradient(i, j, r, s);
    }
    workgroupBarrier();
    reduceH(out.m, tid, 0u);
    if (HAS_EDGE_MLP) {
      reduceH(out.e, tid, 2u * H4);
    }
    var back = EdgeGrad();
    if ((link & LINK_IN) != 0u) {
      back = edgeGradient(j, i, r, s);
    }
    reduceH(back.m, tid, H4);
    if (HAS_EDGE_MLP) {
      reduceH(back.e, tid, 3u * H4);
    }
  }
  workgroupBarrier();
  let width = 2u * N_DIM + E_DIM;
  for (var q = tid; q < N_DIM; q += PAIR_WG) {
    var sum = 0.0;
    for (var o = 0u; o < HIDDEN_WIDTH; o++) {
      let b = o / 4u;
      let c = o % 4u;
      let w = MSG_MLP[LAYER] + o * width;
      sum += weights[w + q] * pairSums[b][c] + weights[w + N_DIM + q] * pairSums[H4 + b][c];
      if (HAS_EDGE_MLP) {
        let we = EDGE_MLP[LAYER] + o * width;
        sum += weights[we + q] * pairSums[2u * H4 + b][c] + weights[we + N_DIM + q] * pairSums[3u * H4 + b][c];
      }
    }
    nodeGrad[i * N_DIM + q] += sum;
  }
}
