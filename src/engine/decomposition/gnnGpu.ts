/**
 * The GNN on a rank of a decomposition on WebGPU (DESIGN §5–6): the kernels of gpu/gnn.ts over the
 * rank's owned + ghost rows (one non-periodic system of a {@link RankEngine}), encoded stage by
 * stage with the exchanges of decomposition/gnn.ts (the f64 twin) between them:
 *
 *   submit 1  neighbour list, edges, n⁰ (ghosts get their type's embedding, as the exchange would
 *             give them), layer 0                                 → read back n¹ (all rows)
 *   host      owned rows of n^l → `rank.forward(n, nDim)` → ghost rows of the slab uploaded
 *   submit l  layer l (l = 1 … L−1), then readout; the seam zeroes the ghosts' n̄ (ghosts are not
 *             centres: their own readout must not flow back), backward layer L−1 → read back n̄
 *   host      ghost rows of n̄ → `rank.reverse(n̄, nDim)` → what the owners received uploaded
 *   submit    the seam adds it into the owned rows and zeroes the ghost rows; backward layer l−1 …
 *             (after layer 0 no exchange: ∂E/∂n⁰ feeds nothing); forces → read back forces, energies
 *             and per-atom virials of every row
 *   host      `rank.reverse(forces, 3)`, `rank.reverse(atomVirial, 6)`: the ghosts' shares of the
 *             owned centres' edges go home; energies and the virial share from the owned rows.
 *
 * Ghost-centred edges are computed by the kernels but carry nothing: with n̄ zero on ghost rows at
 * the start of every backward layer their messages, edge features and pair gradients get zero
 * gradient, so forces and n̄ come only from owned centres' edges. Per compute: 2L − 1 GPU round
 * trips (readbacks), L − 1 forward exchanges of node features, L − 1 reverse exchanges of their
 * gradients, and the reverse exchanges of forces (and, with `request.virial`, per-atom virials).
 * A rank without visible owned atoms does no GPU work but joins every exchange with zeros.
 */
import type { GnnModel } from '../../io/gnnWeights.ts';
import { checkElements } from '../../io/gnnWeights.ts';
import type { GnnSpec } from '../../io/spec.ts';
import type { WebGpuEngine } from '../gpu/engine.ts';
import { createGnnRankSeam, type GpuGnnRankSeam, isGpuGnn } from '../gpu/gnn.ts';
import type { ForceRequest } from './forceField.ts';
import { gnnVisibility } from './gnn.ts';
import { type GpuForceFieldOptions, type GpuRankForceField, RankEngine } from './gpuForces.ts';
import { addAtomVirial, emptyLocalForces, type LocalForces } from './localForces.ts';
import type { DomainRank } from './rank.ts';

/**
 * The GNN of `potential` as the force field of a rank on `device` (createGpuForceField's 'gnn'
 * case): `options.gnnModel` the weights, `options.skin` the GPU list's skin (Å), and the test-only
 * `options.backwardExchange` (false skips every reverse exchange — feature gradients, forces,
 * per-atom virials — and drops the ghosts' shares, to show that parity needs them). Throws without
 * a model, and (naming them) for elements the model lacks.
 */
