// GNN pair path F3 of layer LAYER (one workgroup per atom i, common.wgsl): over i's edges i → j
// (LINK_OUT), the sums S_i = Σ_j s_ij silu(h_ij) and σ_i = Σ_j s_ij, h_ij the message MLP's hidden
// pre-activation (tileChunk, generated: e^LAYER recomputed from r through the embedding and the
// edge MLPs of the layers before). node_update.wgsl applies the message MLP's last layer to them.

/// [N][HP + 4]: S_i, then (σ_i, 0, 0, 0).
@group(0) @binding(2) var<storage, read_write> edgeSums: array<f32>;

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
  var sum = 0.0;
  var sigma = 0.0;
  for (var r0 = 0u; r0 < m; r0 += ROWS) {
    let rows = min(ROWS, m - r0);
    loadRows(i, r0, rows, tid);
    if (tid == 0u) {
      for (var e = 0u; e < rows; e++) {
        sigma += rowS[e];
      }
    }
    sum += tileChunk(rows, tid);
  }
  let total = laneTotal(sum, 0u, HP, tid);
  let at = i * (HP + 4u);
  if (tid < HP) {
    edgeSums[at + tid] = total;
  }
  if (tid < 4u) {
    edgeSums[at + HP + tid] = select(0.0, sigma, tid == 0u);
  }
}
