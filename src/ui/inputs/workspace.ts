/**
 * Ties the uploads (inputs store) to the spec being edited and to the engine: an accepted structure
 * becomes the spec's `file` system and is loaded at once; an EAM potential's `file`, `files` and
 * `elements` follow the uploaded files and the element mapping; Run sends the atoms and the EAM
 * tables next to the spec. Framework-free, so it can be tested without React.
 */
import { eamTabulation } from '../../engine/potentials/eamTabulation.ts';
import type { EamStyle } from '../../io/lammpsPotential.ts';
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
import type { InputsState, InputsStore } from './inputsStore.ts';
import { type EamTypes, eamTypes, type PairTypes, pairTypes } from './typeAssignment.ts';

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

/** Types of the current system under a potential kind, with the problems that keep it from running. */
export function currentTypes(
  inputs: InputsState,
  system: SystemInput,
  kind: PotentialKind,
): ({ kind: 'pair' } & PairTypes) | ({ kind: 'eam' } & EamTypes) {
  const { elements, name } = systemElements(inputs, system);
  if (kind === 'eam') return { kind: 'eam', ...eamTypes(elements, inputs.mapping, inputs.eam, name) };
  return { kind: 'pair', ...pairTypes(elements, inputs.mapping) };
}

/**
 * What the engine needs next to `spec`: the uploaded atoms with their types, and the EAM tables.
 * @throws Error (ParseError for the files) saying what is wrong with the inputs.
 */
export function engineInputs(inputs: InputsState, spec: PipelineSpec): EngineInputs {
  const types = currentTypes(inputs, spec.system, spec.potential.kind);
  if (types.problems.length > 0) throw new Error(types.problems.join('; '));
  const out: EngineInputs = {
    key: JSON.stringify({ revision: inputs.revision, types: [...types.typeMap] }),
  };
  if (spec.potential.kind === 'eam') {
    const eam = inputs.eam!;
    out.tables = eamTabulation(eam.files, eam.style, spec.potential.elements);
  }
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

  constructor(
    private readonly specStore: SpecStore,
    readonly inputs: InputsStore,
    private readonly runStore: Store<RunState>,
    private readonly client: () => WorkspaceClient | null,
  ) {
    this.example = specStore.getState().lastValid.system;
    const p = specStore.getState().lastValid.potential;
    if (p.kind !== 'eam') this.pairPotentials[p.kind] = p;
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
    if (current.kind !== 'eam') this.pairPotentials[current.kind] = structuredClone(current) as PotentialSpec;
    if (kind === 'eam') {
      this.specStore.setField(['potential'], this.eamPotential());
    } else {
      this.specStore.setField(['potential'], structuredClone(this.pairPotentials[kind]));
    }
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

  /** An EAM potential follows the uploads and the mapping; pair potentials have nothing to follow. */
  private syncPotential(): void {
    if (this.specStore.getState().draft.potential.kind !== 'eam') return;
    this.specStore.setField(['potential'], this.eamPotential());
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
