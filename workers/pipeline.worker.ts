/** Worker entry of a pipeline worker (issue 8): one segment on its own engine (WebGPU or the f64 CPU engine). */
import { CpuEngine } from '../src/engine/cpu/engine.ts';
import { requestGpuDevice } from '../src/engine/device.ts';
import { createGpuEngine } from '../src/engine/gpu/engine.ts';
import { servePipelineWorker } from '../src/engine/pipeline/worker.ts';

servePipelineWorker(self, {
  async createEngine(spec, batch, tables, backend, onDeviceLost, gnnModel) {
    if (backend === 'cpu') {
      return { engine: new CpuEngine(batch, spec.potential, tables, gnnModel), adapter: 'f64 CPU engine' };
    }
    const { device, adapter } = await requestGpuDevice();
    void device.lost.then((info) => {
      if (info.reason !== 'destroyed')
        onDeviceLost(`the device was lost${info.message ? `: ${info.message}` : ''}`);
    });
    const engine = await createGpuEngine(device, batch, spec.potential, {
      skin: spec.neighbor.skin,
      ...(tables ? { tables } : {}),
      ...(gnnModel ? { gnnModel } : {}),
    });
    return { engine, adapter };
  },
});
