/**
 * The per-edge passes of the GNN pair path (message, edge backward, pair gradient) as
 * workgroup-cooperative tiles (kernels/gnn/pair/common.wgsl): one workgroup takes one atom i and
 * walks its edges in chunks of ROWS rows held in workgroup memory; every stage is a matrix product
 * over the chunk in which thread t computes output channel o = t mod D for the rows of its lane,
 * with its column of the weights in registers. Each weight read from memory then serves a whole chunk,
 * each input value is one broadcast read for all D threads, and no thread keeps a vector of its own
 * (the per-thread chains these replace kept H- and E-wide vectors per thread and spilled).
 *
 * This file packs what the passes read (`edgeParams`: the edge matrices input-major, their
 * transposes, the edge-embedding table and the node-side matrices of the edge backward) and generates
 * each pass's stage sequence, straight-line over the model's layers with every offset inlined.
 */
import type { GnnLinear, GnnModel } from '../../io/gnnWeights.ts';
import { radialBasis, smoothSwitch } from '../reference/gnnMlp.ts';

const vec4s = (n: number) => Math.ceil(n / 4);

/** Knots of the edge-embedding table over [0, rcut] (pair/common.wgsl embedValue). */
export const TABLE_KNOTS = 4096;

/**
 * The edge embedding e⁰(r) = MLP_embed(φ(r)·s(r)) and de⁰/dr at TABLE_KNOTS knots r_m = m·h,
 * h = rcut / (TABLE_KNOTS − 1), in f64 (forward mode through the MLP), as the f32 intervals of
 * pair/common.wgsl's cubic Hermite interpolation: [interval m][y_m, y_(m+1) − y_m, h·y′_m,
 * h·y′_(m+1)][4·E4]. Interpolation error is far below f32 rounding (knots 1.3e-3 Å apart at
 * rcut 5.5 Å, against Gaussians rcut/(nBasis − 1) wide).
 */
export function embeddingTable(model: GnnModel): Float32Array<ArrayBuffer> {
  const c = model.config;
  const e4 = 4 * vec4s(c.eDim);
  const h = c.rcut / (TABLE_KNOTS - 1);
  const phi = new Float64Array(c.nBasis);
  const dphi = new Float64Array(c.nBasis);
  const sw = new Float64Array(2);
  const [l1, l2] = model.edgeEmbedding as [GnnLinear, GnnLinear];
  const x = new Float64Array(c.nBasis);
  const dx = new Float64Array(c.nBasis);
  const a = new Float64Array(l1.nOut);
  const da = new Float64Array(l1.nOut);
  const values = new Float64Array(TABLE_KNOTS * e4);
  const slopes = new Float64Array(TABLE_KNOTS * e4);
  for (let m = 0; m < TABLE_KNOTS; m++) {
    const r = m * h;
    smoothSwitch(r, c.rcutSmooth, c.rcut, sw);
    radialBasis(r, c.rcut, phi, dphi);
    for (let k = 0; k < c.nBasis; k++) {
      x[k] = phi[k]! * sw[0]!;
      dx[k] = dphi[k]! * sw[0]! + phi[k]! * sw[1]!;
    }
    for (let o = 0; o < l1.nOut; o++) {
      let z = l1.bias[o]!;
      let dz = 0;
      for (let k = 0; k < l1.nIn; k++) {
        z += l1.weight[o * l1.nIn + k]! * x[k]!;
        dz += l1.weight[o * l1.nIn + k]! * dx[k]!;
      }
      const sig = 1 / (1 + Math.exp(-z));
      a[o] = z * sig;
      da[o] = sig * (1 + z * (1 - sig)) * dz;
    }
    for (let o = 0; o < l2.nOut; o++) {
      let e = l2.bias[o]!;
      let de = 0;
      for (let k = 0; k < l2.nIn; k++) {
        e += l2.weight[o * l2.nIn + k]! * a[k]!;
        de += l2.weight[o * l2.nIn + k]! * da[k]!;
      }
      values[m * e4 + o] = e;
      slopes[m * e4 + o] = de * h;
    }
  }
  const table = new Float32Array((TABLE_KNOTS - 1) * 4 * e4);
  for (let m = 0; m + 1 < TABLE_KNOTS; m++) {
    for (let o = 0; o < e4; o++) {
      const at = m * 4 * e4 + o;
      table[at] = values[m * e4 + o]!;
      table[at + e4] = values[(m + 1) * e4 + o]! - values[m * e4 + o]!;
      table[at + 2 * e4] = slopes[m * e4 + o]!;
      table[at + 3 * e4] = slopes[(m + 1) * e4 + o]!;
    }
  }
  return table;
}

