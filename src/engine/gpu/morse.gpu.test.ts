import { afterAll, beforeAll, describe, test } from 'vitest';
import type { MorseSpec } from '../../io/spec.ts';
import { morseReference } from '../reference/morse.ts';
import { parityCases } from '../structures/parityCases.ts';
import {
  evaluateOnGpu,
  expectMatchesReference,
  expectNveMatchesReference,
  nullAtoms,
} from './potentialTesting.ts';
import { testDevice, withErrorScopes } from './testing.ts';

let device: GPUDevice;
beforeAll(async () => {
  device = await testDevice();
});
afterAll(() => device.destroy());

const cases = parityCases().filter((c) => c.material.name === 'morse-copper');

function morseOf(spec: unknown): MorseSpec {
  const p = spec as MorseSpec;
  if (p.kind !== 'morse') throw new Error('expected a Morse case');
  return p;
}

describe('Morse on the GPU vs the f64 reference', () => {
  test.each(cases.map((c) => [c.name, c] as const))('%s: run 0', async (_name, c) => {
    const batch = c.build();
    const spec = morseOf(c.potential);
    await withErrorScopes(device, async () => {
      for (const shift of [false, true]) {
        const p = { ...spec, shift };
        const { engine, atoms, stats } = await evaluateOnGpu(device, batch, p, undefined);
        expectMatchesReference(atoms, stats, morseReference(batch, p), nullAtoms(batch, undefined), c.name);
        engine.destroy();
      }
    });
  });

  test('100-step NVE of the jittered crystal matches velocity Verlet in f64', async () => {
    const c = cases.find((k) => k.structure === 'crystal')!;
    const p = morseOf(c.potential);
    await withErrorScopes(device, () =>
      expectNveMatchesReference(
        device,
        c.build(),
        p,
        undefined,
        c.material.dt,
        (b) => morseReference(b, p),
        c.name,
        0.3,
      ),
    );
  });
});
