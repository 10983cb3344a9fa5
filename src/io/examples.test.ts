import { describe, expect, it } from 'vitest';
import { buildSystem } from '../engine/structures/index.ts';
import { copperDomainSpec, examples } from './examples.ts';
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

  it('split one copper slab of a few thousand atoms over 2×2×1 workers, each box wider than the ghost cutoff', () => {
    const spec = parseSpec(copperDomainSpec);
    expect(spec.placement).toEqual({ kind: 'domain', grid: [2, 2, 1] });
    const batch = buildSystem(spec.system);
    expect(batch.nSystems).toBe(1);
    expect(batch.nAtoms).toBe(3456);
    expect(spec.stages.map((s) => s.kind)).toEqual(['fire', 'langevin', 'nve']);
    // 12 × 3.615 / 2 = 21.69 Å boxes along a and b, 6 × 3.615 = 21.69 Å along c; ghosts reach 8 Å.
    const ghost = (spec.potential.kind === 'morse' ? spec.potential.cutoff : Number.NaN) + spec.neighbor.skin;
    expect(ghost).toBe(8);
    const cell = batch.cells.subarray(0, 9);
    expect([cell[0]! / 2, cell[4]! / 2, cell[8]!].every((h) => h > 2 * ghost)).toBe(true);
  });
});
