import { expect, test } from 'vitest';

test('WebGPU adapter is available (gpu)', async () => {
  const adapter = await navigator.gpu.requestAdapter();
  expect(adapter).not.toBeNull();
});
