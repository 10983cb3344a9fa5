/** Worker entry of one rank of a domain decomposition (issue 5): its own WebGPU device, or the f64 reference. */

import { serveRankWorker } from '../src/engine/decomposition/worker.ts';
import { requestGpuDevice } from '../src/engine/device.ts';

serveRankWorker(self, {
  async createForceField(inputs, onDeviceLost) {
    if (inputs.backend === 'cpu') {
      const { createReferenceForceField } = await import('../src/engine/decomposition/referenceForces.ts');
      return {
        forceField: createReferenceForceField(inputs.spec.potential, inputs.tables, inputs.gnnModel),
        adapter: 'f64 reference',
      };
    }
    const { device, adapter } = await requestGpuDevice();
    void device.lost.then((info) => {
      if (info.reason !== 'destroyed')
        onDeviceLost(`the device was lost${info.message ? `: ${info.message}` : ''}`);
    });
    const { createGpuForceField } = await import('../src/engine/decomposition/gpuForces.ts');
    const forceField = createGpuForceField(device, inputs.spec.potential, {
      skin: inputs.spec.neighbor.skin,
      ...(inputs.tables ? { tables: inputs.tables } : {}),
      ...(inputs.gnnModel ? { gnnModel: inputs.gnnModel } : {}),
    });
    return { forceField, adapter };
  },
});
