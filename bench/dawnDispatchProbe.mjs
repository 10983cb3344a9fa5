// Cost of direct vs indirect dispatches in Dawn for Node, with and without validation (DAWN_FLAGS).
// Measured on an H100 (2026-11-21): direct ≈ 3 µs, indirect ≈ 1,060 µs with validation, ≈ 4.5 µs with
// DAWN_FLAGS=enable-dawn-features=skip_validation. Run: node bench/dawnDispatchProbe.mjs
import { create, globals } from 'webgpu';

Object.assign(globalThis, globals);
const gpu = create(process.env.DAWN_FLAGS ? process.env.DAWN_FLAGS.split(';') : []);
const adapter = await gpu.requestAdapter();
const device = await adapter.requestDevice();
const n = 1 << 15;
const buf = device.createBuffer({ size: n * 4, usage: GPUBufferUsage.STORAGE });
const args = device.createBuffer({ size: 12, usage: GPUBufferUsage.INDIRECT | GPUBufferUsage.COPY_DST });
device.queue.writeBuffer(args, 0, new Uint32Array([n / 64, 1, 1]));
const module = device.createShaderModule({
  code: '@group(0) @binding(0) var<storage, read_write> x: array<f32>; @compute @workgroup_size(64) fn main(@builtin(global_invocation_id) g: vec3u) { x[g.x] += 1.0; }',
});
const pipeline = device.createComputePipeline({ layout: 'auto', compute: { module, entryPoint: 'main' } });
const bg = device.createBindGroup({
  layout: pipeline.getBindGroupLayout(0),
  entries: [{ binding: 0, resource: { buffer: buf } }],
});
for (const mode of ['direct', 'indirect', 'direct', 'indirect']) {
  const total = 12000;
  const t0 = performance.now();
  for (let c = 0; c < total / 1200; c++) {
    const enc = device.createCommandEncoder();
    const pass = enc.beginComputePass();
    pass.setPipeline(pipeline);
    pass.setBindGroup(0, bg);
    for (let k = 0; k < 1200; k++)
      mode === 'direct' ? pass.dispatchWorkgroups(n / 64) : pass.dispatchWorkgroupsIndirect(args, 0);
    pass.end();
    device.queue.submit([enc.finish()]);
  }
  await device.queue.onSubmittedWorkDone();
  console.log(
    process.env.DAWN_FLAGS || 'default',
    mode,
    (((performance.now() - t0) * 1000) / total).toFixed(2),
    'µs/dispatch',
  );
}
process.exit(0);
