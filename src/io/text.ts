/**
 * Small lexical helpers shared by the parsers: line splitting, strict number parsing, and a
 * cursor over lines that reports positions as 1-based line numbers in {@link ParseError}s.
 */
import { ParseError } from './parseError.ts';

/** Numbers as written by Fortran, C and Python: optional sign, digits, fraction, exponent (e/E/d/D). */
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eEdD][+-]?\d+)?$/;
const INTEGER = /^[+-]?\d+$/;

/** Splits text into lines (LF, CRLF or CR). */
export function splitLines(text: string): string[] {
  return text.split(/\r\n|\n|\r/);
}

/** Whitespace-separated words of a line. */
export function words(line: string): string[] {
  const t = line.trim();
  return t === '' ? [] : t.split(/\s+/);
}

/** Shortens a token for an error message. */
export function quote(token: string): string {
  const s = token.length > 24 ? `${token.slice(0, 24)}…` : token;
  return JSON.stringify(s);
}

/**
 * Parses a finite real number strictly (no trailing garbage, no NaN, no infinity), accepting the
 * Fortran exponent letter D. Returns undefined when the token is not such a number.
 */
export function toReal(token: string): number | undefined {
  if (!NUMBER.test(token)) return undefined;
  const x = Number(token.replace(/[dD]/, 'e'));
  return Number.isFinite(x) ? x : undefined;
}

/** Parses a safe integer strictly; undefined otherwise. */
export function toInteger(token: string): number | undefined {
  if (!INTEGER.test(token)) return undefined;
  const x = Number(token);
  return Number.isSafeInteger(x) ? x : undefined;
}

/** Why a token is not a finite number, for messages ("NaN", "not a number"). */
function notANumber(token: string): string {
  if (/^[+-]?(nan|inf|infinity)$/i.test(token)) return `${quote(token)} is not a finite number`;
  if (NUMBER.test(token)) return `${quote(token)} is out of range`;
  return `${quote(token)} is not a number`;
}

/** A cursor over the lines of one file; errors it raises name the file and the line. */
export class LineReader {
  readonly lines: string[];
  /** Index of the next line to read (0-based). */
  index = 0;

  constructor(
    text: string,
    readonly file: string,
  ) {
    this.lines = splitLines(text);
    // A final newline does not start another line.
    if (this.lines.length > 0 && this.lines[this.lines.length - 1] === '') this.lines.pop();
  }

  /** 1-based number of the line read last (0 before the first). */
  get lineNumber(): number {
    return this.index;
  }

  get done(): boolean {
    return this.index >= this.lines.length;
  }

  /** A ParseError at `line` (default: the line read last). */
  error(problem: string, line: number = this.index): ParseError {
    return new ParseError(this.file, line, problem);
  }

  /** Next raw line; throws naming `what` when the file ends. */
  next(what: string): string {
    const line = this.lines[this.index];
    if (line === undefined) {
      throw this.error(`file ends before ${what} (file truncated?)`, this.lines.length);
    }
    this.index++;
    return line;
  }

  /** Next line that holds at least one word; throws naming `what` when the file ends. */
  nextNonBlank(what: string): string {
    for (;;) {
      const line = this.next(what);
      if (line.trim() !== '') return line;
    }
  }

  /** Parses a real at the line read last; throws naming `what`. */
  real(token: string | undefined, what: string): number {
    if (token === undefined) throw this.error(`missing ${what}`);
    const x = toReal(token);
    if (x === undefined) throw this.error(`${what}: ${notANumber(token)}`);
    return x;
  }

  /** Parses an integer at the line read last; throws naming `what`. */
  integer(token: string | undefined, what: string): number {
    if (token === undefined) throw this.error(`missing ${what}`);
    const x = toInteger(token);
    if (x === undefined) throw this.error(`${what}: ${quote(token)} is not a whole number`);
    return x;
  }

  /**
   * Reads `n` reals spread over as many lines as needed (several per line), starting on a new line,
   * as LAMMPS's PotentialFileReader::next_dvector does. Unlike LAMMPS, values left over on the
   * block's last line are an error: they mean the header's counts do not match the file.
   */
  reals(n: number, what: string): Float64Array {
    const out = new Float64Array(n);
    let i = 0;
    while (i < n) {
      if (this.done) {
        throw this.error(`expected ${n} values of ${what}, found ${i} (file truncated?)`, this.lines.length);
      }
      const ws = words(this.next(what));
      for (let k = 0; k < ws.length; k++) {
        const w = ws[k]!;
        if (i === n) {
          throw this.error(
            `expected ${n} values of ${what}, but this line holds ${ws.length - k} more (wrong counts in the header?)`,
          );
        }
        const x = toReal(w);
        if (x === undefined) throw this.error(`value ${i + 1} of ${what}: ${notANumber(w)}`);
        out[i++] = x;
      }
    }
    return out;
  }
}
