/**
 * Node twin of workers/domain.worker.ts: one rank of a domain decomposition on a worker_threads
 * thread. Backend `cpu`: the f64 reference force field. Backend `webgpu`: Dawn for Node (npm
 * `webgpu`), one device per thread, for machines with a real GPU. Started by launchNode.ts through
 * ./node.worker.bootstrap.mjs, which registers tsx and the WGSL loader in the thread.
 */
import { parentPort } from 'node:worker_threads';
import { requestGpuDevice } from '../device.ts';
import { serveRankWorker } from './worker.ts';

if (!parentPort) throw new Error('node.worker.ts runs as a worker_threads Worker');

interface WebGpuModule {
  create(options: string[]): GPU;
  globals: Record<string, unknown>;
}

/** Dawn's instance must stay reachable while its device is in use (else a native crash). */
const keepAlive: GPU[] = [];

serveRankWorker(parentPort, {
  async createForceField(inputs, onDeviceLost) {
    if (inputs.backend === 'cpu') {
      const { createReferenceForceField } = await import('./referenceForces.ts');
      return {
        forceField: createReferenceForceField(inputs.spec.potential, inputs.tables, inputs.gnnModel),
        adapter: 'f64 reference (Node worker)',
      };
    }
    let mod: WebGpuModule;
    try {
      mod = (await import('webgpu')) as unknown as WebGpuModule;
    } catch (e) {
      throw new Error(`the npm package 'webgpu' (Dawn for Node) is not installed: ${(e as Error).message}`);
    }
    // The engine's modules use GPUBufferUsage and friends at load time: install Dawn's globals first.
    Object.assign(globalThis, mod.globals);
    const gpu = mod.create(process.env.DAWN_FLAGS ? process.env.DAWN_FLAGS.split(';') : []);
    keepAlive.push(gpu);
    const { device, adapter } = await requestGpuDevice(gpu);
    void device.lost.then((info) => {
      if (info.reason !== 'destroyed')
        onDeviceLost(`the device was lost${info.message ? `: ${info.message}` : ''}`);
    });
    const { createGpuForceField } = await import('./gpuForces.ts');
    const forceField = createGpuForceField(device, inputs.spec.potential, {
      skin: inputs.spec.neighbor.skin,
      ...(inputs.tables ? { tables: inputs.tables } : {}),
      ...(inputs.gnnModel ? { gnnModel: inputs.gnnModel } : {}),
    });
    return { forceField, adapter: `Dawn: ${adapter}` };
  },
});
