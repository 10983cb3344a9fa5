/**
 * Dawn for Node (the npm package `webgpu`): WebGPU without a browser, for machines with a real GPU
 * (Vulkan, Metal or D3D12). Software adapters are refused unless asked for, since they are slower
 * than the Chromium backend and have aborted on long runs.
 */
import type { Batch } from '../../engine/batch.ts';
import { requestGpuDevice } from '../../engine/device.ts';
import { evaluateOn, runInput, runOn } from '../../engine/evaluate.ts';
import type { EamTabulation } from '../../engine/potentials/eamTabulation.ts';
import { engineBatch } from '../../engine/runner.ts';
import type { GnnModel } from '../../io/gnnWeights.ts';
import type { PotentialSpec } from '../../io/spec.ts';
import type { CliBackend } from './backend.ts';
import { EVALUATION_SKIN } from './backend.ts';

interface WebGpuModule {
  create(options: string[]): GPU;
  globals: Record<string, unknown>;
}

/** Opens a Dawn device; throws with the reason when there is none (or only a software one). */
export async function dawnBackend(options: { allowSoftware: boolean }): Promise<CliBackend> {
  let mod: WebGpuModule;
  try {
    mod = (await import('webgpu')) as unknown as WebGpuModule;
  } catch (e) {
    throw new Error(`the npm package 'webgpu' (Dawn for Node) is not installed: ${(e as Error).message}`);
  }
  // The engine's modules use GPUBufferUsage and friends at load time: install Dawn's globals first.
  Object.assign(globalThis, mod.globals);
  const { createGpuEngine } = await import('../../engine/gpu/engine.ts');
  const gpu = mod.create([]);
  const probe = await gpu.requestAdapter();
  if (!probe) throw new Error('Dawn found no GPU adapter (is a Vulkan driver and libvulkan1 installed?)');
  const info = probe.info;
  const software = /swiftshader|llvmpipe|lavapipe|software|cpu/i.test(
    `${info.vendor} ${info.architecture} ${info.device} ${info.description}`,
  );
  if (software && !options.allowSoftware) throw new Error('Dawn only found a software adapter');
  const { device, adapter } = await requestGpuDevice(gpu);
  const make = (
    batch: Batch,
    potential: PotentialSpec,
    skin: number,
    tables?: EamTabulation,
    gnnModel?: GnnModel,
  ) =>
    createGpuEngine(device, batch, potential, {
      skin,
      ...(tables ? { tables } : {}),
      ...(gnnModel ? { gnnModel } : {}),
    });
  // Dawn for Node tears down its instance when the GPU object is garbage-collected, even while a device
  // made from it is in use (a native crash): keep the instance reachable for the backend's lifetime.
  const keepAlive = { gpu, probe };
  return {
    name: 'dawn',
    adapter: `Dawn: ${adapter}`,
    async evaluate(batch, potential, tables, gnnModel) {
      const engine = await make(batch, potential, EVALUATION_SKIN, tables, gnnModel);
      try {
        return await evaluateOn(engine, batch);
      } finally {
        engine.destroy();
      }
    },
    async run(spec, batch, tables, listener, gnnModel) {
      if (spec.placement.kind === 'domain') {
        // One worker_threads worker per rank, each with a Dawn device of its own.
        const { nodeDomainLaunch } = await import('../../engine/decomposition/launchNode.ts');
        const { runDomain } = await import('../domainRun.ts');
        return runDomain(spec, batch, tables, listener, nodeDomainLaunch({ backend: 'webgpu' }), {
          ...(gnnModel ? { gnnModel } : {}),
        });
      }
      if (spec.placement.kind === 'pipeline') {
        throw new Error(
          "the Dawn backend runs one worker; for a pipeline (placement 'pipeline') use --backend chromium or reference",
        );
      }
      const engine = await make(
        engineBatch(batch, spec.batching),
        spec.potential,
        spec.neighbor.skin,
        tables,
        gnnModel,
      );
      try {
        return await runOn(engine, runInput(spec, batch), listener);
      } finally {
        engine.destroy();
      }
    },
    async close() {
      device.destroy();
      keepAlive.gpu = gpu;
    },
  };
}
