/** Requests a WebGPU device, or explains why there is none. Works in pages, Workers and Node (Dawn). */

/** Thrown when WebGPU is missing; the message says how to get it. */
export class NoWebGpuError extends Error {
  constructor(detail: string) {
    super(
      `WebGPU is not available (${detail}). Use a browser with WebGPU (Chrome or Edge 113+, Safari 26+, ` +
        'Firefox 141+ on Windows), keep hardware acceleration on, open the page over https or http://localhost, ' +
        'and on Linux enable chrome://flags/#enable-unsafe-webgpu (or start Chromium with --enable-unsafe-webgpu).',
    );
    this.name = 'NoWebGpuError';
  }
}

/** Limits the engine asks for, bounded by what the adapter offers. */
const WANTED_LIMITS = [
  'maxStorageBuffersPerShaderStage',
  'maxStorageBufferBindingSize',
  'maxBufferSize',
  'maxComputeWorkgroupsPerDimension',
  'maxComputeInvocationsPerWorkgroup',
  'maxComputeWorkgroupSizeX',
  'maxComputeWorkgroupStorageSize',
] as const;

/** Requests a high-performance adapter and a device with the limits the engine needs. */
export async function requestGpuDevice(gpu: GPU | undefined = globalThis.navigator?.gpu): Promise<{
  device: GPUDevice;
  adapter: string;
}> {
  if (!gpu) throw new NoWebGpuError('navigator.gpu is missing');
  const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  if (!adapter) throw new NoWebGpuError('no GPU adapter was found');
  const requiredLimits: Record<string, number> = {};
  for (const name of WANTED_LIMITS) requiredLimits[name] = adapter.limits[name];
  const device = await adapter.requestDevice({ label: 'md-engine', requiredLimits });
  const info = adapter.info;
  const name =
    [info.vendor, info.architecture, info.device, info.description].filter(Boolean).join(' ') ||
    'unknown adapter';
  return { device, adapter: name };
}
