import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { randomGnnTensors, testGnnConfig } from '../../engine/reference/gnn.testing.ts';
import { ParseError } from '../../io/parseError.ts';
import { writeSafetensors } from '../../io/safetensors.ts';
import { gnnPair } from './gnnFiles.testing.ts';
import { type FileBytes, fetchShippedGnnModel, gnnFileKind, readGnnFiles } from './gnnFiles.ts';
import { gnnTypes } from './typeAssignment.ts';

const encode = (text: string) => new TextEncoder().encode(text);
const config = testGnnConfig();
function expectParseError(files: FileBytes[], file: string, message: RegExp) {
  try {
    readGnnFiles(files);
  } catch (e) {
    expect(e).toBeInstanceOf(ParseError);
    expect((e as ParseError).file).toBe(file);
    expect((e as Error).message).toMatch(message);
    return;
  }
  throw new Error('expected a ParseError');
}

describe('uploaded GNN model files', () => {
  it('reads a .json + .safetensors pair of one name', () => {
    const entry = readGnnFiles(gnnPair().reverse());
    expect(entry.name).toBe('mine');
    expect(entry.origin).toBe('uploaded');
    expect(entry.files).toEqual({ config: 'mine.json', tensors: 'mine.safetensors' });
    expect(entry.model.config.elements).toEqual(['Cu', 'Ag']);
    expect(gnnFileKind('a.b.SafeTensors')).toEqual({ stem: 'a.b', kind: 'tensors' });
    expect(gnnFileKind('a.txt')).toBeNull();
  });

  it('names the missing half, a stray file, mismatched names and a shipped name', () => {
    const [json, tensors] = gnnPair();
    expectParseError(
      [json!],
      'mine.json',
      /tensors are missing: choose mine.json and mine.safetensors together/,
    );
    expectParseError(
      [tensors!],
      'mine.safetensors',
      /config is missing: choose mine.json and mine.safetensors/,
    );
    expectParseError([json!, { name: 'mine.txt', bytes: encode('x') }], 'mine.txt', /this is neither/);
    expectParseError(
      [json!, { ...tensors!, name: 'other.safetensors' }],
      'other.safetensors',
      /does not belong to mine.json/,
    );
    expectParseError([...gnnPair(), json!], 'mine.json, mine.safetensors, mine.json', /one model at a time/);
    expectParseError(gnnPair('cu-mishin1'), 'cu-mishin1.json', /name of a shipped model/);
    expect(() => readGnnFiles([])).toThrow(/no model file given/);
  });

  it('names a broken file: truncated tensors, a NaN weight, a wrong shape, an unknown version, a binary config', () => {
    const [json, tensors] = gnnPair();
    expectParseError(
      [json!, { ...tensors!, bytes: tensors!.bytes.subarray(0, tensors!.bytes.length - 100) }],
      'mine.safetensors',
      /past the \d+-byte data buffer \(truncated\?\)/,
    );
    const nan = randomGnnTensors(config, 1);
    nan.get('layers.1.node.0.weight')!.data[3] = Number.NaN;
    expectParseError(
      [json!, { ...tensors!, bytes: writeSafetensors(nan) }],
      'mine.safetensors',
      /tensor "layers.1.node.0.weight" has NaN at flat index 3/,
    );
    const wide = randomGnnTensors({ ...config, nDim: 7 }, 1);
    expectParseError(
      [json!, { ...tensors!, bytes: writeSafetensors(wide) }],
      'mine.safetensors',
      /tensor "type_embedding" has shape \[2, 7\]; expected \[2, 6\]/,
    );
    expectParseError(
      [{ ...json!, bytes: encode(JSON.stringify({ ...config, version: 3 })) }, tensors!],
      'mine.json',
      /unknown version 3/,
    );
    expectParseError(
      [{ ...json!, bytes: Uint8Array.of(0xff, 0xfe, 0x00) }, tensors!],
      'mine.json',
      /not UTF-8 text/,
    );
  });
});

describe('shipped GNN models from the site', () => {
  const dir = join(import.meta.dirname, '..', '..', '..', 'public', 'models');
  const fromDisk = async (url: string) => {
    const name = url.slice(url.lastIndexOf('/') + 1);
    try {
      return new Response(readFileSync(join(dir, name)));
    } catch {
      return new Response('not found', { status: 404 });
    }
  };

  it('fetches and reads cu-mishin1', async () => {
    const entry = await fetchShippedGnnModel('cu-mishin1', '/base/models/', fromDisk);
    expect(entry).toMatchObject({ name: 'cu-mishin1', origin: 'shipped' });
    expect(entry.model.config.elements).toEqual(['Cu']);
  });

  it('says which file could not be fetched', async () => {
    await expect(
      fetchShippedGnnModel('cu-mishin1', '/x/', async () => new Response('', { status: 404 })),
    ).rejects.toThrow('could not fetch the shipped model file cu-mishin1.json: HTTP 404');
    await expect(fetchShippedGnnModel('nope', '/x/', fromDisk)).rejects.toThrow(
      'nope is not a shipped GNN model',
    );
  });
});

describe('gnnTypes', () => {
  it('maps structure elements onto the model, NULL allowed, and names what does not fit', () => {
    const ok = gnnTypes(['Ag', 'Cu', 'Ar'], { Ar: 'NULL' }, 'mine', ['Cu', 'Ag'], 'mix.xyz');
    expect(ok.elements).toEqual(['Ag', 'Cu', 'NULL']);
    expect([...ok.typeMap]).toEqual([
      ['Ag', 0],
      ['Cu', 1],
      ['Ar', 2],
    ]);
    expect(ok.problems).toEqual([]);
    const bad = gnnTypes(['Cu', 'Ar'], {}, 'mine', ['Cu', 'Ag'], 'mix.xyz');
    expect(bad.problems).toEqual([
      'element Ar of mix.xyz is not in the GNN model mine (it has Cu, Ag): map it to one of these or to NULL',
    ]);
    expect(gnnTypes(['Cu'], { Cu: 'NULL' }, 'mine', ['Cu'], 'x').problems).toEqual([
      'every element is NULL: the potential has nothing to compute',
    ]);
    expect(gnnTypes(['Cu'], {}, 'mine', null, 'x').problems[0]).toMatch(/the GNN model mine is not loaded/);
    expect(gnnTypes(['Cu'], {}, '', null, 'x').problems[0]).toMatch(
      /choose a shipped GNN model or upload one/,
    );
  });
});
