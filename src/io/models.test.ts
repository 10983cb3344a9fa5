import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseGnnWeights } from './gnnWeights.ts';
import { describeShippedModel, gnnModelFiles, SHIPPED_GNN_MODELS, shippedGnnModel } from './models.ts';
import { PotentialSpec } from './spec.ts';

const dir = join(import.meta.dirname, '..', '..', 'public', 'models');

describe('shipped GNN models', () => {
  it.each(SHIPPED_GNN_MODELS.map((m) => [m.name, m] as const))(
    '%s: its files validate and say what the registry lists (elements, cutoff, held-out accuracy)',
    (name, entry) => {
      const files = gnnModelFiles(name);
      const config = readFileSync(join(dir, files.config), 'utf8');
      const model = parseGnnWeights(config, new Uint8Array(readFileSync(join(dir, files.tensors))), files);
      expect(model.config.elements).toEqual(entry.elements);
      expect(model.config.rcut).toBe(entry.rcut);
      const metrics = JSON.parse(readFileSync(join(dir, `${name}.metrics.json`), 'utf8')).test;
      expect(entry.energyMae_meV_per_atom).toBeCloseTo(metrics.energyMae_meV_per_atom, 4);
      expect(entry.forceMae_meV_per_A).toBeCloseTo(metrics.forceMae_meV_per_A, 4);
      expect(readFileSync(join(dir, `${name}.md`), 'utf8')).toContain(`# Model card: ${name}`);
      expect(describeShippedModel(entry)).toMatch(
        /^Cu; rcut 5.5 Å; held-out MAE 0.47 meV\/atom, 2.4 meV\/Å$/,
      );
    },
  );

  it('finds models by name only', () => {
    expect(shippedGnnModel('cu-mishin1')?.elements).toEqual(['Cu']);
    expect(shippedGnnModel('cu')).toBeUndefined();
  });
});

describe('the GNN potential in the spec', () => {
  it('is a member of the potential union', () => {
    expect(PotentialSpec.parse({ kind: 'gnn', model: 'cu-mishin1', elements: ['Cu', 'NULL'] })).toEqual({
      kind: 'gnn',
      model: 'cu-mishin1',
      elements: ['Cu', 'NULL'],
    });
  });

  it.each([
    [{ kind: 'gnn', model: '', elements: ['Cu'] }, /must name the model/],
    [{ kind: 'gnn', model: 'cu', elements: [] }, /needs one element \(or NULL\) per type/],
    [{ kind: 'gnn', model: 'cu', elements: ['NULL', 'NULL'] }, /at least one type must not be NULL/],
    [{ kind: 'gnn', model: 'cu', elements: ['Cu'], cutoff: 5 }, /cutoff/],
  ])('refuses %j with a message', (input, message) => {
    const r = PotentialSpec.safeParse(input);
    expect(r.success).toBe(false);
    expect(r.error!.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('\n')).toMatch(message);
  });
});
