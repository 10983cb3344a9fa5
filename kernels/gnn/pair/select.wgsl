// The pair path's selection and link words, shared by its passes (kernels/gnn/pair/).

/// Link word of a pair (links.wgsl): the slot of the reverse pair in the neighbor's list (LINK_SLOT
/// when missing), LINK_OUT when the centre selects the neighbor, LINK_IN when the neighbor selects
/// the centre.
const LINK_OUT: u32 = 0x40000000u;
const LINK_IN: u32 = 0x80000000u;
const LINK_SLOT: u32 = 0x3fffffffu;

/// Whether the pair (r2, key2, entry2) ranks before (r, key, entry): by distance, then the original
/// index of the neighbor, then the entry (gnnEdges.ts).
fn pairBefore(r2: f32, key2: u32, entry2: u32, r: f32, key: u32, entry: u32) -> bool {
  return r2 < r || (r2 == r && (key2 < key || (key2 == key && entry2 < entry)));
}

/// Whether an atom with selection cut `cut` (atomSel: count, cut r bits, key, entry) selects the
/// pair (r, key, entry): it is not after the cut (+∞, bits 0x7f800000, when the atom keeps all its pairs).
fn selectedBy(cut: vec4u, r: f32, key: u32, entry: u32) -> bool {
  return !pairBefore(bitcast<f32>(cut.y), cut.z, cut.w, r, key, entry);
}
