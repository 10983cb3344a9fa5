import { describe, expect, it } from 'vitest';
import { detectWebGpu } from './webgpuSupport.ts';

describe('detectWebGpu', () => {
  it('reports a missing navigator.gpu, naming the secure-context rule when it applies', async () => {
    expect(await detectWebGpu({}, true)).toEqual({
      ok: false,
      reason: expect.stringContaining('navigator.gpu'),
    });
    expect(await detectWebGpu({}, false)).toEqual({ ok: false, reason: expect.stringContaining('https') });
  });

  it('reports a null adapter and a throwing requestAdapter', async () => {
    const none = await detectWebGpu({ gpu: { requestAdapter: async () => null } }, true);
    expect(none).toEqual({ ok: false, reason: expect.stringContaining('no GPU adapter') });
    const thrown = await detectWebGpu(
      {
        gpu: {
          requestAdapter: async () => {
            throw new Error('blocked');
          },
        },
      },
      true,
    );
    expect(thrown).toEqual({ ok: false, reason: expect.stringContaining('blocked') });
  });

  it('accepts an adapter', async () => {
    expect(await detectWebGpu({ gpu: { requestAdapter: async () => ({}) } }, true)).toEqual({ ok: true });
  });
});
