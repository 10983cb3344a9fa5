/** A valid uploaded GNN model pair (random Cu/Ag weights) for tests. */
import { randomGnnTensors, testGnnConfig } from '../../engine/reference/gnn.testing.ts';
import { writeSafetensors } from '../../io/safetensors.ts';
import type { FileBytes } from './gnnFiles.ts';

/** `<stem>.json` + `<stem>.safetensors` of testGnnConfig() (elements Cu, Ag; rcut 4 Å). */
export function gnnPair(stem = 'mine'): FileBytes[] {
  const config = testGnnConfig();
  return [
    { name: `${stem}.json`, bytes: new TextEncoder().encode(JSON.stringify(config)) },
    { name: `${stem}.safetensors`, bytes: writeSafetensors(randomGnnTensors(config, 1)) },
  ];
}
