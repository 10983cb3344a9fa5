/**
 * GNN models on the page: the shipped ones (fetched from the site's models/ folder) and uploaded
 * pairs `<name>.json` + `<name>.safetensors` (docs/gnn-weights.md). A pair is read whole or not at
 * all: a missing half, two names that do not match, or a file that does not validate is a
 * ParseError naming the file and the problem.
 */
import { type GnnModel, parseGnnWeights } from '../../io/gnnWeights.ts';
import { gnnModelFiles, shippedGnnModel } from '../../io/models.ts';
import { ParseError } from '../../io/parseError.ts';

/** A file's name and bytes. */
export interface FileBytes {
  name: string;
  bytes: Uint8Array;
}

/** A model the page holds, by the name the spec's `model` uses. */
export interface GnnEntry {
  /** Stem of its two files. */
  name: string;
  origin: 'shipped' | 'uploaded';
  /** Its two files' names. */
  files: { config: string; tensors: string };
  model: GnnModel;
}

/** The stem of a model file name (`cu.json` → `cu`), and which half it is; null for other names. */
export function gnnFileKind(name: string): { stem: string; kind: 'config' | 'tensors' } | null {
  const m = /^(.+)\.(json|safetensors)$/i.exec(name);
  if (!m) return null;
  return { stem: m[1]!, kind: m[2]!.toLowerCase() === 'json' ? 'config' : 'tensors' };
}

/**
 * Reads an uploaded model: exactly one `<name>.json` and one `<name>.safetensors` of the same name
 * (not a shipped model's name).
 * @throws ParseError naming the file and the problem; nothing is half-read.
 */
export function readGnnFiles(files: readonly FileBytes[]): GnnEntry {
  if (files.length === 0) throw new ParseError('(gnn)', 0, 'no model file given');
  const configs: FileBytes[] = [];
  const tensors: FileBytes[] = [];
  for (const f of files) {
    const kind = gnnFileKind(f.name);
    if (!kind) {
      throw new ParseError(
        f.name,
        0,
        'a GNN model is a .json config and a .safetensors file of the same name; this is neither',
      );
    }
    (kind.kind === 'config' ? configs : tensors).push(f);
  }
  if (configs.length > 1 || tensors.length > 1) {
    const names = files.map((f) => f.name).join(', ');
    throw new ParseError(names, 0, 'choose one model at a time: one .json and one .safetensors');
  }
  const config = configs[0];
  const tensor = tensors[0];
  if (!tensor) {
    const stem = gnnFileKind(config!.name)!.stem;
    throw new ParseError(
      config!.name,
      0,
      `the model's tensors are missing: choose ${stem}.json and ${stem}.safetensors together`,
    );
  }
  if (!config) {
    const stem = gnnFileKind(tensor.name)!.stem;
    throw new ParseError(
      tensor.name,
      0,
      `the model's config is missing: choose ${stem}.json and ${stem}.safetensors together`,
    );
  }
  const stem = gnnFileKind(config.name)!.stem;
  if (gnnFileKind(tensor.name)!.stem !== stem) {
    throw new ParseError(
      tensor.name,
      0,
      `does not belong to ${config.name}: a model's two files share their name (${stem}.json + ${stem}.safetensors)`,
    );
  }
  if (shippedGnnModel(stem)) {
    throw new ParseError(
      config.name,
      0,
      `${stem} is the name of a shipped model: rename the two files to upload your own`,
    );
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(config.bytes);
  } catch {
    throw new ParseError(config.name, 0, 'not UTF-8 text (is it the .safetensors file renamed?)');
  }
  const names = { config: config.name, tensors: tensor.name };
  return { name: stem, origin: 'uploaded', files: names, model: parseGnnWeights(text, tensor.bytes, names) };
}

/**
 * Fetches and reads a shipped model from the site (`baseUrl` ends with the models folder and `/`).
 * @throws Error saying which file could not be fetched, or ParseError for a file that does not validate.
 */
export async function fetchShippedGnnModel(
  name: string,
  baseUrl: string,
  fetchFile: (url: string) => Promise<Response> = (url) => fetch(url),
): Promise<GnnEntry> {
  if (!shippedGnnModel(name)) throw new Error(`${name} is not a shipped GNN model`);
  const names = gnnModelFiles(name);
  const get = async (file: string): Promise<Response> => {
    let r: Response;
    try {
      r = await fetchFile(`${baseUrl}${file}`);
    } catch (e) {
      throw new Error(`could not fetch the shipped model file ${file}: ${(e as Error).message}`);
    }
    if (!r.ok) throw new Error(`could not fetch the shipped model file ${file}: HTTP ${r.status}`);
    return r;
  };
  const [config, tensors] = await Promise.all([get(names.config), get(names.tensors)]);
  const model = parseGnnWeights(await config.text(), new Uint8Array(await tensors.arrayBuffer()), names);
  return { name, origin: 'shipped', files: names, model };
}
