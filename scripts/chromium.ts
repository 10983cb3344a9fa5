/**
 * Where the system Chromium lives and the flags that give it WebGPU without a GPU (DESIGN §9).
 * Shared by Vitest browser mode, Playwright, the benchmarks and the CLI so they cannot drift.
 */
export const chromiumPath: string = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Flags for headless Chromium with WebGPU; SwiftShader unless MD_WEBGPU_ADAPTER says otherwise. */
export const chromiumArgs: string[] = [
  '--headless=new',
  '--no-sandbox',
  '--enable-unsafe-webgpu',
  `--use-webgpu-adapter=${process.env.MD_WEBGPU_ADAPTER ?? 'swiftshader'}`,
  '--enable-features=Vulkan',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
  '--no-first-run',
];
