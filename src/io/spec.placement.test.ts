import { describe, expect, it } from 'vitest';
import type { PipelineSpecInput } from './spec.ts';
import { MAX_DOMAIN_WORKERS, safeParseSpec } from './spec.ts';

const slab = (extra: Partial<PipelineSpecInput> = {}): PipelineSpecInput => ({
  version: 1,
  system: { kind: 'fcc', element: 'Cu', mass: 63.546, latticeConstant: 3.615, repeat: [8, 8, 4] },
  potential: { kind: 'lennard-jones', epsilon: 0.0104, sigma: 3.4, cutoff: 8.5 },
  stages: [{ kind: 'nve', steps: 10, dt: 1 }],
  ...extra,
});
const issues = (input: PipelineSpecInput) => {
  const r = safeParseSpec(input);
  return r.ok ? [] : r.issues.map((i) => `${i.path}: ${i.message}`);
};

describe('domain placement (one system over a grid of workers)', () => {
  it('takes a Px×Py×Pz grid of 2 … 16 workers and keeps it as written', () => {
    for (const grid of [
      [2, 1, 1],
      [2, 2, 1],
      [2, 2, 2],
      [4, 1, 1],
      [1, 1, 16],
      [4, 2, 2],
    ] as [number, number, number][]) {
      const r = safeParseSpec(slab({ placement: { kind: 'domain', grid } }));
      expect(r.ok, grid.join('×')).toBe(true);
      if (r.ok) expect(r.spec.placement).toEqual({ kind: 'domain', grid });
    }
  });

  it('refuses 1×1×1 and says to use one worker', () => {
    expect(issues(slab({ placement: { kind: 'domain', grid: [1, 1, 1] } }))).toEqual([
      'placement.grid: a 1×1×1 grid is one worker: set placement to single (a domain split needs at least 2 workers)',
    ]);
  });

  it('refuses more than 16 workers, naming the product', () => {
    expect(MAX_DOMAIN_WORKERS).toBe(16);
    expect(issues(slab({ placement: { kind: 'domain', grid: [4, 4, 2] } }))).toEqual([
      'placement.grid: 4×4×2 = 32 workers; at most 16 (one GPU device and a port to every other worker each)',
    ]);
  });

  it('names the count that is not a whole number ≥ 1', () => {
    expect(issues(slab({ placement: { kind: 'domain', grid: [2, 0, 1] } }))).toContain(
      'placement.grid[1]: must be ≥ 1',
    );
    expect(issues(slab({ placement: { kind: 'domain', grid: [2, 1.5, 1] } }))).toContain(
      'placement.grid[1]: must be a whole number',
    );
    expect(issues(slab({ placement: { kind: 'domain', grid: [2, 1, 17] } }))).toContain(
      'placement.grid[2]: must be ≤ 16',
    );
  });

  it('refuses a grid that is not three numbers', () => {
    const bad = { kind: 'domain', grid: [2, 2] } as unknown as NonNullable<PipelineSpecInput['placement']>;
    const found = issues(slab({ placement: bad }));
    expect(found.length).toBeGreaterThan(0);
    expect(found.every((i) => i.startsWith('placement.grid'))).toBe(true);
    const missing = { kind: 'domain' } as unknown as NonNullable<PipelineSpecInput['placement']>;
    expect(issues(slab({ placement: missing }))).toEqual([
      'placement.grid: must be three whole numbers [Px, Py, Pz] (workers along a, b, c)',
    ]);
    const extra = { kind: 'domain', grid: [2, 1, 1], links: [] } as unknown as NonNullable<
      PipelineSpecInput['placement']
    >;
    expect(issues(slab({ placement: extra })).some((i) => i.includes('links'))).toBe(true);
  });

  it('runs one system: many clusters or batching are refused on the field', () => {
    const placement: PipelineSpecInput['placement'] = { kind: 'domain', grid: [2, 1, 1] };
    expect(
      issues(slab({ placement, system: { kind: 'clusters', count: 4, minAtoms: 10, maxAtoms: 20 } })),
    ).toEqual([
      'system.count: must be 1: a domain split (2×1×1 workers) runs one system; for many systems use placement single or pipeline',
    ]);
    expect(issues(slab({ placement, batching: { maxSystems: 1, maxAtoms: 5000 } }))).toEqual([
      'batching: must be absent: a domain split (2×1×1 workers) runs one system, every atom resident on its owner from the start (batching admits many systems)',
    ]);
  });

  it('allows one cluster in an open box and a grid along its non-periodic axes (open axes are supported)', () => {
    expect(
      issues(
        slab({
          placement: { kind: 'domain', grid: [2, 2, 2] },
          system: { kind: 'clusters', count: 1, minAtoms: 200, maxAtoms: 200 },
        }),
      ),
    ).toEqual([]);
  });

  it('allows subdomains thinner than the ghost cutoff (multi-hop swaps), EAM and fused stages', () => {
    // 2 cells of 3.615 Å along x over 2 workers: 3.6 Å subdomains, far below 8.5 Å + 1 Å skin.
    expect(
      issues(
        slab({
          system: { kind: 'fcc', element: 'Cu', mass: 63.546, latticeConstant: 3.615, repeat: [2, 8, 8] },
          placement: { kind: 'domain', grid: [2, 1, 1] },
          potential: { kind: 'eam', style: 'eam', file: 'Cu_u3.eam', elements: ['Cu'] },
          stages: [
            {
              kind: 'fused',
              steps: 100,
              stages: [
                { kind: 'fire', steps: 50, dt: 2 },
                { kind: 'nve', steps: 50, dt: 1 },
              ],
            },
            { kind: 'langevin', steps: 10, dt: 2, temperature: 300, friction: 0.01 },
          ],
        }),
      ),
    ).toEqual([]);
  });
});
