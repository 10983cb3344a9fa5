// GNN pair path, pass 2 (one thread per atom): the nearest-`sel` selection of the reference
// (gnnEdges.ts: rank among i's pairs by (r, original index of j, entry)). An atom with at most sel
// pairs keeps them all (cut = +∞); otherwise the cut is the key of its sel-th nearest pair and a
// pair is selected when its key is not above it (selectedBy). Also the status words: the largest
// pair count and the number of truncated centers.

@group(0) @binding(2) var<storage, read> pairs: array<vec4f>;
@group(0) @binding(3) var<storage, read> originalIndex: array<u32>;
@group(0) @binding(4) var<storage, read_write> atomSel: array<vec4u>;
@group(0) @binding(5) var<storage, read_write> status: array<atomic<u32>, 4>;

@compute @workgroup_size(WORKGROUP_SIZE)
fn main(@builtin(global_invocation_id) gid: vec3u) {
  let i = gid.x;
  if (i >= params.nAtoms) {
    return;
  }
  let m = atomSel[i].x;
  let row = i * params.slotsPerAtom;
  if (m > 0u) {
    atomicMax(&status[STATUS_MAX_NEIGHBORS], m);
  }
  if (m <= params.sel) {
    atomSel[i] = vec4u(m, 0x7f800000u, 0xffffffffu, 0xffffffffu);
    return;
  }
  atomicAdd(&status[STATUS_TRUNCATED], 1u);
  for (var q = 0u; q < m; q++) {
    let pq = pairs[row + q];
    let rq = length(pq.xyz);
    let eq = bitcast<u32>(pq.w);
    let kq = originalIndex[neighborRow(eq)];
    var rank = 0u;
    for (var p = 0u; p < m; p++) {
      let pp = pairs[row + p];
      let ep = bitcast<u32>(pp.w);
      if (pairBefore(length(pp.xyz), originalIndex[neighborRow(ep)], ep, rq, kq, eq)) {
        rank++;
      }
    }
    if (rank + 1u == params.sel) {
      atomSel[i] = vec4u(m, bitcast<u32>(rq), kq, eq);
      return;
    }
  }
}
