// GNN pair path, per layer l (one thread per atom, part and output): the per-atom halves of the first
// linear layers of the message and edge MLPs (common.wgsl): part 0 P_msg = W_c n + b, 1 Q_msg = W_nb n,
// 2 P_edge, 3 Q_edge (zero in the last layer, which has no edge MLP), zero-padded to 4·H4. Layer 0
// reads n⁰ from the type embedding, and writes it to the node features. The weights are input-major
// (gnnPairs.ts packProjectionWeights), so neighboring threads read neighboring words.

@group(0) @binding(2) var<storage, read> positions: array<vec4f>;
/// [L + 1][N][N_DIM].
@group(0) @binding(3) var<storage, read_write> nodeFeatures: array<f32>;
/// [L][N][4][4·H4].
@group(0) @binding(4) var<storage, read_write> projOut: array<f32>;
/// [L][4][N_DIM + 1][4·H4].
@group(0) @binding(5) var<storage, read> projWeights: array<f32>;

@compute @workgroup_size(WORKGROUP_SIZE)
fn main(@builtin(global_invocation_id) gid: vec3u) {
  let g = gid.y * params.threadsPerRow + gid.x;
  let n = params.nAtoms;
  let width = 4u * H4;
  let i = g / (4u * width);
  let part = (g / width) % 4u;
  let o = g % width;
  if (i >= n) {
    return;
  }
  let l = params.layer;
  let t = modelType(positions[i].w);
  let embedding = TYPE_EMBEDDING + u32(max(t, 0)) * N_DIM;
  if (l == 0u && g % (4u * width) < N_DIM) {
    nodeFeatures[i * N_DIM + g % (4u * width)] = select(0.0, weights[embedding + g % (4u * width)], t >= 0);
  }
  var sum = 0.0;
  if (t >= 0) {
    let at = (l * 4u + part) * (N_DIM + 1u) * width + o;
    sum = projWeights[at + N_DIM * width];
    if (l == 0u) {
      for (var q = 0u; q < N_DIM; q++) {
        sum += projWeights[at + q * width] * weights[embedding + q];
      }
    } else {
      let nodes = (l * n + i) * N_DIM;
      for (var q = 0u; q < N_DIM; q++) {
        sum += projWeights[at + q * width] * nodeFeatures[nodes + q];
      }
    }
  }
  projOut[((l * n + i) * 4u + part) * width + o] = sum;
}
