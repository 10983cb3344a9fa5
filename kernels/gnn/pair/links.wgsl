// GNN pair path, pass 3 (one workgroup per atom i, a thread per pair): the link word of every pair
// i → j: LINK_OUT when i selects j (an edge i → j), LINK_IN when j selects i (an edge j → i), and the
// slot of the reverse pair in j's list (the entry (i, −T)), where pair_gradient.wgsl left r̄_ji for
// forces.wgsl. A selected edge whose reverse pair is missing counts in STATUS_MISSING_REVERSE (never,
// for a full Verlet list: every pair within rcut is in both rows).

@group(0) @binding(2) var<storage, read> pairs: array<vec4f>;
@group(0) @binding(3) var<storage, read> keys: array<u32>;
@group(0) @binding(4) var<storage, read> originalIndex: array<u32>;
@group(0) @binding(5) var<storage, read> atomSel: array<vec4u>;
@group(0) @binding(6) var<storage, read_write> links: array<u32>;
@group(0) @binding(7) var<storage, read_write> status: array<atomic<u32>, 4>;

@compute @workgroup_size(PAIR_WG)
fn main(
  @builtin(workgroup_id) wid: vec3u,
  @builtin(num_workgroups) groups: vec3u,
  @builtin(local_invocation_index) tid: u32,
) {
  let i = wid.y * groups.x + wid.x;
  if (i >= params.nAtoms) {
    return;
  }
  let own = atomSel[i];
  let row = i * params.slotsPerAtom;
  let keyI = originalIndex[i];
  for (var q = tid; q < own.x; q += PAIR_WG) {
    let p = pairs[row + q];
    let entry = bitcast<u32>(p.w);
    let j = neighborRow(entry);
    var word = 0u;
    if (selectedBy(own, length(p.xyz), originalIndex[j], entry)) {
      word |= LINK_OUT;
    }
    let back = neighborEntry(i, -neighborImage(entry));
    let other = atomSel[j];
    let rowJ = j * params.slotsPerAtom;
    var slot = LINK_SLOT;
    for (var s = 0u; s < other.x; s++) {
      if (keys[rowJ + s] == back) {
        slot = s;
        break;
      }
    }
    if (slot != LINK_SLOT) {
      if (selectedBy(other, length(pairs[rowJ + slot].xyz), keyI, back)) {
        word |= LINK_IN;
      }
    } else if ((word & LINK_OUT) != 0u) {
      atomicAdd(&status[STATUS_MISSING_REVERSE], 1u);
    }
    links[row + q] = word | slot;
  }
}
