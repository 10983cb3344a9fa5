// Rebuild pass 2 (one workgroup): exclusive prefix sum of the per-cell counts into cellStart
// (length nCells + 1), and resets the counts to zero for the next build.

@group(0) @binding(0) var<storage, read_write> cellCount: array<atomic<u32>>;
@group(0) @binding(1) var<storage, read_write> cellStart: array<u32>;
@group(0) @binding(2) var<uniform> params: NeighborParams;
/// 1 when this step rebuilds the list, else the pass returns (schedule_rebuild.wgsl).
@group(0) @binding(3) var<storage, read> rebuildDue: array<u32, 1>;

var<workgroup> chunkOffset: array<u32, WORKGROUP_SIZE>;

@compute @workgroup_size(WORKGROUP_SIZE)
fn main(@builtin(local_invocation_index) t: u32) {
  if (rebuildDue[0] == 0u) {
    return;
  }
  let n = params.nCells;
  let chunk = (n + WORKGROUP_SIZE - 1u) / WORKGROUP_SIZE;
  let begin = min(t * chunk, n);
  let end = min(begin + chunk, n);
  var sum = 0u;
  for (var c = begin; c < end; c++) {
    sum += atomicLoad(&cellCount[c]);
  }
  chunkOffset[t] = sum;
  workgroupBarrier();
  if (t == 0u) {
    var total = 0u;
    for (var k = 0u; k < WORKGROUP_SIZE; k++) {
      let s = chunkOffset[k];
      chunkOffset[k] = total;
      total += s;
    }
    cellStart[n] = total;
  }
  workgroupBarrier();
  var offset = chunkOffset[t];
  for (var c = begin; c < end; c++) {
    cellStart[c] = offset;
    offset += atomicExchange(&cellCount[c], 0u);
  }
}
