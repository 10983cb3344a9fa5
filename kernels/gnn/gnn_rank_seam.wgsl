// GNN on a rank of a domain decomposition (src/engine/decomposition/gnnGpu.ts), between two backward
// passes, one thread per storage row: the node-feature gradient n̄ of a ghost row (original index
// ≥ nLocal, padding rows included) is set to zero, and with `add` an owned row gets the gradient
// its ghost copies collected on other ranks (the reverse exchange, uploaded in storage order) added
// into it. After the readout it runs without `add`: ghosts are not centres, so their own n̄ must not
// flow back into the owned atoms. Compiled with the model prelude (N_DIM) and WORKGROUP_SIZE only.

struct SeamParams {
  nAtoms: u32,
  nLocal: u32,
  add: u32,
  _pad0: u32,
}

@group(0) @binding(0) var<uniform> seam: SeamParams;
@group(0) @binding(1) var<storage, read> originalIndex: array<u32>;
/// [N][N_DIM], storage order: what the owners receive from the reverse exchange (zero on ghosts).
@group(0) @binding(2) var<storage, read> received: array<f32>;
/// [N][N_DIM]: n̄.
@group(0) @binding(3) var<storage, read_write> nodeGrad: array<f32>;

@compute @workgroup_size(WORKGROUP_SIZE)
fn main(@builtin(global_invocation_id) gid: vec3u) {
  let i = gid.x;
  if (i >= seam.nAtoms) {
    return;
  }
  let owned = originalIndex[i] < seam.nLocal;
  for (var q = 0u; q < N_DIM; q++) {
    let at = i * N_DIM + q;
    if (!owned) {
      nodeGrad[at] = 0.0;
    } else if (seam.add != 0u) {
      nodeGrad[at] += received[at];
    }
  }
}
