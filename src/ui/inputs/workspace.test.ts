import { describe, expect, it } from 'vitest';
import { funcflText } from '../../io/eamFiles.testing.ts';
import { argonVoidSpec } from '../../io/examples.ts';
import { parseXyz } from '../../io/xyz.ts';
import type { CurrentFrame, EngineInputs } from '../engine/engineClient.ts';
import { createStore } from '../state/createStore.ts';
import { initialRunState, type RunState } from '../state/runState.ts';
import { createSpecStore } from '../state/specStore.ts';
import { createInputsStore } from './inputsStore.ts';
import {
  batchingProblem,
  currentTypes,
  defaultBatching,
  defaultClusters,
  engineInputs,
  Workspace,
  type WorkspaceClient,
} from './workspace.ts';

const argonXyz = [
  '3',
  'Lattice="30 0 0 0 30 0 0 0 30" pbc="T T T"',
  'Ar 1 1 1',
  'Kr 5 1 1',
  'Ar 1 5 1',
  '',
].join('\n');

/** Records what the workspace asks of the engine client (the engine itself is tested elsewhere). */
class RecordingClient implements WorkspaceClient {
  loads: { spec: unknown; inputs: EngineInputs | undefined }[] = [];
  runs: { spec: unknown; inputs: EngineInputs | undefined }[] = [];
  frame: CurrentFrame | null = null;
  async load(spec: unknown, inputs?: EngineInputs) {
    this.loads.push({ spec, inputs });
    return true;
  }
  async run(spec: unknown, inputs?: EngineInputs) {
    this.runs.push({ spec, inputs });
  }
  currentFrame() {
    return this.frame;
  }
}

function setup() {
  const specStore = createSpecStore(argonVoidSpec);
  const inputs = createInputsStore();
  const runStore = createStore<RunState>({ ...initialRunState, phase: 'ready' });
  const client = new RecordingClient();
  const workspace = new Workspace(specStore, inputs, runStore, () => client);
  return { specStore, inputs, runStore, client, workspace };
}

const file = (name: string, text: string) => new File([text], name);

