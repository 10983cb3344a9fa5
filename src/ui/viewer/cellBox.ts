import { BufferGeometry, Float32BufferAttribute, LineBasicMaterial, LineSegments } from 'three';

/** Corners of the cell spanned by row vectors a, b, c (Å, 9 values) from the origin. */
function corner(cell: ArrayLike<number>, i: number, j: number, k: number): [number, number, number] {
  const v = (r: number, c: number) => cell[3 * r + c] ?? 0;
  return [0, 1, 2].map((c) => i * v(0, c) + j * v(1, c) + k * v(2, c)) as [number, number, number];
}

/** The 12 edges of a (possibly triclinic) cell as line segments, Å. */
export function cellEdges(cell: ArrayLike<number>): Float32Array {
  const out: number[] = [];
  for (const [a, b] of [
    [0, 1],
    [0, 2],
    [0, 4],
    [1, 3],
    [1, 5],
    [2, 3],
    [2, 6],
    [3, 7],
    [4, 5],
    [4, 6],
    [5, 7],
    [6, 7],
  ] as const) {
    for (const n of [a, b]) out.push(...corner(cell, n & 1, (n >> 1) & 1, (n >> 2) & 1));
  }
  return Float32Array.from(out);
}

/** The periodic cell drawn as a wire box. */
export function createCellBox(cell: ArrayLike<number>, color = 0x8fa3bf): LineSegments {
  const geometry = new BufferGeometry();
  geometry.setAttribute('position', new Float32BufferAttribute(cellEdges(cell), 3));
  return new LineSegments(geometry, new LineBasicMaterial({ color }));
}
