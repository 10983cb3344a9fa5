/**
 * Ties the uploads (inputs store) to the spec being edited and to the engine: an accepted structure
 * becomes the spec's `file` system and is loaded at once; an EAM potential's `file`, `files` and
 * `elements` follow the uploaded files and the element mapping, a GNN potential's `elements` the
 * mapping onto its model's elements (shipped models are fetched when chosen, uploaded ones kept
 * across reloads); Run sends the atoms, the EAM tables or the GNN model next to the spec.
 * Framework-free, so it can be tested without React.
 */
import { eamTabulation } from '../../engine/potentials/eamTabulation.ts';
import type { EamStyle } from '../../io/lammpsPotential.ts';
import { SHIPPED_GNN_MODELS, SHIPPED_MODELS_DIR, shippedGnnModel } from '../../io/models.ts';
import {
  type BatchingSpec,
  ClustersSystemSpec,
  type PipelineSpec,
  type PipelineSpecInput,
  type PotentialSpec,
  type SystemSpec,
} from '../../io/spec.ts';
import { structureToBatch } from '../../io/structureToBatch.ts';
import type { EngineClient, EngineInputs } from '../engine/engineClient.ts';
import type { Store } from '../state/createStore.ts';
import { defaultPairPotentials, type PotentialKind } from '../state/potentialFields.ts';
import { type RunState, reduceRunState } from '../state/runState.ts';
import type { SpecStore } from '../state/specStore.ts';
import type { FileText } from './eamFiles.ts';
import { exportFileName, frameToExtXyz } from './exportFrame.ts';
import { type FileBytes, fetchShippedGnnModel, type GnnEntry, readGnnFiles } from './gnnFiles.ts';
import { type GnnModelStore, memoryGnnModelStore, opfsGnnModelStore } from './gnnModelStore.ts';
import type { InputsState, InputsStore } from './inputsStore.ts';
import {
  type EamTypes,
  eamTypes,
  type GnnTypes,
  gnnTypes,
  type PairTypes,
  pairTypes,
} from './typeAssignment.ts';

/** A system as the draft spec holds it (possibly invalid while it is being edited). */
export type SystemInput = PipelineSpecInput['system'];

/**
 * The elements of the system and its name: the uploaded structure's, or those of the built-in
 * system (fcc example, random clusters) the spec describes.
 */
export function systemElements(
  inputs: InputsState,
  system: SystemInput,
): { elements: string[]; name: string } {
  if (inputs.structure) return { elements: inputs.structure.elements, name: inputs.structure.file };
  switch (system.kind) {
    case 'fcc':
      return { elements: [system.element], name: 'the built-in example' };
    case 'clusters':
      return { elements: [system.element ?? 'Ar'], name: 'the random clusters' };
    case 'file':
      return { elements: [], name: system.file };
  }
}

/**
 * Types of the current system under a potential kind, with the problems that keep it from running.
 * @param gnnModel The GNN spec's `model` (kind `gnn`).
 */
export function currentTypes(
  inputs: InputsState,
  system: SystemInput,
  kind: PotentialKind,
  gnnModel = '',
): ({ kind: 'pair' } & PairTypes) | ({ kind: 'eam' } & EamTypes) | ({ kind: 'gnn' } & GnnTypes) {
  const { elements, name } = systemElements(inputs, system);
  if (kind === 'eam') return { kind: 'eam', ...eamTypes(elements, inputs.mapping, inputs.eam, name) };
  if (kind === 'gnn') {
    const entry = inputs.gnnModels[gnnModel];
    const types = gnnTypes(elements, inputs.mapping, gnnModel, entry?.model.config.elements ?? null, name);
    if (!entry && inputs.gnnLoading === gnnModel) types.problems = [`loading the GNN model ${gnnModel} …`];
    return { kind: 'gnn', ...types };
  }
  return { kind: 'pair', ...pairTypes(elements, inputs.mapping) };
}

/**
 * What the engine needs next to `spec`: the uploaded atoms with their types, and the EAM tables.
 * @throws Error (ParseError for the files) saying what is wrong with the inputs.
 */
