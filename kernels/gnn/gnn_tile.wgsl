// Workgroup-cooperative MLPs for the per-edge passes (gnn_message.wgsl, gnn_message_backward.wgsl):
// one workgroup takes a tile of TILE consecutive edge slots; the tile's rows live in workgroup
// memory and each thread computes one output feature for all TILE rows, so every weight read from
// storage serves TILE rows and no thread keeps a MAX_WIDTH array of its own (which spilled to local
// memory and made the per-thread MLPs memory-bound). TILE (4, 8 or 16) comes from the pass prelude
// (src/engine/gpu/gnn.ts, from the device's workgroup storage limit). Rows: stride MAX_WIDTH. The
// pass prelude defines tileForwardWeight(w, o, q, width, out), W[o][q] of the matrix at w (the pair
// path reads an input-major copy, so that the threads of consecutive outputs read consecutive words).
// Every function here contains barriers: call it from uniform control flow with all threads.

var<workgroup> tileIn: array<f32, TILE * MAX_WIDTH>;
var<workgroup> tileX: array<f32, TILE * MAX_WIDTH>;
var<workgroup> tileY: array<f32, TILE * MAX_WIDTH>;
var<workgroup> tileG: array<f32, TILE * MAX_WIDTH>;
var<workgroup> tileTape: array<f32, TILE * TAPE_SIZE>;
/// Per row: 1 when the slot is an active edge.
var<workgroup> tileActive: array<u32, TILE>;
var<workgroup> tileAny: u32;

/// First slot of this workgroup's tile (2-D dispatch of ceil(slots / TILE) workgroups).
fn tileFirstSlot(wid: vec3u, groups: vec3u) -> u32 {
  return (wid.y * groups.x + wid.x) * TILE;
}

/// Copies the first `width` columns of every row from tileY to tileX (then a barrier).
fn tileCopyYX(width: u32, tid: u32) {
  for (var idx = tid; idx < TILE * width; idx += WORKGROUP_SIZE) {
    let e = idx / width;
    let q = idx % width;
    tileX[e * MAX_WIDTH + q] = tileY[e * MAX_WIDTH + q];
  }
  workgroupBarrier();
}

/// Copies the first `width` columns of every row from tileIn to tileX (then a barrier).
fn tileCopyInX(width: u32, tid: u32) {
  for (var idx = tid; idx < TILE * width; idx += WORKGROUP_SIZE) {
    let e = idx / width;
    let q = idx % width;
    tileX[e * MAX_WIDTH + q] = tileIn[e * MAX_WIDTH + q];
  }
  workgroupBarrier();
}

/// tileX rows ← MLP(tileX rows) (nIn values in, nOut out) for the MLP at weight offset `base`; the
/// hidden pre-activations go to tileTape. As mlpForward of gnn_common.wgsl, row by row.
fn tileMlpForward(base: u32, nIn: u32, nOut: u32, tid: u32) {
  var w = base;
  var t = 0u;
  for (var k = 0u; k < N_LINEAR; k++) {
    let width = linearIn(k, nIn);
    let out = linearOut(k, nOut);
    let hidden = k + 1u < N_LINEAR;
    for (var o = tid; o < out; o += WORKGROUP_SIZE) {
      var acc: array<f32, TILE>;
      let bias = weights[w + out * width + o];
      for (var e = 0u; e < TILE; e++) {
        acc[e] = bias;
      }
      for (var q = 0u; q < width; q++) {
        let wq = tileForwardWeight(w, o, q, width, out);
        for (var e = 0u; e < TILE; e++) {
          acc[e] += wq * tileX[e * MAX_WIDTH + q];
        }
      }
      for (var e = 0u; e < TILE; e++) {
        if (hidden) {
          tileTape[e * TAPE_SIZE + t + o] = acc[e];
          tileY[e * MAX_WIDTH + o] = silu(acc[e]);
        } else {
          tileY[e * MAX_WIDTH + o] = acc[e];
        }
      }
    }
    workgroupBarrier();
    tileCopyYX(out, tid);
    w += out * width + out;
    if (hidden) {
      t += out;
    }
  }
}

/// tileX rows ← (∂y/∂x)ᵀ tileX rows (nOut values in, nIn out) for the forward pass recorded in
/// tileTape. As mlpBackward of gnn_common.wgsl, row by row.
fn tileMlpBackward(base: u32, nIn: u32, nOut: u32, tid: u32) {
  var w = base;
  var t = 0u;
  var wAt: array<u32, N_LINEAR>;
  var tAt: array<u32, N_LINEAR>;
  for (var k = 0u; k < N_LINEAR; k++) {
    wAt[k] = w;
    tAt[k] = t;
    let width = linearIn(k, nIn);
    let out = linearOut(k, nOut);
    w += out * width + out;
    if (k + 1u < N_LINEAR) {
      t += out;
    }
  }
  for (var kk = 0u; kk < N_LINEAR; kk++) {
    let k = N_LINEAR - 1u - kk;
    let width = linearIn(k, nIn);
    let out = linearOut(k, nOut);
    for (var q = tid; q < width; q += WORKGROUP_SIZE) {
      // Zeroed explicitly: a declaration without initializer was not re-zeroed every iteration.
      var acc: array<f32, TILE>;
      for (var e = 0u; e < TILE; e++) {
        acc[e] = 0.0;
      }
      for (var o = 0u; o < out; o++) {
        let wq = weights[wAt[k] + o * width + q];
        for (var e = 0u; e < TILE; e++) {
          acc[e] += wq * tileX[e * MAX_WIDTH + o];
        }
      }
      for (var e = 0u; e < TILE; e++) {
        var v = acc[e];
        if (k > 0u) {
          v *= siluDerivative(tileTape[e * TAPE_SIZE + tAt[k - 1u] + q]);
        }
        tileY[e * MAX_WIDTH + q] = v;
      }
    }
    workgroupBarrier();
    tileCopyYX(width, tid);
  }
}

/// Marks the tile's active rows (thread e < TILE passes whether row e is an active edge) and returns,
/// uniformly, whether any row is active.
fn tileMarkActive(isActive: bool, tid: u32) -> bool {
  if (tid == 0u) {
    tileAny = 0u;
  }
  workgroupBarrier();
  if (tid < TILE) {
    tileActive[tid] = select(0u, 1u, isActive);
    if (isActive) {
      // Every writer stores the same value.
      tileAny = 1u;
    }
  }
  return workgroupUniformLoad(&tileAny) != 0u;
}
