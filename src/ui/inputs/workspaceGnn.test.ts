/** The workspace with GNN models: shipped ones fetched when chosen, uploads validated and kept. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { argonVoidSpec, copperGnnSpec } from '../../io/examples.ts';
import { gnnModelFiles } from '../../io/models.ts';
import type { PipelineSpecInput } from '../../io/spec.ts';
import type { EngineInputs } from '../engine/engineClient.ts';
import { createStore } from '../state/createStore.ts';
import { initialRunState, type RunState } from '../state/runState.ts';
import { createSpecStore } from '../state/specStore.ts';
import { gnnPair } from './gnnFiles.testing.ts';
import { fetchShippedGnnModel } from './gnnFiles.ts';
import { type GnnModelStore, memoryGnnModelStore } from './gnnModelStore.ts';
import { createInputsStore } from './inputsStore.ts';
import { currentTypes, engineInputs, Workspace, type WorkspaceClient } from './workspace.ts';

const modelsDir = join(import.meta.dirname, '..', '..', '..', 'public', 'models');

class RecordingClient implements WorkspaceClient {
  loads: { spec: unknown; inputs: EngineInputs | undefined }[] = [];
  async load(spec: unknown, inputs?: EngineInputs) {
    this.loads.push({ spec, inputs });
    return true;
  }
  async run() {}
  currentFrame() {
    return null;
  }
}

function setup(spec: PipelineSpecInput = argonVoidSpec, store: GnnModelStore = memoryGnnModelStore()) {
  const specStore = createSpecStore(spec);
  const inputs = createInputsStore();
  const runStore = createStore<RunState>({ ...initialRunState, phase: 'ready' });
  const client = new RecordingClient();
  const fetched: string[] = [];
  const workspace = new Workspace(specStore, inputs, runStore, () => client, {
    fetchShipped: (name) => {
      fetched.push(name);
      return fetchShippedGnnModel(name, '/models/', async (url) => {
        const file = url.slice(url.lastIndexOf('/') + 1);
        return new Response(readFileSync(join(modelsDir, file)));
      });
    },
    store,
  });
  return { specStore, inputs, runStore, client, workspace, fetched, store };
}

const asFiles = (pair: { name: string; bytes: Uint8Array }[]) =>
  pair.map((f) => new File([f.bytes.slice()], f.name));

describe('Workspace, GNN potential', () => {
  it('fetches the shipped model when the GNN kind is chosen, and loads the engine with it', async () => {
    const { specStore, inputs, client, workspace, fetched } = setup(copperGnnSpec);
    // The copper example names cu-mishin1: opening the workspace on it already asks for the model.
    await workspace.restoreGnnModels();
    expect(fetched).toEqual(['cu-mishin1']);
    expect(inputs.getState().gnnModels['cu-mishin1']?.origin).toBe('shipped');
    expect(inputs.getState().gnnLoading).toBeNull();
    const last = client.loads.at(-1)!;
    expect(last.inputs?.gnnModel?.config.rcut).toBe(5.5);
    expect(specStore.getState().lastValid.potential).toEqual({
      kind: 'gnn',
      model: 'cu-mishin1',
      elements: ['Cu'],
    });
    // Switching away and back keeps the model and fetches nothing again.
    workspace.setPotentialKind('morse');
    workspace.setPotentialKind('gnn');
    await workspace.chooseGnnModel('cu-mishin1');
    expect(fetched).toEqual(['cu-mishin1']);
    expect(specStore.getState().draft.potential).toMatchObject({ kind: 'gnn', model: 'cu-mishin1' });
  });

  it('says which elements of the system the model lacks (argon example, copper model), and lets NULL map', async () => {
    const { specStore, inputs, workspace } = setup();
    workspace.setPotentialKind('gnn');
    await workspace.chooseGnnModel('cu-mishin1');
    const spec = specStore.getState().lastValid;
    expect(spec.potential).toEqual({ kind: 'gnn', model: 'cu-mishin1', elements: ['Ar'] });
    const types = currentTypes(inputs.getState(), spec.system, 'gnn', 'cu-mishin1');
    expect(types.problems).toEqual([
      'element Ar of the built-in example is not in the GNN model cu-mishin1 (it has Cu): map it to one of these or to NULL',
    ]);
    expect(() => engineInputs(inputs.getState(), spec)).toThrow('element Ar of the built-in example');
    workspace.setMapping('Ar', 'Cu');
    expect(specStore.getState().lastValid.potential).toMatchObject({ elements: ['Cu'] });
    expect(engineInputs(inputs.getState(), specStore.getState().lastValid).gnnModel).toBeDefined();
  });

  it('takes an uploaded pair, keeps it for the next visit, and a new page restores it', async () => {
    const store = memoryGnnModelStore();
    const first = setup(argonVoidSpec, store);
    first.workspace.setMapping('Ar', 'Cu');
    expect(await first.workspace.uploadGnnModel(asFiles(gnnPair('mine')))).toBe(true);
    expect(first.specStore.getState().lastValid.potential).toEqual({
      kind: 'gnn',
      model: 'mine',
      elements: ['Cu'],
    });
    expect(first.client.loads.at(-1)?.inputs?.gnnModel?.config.elements).toEqual(['Cu', 'Ag']);
    expect((await store.list()).map((m) => m.name)).toEqual(['mine']);

    const second = setup(
      { ...argonVoidSpec, potential: { kind: 'gnn', model: 'mine', elements: ['Cu'] } },
      store,
    );
    second.workspace.setMapping('Ar', 'Cu');
    expect(currentTypes(second.inputs.getState(), argonVoidSpec.system, 'gnn', 'mine').problems[0]).toMatch(
      /the GNN model mine is not loaded/,
    );
    await second.workspace.restoreGnnModels();
    expect(second.inputs.getState().gnnModels.mine?.origin).toBe('uploaded');
    expect(second.fetched).toEqual([]);
    expect(second.client.loads.at(-1)?.inputs?.gnnModel).toBeDefined();
  });

  it('refuses a broken upload with a message and keeps the potential it had', async () => {
    const { specStore, inputs, client, workspace, store } = setup(copperGnnSpec);
    await workspace.restoreGnnModels();
    const before = specStore.getState();
    const loads = client.loads.length;
    const [json, tensors] = gnnPair('broken');
    const truncated = { ...tensors!, bytes: tensors!.bytes.subarray(0, 200) };
    expect(await workspace.uploadGnnModel(asFiles([json!, truncated]))).toBe(false);
    expect(inputs.getState().uploadError).toEqual({
      target: 'potential',
      message: expect.stringMatching(/^broken\.safetensors: /),
    });
    expect(await workspace.uploadGnnModel(asFiles([json!]))).toBe(false);
    expect(inputs.getState().uploadError?.message).toMatch(/tensors are missing/);
    expect(specStore.getState()).toBe(before);
    expect(client.loads).toHaveLength(loads);
    expect(Object.keys(inputs.getState().gnnModels)).toEqual(['cu-mishin1']);
    expect(await store.list()).toEqual([]);
  });

  it('drops a kept model that no longer validates, saying so', async () => {
    const store = memoryGnnModelStore();
    const [json, tensors] = gnnPair('stale');
    await store.save('stale', [json!, { ...tensors!, bytes: tensors!.bytes.subarray(0, 100) }]);
    const { inputs, workspace } = setup(argonVoidSpec, store);
    await workspace.restoreGnnModels();
    expect(inputs.getState().gnnModels).toEqual({});
    expect(inputs.getState().uploadError?.message).toMatch(
      /the kept GNN model stale could not be read again/,
    );
    expect(await store.list()).toEqual([]);
  });

  it('reports a shipped model that cannot be fetched, and Run says the model is missing', async () => {
    const specStore = createSpecStore(copperGnnSpec);
    const inputs = createInputsStore();
    const runStore = createStore<RunState>({ ...initialRunState, phase: 'ready' });
    const workspace = new Workspace(specStore, inputs, runStore, () => null, {
      fetchShipped: async () => {
        throw new Error(
          `could not fetch the shipped model file ${gnnModelFiles('cu-mishin1').config}: HTTP 404`,
        );
      },
      store: memoryGnnModelStore(),
    });
    await workspace.restoreGnnModels();
    expect(inputs.getState().uploadError?.message).toBe(
      'could not fetch the shipped model file cu-mishin1.json: HTTP 404',
    );
    expect(() => engineInputs(inputs.getState(), specStore.getState().lastValid)).toThrow(
      /the GNN model cu-mishin1 is not loaded/,
    );
  });
});