export function engineInputs(inputs: InputsState, spec: PipelineSpec): EngineInputs {
  const model = spec.potential.kind === 'gnn' ? spec.potential.model : '';
  const types = currentTypes(inputs, spec.system, spec.potential.kind, model);
  if (types.problems.length > 0) throw new Error(types.problems.join('; '));
  const out: EngineInputs = {
    key: JSON.stringify({ revision: inputs.revision, types: [...types.typeMap] }),
  };
  if (spec.potential.kind === 'eam') {
    const eam = inputs.eam!;
    out.tables = eamTabulation(eam.files, eam.style, spec.potential.elements);
  }
  if (spec.potential.kind === 'gnn') out.gnnModel = inputs.gnnModels[model]!.model;
  if (inputs.structure) {
    out.batch = structureToBatch(inputs.structure.structure, types.typeMap);
    out.symbols = inputs.structure.structure.symbols;
  }
  return out;
}

/** A file's name and text. */
async function readText(file: File): Promise<FileText> {
  return { name: file.name, text: await file.text() };
}

/** The part of the engine client the workspace uses. */
export type WorkspaceClient = Pick<EngineClient, 'load' | 'run' | 'currentFrame'>;

/** Where the workspace gets GNN models: shipped ones from the site, uploads kept across reloads. */
export interface GnnServices {
  /** Fetches and reads shipped model `name`. */
  fetchShipped(name: string): Promise<GnnEntry>;
  /** Where accepted uploads are kept. */
  store: GnnModelStore;
}

/** The page's services: models from the site's models/ folder, uploads in the OPFS. */
export function browserGnnServices(): GnnServices {
  const base = `${import.meta.env.BASE_URL}${SHIPPED_MODELS_DIR}/`;
  return {
    fetchShipped: (name) => fetchShippedGnnModel(name, base),
    store: opfsGnnModelStore() ?? memoryGnnModelStore(),
  };
}

/** The GNN model offered first. */
export const defaultGnnModel = SHIPPED_GNN_MODELS[0]!.name;

/** Random clusters offered when a person picks them first: 8 argon clusters of 13–55 atoms. */
export const defaultClusters: ClustersSystemSpec = ClustersSystemSpec.parse({
  kind: 'clusters',
  count: 8,
  minAtoms: 13,
  maxAtoms: 55,
  element: 'Ar',
  mass: 39.948,
  seed: 1,
});

/**
 * Batching limits offered when a person turns inflight batching on: a quarter of the systems (at
 * least 1) resident at once, room for that many of the largest ones.
 */
export function defaultBatching(system: SystemInput, loadedAtoms: number): BatchingSpec {
  if (system.kind === 'clusters') {
    const count = Number.isFinite(system.count) ? Math.max(1, Math.round(system.count)) : 1;
    const maxSystems = Math.max(1, Math.ceil(count / 4));
    const largest = Number.isFinite(system.maxAtoms) ? Math.max(1, Math.round(system.maxAtoms)) : 1;
    return { maxSystems, maxAtoms: Math.min(8_000_000, maxSystems * largest) };
  }
  return { maxSystems: 1, maxAtoms: Math.min(8_000_000, Math.max(1, loadedAtoms)) };
}

/**
 * Why `batching` cannot admit every system of `system` (a system larger than maxAtoms never fits),
 * or null. The schema cannot say it: it does not know the systems' sizes.
 */
export function batchingProblem(system: SystemInput, batching: unknown, loadedAtoms: number): string | null {
  if (typeof batching !== 'object' || batching === null) return null;
  const maxAtoms = (batching as { maxAtoms?: unknown }).maxAtoms;
  if (typeof maxAtoms !== 'number' || !Number.isFinite(maxAtoms)) return null;
  const largest =
    system.kind === 'clusters'
      ? system.maxAtoms
      : system.kind === 'fcc' || system.kind === 'file'
        ? loadedAtoms
        : 0;
  if (!(largest > maxAtoms)) return null;
  return `max atoms must be ≥ ${largest} (the largest system's atoms), or that system is never admitted`;
}

