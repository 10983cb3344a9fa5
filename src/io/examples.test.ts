import { describe, expect, it } from 'vitest';
import { buildSystem } from '../engine/structures/index.ts';
import { examples } from './examples.ts';
import { parseSpec, subStages } from './spec.ts';

describe('built-in examples', () => {
  it.each(examples.map((e) => [e.id, e.spec] as const))(
    '%s is a valid spec whose system builds',
    (_, input) => {
      const spec = parseSpec(input);
      const batch = buildSystem(spec.system);
      expect(batch.nAtoms).toBeGreaterThan(0);
      expect(spec.name).toBeTruthy();
      expect(spec.stages.flatMap((s) => subStages(s)).length).toBeGreaterThanOrEqual(2);
    },
  );

  it('have distinct ids and names, and show pipes, fused stages and workers between them', () => {
    expect(new Set(examples.map((e) => e.id)).size).toBe(examples.length);
    expect(new Set(examples.map((e) => e.spec.name)).size).toBe(examples.length);
    const specs = examples.map((e) => parseSpec(e.spec));
    expect(specs.some((s) => s.stages.some((seg) => seg.kind === 'fused'))).toBe(true);
    expect(specs.some((s) => s.placement.kind === 'pipeline')).toBe(true);
    expect(new Set(specs.map((s) => s.potential.kind)).size).toBeGreaterThan(1);
  });
});