/**
 * Offsets (f32 words) in `edgeParams`. Matrices are input-major: row q holds the outputs of input q,
 * inputs and outputs zero-padded to multiples of 4 (E_p, H_p), so the thread of output o reads
 * column o and neighboring threads read neighboring words.
 */
export interface EdgeParamLayout {
  /** Per layer: the e-columns of the message MLP's first layer (E_p × H_p), and its transpose. */
  message: number[];
  messageT: number[];
  /** Per layer but the last: the e-columns of the edge MLP's first layer, and its transpose. */
  edge: number[];
  edgeT: number[];
  /** Per layer but the last: the edge MLP's output layer (H_p × E_p), its bias, and its transpose. */
  edgeOut: number[];
  edgeOutBias: number[];
  edgeOutT: number[];
  /**
   * Per layer, parts 0–3 (the n_c and n_nb columns of the message MLP's first layer, then of the edge
   * MLP's; −1 where the layer has none): H_p × nDim, for n̄ += W_cᵀ h̄ (edge_backward.wgsl).
   */
  node: number[][];
  /** The edge-embedding table ({@link embeddingTable}). */
  table: number;
  /** Words in all. */
  length: number;
}

/** Packs `edgeParams` ({@link EdgeParamLayout}). */
export function packEdgeParams(model: GnnModel): {
  data: Float32Array<ArrayBuffer>;
  layout: EdgeParamLayout;
} {
  const c = model.config;
  const values: number[] = [];
  /**
   * Columns [from, from + count) of `lin` as an input-major matrix (count inputs × nOut outputs), or
   * with `transpose` the transposed map (nOut inputs × count outputs); padded to `pad` (4) each way.
   */
  const matrix = (lin: GnnLinear, from: number, count: number, transpose: boolean, pad = 4) => {
    const at = values.length;
    const up = (n: number) => pad * Math.ceil(n / pad);
    const [rows, columns] = transpose ? [lin.nOut, count] : [count, lin.nOut];
    for (let a = 0; a < up(rows); a++) {
      for (let b = 0; b < up(columns); b++) {
        const [q, o] = transpose ? [b, a] : [a, b];
        values.push(q < count && o < lin.nOut ? lin.weight[o * lin.nIn + from + q]! : 0);
      }
    }
    return at;
  };
  const layout: EdgeParamLayout = {
    message: [],
    messageT: [],
    edge: [],
    edgeT: [],
    edgeOut: [],
    edgeOutBias: [],
    edgeOutT: [],
    node: [],
    table: 0,
    length: 0,
  };
  for (const layer of model.layers) {
    const first = layer.message[0]!;
    layout.message.push(matrix(first, 2 * c.nDim, c.eDim, false));
    layout.messageT.push(matrix(first, 2 * c.nDim, c.eDim, true));
    const node = [matrix(first, 0, c.nDim, true, 1), matrix(first, c.nDim, c.nDim, true, 1)];
    if (layer.edge) {
      const [edgeIn, edgeOut] = layer.edge as [GnnLinear, GnnLinear];
      layout.edge.push(matrix(edgeIn, 2 * c.nDim, c.eDim, false));
      layout.edgeT.push(matrix(edgeIn, 2 * c.nDim, c.eDim, true));
      layout.edgeOut.push(matrix(edgeOut, 0, edgeOut.nIn, false));
      layout.edgeOutBias.push(values.length);
      for (let o = 0; o < 4 * vec4s(edgeOut.nOut); o++) values.push(o < edgeOut.nOut ? edgeOut.bias[o]! : 0);
      layout.edgeOutT.push(matrix(edgeOut, 0, edgeOut.nIn, true));
      node.push(matrix(edgeIn, 0, c.nDim, true, 1), matrix(edgeIn, c.nDim, c.nDim, true, 1));
    } else {
      node.push(-1, -1);
    }
    layout.node.push(node);
  }
  layout.table = values.length;
  const table = embeddingTable(model);
  layout.length = values.length + table.length;
  const data = new Float32Array(layout.length);
  data.set(values);
  data.set(table, layout.table);
  return { data, layout };
}

