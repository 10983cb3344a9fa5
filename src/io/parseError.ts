/**
 * The one error every parser in src/io throws. Its message names the file, the 1-based line and
 * the problem, e.g. `Cu_u3.eam:7: expected 500 values of F(ρ), found 212 (file truncated?)`, so
 * the UI and the CLI can show it as is.
 */
export class ParseError extends Error {
  /**
   * @param file File name as the person knows it (uploaded name, shipped name or CLI path).
   * @param line 1-based line number of the problem; 0 when the problem concerns the whole file.
   * @param problem What is wrong, in words, without the file and line prefix.
   */
  constructor(
    readonly file: string,
    readonly line: number,
    readonly problem: string,
  ) {
    super(line > 0 ? `${file}:${line}: ${problem}` : `${file}: ${problem}`);
    this.name = 'ParseError';
  }
}
