/**
 * Reductions across ranks (MPI_Allreduce): every rank sends its values to every other rank and
 * combines all P contributions in rank order 0 … P−1, so every rank gets bitwise the same result,
 * whatever the timing. O(P²) small messages: fine for the few ranks of one machine.
 */
import type { RankTransport } from './transport.ts';

/** How values combine. */
export type ReduceOp = 'sum' | 'max' | 'min';

const combine: Record<ReduceOp, (a: number, b: number) => number> = {
  sum: (a, b) => a + b,
  max: (a, b) => Math.max(a, b),
  min: (a, b) => Math.min(a, b),
};

/**
 * Element-wise reduction of `values` over all ranks (collective; every rank passes the same length
 * and `tag`, a name unique to this call, e.g. from DomainRank.nextTag). Returns a new array.
 */
export async function allreduce(
  transport: RankTransport,
  values: Float64Array,
  op: ReduceOp,
  tag: string,
): Promise<Float64Array> {
  const { rank, size } = transport;
  for (let r = 0; r < size; r++) {
    if (r !== rank) transport.send(r, { tag, f64: values.slice(), i32: new Int32Array(0) });
  }
  const parts: Float64Array[] = [];
  for (let r = 0; r < size; r++) {
    if (r === rank) {
      parts.push(values);
      continue;
    }
    const m = await transport.recv(r, tag);
    if (m.f64.length !== values.length) {
      throw new Error(
        `allreduce '${tag}': rank ${r} sent ${m.f64.length} values, rank ${rank} has ${values.length}`,
      );
    }
    parts.push(m.f64);
  }
  const out = parts[0]!.slice();
  const f = combine[op];
  for (let r = 1; r < size; r++) {
    const p = parts[r]!;
    for (let k = 0; k < out.length; k++) out[k] = f(out[k]!, p[k]!);
  }
  return out;
}