describe('Workspace', () => {
  it('makes an uploaded structure the system and loads it with its atoms', async () => {
    const { specStore, client, workspace } = setup();
    expect(await workspace.uploadStructure(file('mix.extxyz', argonXyz))).toBe(true);
    expect(specStore.getState().draft.system).toEqual({ kind: 'file', file: 'mix.extxyz' });
    expect(specStore.getState().validation.ok).toBe(true);
    expect(client.loads).toHaveLength(1);
    const inputs = client.loads[0]!.inputs!;
    expect(inputs.batch?.nAtoms).toBe(3);
    expect(Array.from(inputs.batch!.types)).toEqual([0, 0, 0]);
    expect(inputs.symbols).toEqual(['Ar', 'Kr', 'Ar']);
    expect(inputs.tables).toBeUndefined();
  });

  it('changes nothing when the structure file is malformed', async () => {
    const { specStore, inputs, client, workspace } = setup();
    await workspace.uploadStructure(file('mix.extxyz', argonXyz));
    const spec = specStore.getState();
    const bad = argonXyz.replace('Kr 5 1 1', 'Kr 5 1 NaNx');
    expect(await workspace.uploadStructure(file('bad.extxyz', bad))).toBe(false);
    expect(specStore.getState()).toBe(spec);
    expect(client.loads).toHaveLength(1);
    expect(inputs.getState().structure?.file).toBe('mix.extxyz');
    expect(inputs.getState().uploadError?.message).toMatch(/^bad\.extxyz:4: /);
  });

  it('maps an element to NULL (type −1) for a pair potential and reloads on Run', async () => {
    const { client, workspace } = setup();
    await workspace.uploadStructure(file('mix.extxyz', argonXyz));
    workspace.setMapping('Kr', 'NULL');
    workspace.run();
    expect(client.runs).toHaveLength(1);
    const inputs = client.runs[0]!.inputs!;
    expect(Array.from(inputs.batch!.types)).toEqual([0, -1, 0]);
    expect(inputs.key).not.toBe(client.loads[0]!.inputs!.key);
  });

  it('EAM: the spec follows the uploaded file and the mapping, and Run sends the tables', async () => {
    const { specStore, runStore, client, workspace } = setup();
    workspace.setPotentialKind('eam');
    expect(specStore.getState().validation.ok).toBe(false);
    expect(specStore.getState().validation.issues.map((i) => i.path)).toContain('potential.file');

    expect(await workspace.uploadPotential([file('Ar.eam', funcflText(undefined, 18, 39.948))])).toBe(true);
    expect(specStore.getState().draft.potential).toEqual({
      kind: 'eam',
      style: 'eam',
      file: 'Ar.eam',
      elements: ['Ar'],
    });
    expect(specStore.getState().validation.ok).toBe(true);
    workspace.run();
    const inputs = client.runs[0]!.inputs!;
    expect(inputs.batch).toBeUndefined(); // the built-in example is built by the engine
    expect(inputs.tables?.elements).toEqual(['Ar']);
    expect(inputs.tables?.style).toBe('eam');

    // A structure with an element the file lacks: Run refuses and says which.
    await workspace.uploadStructure(file('mix.extxyz', argonXyz));
    expect(specStore.getState().draft.potential).toMatchObject({ elements: ['Ar', 'Kr'] });
    workspace.run();
    expect(client.runs).toHaveLength(1);
    expect(runStore.getState().error?.message).toContain('element Kr of mix.extxyz is not in Ar.eam');
    workspace.setMapping('Kr', 'NULL');
    workspace.run();
    expect(client.runs).toHaveLength(2);
    expect(Array.from(client.runs[1]!.inputs!.batch!.types)).toEqual([0, 1, 0]);
    expect(client.runs[1]!.inputs!.tables?.elements).toEqual(['Ar', 'NULL']);
  });

  it('keeps the pair parameters when switching kinds back and forth', () => {
    const { specStore, workspace } = setup();
    specStore.setField(['potential', 'epsilon'], 0.02);
    workspace.setPotentialKind('morse');
    expect(specStore.getState().draft.potential.kind).toBe('morse');
    workspace.setPotentialKind('eam');
    workspace.setPotentialKind('lennard-jones');
    expect(specStore.getState().draft.potential).toMatchObject({ kind: 'lennard-jones', epsilon: 0.02 });
  });

  it('goes back to the built-in example', async () => {
    const { specStore, client, workspace } = setup();
    await workspace.uploadStructure(file('mix.extxyz', argonXyz));
    await workspace.chooseExample();
    expect(specStore.getState().draft.system).toMatchObject({ kind: 'fcc', element: 'Ar' });
    expect(client.loads.at(-1)!.inputs!.batch).toBeUndefined();
  });

  it('random clusters: chosen with their last parameters, their element mapped, loaded when valid', async () => {
    const { specStore, inputs, client, workspace } = setup();
    await workspace.chooseClusters();
    expect(specStore.getState().draft.system).toEqual(defaultClusters);
    expect(specStore.getState().validation.ok).toBe(true);
    expect(client.loads.at(-1)!.inputs!.batch).toBeUndefined(); // the engine builds them
    expect(
      currentTypes(inputs.getState(), specStore.getState().draft.system, 'lennard-jones').typeMap,
    ).toEqual(new Map([['Ar', 0]]));

    // Edited, then the example, then back: the edits are kept.
    specStore.setField(['system', 'element'], 'Kr');
    specStore.setField(['system', 'maxAtoms'], 5);
    expect(specStore.getState().validation.byKey.get('system.maxAtoms')?.[0]?.message).toBe(
      'minAtoms must be ≤ maxAtoms',
    );
    specStore.setField(['system', 'maxAtoms'], 40);
    await workspace.chooseExample();
    expect(specStore.getState().draft.system.kind).toBe('fcc');
    await workspace.chooseClusters();
    expect(specStore.getState().draft.system).toMatchObject({
      kind: 'clusters',
      element: 'Kr',
      maxAtoms: 40,
    });
    expect(
      currentTypes(inputs.getState(), specStore.getState().draft.system, 'lennard-jones').typeMap,
    ).toEqual(new Map([['Kr', 0]]));
    const loads = client.loads.length;
    await workspace.reloadSystem();
    expect(client.loads).toHaveLength(loads + 1);
  });

  it('batching: turned on with limits that admit every system, off again', async () => {
    const { specStore, workspace } = setup();
    await workspace.chooseClusters();
    workspace.setBatching(true);
    expect(specStore.getState().draft.batching).toEqual({ maxSystems: 2, maxAtoms: 110 });
    expect(specStore.getState().validation.ok).toBe(true);
    specStore.setField(['batching', 'maxSystems'], 0);
    expect(specStore.getState().validation.byKey.get('batching.maxSystems')?.[0]?.message).toBe(
      'must be ≥ 1',
    );
    specStore.setField(['batching', 'maxSystems'], 2);
    workspace.setBatching(false);
    expect(specStore.getState().draft.batching).toBeUndefined();
    expect(specStore.getState().lastValid.batching).toBeUndefined();
  });

  it('exports the frame shown as extXYZ that reads back', () => {
    const { client, workspace } = setup();
    expect(workspace.exportExtXyz()).toBeNull();
    client.frame = {
      symbols: null,
      atomicNumbers: Int32Array.of(18, 36),
      positions: Float32Array.of(0.5, 1.25, 2, 3.1, 4.2, 5.3),
      cell: Float64Array.of(10, 0, 0, 0, 11, 0, 0, 0, 12),
      pbc: [true, true, false],
      step: 40,
      time: 200,
    };
    const out = workspace.exportExtXyz()!;
    expect(out.name).toMatch(/-step40\.extxyz$/);
    const [s] = parseXyz(out.text, out.name);
    expect(s!.symbols).toEqual(['Ar', 'Kr']);
    expect(Array.from(s!.positions)).toEqual(Array.from(Float32Array.of(0.5, 1.25, 2, 3.1, 4.2, 5.3)));
    expect(Array.from(s!.cell)).toEqual([10, 0, 0, 0, 11, 0, 0, 0, 12]);
    expect(s!.pbc).toEqual([true, true, false]);
    expect(s!.info).toMatchObject({ step: 40, time: 200 });
  });
});

