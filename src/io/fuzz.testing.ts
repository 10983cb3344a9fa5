/**
 * Test helper: fast-check mutations of valid files (truncation, byte flips, line deletion and
 * duplication, numbers replaced by garbage, NaN or huge values) and a property that a parser
 * either succeeds or throws a ParseError, within a time bound. Used by the parsers' tests only.
 */
import fc from 'fast-check';
import { expect } from 'vitest';
import { ParseError } from './parseError.ts';

const GARBAGE = [
  'NaN',
  'nan',
  'inf',
  '-Infinity',
  '1e999',
  '-1e400',
  'abc',
  '1.2.3',
  '',
  '"',
  '{',
  '=',
  '#',
  '0x10',
  '1e',
  '--1',
  '9'.repeat(40),
  '-0',
  '0',
  '1e9',
  '2147483648',
];

export type Mutation =
  | { kind: 'truncate'; at: number }
  | { kind: 'flip'; at: number; char: string }
  | { kind: 'deleteLine'; line: number }
  | { kind: 'duplicateLine'; line: number }
  | { kind: 'replaceNumber'; index: number; by: string }
  | { kind: 'insert'; at: number; text: string };

/** An arbitrary list of 1–3 mutations (positions as fractions of the file). */
export const mutations: fc.Arbitrary<Mutation[]> = fc.array(
  fc.oneof(
    fc
      .record({ kind: fc.constant('truncate' as const), at: fc.double({ min: 0, max: 1, noNaN: true }) })
      .map((m) => m),
    fc.record({
      kind: fc.constant('flip' as const),
      at: fc.double({ min: 0, max: 1, noNaN: true }),
      char: fc.oneof(
        fc.constantFrom(' ', '\n', '\t', '-', '.', 'e', 'E', '"', '=', ':', '#', 'x', '0', '9'),
        fc.string({ minLength: 1, maxLength: 1 }),
      ),
    }),
    fc.record({ kind: fc.constant('deleteLine' as const), line: fc.double({ min: 0, max: 1, noNaN: true }) }),
    fc.record({
      kind: fc.constant('duplicateLine' as const),
      line: fc.double({ min: 0, max: 1, noNaN: true }),
    }),
    fc.record({
      kind: fc.constant('replaceNumber' as const),
      index: fc.double({ min: 0, max: 1, noNaN: true }),
      by: fc.oneof(fc.constantFrom(...GARBAGE), fc.string({ maxLength: 6 }), fc.integer().map(String)),
    }),
    fc.record({
      kind: fc.constant('insert' as const),
      at: fc.double({ min: 0, max: 1, noNaN: true }),
      text: fc.oneof(
        fc.constantFrom('\n', ' NaN ', '\n\n', ' 1 2 3\n', 'Atoms\n', 'Masses\n'),
        fc.string({ maxLength: 8 }),
      ),
    }),
  ),
  { minLength: 1, maxLength: 3 },
);

/** Applies mutations to a text. */
export function mutate(text: string, ms: readonly Mutation[]): string {
  let t = text;
  for (const m of ms) {
    const pos = (f: number) => Math.min(t.length, Math.floor(f * t.length));
    if (m.kind === 'truncate') t = t.slice(0, pos(m.at));
    else if (m.kind === 'flip') t = t.slice(0, pos(m.at)) + m.char + t.slice(pos(m.at) + 1);
    else if (m.kind === 'insert') t = t.slice(0, pos(m.at)) + m.text + t.slice(pos(m.at));
    else if (m.kind === 'deleteLine' || m.kind === 'duplicateLine') {
      const lines = t.split('\n');
      const k = Math.min(lines.length - 1, Math.floor(m.line * lines.length));
      if (m.kind === 'deleteLine') lines.splice(k, 1);
      else lines.splice(k, 0, lines[k]!);
      t = lines.join('\n');
    } else {
      const re = /[+-]?(\d+\.?\d*|\.\d+)([eEdD][+-]?\d+)?/g;
      const hits = [...t.matchAll(re)];
      if (hits.length === 0) continue;
      const h = hits[Math.min(hits.length - 1, Math.floor(m.index * hits.length))]!;
      t = t.slice(0, h.index) + m.by + t.slice(h.index + h[0].length);
    }
  }
  return t;
}

/**
 * Runs `parse` on `runs` mutated versions of each seed: each call must return or throw a
 * ParseError (whose message starts with the file name), and take less than `maxMs`.
 * Returns how many inputs were rejected, so tests can check the fuzzing did reach errors.
 */
export function fuzzParser(
  seeds: readonly string[],
  file: string,
  parse: (text: string) => unknown,
  runs: number,
  maxMs = 2000,
): { rejected: number; accepted: number } {
  let rejected = 0;
  let accepted = 0;
  fc.assert(
    fc.property(fc.nat({ max: seeds.length - 1 }), mutations, (seed, ms) => {
      const text = mutate(seeds[seed]!, ms);
      const t0 = performance.now();
      try {
        parse(text);
        accepted++;
      } catch (e) {
        if (!(e instanceof ParseError)) {
          throw new Error(`non-ParseError ${String(e)} for mutations ${JSON.stringify(ms)}`);
        }
        expect(e.message.startsWith(file)).toBe(true);
        rejected++;
      }
      const ms_ = performance.now() - t0;
      if (ms_ > maxMs)
        throw new Error(`parser took ${ms_.toFixed(0)} ms (> ${maxMs}) on ${JSON.stringify(ms)}`);
    }),
    { numRuns: runs, seed: 20240601 },
  );
  return { rejected, accepted };
}
