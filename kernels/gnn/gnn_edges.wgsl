// GNN F1 (geometry), one thread per edge slot (see gnn_common.wgsl): the entry's separation
// d = r_j + T − r_i and r for every entry of the row (B0 needs d of inactive slots too), the
// within-rcut flag, the nearest-`sel` selection of the reference (rank among the row's entries
// within rcut by (r, original index of j, entry); ties cannot split differently from gnnEdges.ts
// unless two distances agree to f32 rounding), the slot of the reverse entry (j's entry for i in
// image −T), and for selected edges s(r), s′(r) and the initial edge features e⁰ = MLP_embed(φ s).

@group(0) @binding(2) var<storage, read> positions: array<vec4f>;
@group(0) @binding(3) var<storage, read> systemOf: array<u32>;
@group(0) @binding(4) var<storage, read> systems: array<System>;
@group(0) @binding(5) var<storage, read> neighbors: array<u32>;
@group(0) @binding(6) var<storage, read> originalIndex: array<u32>;
@group(0) @binding(7) var<storage, read_write> edges: array<GnnEdge>;
/// [L][slots][E_DIM]: layer 0 written here.
@group(0) @binding(8) var<storage, read_write> edgeFeatures: array<f32>;

@compute @workgroup_size(WORKGROUP_SIZE)
fn main(@builtin(global_invocation_id) gid: vec3u) {
  let slot = slotOf(gid);
  let n = params.nAtoms;
  if (slot >= n * params.slotsPerAtom) {
    return;
  }
  let i = slot % n;
  let k = slot / n;
  var edge = GnnEdge(vec3f(0.0), 0.0, 0.0, 0.0, 0u, NO_SLOT, 0u, 0u, 0u, 0u);
  var x: Vec;
  let count = neighbors[i];
  if (k < count) {
    let own = positions[i];
    let entry = neighbors[(k + 1u) * n + i];
    let j = neighborRow(entry);
    let pj = positions[j];
    let system = systems[systemOf[i]];
    let d = -pairSeparation(own.xyz, pj.xyz, entry, system);
    let r = length(d);
    edge.d = d;
    edge.r = r;
    edge.row = j;
    // Reverse entry: row j, atom i, image −T.
    let reverseEntry = neighborEntry(i, -neighborImage(entry));
    let countJ = neighbors[j];
    for (var q = 0u; q < countJ; q++) {
      if (neighbors[(q + 1u) * n + j] == reverseEntry) {
        edge.reverse = q * n + j;
        break;
      }
    }
    if (modelType(own.w) >= 0 && modelType(pj.w) >= 0 && r < params.rcut && r > 0.0) {
      edge.flags = EDGE_WITHIN;
      let key = originalIndex[j];
      var rank = 0u;
      for (var q = 0u; q < count; q++) {
        let e2 = neighbors[(q + 1u) * n + i];
        let j2 = neighborRow(e2);
        let p2 = positions[j2];
        let r2 = length(pairSeparation(own.xyz, p2.xyz, e2, system));
        if (q == k || modelType(p2.w) < 0 || !(r2 < params.rcut && r2 > 0.0)) {
          continue;
        }
        let key2 = originalIndex[j2];
        if (r2 < r || (r2 == r && (key2 < key || (key2 == key && e2 < entry)))) {
          rank++;
        }
      }
      if (rank < params.sel) {
        edge.flags |= EDGE_ACTIVE;
        if (edge.reverse == NO_SLOT) {
          edge.flags |= EDGE_NO_REVERSE;
        }
        let sw = smoothSwitch(r);
        edge.s = sw.x;
        edge.ds = sw.y;
        x = embeddingInput(r, sw.x);
        var tape: Tape;
        mlpForward(EMBED_MLP, N_BASIS, E_DIM, &x, &tape);
      }
    }
  }
  edges[slot] = edge;
  for (var q = 0u; q < E_DIM; q++) {
    edgeFeatures[slot * E_DIM + q] = x[q];
  }
}
