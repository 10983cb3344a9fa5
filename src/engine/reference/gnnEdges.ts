/**
 * The directed edge list of the GNN reference: for each non-NULL atom i (the center), its
 * neighbors j (periodic images included, an atom's own images too) with r_ij < rcut, sorted by
 * distance and capped at `sel`.
 *
 * Beyond `sel`: only the `sel` nearest neighbors are kept (ties broken by neighbor index, then by
 * the image vector), the rest are dropped, and `truncatedAtoms` counts the centers that lost
 * neighbors. The energy is then discontinuous when the sel-th and (sel+1)-th neighbors swap, so a
 * model's `sel` should exceed the largest neighbor count it will meet (callers warn when it does not).
 */
import type { Batch } from '../batch.ts';
import { forEachPair } from './pairs.ts';

/** Directed edges i → j, grouped by center atom i (CSR by center), distance-ordered. */
export interface GnnEdges {
  /** Number of edges. */
  nEdges: number;
  /** Center atom of each edge (global index). */
  center: Int32Array;
  /** Neighbor atom of each edge (global index; the same atom for its own images). */
  neighbor: Int32Array;
  /** d = r_j + T − r_i, Å, xyz interleaved (3·nEdges). */
  vector: Float64Array;
  /** |d|, Å. */
  length: Float64Array;
  /** Edge offsets per atom (length nAtoms + 1): edges of center i are edgePtr[i] ≤ e < edgePtr[i+1]. */
  edgePtr: Int32Array;
  /** Number of centers that had more than `sel` neighbors within rcut (their farthest were dropped). */
  truncatedAtoms: number;
  /** Largest neighbor count within rcut before the cap. */
  maxNeighbors: number;
}

interface RawEdge {
  j: number;
  x: number;
  y: number;
  z: number;
  r: number;
}

/** Builds the capped, distance-ordered directed edge list of every system of `batch`. */
export function gnnEdges(batch: Batch, rcut: number, sel: number): GnnEdges {
  const perAtom: RawEdge[][] = Array.from({ length: batch.nAtoms }, () => []);
  for (let s = 0; s < batch.nSystems; s++) {
    // forEachPair gives d = r_i − (r_j + T) once per pair; the edge i → j has vector −d, j → i has d.
    forEachPair(batch, s, rcut, (i, j, dx, dy, dz, r2) => {
      const r = Math.sqrt(r2);
      perAtom[i]!.push({ j, x: -dx, y: -dy, z: -dz, r });
      perAtom[j]!.push({ j: i, x: dx, y: dy, z: dz, r });
    });
  }
  let truncatedAtoms = 0;
  let maxNeighbors = 0;
  let nEdges = 0;
  for (const list of perAtom) {
    list.sort((a, b) => a.r - b.r || a.j - b.j || a.x - b.x || a.y - b.y || a.z - b.z);
    maxNeighbors = Math.max(maxNeighbors, list.length);
    if (list.length > sel) {
      truncatedAtoms++;
      list.length = sel;
    }
    nEdges += list.length;
  }
  const edges: GnnEdges = {
    nEdges,
    center: new Int32Array(nEdges),
    neighbor: new Int32Array(nEdges),
    vector: new Float64Array(3 * nEdges),
    length: new Float64Array(nEdges),
    edgePtr: new Int32Array(batch.nAtoms + 1),
    truncatedAtoms,
    maxNeighbors,
  };
  let e = 0;
  for (let i = 0; i < batch.nAtoms; i++) {
    edges.edgePtr[i] = e;
    for (const edge of perAtom[i]!) {
      edges.center[e] = i;
      edges.neighbor[e] = edge.j;
      edges.vector[3 * e] = edge.x;
      edges.vector[3 * e + 1] = edge.y;
      edges.vector[3 * e + 2] = edge.z;
      edges.length[e] = edge.r;
      e++;
    }
  }
  edges.edgePtr[batch.nAtoms] = e;
  return edges;
}
