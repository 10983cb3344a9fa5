// GNN pair path B1 (one workgroup per atom i, common.wgsl): r̄_ij = ∂E/∂r_ij of every edge i → j
// (LINK_OUT; 0 for other pairs) into rbar[i·CAP + q]. tileChunk (generated) runs each row's forward
// from r and its backward through every layer, leaving ē = ∂E/∂e⁰ in tileEb and Σ_l G_l · silu(h_l)
// in rowT (the switch's share ∂E/∂s_ij = Σ_l (G_l,i · silu(h_l,ij) + c_l,i)); the rows then take
// r̄ = ē · de⁰/dr + ∂E/∂s · ds/dr (de⁰/dr in tileDe, from the embedding stage).

/// [N][CAP].
@group(0) @binding(2) var<storage, read_write> rbar: array<f32>;

@compute @workgroup_size(TILE_WG)
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
  var c = 0.0;
  for (var l = 0u; l < N_LAYERS; l++) {
    c += gateAt(l, i, HP);
  }
  for (var r0 = 0u; r0 < m; r0 += ROWS) {
    let rows = min(ROWS, m - r0);
    loadRows(i, r0, rows, tid);
    tileChunk(rows, tid);
    if (tid < rows) {
      let e = tid;
      var value = rowDs[e] * (c + rowT[e]);
      for (var k = 0u; k < EP / 4u; k++) {
        value += dot(tileEb[e * (EP / 4u) + k], tileDe[e * (EP / 4u) + k]);
      }
      rbar[i * params.slotsPerAtom + r0 + e] = select(0.0, value, rowS[e] > 0.0);
    }
    workgroupBarrier();
  }
}