export function createGpuGnnForceField(
  device: GPUDevice,
  potential: GnnSpec,
  options: GpuForceFieldOptions,
): GpuRankForceField {
  const given = options.gnnModel;
  if (!given) throw new Error(`a GNN potential needs its model (parseGnnWeights of ${potential.model})`);
  const model: GnnModel = given;
  const c = model.config;
  const typeMap = checkElements(model, potential.elements);
  const visible = gnnVisibility(model, typeMap);
  const exchange = options.backwardExchange ?? true;
  const label = 'gnn (webgpu)';
  const rows = new RankEngine(device, potential, {
    skin: options.skin,
    visible,
    gnnModel: model,
    initialCapacity: options.initialCapacity,
  });
  let seam: GpuGnnRankSeam | null = null;
  let seamEngine: WebGpuEngine | null = null;

  /** The rank's exchanges with nothing of its own to give (every rank joins every exchange). */
  async function idle(rank: DomainRank, request: ForceRequest): Promise<void> {
    const nAll = rank.nAll;
    for (let l = 1; l < c.nLayers; l++) await rank.forward(new Float64Array(nAll * c.nDim), c.nDim);
    if (!exchange) return;
    for (let l = c.nLayers - 1; l > 0; l--) await rank.reverse(new Float64Array(nAll * c.nDim), c.nDim);
    await rank.reverse(new Float64Array(3 * nAll), 3);
    if (request.virial) await rank.reverse(new Float64Array(6 * nAll), 6);
  }

  async function work(rank: DomainRank, request: ForceRequest, out: LocalForces): Promise<void> {
    const engine = await rows.upload(rank);
    const gnn = engine.gpuPotential;
    if (!isGpuGnn(gnn)) throw new Error(`expected the GNN potential, got ${gnn.label}`);
    if (seamEngine !== engine) {
      seam?.destroy();
      seam = await createGnnRankSeam(device, gnn, model, engine.buffers);
      seamEngine = engine;
    }
    const s: GpuGnnRankSeam = seam!;
    s.setOwned(rank.nLocal);
    const { nLocal, nAll } = rank;
    const n = rows.capacity;
    const d = c.nDim;
    const L = c.nLayers;
    const slab = 4 * n * d;
    const results = [
      { buffer: engine.buffers.forces, offset: 0, bytes: 16 * n },
      { buffer: engine.buffers.virials, offset: 0, bytes: 32 * n },
    ];
    /** Readout, the seam that zeroes the ghosts' n̄, the last backward layer (and with L = 1 forces). */
    const encodeTurn = (encoder: GPUCommandEncoder) => {
      gnn.encodeStage(encoder, { stage: 'readout' });
      s.encode(encoder, false);
      gnn.encodeStage(encoder, { stage: 'backward', layer: L - 1 });
      if (L === 1) gnn.encodeStage(encoder, { stage: 'forces' });
    };

    // Submit 1, again after a neighbour-list overflow (before any exchange): list, edges, n⁰, layer 0.
    let first: { order: Uint32Array; data: ArrayBuffer[] } | null = null;
    while (!first) {
      const encoder = engine.begin('rank gnn: list, layer 0');
      engine.encodeNeighbors(encoder);
      gnn.encodeStage(encoder, { stage: 'start' });
      gnn.encodeStage(encoder, { stage: 'layer', layer: 0 });
      if (L === 1) encodeTurn(encoder);
      // readRows copies from offset 0: layers 0 and 1 of the node features, n¹ second.
      first = await engine.readRows(
        encoder,
        L > 1 ? [{ buffer: gnn.nodeFeatureBuffer, bytes: 2 * slab }] : results,
      );
    }
    const order = first.order;
    let data = L > 1 ? [first.data[0]!.slice(slab)] : first.data;

    // Forward: before layer l ≥ 1, the ghosts' n^l from their owners.
    for (let l = 1; l < L; l++) {
      const values = new Float32Array(data[0]!);
      const n64 = new Float64Array(nAll * d);
      for (let k = 0; k < n; k++) {
        const i = order[k]!;
        if (i < nLocal) for (let q = 0; q < d; q++) n64[i * d + q] = values[k * d + q]!;
      }
      await rank.forward(n64, d);
      for (let k = 0; k < n; k++) {
        const i = order[k]!;
        if (i >= nLocal && i < nAll) for (let q = 0; q < d; q++) values[k * d + q] = n64[i * d + q]!;
      }
      device.queue.writeBuffer(gnn.nodeFeatureBuffer, l * slab, values);
      const encoder = engine.begin(`rank gnn: layer ${l}`);
      gnn.encodeStage(encoder, { stage: 'layer', layer: l });
      if (l + 1 < L) {
        data = await readBack(encoder, [
          { buffer: gnn.nodeFeatureBuffer, offset: (l + 1) * slab, bytes: slab },
        ]);
      } else {
        encodeTurn(encoder);
        data = await readBack(encoder, [{ buffer: gnn.nodeGradBuffer, offset: 0, bytes: slab }]);
      }
    }

    // Backward: after layer l ≥ 1, the ghosts' n̄ back to their owners.
    for (let l = L - 1; l >= 1; l--) {
      const values = new Float32Array(data[0]!);
      const received = new Float32Array(n * d);
      if (exchange) {
        const g64 = new Float64Array(nAll * d);
        for (let k = 0; k < n; k++) {
          const i = order[k]!;
          if (i >= nLocal && i < nAll) for (let q = 0; q < d; q++) g64[i * d + q] = values[k * d + q]!;
        }
        await rank.reverse(g64, d);
        for (let k = 0; k < n; k++) {
          const i = order[k]!;
          if (i < nLocal) for (let q = 0; q < d; q++) received[k * d + q] = g64[i * d + q]!;
        }
      }
      s.writeReceived(received);
      const encoder = engine.begin(`rank gnn: backward ${l - 1}`);
      s.encode(encoder, true);
      gnn.encodeStage(encoder, { stage: 'backward', layer: l - 1 });
      if (l > 1) {
        data = await readBack(encoder, [{ buffer: gnn.nodeGradBuffer, offset: 0, bytes: slab }]);
      } else {
        gnn.encodeStage(encoder, { stage: 'forces' });
        data = await readBack(encoder, results);
      }
    }

    // Forces, energies and per-atom virials of every row; the ghosts' shares go home.
    const forces = new Float32Array(data[0]!);
    const virials = new Float32Array(data[1]!);
    for (let k = 0; k < n; k++) {
      const i = order[k]!;
      if (i >= nAll || (!exchange && i >= nLocal)) continue;
      for (let a = 0; a < 3; a++) out.forces[3 * i + a] = forces[4 * k + a]!;
      if (i < nLocal) out.energies[i] = forces[4 * k + 3]!;
      if (!request.virial) continue;
      // Column-major on the GPU: (xx, yy, zz, xy) in row k, (xz, yz, 0, 0) in row n + k.
      const v = out.atomVirial;
      for (let q = 0; q < 4; q++) v[6 * i + q] = virials[4 * k + q]!;
      v[6 * i + 4] = virials[4 * (n + k)]!;
      v[6 * i + 5] = virials[4 * (n + k) + 1]!;
    }
    if (exchange) {
      await rank.reverse(out.forces, 3);
      if (request.virial) await rank.reverse(out.atomVirial, 6);
    }
  }

  /** Submits `encoder` with copies of byte ranges of buffers and reads them back in one mapAsync. */
  async function readBack(
    encoder: GPUCommandEncoder,
    sources: { buffer: GPUBuffer; offset: number; bytes: number }[],
  ): Promise<ArrayBuffer[]> {
    let size = 0;
    const at = sources.map((src) => {
      const o = size;
      size += Math.ceil(src.bytes / 16) * 16;
      return o;
    });
    const staging = device.createBuffer({
      label: 'gnn rank readback',
      size: Math.max(16, size),
      usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST,
    });
    sources.forEach((src, k) => {
      encoder.copyBufferToBuffer(src.buffer, src.offset, staging, at[k]!, src.bytes);
    });
    device.queue.submit([encoder.finish()]);
    await staging.mapAsync(GPUMapMode.READ);
    const all = staging.getMappedRange();
    const out = sources.map((src, k) => all.slice(at[k]!, at[k]! + src.bytes));
    staging.unmap();
    staging.destroy();
    return out;
  }

  return {
    label,
    cutoff: c.rcut,
    visible,
    rows,
    async compute(rank: DomainRank, request: ForceRequest): Promise<LocalForces> {
      if (c.rcut > rank.plan.ghostCutoff) {
        throw new Error(
          `${label}: cutoff ${c.rcut} Å exceeds the ghost cutoff ${rank.plan.ghostCutoff} Å of the decomposition`,
        );
      }
      const out = emptyLocalForces(rank.nAll);
      let any = false;
      for (let i = 0; i < rank.nLocal && !any; i++) any = visible(rank.type[i]!);
      if (!any) {
        await idle(rank, request);
        return out;
      }
      await work(rank, request, out);
      for (let i = 0; i < rank.nLocal; i++) out.energy += out.energies[i]!;
      if (request.virial) for (let i = 0; i < rank.nLocal; i++) addAtomVirial(out, i);
      return out;
    },
    destroy(): void {
      seam?.destroy();
      rows.destroy();
    },
  };
}