describe('engineInputs', () => {
  it('refuses when every element is NULL', () => {
    const { specStore, inputs, workspace } = setup();
    inputs.setMapping('Ar', 'NULL');
    expect(workspace.example.kind).toBe('fcc');
    expect(() => engineInputs(inputs.getState(), specStore.getState().lastValid)).toThrow(
      'every element is NULL',
    );
  });
});

describe('batching limits', () => {
  it('defaults: a quarter of the clusters, room for that many of the largest', () => {
    expect(defaultBatching({ ...defaultClusters, count: 100, maxAtoms: 60 }, 0)).toEqual({
      maxSystems: 25,
      maxAtoms: 1500,
    });
    expect(defaultBatching(argonVoidSpec.system, 4000)).toEqual({ maxSystems: 1, maxAtoms: 4000 });
  });

  it('says when the largest system can never be admitted', () => {
    expect(batchingProblem(defaultClusters, { maxSystems: 2, maxAtoms: 54 }, 0)).toContain('must be ≥ 55');
    expect(batchingProblem(defaultClusters, { maxSystems: 2, maxAtoms: 55 }, 0)).toBeNull();
    expect(batchingProblem(argonVoidSpec.system, { maxSystems: 1, maxAtoms: 100 }, 4000)).toContain('4000');
    expect(batchingProblem(argonVoidSpec.system, undefined, 4000)).toBeNull();
  });
});