export class Workspace {
  /** The built-in example, used when neither an uploaded structure nor clusters are chosen. */
  readonly example: SystemSpec;
  /** Last parameters of the random clusters, so going back to them loses nothing. */
  private clusters: SystemInput = structuredClone(defaultClusters);
  /** Last parameters of each pair potential, so switching kinds back and forth loses nothing. */
  private pairPotentials: Record<string, PotentialSpec> = { ...defaultPairPotentials };
  /** Last GNN model chosen, so switching kinds back and forth keeps it. */
  private gnnModel = defaultGnnModel;
  /** The fetch of a shipped GNN model in flight (its name is inputs' `gnnLoading`). */
  private gnnFetch: Promise<void> = Promise.resolve();

  constructor(
    private readonly specStore: SpecStore,
    readonly inputs: InputsStore,
    private readonly runStore: Store<RunState>,
    private readonly client: () => WorkspaceClient | null,
    private readonly gnn: GnnServices = browserGnnServices(),
  ) {
    this.example = specStore.getState().lastValid.system;
    const p = specStore.getState().lastValid.potential;
    if (p.kind !== 'eam' && p.kind !== 'gnn') this.pairPotentials[p.kind] = p;
    // However a spec arrives (example, file, share link, undo), a shipped model it names is fetched.
    specStore.subscribe((state, previous) => {
      if (state.draft.potential !== previous.draft.potential && this.needsShippedModel()) {
        void this.ensureGnnModel();
      }
    });
  }

  /** Whether the draft names a shipped GNN model that is neither held nor being fetched. */
  private needsShippedModel(): boolean {
    const p = this.specStore.getState().draft.potential;
    if (p.kind !== 'gnn' || typeof p.model !== 'string' || !shippedGnnModel(p.model)) return false;
    const s = this.inputs.getState();
    return !s.gnnModels[p.model] && s.gnnLoading !== p.model;
  }

  private error(message: string): void {
    this.runStore.setState((s) => reduceRunState(s, { type: 'page/error', message }));
  }

  private get idle(): boolean {
    const phase = this.runStore.getState().phase;
    return phase !== 'running' && phase !== 'paused';
  }

  /** Reads a structure file; if it parses, it becomes the system and is loaded into the engine. */
  async uploadStructure(file: File): Promise<boolean> {
    if (!this.idle) return false;
    const text = await readText(file);
    if (!this.inputs.uploadStructure(text)) return false;
    this.keepClusters();
    this.specStore.setField(['system'], { kind: 'file', file: file.name });
    this.syncPotential();
    await this.loadIntoEngine();
    return true;
  }

  /** Goes back to the built-in example and loads it. */
  async chooseExample(): Promise<void> {
    if (!this.idle) return;
    this.keepClusters();
    this.inputs.chooseExample();
    this.specStore.setField(['system'], structuredClone(this.example));
    this.syncPotential();
    await this.loadIntoEngine();
  }

  /**
   * Opens a built-in example: its whole spec replaces the draft (one undo step) and its system is
   * loaded. Refused (false) while a run is active.
   */
  async openExample(spec: PipelineSpecInput): Promise<boolean> {
    if (!this.idle) return false;
    this.keepClusters();
    this.inputs.chooseExample();
    this.specStore.replace(structuredClone(spec));
    this.syncPotential();
    await this.loadIntoEngine();
    return true;
  }

  /** Makes random clusters the system (with their last parameters) and loads them when valid. */
  async chooseClusters(): Promise<void> {
    if (!this.idle) return;
    this.inputs.chooseExample();
    this.specStore.setField(['system'], structuredClone(this.clusters));
    this.syncPotential();
    await this.loadIntoEngine();
  }

  /** Loads the spec's system as it now stands (after its parameters were edited), when valid. */
  async reloadSystem(): Promise<void> {
    await this.loadIntoEngine();
  }

  /** Turns inflight batching on (with limits that admit every system) or off. */
  setBatching(enabled: boolean): void {
    const draft = this.specStore.getState().draft;
    if (enabled === (draft.batching !== undefined)) return;
    this.specStore.setField(
      ['batching'],
      enabled ? defaultBatching(draft.system, this.runStore.getState().nAtoms) : undefined,
    );
  }

