// Shared by the per-edge passes of the pair path (message.wgsl, edge_backward.wgsl,
// pair_gradient.wgsl), after gnn_common.wgsl and the pass's generated part (src/engine/gpu/
// gnnEdgeTiles.ts): TILE_WG threads, ROWS rows per chunk, DIRECTIONS rows per pair, EP and HP (edge
// and hidden widths padded to multiples of 4), TABLE (the embedding table's offset in edgeParams),
// H4 (HP / 4), the workgroup buffers of the chunk and tileChunk (the pass's stages).
//
// The pair path never stores per-edge features: every pass recomputes what it needs of an edge from
// its length and per-atom inputs, because the first linear layer of the message and edge MLPs splits
// over the concatenation [n_c, n_nb, e]:
//   W [n_c, n_nb, e] + b = P_c + Q_nb + W_e e,   P = W_c n + b and Q = W_nb n per atom (project.wgsl)
// and the last linear layer of the message MLP commutes with the sum over neighbors:
//   a_i = (W₂ Σ_j s_ij silu(h_ij) + b₂ Σ_j s_ij) / sel                  (node_update.wgsl)
// so an edge costs E·H (each W_e) + H·E (each edge-MLP output layer) multiply-adds forward, instead
// of the (2·N + E)·H + H·N of the concatenated MLPs. The edge embedding, a function of r alone, is
// read from a table (embedAt), as DeePMD-kit's model compression tabulates its embedding net.
//
// One workgroup takes one atom i and walks the rows of its compacted pair list (list.wgsl) in chunks
// of ROWS: row r is pair r / DIRECTIONS, as the edge i → j (r even or DIRECTIONS 1) or j → i. A chunk's
// rows live in workgroup memory (loadRows, then the tile buffers), and each stage of tileChunk is a
// matrix product over the chunk: the thread of output channel o holds column o of the weights in
// registers and reads the inputs of a row as broadcast vec4s.

/// [N][CAP]: d_ij (Å) and the Verlet entry (bits of w) of every pair within rcut.
@group(0) @binding(10) var<storage, read> pairs: array<vec4f>;
/// [N]: pair count, then the selection cut (list.wgsl, cut.wgsl).
@group(0) @binding(11) var<storage, read> atomSel: array<vec4u>;
/// [L][N][4][HP]: P_msg, Q_msg, P_edge, Q_edge of every atom (project.wgsl).
@group(0) @binding(12) var<storage, read> proj: array<f32>;
/// [N][CAP]: link word of every pair (links.wgsl): reverse slot, LINK_OUT, LINK_IN.
@group(0) @binding(14) var<storage, read> links: array<u32>;
/// The edge matrices, their transposes, the embedding table and the node-side matrices
/// (gnnEdgeTiles.ts packEdgeParams).
@group(0) @binding(15) var<storage, read> edgeParams: array<f32>;

/// [L][N][HP + 4]: G_l,i, then (c_l,i, 0, 0, 0) (node_backward.wgsl); bound by the backward passes.
@group(0) @binding(13) var<storage, read> gate: array<f32>;

/// Per row of the chunk: centre c and neighbor nb atoms, length r (Å), switch s and ds/dr (zero
/// when the row is not an edge: the centre does not select the neighbor), direction (0: i → j).
var<workgroup> rowC: array<u32, ROWS>;
var<workgroup> rowNb: array<u32, ROWS>;
var<workgroup> rowR: array<f32, ROWS>;
var<workgroup> rowS: array<f32, ROWS>;
var<workgroup> rowDs: array<f32, ROWS>;
var<workgroup> rowDir: array<u32, ROWS>;
/// Per-thread partial sums, reduced over lanes (laneTotal).
var<workgroup> laneSums: array<f32, 4u * TILE_WG>;

/// Atom of this workgroup (a 2-D grid of one workgroup per atom).
fn pairAtom(wid: vec3u, groups: vec3u) -> u32 {
  return wid.y * groups.x + wid.x;
}

