import { afterAll, beforeAll, expect, test } from 'vitest';
import { gaussian, hashCounter, uniform01 } from '../reference/rng.ts';
import { readBuffer } from './kernels.ts';
import { commonSource } from './shaders.ts';
import { testDevice, withErrorScopes } from './testing.ts';

let device: GPUDevice;
beforeAll(async () => {
  device = await testDevice();
});
afterAll(() => device.destroy());

test('kernels/common/rng.wgsl matches reference/rng.ts: hashes bit for bit, normals to f32 accuracy', async () => {
  const seeds = [0, 7, 2 ** 31 - 1];
  const steps = [0, 1, 12345, 2 ** 32 - 1];
  const atoms = 64;
  const cases: [number, number, number][] = [];
  for (const seed of seeds)
    for (const step of steps) for (let atom = 0; atom < atoms; atom++) cases.push([seed, step, atom]);
  const code = `${commonSource()}
@group(0) @binding(0) var<storage, read> inputs: array<vec4u>;
@group(0) @binding(1) var<storage, read_write> hashes: array<u32>;
@group(0) @binding(2) var<storage, read_write> numbers: array<vec4f>;
@compute @workgroup_size(WORKGROUP_SIZE)
fn main(@builtin(global_invocation_id) gid: vec3u) {
  let c = gid.x;
  if (c >= arrayLength(&inputs)) { return; }
  let q = inputs[c];
  for (var k = 0u; k < 8u; k++) { hashes[8u * c + k] = hashCounter(q.x, q.y, q.z, k); }
  numbers[2u * c] = vec4f(gaussian3(q.x, q.y, q.z), uniform01(q.x, q.y, q.z, 0u));
  numbers[2u * c + 1u] = vec4f(uniform01(q.x, q.y, q.z, 1u), 0.0, 0.0, 0.0);
}`;
  await withErrorScopes(device, async () => {
    const module = device.createShaderModule({ label: 'rng test', code });
    const pipeline = device.createComputePipeline({
      label: 'rng test',
      layout: 'auto',
      compute: { module, entryPoint: 'main' },
    });
    const usage = GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST;
    const inputs = device.createBuffer({ label: 'inputs', size: 16 * cases.length, usage });
    device.queue.writeBuffer(inputs, 0, Uint32Array.from(cases.flatMap(([s, t, a]) => [s, t, a, 0])));
    const hashes = device.createBuffer({ label: 'hashes', size: 32 * cases.length, usage });
    const numbers = device.createBuffer({ label: 'numbers', size: 32 * cases.length, usage });
    const bindGroup = device.createBindGroup({
      layout: pipeline.getBindGroupLayout(0),
      entries: [inputs, hashes, numbers].map((buffer, binding) => ({ binding, resource: { buffer } })),
    });
    const encoder = device.createCommandEncoder();
    const pass = encoder.beginComputePass();
    pass.setPipeline(pipeline);
    pass.setBindGroup(0, bindGroup);
    pass.dispatchWorkgroups(Math.ceil(cases.length / 64));
    pass.end();
    device.queue.submit([encoder.finish()]);
    const h = new Uint32Array(await readBuffer(device, hashes));
    const x = new Float32Array(await readBuffer(device, numbers));
    let worstNormal = 0;
    cases.forEach(([seed, step, atom], c) => {
      for (let k = 0; k < 8; k++) {
        if (h[8 * c + k] !== hashCounter(seed, step, atom, k))
          expect.fail(`hash ${seed}/${step}/${atom}/${k}`);
      }
      for (let a = 0; a < 3; a++) {
        const e = Math.abs(x[8 * c + a]! - gaussian(seed, step, atom, a));
        worstNormal = Math.max(worstNormal, e);
      }
      expect(Math.abs(x[8 * c + 3]! - uniform01(seed, step, atom, 0))).toBeLessThan(1e-7);
      expect(Math.abs(x[8 * c + 4]! - uniform01(seed, step, atom, 1))).toBeLessThan(1e-7);
    });
    expect(worstNormal).toBeLessThan(2e-6);
    for (const b of [inputs, hashes, numbers]) b.destroy();
  });
});
