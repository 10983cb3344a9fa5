/** Detects, in the page, whether WebGPU can be used before any worker is started. */

/** The part of `navigator` this needs (so tests can pass a stand-in). */
export interface NavigatorLike {
  gpu?: { requestAdapter(): Promise<unknown> } | undefined;
}

export type WebGpuSupport = { ok: true } | { ok: false; reason: string };

/** Resolves `{ ok: false, reason }` when `navigator.gpu` is missing or no adapter is returned. */
export async function detectWebGpu(nav: NavigatorLike, secureContext: boolean): Promise<WebGpuSupport> {
  if (!nav.gpu) {
    return {
      ok: false,
      reason: secureContext
        ? 'This browser does not expose WebGPU (navigator.gpu is missing).'
        : 'WebGPU needs a secure context: open the page over https or from localhost.',
    };
  }
  try {
    const adapter = await nav.gpu.requestAdapter();
    if (!adapter) return { ok: false, reason: 'WebGPU is present but no GPU adapter was returned.' };
    return { ok: true };
  } catch (e) {
    return {
      ok: false,
      reason: `Requesting a WebGPU adapter failed: ${e instanceof Error ? e.message : String(e)}`,
    };
  }
}