/** The per-edge passes. */
export type EdgeTilePass = 'message' | 'edgeBackward' | 'pairGradient';

/** Shape of one compiled per-edge pass. */
export interface EdgeTileShape {
  /** Threads per workgroup. */
  workgroup: number;
  /** Rows per chunk (workgroup memory holds the chunk). */
  rows: number;
  /** Rows per pair: 1 (the edge i → j), or 2 (i → j and j → i: the edge backward). */
  directions: number;
  /** The generated WGSL (prelude constants, workgroup buffers, tileChunk). */
  source: string;
}

/** Threads per workgroup of the tile passes for a model: a multiple of 32 ≥ 64 covering H_p and E_p. */
export function edgeTileWorkgroup(model: GnnModel): number {
  const c = model.config;
  const widest = Math.max(4 * vec4s(c.hidden[0]!), 4 * vec4s(c.eDim));
  return Math.max(64, 32 * Math.ceil(widest / 32));
}

/** Rows each thread of a stage takes at a time (2 and 8 were slower on an H100). */
const UNROLL = 4;

/**
 * Largest chunk the passes use. Fewer rows per chunk mean more weight reads per multiply-add, more
 * rows less workgroup memory for other workgroups: on an H100 at 32,000 atoms 8 rows took 23 ms per
 * evaluation, 4 rows 24 ms, 16 rows 31 ms and 32 rows 55 ms.
 */
const MAX_ROWS = 8;

/**
 * WGSL of per-edge pass `pass` for `layer` (message: the layer's message sums; edgeBackward: the
 * layer's edge contributions to n̄; pairGradient: r̄ of every edge), with the largest chunk that
 * fits `workgroupStorage` bytes; null when not even one row fits.
 */
