/**
 * Per-system statistics reduced on the GPU in two deterministic levels (kernels/reduce/): blocks of
 * WORKGROUP_SIZE atoms (never straddling systems), then one workgroup per system over its blocks.
 */
import type { SystemStats } from '../api.ts';
import { cellVolume } from '../cell.ts';
import type { BatchBuffers } from './buffers.ts';
import type { KernelSet } from './kernels.ts';
import { CONTROL_WORDS, STATISTICS_FLOATS } from './layout.ts';

/** Statistics and the control words, read back together. */
export interface StatisticsReadback {
  stats: SystemStats;
  /** rebuild requested, rebuild count, longest overflowing row, 0. */
  control: Uint32Array;
}

export class GpuStatistics {
  private readonly partials: GPUBuffer;
  private readonly staging: GPUBuffer;
  private readonly blocksGroup: GPUBindGroup;
  private readonly systemsGroup: GPUBindGroup;
  private readonly statisticsBytes: number;
  /** Cell volume per system, Å³. */
  private volumes: Float64Array;

  /** `cells`: 9 per system (the batch's cells), for the stress −W / V. */
  constructor(
    private readonly kernels: KernelSet,
    private readonly b: BatchBuffers,
    cells: Float64Array,
  ) {
    this.volumes = GpuStatistics.volumesOf(cells, b.nSystems);
    this.statisticsBytes = 4 * STATISTICS_FLOATS * b.nSystems;
    this.partials = kernels.createBuffer('statistics partials', 48 * b.blockCapacity, GPUBufferUsage.STORAGE);
    this.staging = kernels.device.createBuffer({
      label: 'statistics readback',
      size: this.statisticsBytes + 4 * CONTROL_WORDS,
      usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST,
    });
    this.blocksGroup = kernels.bindGroup('statisticsBlocks', [
      b.positions,
      b.velocities,
      b.forces,
      b.virials,
      b.blocks,
      this.partials,
    ]);
    this.systemsGroup = kernels.bindGroup('statisticsSystems', [this.partials, b.systems, b.statistics]);
  }

  /** Takes the cells of a reloaded batch (9 per system), for the stress. */
  setCells(cells: Float64Array): void {
    this.volumes = GpuStatistics.volumesOf(cells, this.b.nSystems);
  }

  private static volumesOf(cells: Float64Array, nSystems: number): Float64Array {
    return Float64Array.from({ length: nSystems }, (_, s) => cellVolume(cells.subarray(9 * s, 9 * s + 9)));
  }

  /** Encodes both reduction levels and the copy of statistics and control words to the staging buffer. */
  encode(encoder: GPUCommandEncoder): void {
    const k = this.kernels;
    const pass = encoder.beginComputePass({ label: 'statistics' });
    if (this.b.blockCount > 0) {
      pass.setPipeline(k.pipeline('statisticsBlocks'));
      pass.setBindGroup(0, this.blocksGroup);
      pass.dispatchWorkgroups(this.b.blockCount);
    }
    pass.setPipeline(k.pipeline('statisticsSystems'));
    pass.setBindGroup(0, this.systemsGroup);
    pass.dispatchWorkgroups(this.b.nSystems);
    pass.end();
    encoder.copyBufferToBuffer(this.b.statistics, 0, this.staging, 0, this.statisticsBytes);
    encoder.copyBufferToBuffer(this.b.control, 0, this.staging, this.statisticsBytes, 4 * CONTROL_WORDS);
  }

  /** Maps the staging buffer written by the last submitted `encode`. */
  async read(): Promise<StatisticsReadback> {
    await this.staging.mapAsync(GPUMapMode.READ);
    const data = this.staging.getMappedRange().slice(0);
    this.staging.unmap();
    const f = new Float32Array(data, 0, STATISTICS_FLOATS * this.b.nSystems);
    const control = new Uint32Array(data, this.statisticsBytes, CONTROL_WORDS);
    const ns = this.b.nSystems;
    const stress = new Float64Array(9 * ns);
    const stats: SystemStats = {
      potentialEnergy: new Float64Array(ns),
      kineticEnergy: new Float64Array(ns),
      temperature: new Float64Array(ns),
      maxForce: new Float64Array(ns),
      virial: new Float64Array(9 * ns),
      stress,
    };
    for (let s = 0; s < ns; s++) {
      const o = STATISTICS_FLOATS * s;
      stats.potentialEnergy[s] = f[o]!;
      stats.kineticEnergy[s] = f[o + 1]!;
      stats.temperature[s] = f[o + 2]!;
      stats.maxForce[s] = f[o + 3]!;
      const volume = this.volumes[s]!;
      for (let c = 0; c < 9; c++) {
        const w = f[o + 4 + c]!;
        stats.virial[9 * s + c] = w;
        stress[9 * s + c] = volume > 0 ? -w / volume : Number.NaN;
      }
    }
    return { stats, control: control.slice() };
  }

  destroy(): void {
    this.partials.destroy();
    this.staging.destroy();
  }
}