  private keepClusters(): void {
    const system = this.specStore.getState().draft.system;
    if (system.kind === 'clusters') this.clusters = structuredClone(system);
  }

  /** Switches the potential kind, keeping the last parameters of each. */
  setPotentialKind(kind: PotentialKind): void {
    const current = this.specStore.getState().draft.potential;
    if (current.kind === kind) return;
    if (current.kind !== 'eam' && current.kind !== 'gnn')
      this.pairPotentials[current.kind] = structuredClone(current) as PotentialSpec;
    if (current.kind === 'gnn' && current.model) this.gnnModel = current.model;
    if (kind === 'eam') {
      this.specStore.setField(['potential'], this.eamPotential());
    } else if (kind === 'gnn') {
      this.specStore.setField(['potential'], this.gnnPotential(this.gnnModel));
      void this.ensureGnnModel();
    } else {
      this.specStore.setField(['potential'], structuredClone(this.pairPotentials[kind]));
    }
  }

  /**
   * Makes GNN model `name` (shipped or held) the potential's model; a shipped one not yet held is
   * fetched. Refused (false) while a run is active.
   */
  async chooseGnnModel(name: string): Promise<boolean> {
    if (!this.idle) return false;
    this.gnnModel = name;
    this.specStore.setField(['potential'], this.gnnPotential(name));
    await this.ensureGnnModel();
    return true;
  }

  /**
   * Reads an uploaded model (its .json and .safetensors together); if it validates, it is kept
   * (across reloads) and becomes the potential's model. A bad pair changes nothing and says why.
   */
  async uploadGnnModel(files: readonly File[]): Promise<boolean> {
    if (!this.idle) return false;
    const bytes: FileBytes[] = await Promise.all(
      files.map(async (f) => ({ name: f.name, bytes: new Uint8Array(await f.arrayBuffer()) })),
    );
    const entry = this.inputs.uploadGnn(bytes);
    if (!entry) return false;
    // Kept first, so that once the spec names the model a reload finds it.
    await this.gnn.store.save(entry.name, bytes).catch((e: unknown) => {
      this.inputs.reportUploadError(
        'potential',
        `${entry.name} is loaded but could not be kept for the next visit: ${e instanceof Error ? e.message : String(e)}`,
      );
    });
    this.gnnModel = entry.name;
    this.specStore.setField(['potential'], this.gnnPotential(entry.name));
    await this.loadIntoEngine();
    return true;
  }

  /**
   * Reads the uploads kept from earlier visits (a kept pair that no longer validates is dropped,
   * with a message), then fetches the draft's shipped model if it needs one.
   */
  async restoreGnnModels(): Promise<void> {
    let kept: Awaited<ReturnType<GnnModelStore['list']>> = [];
    try {
      kept = await this.gnn.store.list();
    } catch {
      // Storage refused: nothing kept to restore.
    }
    for (const { name, files } of kept) {
      try {
        this.inputs.addGnnModel(readGnnFiles(files));
      } catch (e) {
        await this.gnn.store.remove(name).catch(() => {});
        this.inputs.reportUploadError(
          'potential',
          `the kept GNN model ${name} could not be read again and was dropped: ${e instanceof Error ? e.message : String(e)}`,
        );
      }
    }
    this.syncPotential();
    await this.ensureGnnModel();
  }

  /**
   * After the engine has started: a GNN spec whose model is held is loaded again with it (the
   * engine's first load had no model; a model still being fetched loads when it arrives).
   */
  async onEngineReady(): Promise<void> {
    const p = this.specStore.getState().lastValid.potential;
    if (p.kind === 'gnn' && this.inputs.getState().gnnModels[p.model]) await this.loadIntoEngine();
  }

