/**
 * What the GNN edge tiles read and generate (gnnEdgeTiles.ts), without a GPU: the packed matrices
 * against the model's tensors, the embedding table against the f64 MLP, and the chunk each pass
 * takes for a device's workgroup storage. The kernels themselves are compared with the f64 reference
 * in gnn.gpu.test.ts.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type GnnModel, parseGnnWeights } from '../../io/gnnWeights.ts';
import { mlpForward, radialBasis, smoothSwitch } from '../reference/gnnMlp.ts';
import { edgeTilePass, edgeTileWorkgroup, packEdgeParams, TABLE_KNOTS } from './gnnEdgeTiles.ts';

const fixtures = new URL('../reference/fixtures/gnn/', import.meta.url);
const model: GnnModel = parseGnnWeights(
  readFileSync(new URL('random-cuag.json', fixtures), 'utf8'),
  new Uint8Array(readFileSync(new URL('random-cuag.safetensors', fixtures))),
  { config: 'random-cuag.json', tensors: 'random-cuag.safetensors' },
);
const c = model.config;
const up4 = (n: number) => 4 * Math.ceil(n / 4);

describe('GNN edge parameters', () => {
  const { data, layout } = packEdgeParams(model);

  it('stores the e-columns of the first layers input-major, and their transposes', () => {
    const Ep = up4(c.eDim);
    const Hp = up4(c.hidden[0]!);
    for (const [l, layer] of model.layers.entries()) {
      const first = layer.message[0]!;
      for (let q = 0; q < c.eDim; q++) {
        for (let o = 0; o < first.nOut; o++) {
          const w = first.weight[o * first.nIn + 2 * c.nDim + q]!;
          expect(data[layout.message[l]! + q * Hp + o]).toBe(Math.fround(w));
          expect(data[layout.messageT[l]! + o * Ep + q]).toBe(Math.fround(w));
        }
      }
      // Padding stays zero, so padded channels add nothing.
      for (let o = first.nOut; o < Hp; o++) expect(data[layout.message[l]! + o]).toBe(0);
    }
  });

  it('tabulates the edge embedding at the knots in f64, with h·de/dr', () => {
    const Ep = up4(c.eDim);
    const h = c.rcut / (TABLE_KNOTS - 1);
    const sw = new Float64Array(2);
    const phi = new Float64Array(c.nBasis);
    const dphi = new Float64Array(c.nBasis);
    for (const m of [1, 700, 2048, TABLE_KNOTS - 2]) {
      const r = m * h;
      smoothSwitch(r, c.rcutSmooth, c.rcut, sw);
      radialBasis(r, c.rcut, phi, dphi);
      const e = mlpForward(
        model.edgeEmbedding,
        phi.map((p) => p * sw[0]!),
      );
      for (let o = 0; o < c.eDim; o++) {
        const y = data[layout.table + m * 4 * Ep + o]!;
        expect(Math.abs(y - e[o]!)).toBeLessThan(1e-6 * (1 + Math.abs(e[o]!)));
        // Interval m − 1 ends where interval m starts.
        const before = layout.table + (m - 1) * 4 * Ep + o;
        expect(data[before]! + data[before + Ep]!).toBeCloseTo(y, 6);
      }
    }
  });
});

describe('GNN edge tiles', () => {
  const { layout } = packEdgeParams(model);

  it('takes the largest chunk of at most 8 rows that fits the workgroup storage, or none', () => {
    for (const pass of ['message', 'edgeBackward', 'pairGradient'] as const) {
      const layer = pass === 'edgeBackward' ? 1 : 0;
      expect(edgeTilePass(model, layout, pass, layer, 49152)!.rows).toBe(8);
      const small = edgeTilePass(model, layout, pass, layer, 1200);
      expect(small === null || small.rows < 8).toBe(true);
      expect(edgeTilePass(model, layout, pass, layer, 64)).toBeNull();
    }
    expect(edgeTilePass(model, layout, 'edgeBackward', 1, 49152)!.directions).toBe(2);
  });

  it('declares every workgroup buffer its stages use', () => {
    const { source } = edgeTilePass(model, layout, 'pairGradient', 0, 49152)!;
    const used = new Set([...source.matchAll(/\b(tile[A-Z][A-Za-z0-9]*)\[/g)].map((m) => m[1]));
    for (const name of used) expect(source).toContain(`var<workgroup> ${name}:`);
    expect(used).toContain('tileDe');
    expect(used).toContain('tileEb');
  });

  it('sizes the workgroup to cover the widest layer, in multiples of 32 from 64', () => {
    expect(edgeTileWorkgroup(model)).toBe(64);
    const wide = { ...model, config: { ...c, hidden: [100], eDim: 40 } };
    expect(edgeTileWorkgroup(wide)).toBe(128);
  });
});