export function edgeTilePass(
  model: GnnModel,
  layout: EdgeParamLayout,
  pass: EdgeTilePass,
  layer: number,
  workgroupStorage: number,
): EdgeTileShape | null {
  const c = model.config;
  const L = c.nLayers;
  const Ep = 4 * vec4s(c.eDim);
  const Hp = 4 * vec4s(c.hidden[0]!);
  const WG = edgeTileWorkgroup(model);
  const u = (v: number) => `${v}u`;
  const buffers = new Map<string, number>();
  /** A workgroup buffer of `width` floats per row, declared on first use. */
  const buf = (name: string, width: number) => {
    buffers.set(name, width);
    return name;
  };
  // ē (tileEb) takes the buffer of e^(L−1), which nothing reads after ē's first stage.
  const X = (k: number) => buf(k === L - 1 && pass !== 'message' ? 'tileEb' : `tileX${k}`, Ep);
  const S = (k: number) => buf(`tileS${k}`, Hp);
  const A = () => buf('tileA', Hp);
  const Z = () => buf('tileZ', Hp);
  const Eb = () => buf('tileEb', Ep);
  const widthOf = (name: string) => buffers.get(name)!;
  /** This thread's element (row e, output o) of a buffer, and a store into it. */
  const own = (name: string) => `${name}[e * ${u(widthOf(name) / 4)} + o / 4u][o % 4u]`;
  const put = (name: string, value: string) =>
    `putLane(&${name}[e * ${u(widthOf(name) / 4)} + o / 4u], o % 4u, ${value});`;

  interface Input {
    from: string;
    /** Offset of the input-major matrix in edgeParams. */
    at: number;
  }
  let partials = 0;
  /**
   * The unrolled row loop of one thread: acc = init + Σ_q W[q][o] x[e][q] over the vec4 inputs `terms`
   * (input buffer, matrix offset, vec4 index k), for rows e0, e0 + step, …, UNROLL at a time: their
   * loads (inputs, per-row init) are in flight together and their multiply-add chains independent.
   * Rows past the chunk are computed (clamped) but not stored. `emit(r)`: the lines for row e_r.
   */
  const rowLoop = (
    dp: number,
    terms: { from: string; at: number; k: number }[],
    first: string,
    step: number,
    init: string,
    emit: (r: number) => string[],
  ): string[] => {
    const lines: string[] = [];
    terms.forEach(({ at, k }, n) => {
      const w = (q: number) => `edgeParams[${u(at + q * dp)} + o]`;
      lines.push(`let w${n} = vec4f(${w(4 * k)}, ${w(4 * k + 1)}, ${w(4 * k + 2)}, ${w(4 * k + 3)});`);
    });
    const rowsAt = Array.from({ length: UNROLL }, (_, r) => r);
    lines.push(`for (var e0 = ${first}; e0 < rows; e0 += ${u(UNROLL * step)}) {`);
    for (const r of rowsAt) {
      lines.push(
        r === 0 ? '  let e_0 = e0;' : `  let e_${r} = min(e0 + ${u(r * step)}, rows - 1u);`,
        `  var a${r}: f32;`,
        `  { let e = e_${r}; a${r} = ${init}; }`,
      );
    }
    terms.forEach(({ from, k }, n) => {
      const k4 = widthOf(from) / 4;
      for (const r of rowsAt) {
        const a = `a${r}`;
        lines.push(
          `  { let x = ${from}[e_${r} * ${u(k4)} + ${u(k)}]; ${a} = fma(x.x, w${n}.x, ${a}); ${a} = fma(x.y, w${n}.y, ${a}); ${a} = fma(x.z, w${n}.z, ${a}); ${a} = fma(x.w, w${n}.w, ${a}); }`,
        );
      }
    });
    for (const r of rowsAt) {
      lines.push(`  if (e0 + ${u(r * step)} < rows) {`, ...emit(r).map((line) => `    ${line}`), '  }');
    }
    lines.push('}');
    return lines;
  };
  const indent = (lines: string[], depth: number) => lines.map((line) => `${'  '.repeat(depth)}${line}`);
  /**
   * One stage: out[e][o] = init + Σ_inputs Σ_q W[q][o] in[e][q] for every row e of the chunk, then
   * `body` (with `acc`, `e`, `o`). Thread t takes output o = t mod D_p. When D_p leaves room for more
   * than one lane per output, the lanes split the rows of a stage of one input; in a stage of several
   * inputs they split the inputs instead (each lane holds its share of the weights, so no thread needs
   * registers for all of them, and takes every row), and their partial sums meet in workgroup memory.
   * (Splitting the inputs of every stage was slower on an H100: the extra barrier and partial sums
   * cost more than the weight reads they save.)
   */
  const stage = (
    out: 'E' | 'H',
    inputs: Input[],
    init: string,
    body: string[],
    prologue: string[] = [],
  ): string[] => {
    const dp = out === 'E' ? Ep : Hp;
    const lanes = Math.floor(WG / dp);
    const terms = inputs.flatMap((input) =>
      Array.from({ length: widthOf(input.from) / 4 }, (_, k) => ({ from: input.from, at: input.at, k })),
    );
    const lines = ['  {', `    let o = tid % ${u(dp)};`, `    let lane = tid / ${u(dp)};`];
    if (lanes === 1 || inputs.length === 1) {
      lines.push(
        `    if (lane < ${u(lanes)}) {`,
        ...indent(prologue, 3),
        ...indent(
          rowLoop(dp, terms, 'lane', lanes, init, (r) => [`let e = e_${r};`, `let acc = a${r};`, ...body]),
          3,
        ),
        '    }',
      );
    } else {
      partials = Math.max(partials, lanes * dp);
      const share = Math.ceil(terms.length / lanes);
      for (let lane = 0; lane < lanes && lane * share < terms.length; lane++) {
        lines.push(
          `    ${lane === 0 ? '' : 'else '}if (lane == ${u(lane)}) {`,
          ...indent(
            rowLoop(dp, terms.slice(lane * share, (lane + 1) * share), '0u', 1, '0.0', (r) => [
              `tilePartial[(${u(lane)} * ROWS + e_${r}) * ${u(dp)} + o] = a${r};`,
            ]),
            3,
          ),
          '    }',
        );
      }
      const used = Math.ceil(terms.length / share);
      const sum = Array.from(
        { length: used },
        (_, lane) => `tilePartial[(${u(lane)} * ROWS + e) * ${u(dp)} + o]`,
      );
      // The sums keep the thread ↔ output map of the stages (o = t mod D_p): a body may accumulate.
      lines.push(
        '    workgroupBarrier();',
        `    for (var e = lane; lane < ${u(lanes)} && e < rows; e += ${u(lanes)}) {`,
        ...indent(prologue, 3),
        `      let acc = ${[...(init === '0.0' ? [] : [init]), ...sum].join(' + ')};`,
        ...indent(body, 3),
        '    }',
      );
    }
    lines.push('    workgroupBarrier();', '  }');
    return lines;
  };
  /** P_c + Q_nb of part `part` (0 message, 2 edge MLP) of layer k for row e. */
  const pq = (k: number, part: number) =>
    `projection(${u(k)}, ${u(part)}, rowC[e], o) + projection(${u(k)}, ${u(part + 1)}, rowNb[e], o)`;

  /**
   * e⁰ … e^upTo of every row, with silu′ of the edge MLPs' pre-activations from layer `slopesFrom` on
   * (and de⁰/dr in tileDe `withSlope`).
   */
  const forward = (upTo: number, slopesFrom: number, withSlope = false) => {
    const E4 = u(Ep / 4);
    const lines = [
      `  for (var idx = tid; idx < rows * ${E4}; idx += ${u(WG)}) {`,
      `    let embedding = embedAt(rowR[idx / ${E4}], idx % ${E4});`,
      `    ${X(0)}[idx] = embedding.e;`,
      ...(withSlope ? [`    ${buf('tileDe', Ep)}[idx] = embedding.de;`] : []),
      '  }',
      '  workgroupBarrier();',
    ];
    for (let k = 0; k < upTo; k++) {
      const slopes = k >= slopesFrom;
      A();
      if (slopes) S(k);
      lines.push(
        ...stage('H', [{ from: X(k), at: layout.edge[k]! }], pq(k, 2), [
          'let sig = 1.0 / (1.0 + exp(-acc));',
          put(A(), 'acc * sig'),
          ...(slopes ? [put(S(k), 'sig * (1.0 + acc * (1.0 - sig))')] : []),
        ]),
      );
      X(k + 1);
      lines.push(
        ...stage(
          'E',
          [{ from: A(), at: layout.edgeOut[k]! }],
          `${own(X(k))} + bias`,
          [put(X(k + 1), 'acc')],
          [`let bias = edgeParams[${u(layout.edgeOutBias[k]!)} + o];`],
        ),
      );
    }
    return lines;
  };

  const shareOf = (k: number) => (k === L - 1 ? Z() : S(k));
  /**
   * Backward from the last layer down to `down`: ē = ∂E/∂e^down in tileEb, or at `down` the direction
   * sums of h̄ (edge backward, `sums`); with `withT` the switch's share Σ_l G_l·silu(h_l) in rowT.
   */
  const backward = (down: number, sums: boolean, withT: boolean) => {
    const lines: string[] = [];
    for (let k = L - 1; k >= down; k--) {
      const last = sums && k === down;
      if (k < L - 1) {
        const dz = `${own(S(k))} * acc`;
        lines.push(
          ...stage(
            'H',
            [{ from: Eb(), at: layout.edgeOutT[k]! }],
            '0.0',
            last ? [`if (rowDir[e] == 0u) { eOut += ${dz}; } else { eIn += ${dz}; }`] : [put(Z(), dz)],
          ),
        );
      }
      const dhBody = [
        'let sig = 1.0 / (1.0 + exp(-acc));',
        `let g = gateAt(${u(k)}, rowC[e], o);`,
        'let dh = rowS[e] * sig * (1.0 + acc * (1.0 - sig)) * g;',
        ...(last ? ['if (rowDir[e] == 0u) { mOut += dh; } else { mIn += dh; }'] : [put(A(), 'dh')]),
        // The switch's share G·silu(h), summed over channels into rowT below, goes where nothing
        // lives now: tileZ in the last layer, before dz uses it; tileS_k, after dz_k read it.
        ...(withT ? [put(shareOf(k), 'g * acc * sig')] : []),
      ];
      lines.push(...stage('H', [{ from: X(k), at: layout.message[k]! }], pq(k, 0), dhBody));
      const reduceShare = withT
        ? [
            `  for (var e = tid; e < rows; e += ${u(WG)}) {`,
            '    var t = 0.0;',
            `    for (var q = 0u; q < ${u(Hp / 4)}; q++) {`,
            `      t += dot(${shareOf(k)}[e * ${u(Hp / 4)} + q], vec4f(1.0));`,
            '    }',
            `    rowT[e] ${k === L - 1 ? '=' : '+='} t;`,
            '  }',
            '  workgroupBarrier();',
          ]
        : [];
      if (last) {
        lines.push(...reduceShare);
        continue;
      }
      const inputs = [{ from: A(), at: layout.messageT[k]! }];
      if (k < L - 1) inputs.push({ from: Z(), at: layout.edgeT[k]! });
      lines.push(...stage('E', inputs, k === L - 1 ? '0.0' : own(Eb()), [put(Eb(), 'acc')]), ...reduceShare);
    }
    return lines;
  };

  let body: string[];
  let returns = '';
  let directions = 1;
  let result: string[] = [];
  if (pass === 'message') {
    body = [
      '  var sum = 0.0;',
      ...forward(layer, L),
      ...stage('H', [{ from: X(layer), at: layout.message[layer]! }], pq(layer, 0), [
        'sum += rowS[e] * acc / (1.0 + exp(-acc));',
      ]),
      '  return sum;',
    ];
    returns = ' -> f32';
  } else if (pass === 'edgeBackward') {
    directions = 2;
    body = [
      '  var mOut = 0.0;',
      '  var mIn = 0.0;',
      '  var eOut = 0.0;',
      '  var eIn = 0.0;',
      ...forward(L - 1, layer),
      ...backward(layer, true, false),
      '  return EdgeSums(mOut, mIn, eOut, eIn);',
    ];
    returns = ' -> EdgeSums';
    result = [
      "/// This thread's sums of h̄ over the chunk: message MLP, edge MLP; edges i → j, j → i.",
      'struct EdgeSums { mOut: f32, mIn: f32, eOut: f32, eIn: f32 }',
      '',
    ];
  } else {
    body = [...forward(L - 1, 0, true), ...backward(0, false, true)];
    result = [
      '/// Per row: Σ_l G_l · silu(h_l) (∂E/∂s but the c_l).',
      'var<workgroup> rowT: array<f32, ROWS>;',
      '',
    ];
  }
  const perRow = 4 * [...buffers.values()].reduce((a, b) => a + b, 0) + 4 * 7 + 4 * partials;
  // laneSums (message, edge backward) and the edge backward's hbar (kernels/gnn/pair/*.wgsl).
  const fixed = 4 * 4 * WG + (pass === 'edgeBackward' ? 4 * 4 * Hp : 0);
  let rows = MAX_ROWS;
  while (rows >= 1 && rows * perRow + fixed > workgroupStorage) rows = Math.floor(rows / 2);
  if (rows < 1) return null;
  const source = [
    `const TILE_WG: u32 = ${u(WG)};`,
    `const ROWS: u32 = ${u(rows)};`,
    `const DIRECTIONS: u32 = ${u(directions)};`,
    `const EP: u32 = ${u(Ep)};`,
    `const HP: u32 = ${u(Hp)};`,
    `const TABLE: u32 = ${u(layout.table)};`,
    `const HAS_EDGE_MLP: bool = ${layer < L - 1};`,
    `const NODE_PARAMS = array<u32, 4>(${(layout.node[layer] ?? [-1, -1, -1, -1]).map((v) => u(Math.max(v, 0))).join(', ')});`,
    ...[...buffers].map(([name, width]) => `var<workgroup> ${name}: array<vec4f, ${u(rows * (width / 4))}>;`),
    ...(partials ? [`var<workgroup> tilePartial: array<f32, ${u(rows * partials)}>;`] : []),
    ...result,
    `fn tileChunk(rows: u32, tid: u32)${returns} {`,
    ...body,
    '}',
  ].join('\n');
  return { workgroup: WG, rows, directions, source };
}