  /** Fetches the draft's GNN model when it is a shipped one not yet held, then loads the engine. */
  private async ensureGnnModel(): Promise<void> {
    const p = this.specStore.getState().draft.potential;
    if (p.kind !== 'gnn' || typeof p.model !== 'string') return;
    const name = p.model;
    const s = this.inputs.getState();
    if (s.gnnLoading === name) return this.gnnFetch;
    if (s.gnnModels[name] || !shippedGnnModel(name)) {
      this.syncPotential();
      await this.loadIntoEngine();
      return;
    }
    this.inputs.setGnnLoading(name);
    this.gnnFetch = (async () => {
      try {
        this.inputs.addGnnModel(await this.gnn.fetchShipped(name));
      } catch (e) {
        this.inputs.reportUploadError('potential', e instanceof Error ? e.message : String(e));
      } finally {
        this.inputs.setGnnLoading(null);
      }
      this.syncPotential();
      await this.loadIntoEngine();
    })();
    return this.gnnFetch;
  }

  /** Reads EAM potential file(s); if they parse, the EAM potential uses them. */
  async uploadPotential(files: readonly File[]): Promise<boolean> {
    const texts = await Promise.all(files.map(readText));
    if (!this.inputs.uploadEam(texts)) return false;
    this.syncPotential();
    return true;
  }

  setEamStyle(style: EamStyle): boolean {
    const ok = this.inputs.setEamStyle(style);
    if (ok) this.syncPotential();
    return ok;
  }

  setMapping(element: string, target: string): void {
    this.inputs.setMapping(element, target);
    this.syncPotential();
  }

  /** Runs the last valid spec with the uploaded atoms and tables. */
  run(): void {
    const client = this.client();
    const spec = this.specStore.getState();
    if (!client || !spec.validation.ok) return;
    let inputs: EngineInputs;
    try {
      inputs = engineInputs(this.inputs.getState(), spec.lastValid);
    } catch (e) {
      this.error(e instanceof Error ? e.message : String(e));
      return;
    }
    void client.run(spec.lastValid, inputs);
  }

  /** The frame the view shows as extXYZ, with a file name; null before anything is loaded. */
  exportExtXyz(): { name: string; text: string } | null {
    const frame = this.client()?.currentFrame();
    if (!frame) return null;
    const s = this.inputs.getState();
    const base = s.structure?.file ?? this.specStore.getState().lastValid.name;
    return { name: exportFileName(base, frame.step), text: frameToExtXyz(frame) };
  }

  private eamPotential(): PotentialSpec {
    const s = this.inputs.getState();
    const { elements, name } = systemElements(s, this.specStore.getState().draft.system);
    const t = eamTypes(elements, s.mapping, s.eam, name);
    return {
      kind: 'eam',
      style: s.eam?.style ?? s.eamStyle,
      file: t.file,
      ...(t.files ? { files: t.files } : {}),
      elements: t.elements,
    };
  }

  /** The GNN potential with model `model`: each element of the system mapped as the mapping says. */
  private gnnPotential(model: string): PotentialSpec {
    const s = this.inputs.getState();
    const { elements, name } = systemElements(s, this.specStore.getState().draft.system);
    const modelElements = s.gnnModels[model]?.model.config.elements ?? null;
    return {
      kind: 'gnn',
      model,
      elements: gnnTypes(elements, s.mapping, model, modelElements, name).elements,
    };
  }

  /**
   * An EAM or GNN potential follows the uploads and the mapping; pair potentials have nothing to
   * follow. Changes nothing when the potential already says the same (no undo step).
   */
  private syncPotential(): void {
    const current = this.specStore.getState().draft.potential;
    let next: PotentialSpec;
    if (current.kind === 'eam') next = this.eamPotential();
    else if (current.kind === 'gnn') next = this.gnnPotential(current.model || this.gnnModel);
    else return;
    if (JSON.stringify(next) === JSON.stringify(current)) return;
    this.specStore.setField(['potential'], next);
  }

  /** Loads the current spec and inputs, when both are usable and nothing runs; problems show in banners. */
  private async loadIntoEngine(): Promise<void> {
    const client = this.client();
    const spec = this.specStore.getState();
    if (!client || !spec.validation.ok || !this.idle) return;
    let inputs: EngineInputs;
    try {
      inputs = engineInputs(this.inputs.getState(), spec.lastValid);
    } catch {
      // The system and potential panels show why (mapping problems); Run will say it again.
      return;
    }
    await client.load(spec.lastValid, inputs);
  }
}
