// GNN pair path F3 of layer LAYER (one workgroup per atom i): over i's edges i → j (LINK_OUT), the sums
// S_i = Σ_j s_ij silu(h_ij) and σ_i = Σ_j s_ij of common.wgsl, h_ij the message MLP's hidden
// pre-activation (edgeMessage, generated: e^LAYER recomputed from r through the embedding and the
// edge MLPs of the layers before). node_update.wgsl applies the message MLP's last layer to them.

/// [N][H4 + 1]: S_i, then (σ_i, 0, 0, 0).
@group(0) @binding(2) var<storage, read_write> edgeSums: array<vec4f>;

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
  var acc: HV;
  var sigma = 0.0;
  for (var q = tid; q < m; q += PAIR_WG) {
    if ((links[row + q] & LINK_OUT) == 0u) {
      continue;
    }
    let p = pairs[row + q];
    let r = length(p.xyz);
    let s = smoothSwitch(r).x;
    let message = edgeMessage(i, neighborRow(bitcast<u32>(p.w)), r, s);
    for (var o = 0u; o < H4; o++) {
      acc[o] += message[o];
    }
    sigma += s;
  }
  workgroupBarrier();
  reduceH(acc, tid, 0u);
  let total = reduceScalar(sigma, tid);
  let at = i * (H4 + 1u);
  for (var b = tid; b < H4; b += PAIR_WG) {
    edgeSums[at + b] = pairSums[b];
  }
  if (tid == 0u) {
    edgeSums[at + H4] = vec4f(total, 0.0, 0.0, 0.0);
  }
}