/// Fills the row table with rows r0 … r0 + rows − 1 of atom i. Uniform control flow.
fn loadRows(i: u32, r0: u32, rows: u32, tid: u32) {
  if (tid < rows) {
    let r = r0 + tid;
    let at = i * params.slotsPerAtom + r / DIRECTIONS;
    let reverse = r % DIRECTIONS == 1u;
    let p = pairs[at];
    let j = neighborRow(bitcast<u32>(p.w));
    let edge = (links[at] & select(LINK_OUT, LINK_IN, reverse)) != 0u;
    let r_ij = length(p.xyz);
    let sw = smoothSwitch(r_ij);
    rowC[tid] = select(i, j, reverse);
    rowNb[tid] = select(j, i, reverse);
    rowR[tid] = r_ij;
    rowS[tid] = select(0.0, sw.x, edge);
    rowDs[tid] = select(0.0, sw.y, edge);
    rowDir[tid] = select(0u, 1u, reverse);
  }
  workgroupBarrier();
}

/// Stores v into lane `c` of *p: one word (the neighbors' lanes are other threads').
fn putLane(p: ptr<workgroup, vec4f>, c: u32, v: f32) {
  (*p)[c] = v;
}

/// Component o of layer l's gate of an atom (o = HP: c_l).
fn gateAt(l: u32, atom: u32, o: u32) -> f32 {
  return gate[(l * params.nAtoms + atom) * (HP + 4u) + o];
}

fn edgeParams4(at: u32) -> vec4f {
  return vec4f(edgeParams[at], edgeParams[at + 1u], edgeParams[at + 2u], edgeParams[at + 3u]);
}

/// Component o of part `part` (0 P_msg, 1 Q_msg, 2 P_edge, 3 Q_edge) of layer l of an atom.
fn projection(l: u32, part: u32, atom: u32, o: u32) -> f32 {
  return proj[((l * params.nAtoms + atom) * 4u + part) * HP + o];
}

/// e⁰(r) and de⁰/dr (1/Å), vec4 k of each, from the table of gnnEdgeTiles.ts: cubic Hermite interpolation on
/// knots r_m = m/TABLE_SCALE Å, differentiated exactly (forces stay the gradient of the energy the
/// kernels compute). Each interval stores y_m, Δ_m = y_(m+1) − y_m, h·y′_m and h·y′_(m+1) (from f64),
/// so the derivative needs no difference of rounded values.
struct Embedding {
  e: vec4f,
  de: vec4f,
}

fn embedAt(r: f32, k: u32) -> Embedding {
  let x = r * TABLE_SCALE;
  let m = min(u32(x), TABLE_KNOTS - 2u);
  let t = x - f32(m);
  let at = TABLE + m * 4u * EP + 4u * k;
  let t2 = t * t;
  let t3 = t2 * t;
  let y = edgeParams4(at);
  let delta = edgeParams4(at + EP);
  let g0 = edgeParams4(at + 2u * EP);
  let g1 = edgeParams4(at + 3u * EP);
  var out: Embedding;
  out.e = y + (3.0 * t2 - 2.0 * t3) * delta + (t3 - 2.0 * t2 + t) * g0 + (t3 - t2) * g1;
  out.de = TABLE_SCALE * ((6.0 * t - 6.0 * t2) * delta + (3.0 * t2 - 4.0 * t + 1.0) * g0 + (3.0 * t2 - 2.0 * t) * g1);
  return out;
}

/// Σ over the lanes of channel `tid` (< width) of the threads' values v, part `part` (0 … 3) of
/// laneSums. Uniform control flow.
fn laneTotal(v: f32, part: u32, width: u32, tid: u32) -> f32 {
  laneSums[part * TILE_WG + tid] = v;
  workgroupBarrier();
  var total = 0.0;
  if (tid < width) {
    for (var t = tid; t < TILE_WG; t += width) {
      total += laneSums[part * TILE_WG + t];
    }
  }
  return total;
}
