/**
 * Entry of the benchmark page: runs the benchmark named by `?bench=` and leaves its result in
 * `globalThis.benchResult` (or the failure in `globalThis.benchError`) for the Node driver to read.
 */

/** What the page exposes to the driver (scripts/bench.ts via Playwright). */
export interface BenchPageGlobals {
  benchResult?: unknown;
  benchError?: string;
}

const out = document.getElementById('log');
const globals = globalThis as typeof globalThis & BenchPageGlobals;

/** Prints to the page and the console (the driver echoes the console). */
function log(line: string): void {
  console.log(line);
  if (out) out.textContent += `${line}\n`;
}

async function main(): Promise<void> {
  const params = new URLSearchParams(location.search);
  const name = params.get('bench');
  switch (name) {
    case 'lj': {
      const { runGpuMelt } = await import('./lj.ts');
      globals.benchResult = await runGpuMelt(
        {
          cells: Number(params.get('cells') ?? 20),
          warmup: Number(params.get('warmup') ?? 100),
          steps: Number(params.get('steps') ?? 1000),
          chunk: Number(params.get('chunk') ?? 50),
        },
        log,
      );
      return;
    }
    default:
      throw new Error(`unknown benchmark '${name}' (try ?bench=lj)`);
  }
}

main().catch((e: unknown) => {
  const message = e instanceof Error ? `${e.message}\n${e.stack ?? ''}` : String(e);
  log(`error: ${message}`);
  globals.benchError = message;
});
