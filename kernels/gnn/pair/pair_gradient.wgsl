// GNN pair path B1 (one workgroup per atom i, a thread per pair): r̄_ij = ∂E/∂r_ij of every edge
// i → j (LINK_OUT; 0 for other pairs) into rbar[i·CAP + q] (pairGradient, generated: the edge's
// forward from r, then backward through every layer: the switch in each layer's sum,
// ∂E/∂s = G_i · silu(h_ij) + c_i, and ∂E/∂e⁰ back through the embedding to φ(r)·s(r)).

/// [N][CAP].
@group(0) @binding(2) var<storage, read_write> rbar: array<f32>;

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
  let m = atomSel[i].x;
  let row = i * params.slotsPerAtom;
  for (var q = tid; q < m; q += PAIR_WG) {
    var value = 0.0;
    if ((links[row + q] & LINK_OUT) != 0u) {
      let p = pairs[row + q];
      let r = length(p.xyz);
      let sw = smoothSwitch(r);
      value = pairGradient(i, neighborRow(bitcast<u32>(p.w)), r, sw.x, sw.y);
    }
    rbar[row + q] = value;
  }
}
