/**
 * Pipelines and bind groups of the kernel passes. Every pipeline, module, buffer and bind group is
 * labelled, so validation errors name the culprit. All of them are created up front: nothing is
 * created per step.
 */
import { MAX_STATUS_CODE } from './layout.ts';
import { type PassName, passSource } from './shaders.ts';

/** Threads per workgroup of every pass (the `WORKGROUP_SIZE` override); a power of two. */
export const WORKGROUP_SIZE = 64;

/** Bytes between status-code slots of the code uniform (minUniformBufferOffsetAlignment). */
const CODE_SLOT_BYTES = 256;

/** Compiles passes once per device and hands out pipelines, buffers and bind groups. */
export class KernelSet {
  private readonly pipelines = new Map<PassName, GPUComputePipeline>();
  /** Compilations in flight, by pass. */
  private readonly compiling = new Map<PassName, Promise<void>>();
  private readonly codeBindGroups = new Map<string, GPUBindGroup>();
  private readonly codeBuffer: GPUBuffer;

  private constructor(readonly device: GPUDevice) {
    // One slot per status code, each holding its code: masked passes bind the slot of their code
    // (bind groups cached per pipeline and code), so a chunk may mix codes in one encoder.
    this.codeBuffer = this.createBuffer(
      'status codes',
      CODE_SLOT_BYTES * (MAX_STATUS_CODE + 1),
      GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST,
    );
    const codes = new Int32Array((CODE_SLOT_BYTES / 4) * (MAX_STATUS_CODE + 1));
    for (let c = 0; c <= MAX_STATUS_CODE; c++) codes[(CODE_SLOT_BYTES / 4) * c] = c;
    device.queue.writeBuffer(this.codeBuffer, 0, codes);
  }

  /** Compiles the given passes (in parallel) with the workgroup size as an override constant. */
  static async create(device: GPUDevice, names: readonly PassName[]): Promise<KernelSet> {
    const set = new KernelSet(device);
    await set.ensure(names);
    return set;
  }

  /**
   * Compiles those of `names` not compiled yet (in parallel); potentials call it for their own passes.
   * Concurrent calls (engines sharing the set) wait for one compilation per pass: a pass compiled
   * twice would leave bind groups made with the first pipeline's layout unusable with the second.
   */
  async ensure(names: readonly PassName[]): Promise<void> {
    const device = this.device;
    await Promise.all(
      names
        .filter((name) => !this.pipelines.has(name))
        .map((name) => {
          let compiling = this.compiling.get(name);
          if (!compiling) {
            compiling = (async () => {
              const module = device.createShaderModule({ label: name, code: passSource(name) });
              const pipeline = await device.createComputePipelineAsync({
                label: name,
                layout: 'auto',
                compute: { module, entryPoint: 'main', constants: { WORKGROUP_SIZE } },
              });
              this.pipelines.set(name, pipeline);
            })().finally(() => this.compiling.delete(name));
            this.compiling.set(name, compiling);
          }
          return compiling;
        }),
    );
  }

  pipeline(name: PassName): GPUComputePipeline {
    const p = this.pipelines.get(name);
    if (!p) throw new Error(`kernel pass ${name} was not compiled`);
    return p;
  }

  /** A labelled buffer (at least 16 bytes: empty bindings are not allowed). */
  createBuffer(label: string, size: number, usage: number): GPUBuffer {
    return this.device.createBuffer({ label, size: Math.max(16, Math.ceil(size / 4) * 4), usage });
  }

  /** A labelled buffer initialised with `data`. */
  createBufferWith(
    label: string,
    data: ArrayBufferView<ArrayBuffer> | ArrayBuffer,
    usage: number,
  ): GPUBuffer {
    const bytes =
      data instanceof ArrayBuffer
        ? new Uint8Array(data)
        : new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    const buffer = this.createBuffer(label, bytes.byteLength, usage | GPUBufferUsage.COPY_DST);
    this.device.queue.writeBuffer(buffer, 0, bytes);
    return buffer;
  }

  /** Bind group 0 of a pass: binding k is resources[k]. */
  bindGroup(name: PassName, resources: readonly GPUBuffer[]): GPUBindGroup {
    return this.device.createBindGroup({
      label: name,
      layout: this.pipeline(name).getBindGroupLayout(0),
      entries: resources.map((buffer, binding) => ({ binding, resource: { buffer } })),
    });
  }

  /** Bind group 1 of a masked pass: the uniform slot holding `code`. */
  statusCodeBindGroup(name: PassName, code: number): GPUBindGroup {
    if (!Number.isInteger(code) || code < 0 || code > MAX_STATUS_CODE) {
      throw new Error(
        `status code ${code} is out of range: masked updates support codes 0..${MAX_STATUS_CODE}`,
      );
    }
    const key = `${name}:${code}`;
    let group = this.codeBindGroups.get(key);
    if (!group) {
      group = this.device.createBindGroup({
        label: `${name} status ${code}`,
        layout: this.pipeline(name).getBindGroupLayout(1),
        entries: [
          { binding: 0, resource: { buffer: this.codeBuffer, offset: CODE_SLOT_BYTES * code, size: 4 } },
        ],
      });
      this.codeBindGroups.set(key, group);
    }
    return group;
  }

  destroy(): void {
    this.codeBuffer.destroy();
  }
}

/** Workgroups covering `n` items, one thread each; throws past the 1-D dispatch limit. */
export function workgroupsFor(n: number, device: GPUDevice): number {
  const groups = Math.ceil(n / WORKGROUP_SIZE);
  const limit = device.limits.maxComputeWorkgroupsPerDimension;
  if (groups > limit) {
    throw new Error(
      `${n} items need ${groups} workgroups, above this device's limit of ${limit} per dispatch`,
    );
  }
  return groups;
}

/** Copies `size` bytes of `source` into a fresh mappable buffer and returns them (awaits the GPU). */
export async function readBuffer(
  device: GPUDevice,
  source: GPUBuffer,
  size = source.size,
): Promise<ArrayBuffer> {
  const staging = device.createBuffer({
    label: `${source.label} readback`,
    size,
    usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST,
  });
  const encoder = device.createCommandEncoder({ label: `read ${source.label}` });
  encoder.copyBufferToBuffer(source, 0, staging, 0, size);
  device.queue.submit([encoder.finish()]);
  await staging.mapAsync(GPUMapMode.READ);
  const out = staging.getMappedRange().slice(0);
  staging.destroy();
  return out;
}
