/** Zarr v3 metadata documents (`zarr.json`) for groups and for the arrays of a trajectory. */

/** Data types the trajectory uses, named as in the Zarr v3 core spec. */
export type ZarrDataType = 'bool' | 'uint8' | 'int32' | 'int64' | 'float32' | 'float64';

/** Gzip level declared in the codec configuration (the Compression Streams API compresses at zlib's default, 6). */
export const GZIP_LEVEL = 6;

/** A Zarr v3 array `zarr.json`. */
export interface ArrayMetadata {
  zarr_format: 3;
  node_type: 'array';
  shape: number[];
  data_type: ZarrDataType;
  chunk_grid: { name: 'regular'; configuration: { chunk_shape: number[] } };
  chunk_key_encoding: { name: 'default'; configuration: { separator: '/' } };
  fill_value: number | boolean;
  codecs: [
    { name: 'bytes'; configuration: { endian: 'little' } },
    { name: 'gzip'; configuration: { level: number } },
  ];
  attributes: Record<string, unknown>;
  dimension_names: string[];
}

/** A Zarr v3 group `zarr.json`. */
export interface GroupMetadata {
  zarr_format: 3;
  node_type: 'group';
  attributes: Record<string, unknown>;
}

/** Metadata of an array with explicit codecs (`bytes` little-endian, then gzip) and a typed fill value. */
export function arrayMetadata(args: {
  shape: readonly number[];
  chunkShape: readonly number[];
  dataType: ZarrDataType;
  dimensionNames: readonly string[];
  attributes?: Record<string, unknown>;
}): ArrayMetadata {
  if (args.shape.length !== args.chunkShape.length || args.shape.length !== args.dimensionNames.length) {
    throw new Error('shape, chunk shape and dimension names must have the same rank');
  }
  return {
    zarr_format: 3,
    node_type: 'array',
    shape: [...args.shape],
    data_type: args.dataType,
    chunk_grid: { name: 'regular', configuration: { chunk_shape: [...args.chunkShape] } },
    chunk_key_encoding: { name: 'default', configuration: { separator: '/' } },
    fill_value: args.dataType === 'bool' ? false : 0,
    codecs: [
      { name: 'bytes', configuration: { endian: 'little' } },
      { name: 'gzip', configuration: { level: GZIP_LEVEL } },
    ],
    attributes: args.attributes ?? {},
    dimension_names: [...args.dimensionNames],
  };
}

/** Metadata of a group. */
export function groupMetadata(attributes: Record<string, unknown> = {}): GroupMetadata {
  return { zarr_format: 3, node_type: 'group', attributes };
}

const encoder = new TextEncoder();

/** A metadata document as the UTF-8 bytes of its JSON. */
export function encodeJson(doc: unknown): Uint8Array {
  return encoder.encode(`${JSON.stringify(doc, null, 2)}\n`);
}
