import { describe, expect, it } from 'vitest';
import { type Batch, singleSystemBatch } from '../batch.ts';
import { concatenateBatches } from '../structures/concatenate.ts';
import { randomPositions } from '../structures/random.ts';
import { buildCellGrid, neighborListReference } from './neighborList.ts';
import { cellLengths, periodicAxes } from './pbc.ts';

function bruteForce(batch: Batch, cutoff: number): number[][] {
  const out: number[][] = [];
  for (let s = 0; s < batch.nSystems; s++) {
    const l = cellLengths(batch, s);
    const pbc = periodicAxes(batch, s);
    for (let i = batch.atomsPtr[s]!; i < batch.atomsPtr[s + 1]!; i++) {
      const list: number[] = [];
      out.push(list);
      if (batch.types[i] === -1) continue;
      for (let j = batch.atomsPtr[s]!; j < batch.atomsPtr[s + 1]!; j++) {
        if (j === i || batch.types[j] === -1) continue;
        let r2 = 0;
        for (let a = 0; a < 3; a++) {
          let d = batch.positions[3 * i + a]! - batch.positions[3 * j + a]!;
          // Try images −4..4 explicitly rather than rounding: an independent minimum image
          // (positions lie up to two boxes outside the cell).
          if (pbc[a]) {
            const images = [-4, -3, -2, -1, 0, 1, 2, 3, 4].map((k) => d + k * l[a]!);
            d = images.reduce((m, x) => (Math.abs(x) < Math.abs(m) ? x : m));
          }
          r2 += d * d;
        }
        if (r2 < cutoff * cutoff) list.push(j);
      }
    }
  }
  return out;
}

function testBatch(): Batch {
  // System 0: periodic box, positions wrapped in [0, L) and some outside it; 2 cells along z only.
  const box0: [number, number, number] = [23, 31, 16.5];
  const p0 = randomPositions(150, box0, 2.2, 5);
  for (let i = 0; i < 150; i += 7) p0[3 * i]! += i % 2 ? 23 : -46; // unwrapped images
  const s0 = singleSystemBatch({
    positions: p0,
    masses: new Float64Array(150).fill(1),
    types: Array.from({ length: 150 }, (_, i) => (i % 11 === 0 ? -1 : 0)),
    cell: box0,
  });
  // System 1: open along y, atoms spilling out of the box on both sides.
  const box1: [number, number, number] = [17, 12, 25];
  const p1 = randomPositions(80, [17, 20, 25], 2.2, 6);
  for (let i = 0; i < 80; i++) p1[3 * i + 1]! -= 4;
  const s1 = singleSystemBatch({
    positions: p1,
    masses: new Float64Array(80).fill(1),
    cell: box1,
    pbc: [true, false, true],
    systemId: 1,
  });
  // System 2: fully open cluster in a zero-size cell.
  const s2 = singleSystemBatch({
    positions: randomPositions(30, [10, 10, 10], 2.0, 7),
    masses: new Float64Array(30).fill(1),
    cell: [0, 0, 0],
    pbc: [false, false, false],
    systemId: 2,
  });
  return concatenateBatches([s0, s1, s2]);
}

describe('buildCellGrid', () => {
  it('bins every atom once into cells at least minCellSize wide, sorted by cell then index', () => {
    const batch = testBatch();
    for (let s = 0; s < batch.nSystems; s++) {
      const minCell = 8;
      const grid = buildCellGrid(batch, s, minCell);
      const l = cellLengths(batch, s);
      const pbc = periodicAxes(batch, s);
      for (let a = 0; a < 3; a++) {
        expect(grid.dims[a]).toBe(Math.max(1, Math.floor(l[a]! / minCell)));
        if (grid.dims[a]! > 1) expect(l[a]! / grid.dims[a]!).toBeGreaterThanOrEqual(minCell);
      }
      const nCells = grid.dims[0] * grid.dims[1] * grid.dims[2];
      const begin = batch.atomsPtr[s]!;
      const n = batch.atomsPtr[s + 1]! - begin;
      expect(grid.cellStart.length).toBe(nCells + 1);
      expect(grid.cellStart[0]).toBe(0);
      expect(grid.cellStart[nCells]).toBe(n);
      expect([...grid.atoms].sort((x, y) => x - y)).toEqual(Array.from({ length: n }, (_, k) => begin + k));
      for (let c = 0; c < nCells; c++) {
        expect(grid.cellStart[c + 1]!).toBeGreaterThanOrEqual(grid.cellStart[c]!);
        for (let m = grid.cellStart[c]!; m < grid.cellStart[c + 1]!; m++) {
          const i = grid.atoms[m]!;
          expect(grid.cellOf[i - begin]).toBe(c);
          if (m > grid.cellStart[c]!) expect(i).toBeGreaterThan(grid.atoms[m - 1]!);
          // The cell contains the (wrapped or clamped) position.
          const coords = [
            c % grid.dims[0],
            Math.floor(c / grid.dims[0]) % grid.dims[1],
            Math.floor(c / (grid.dims[0] * grid.dims[1])),
          ];
          for (let a = 0; a < 3; a++) {
            const nA = grid.dims[a]!;
            if (nA === 1) continue;
            let u = batch.positions[3 * i + a]! / l[a]!;
            if (pbc[a]) u -= Math.floor(u);
            const expected = Math.min(nA - 1, Math.max(0, Math.floor(u * nA)));
            expect(coords[a]).toBe(expected);
          }
        }
      }
    }
  });

  it('rejects a non-positive cell size', () => {
    expect(() => buildCellGrid(testBatch(), 0, 0)).toThrow(/minCellSize/);
  });
});

describe('neighborListReference', () => {
  for (const cutoff of [3.5, 5.0, 8.0]) {
    it(`equals a brute-force O(N²) search (cutoff ${cutoff} Å)`, () => {
      const batch = testBatch();
      const { ptr, neighbors } = neighborListReference(batch, cutoff);
      const expected = bruteForce(batch, cutoff);
      expect(ptr.length).toBe(batch.nAtoms + 1);
      expect(ptr[batch.nAtoms]).toBe(neighbors.length);
      let total = 0;
      for (let i = 0; i < batch.nAtoms; i++) {
        expect(Array.from(neighbors.subarray(ptr[i]!, ptr[i + 1]!))).toEqual(expected[i]);
        total += expected[i]!.length;
      }
      expect(total).toBeGreaterThan(batch.nAtoms); // the test is not vacuous
    });
  }

  it('is symmetric and gives NULL atoms no neighbors', () => {
    const batch = testBatch();
    const { ptr, neighbors } = neighborListReference(batch, 6);
    const has = (i: number, j: number) => neighbors.subarray(ptr[i]!, ptr[i + 1]!).includes(j);
    for (let i = 0; i < batch.nAtoms; i++) {
      if (batch.types[i] === -1) expect(ptr[i + 1]! - ptr[i]!).toBe(0);
      for (let m = ptr[i]!; m < ptr[i + 1]!; m++) expect(has(neighbors[m]!, i)).toBe(true);
    }
  });

  it('throws when a periodic length is not above 2 × cutoff', () => {
    expect(() => neighborListReference(testBatch(), 8.25)).toThrow(/must exceed 2 × cutoff/);
  });
});
