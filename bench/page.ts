/**
 * Entry of the benchmark page: runs the benchmark named by `?bench=` and leaves its result in
 * `globalThis.benchResult` (or the failure in `globalThis.benchError`) for the Node driver to read.
 */

/** What the page exposes to the driver (scripts/bench.ts via Playwright). */
export interface BenchPageGlobals {
  benchResult?: unknown;
  benchError?: string;
  /** Data the driver hands over after the page loaded (runBenchPage's `inputs`). */
  benchInputs?: unknown;
}

const out = document.getElementById('log');
const globals = globalThis as typeof globalThis & BenchPageGlobals;

/** Prints to the page and the console (the driver echoes the console). */
function log(line: string): void {
  console.log(line);
  if (out) out.textContent += `${line}\n`;
}

/** Waits (up to 60 s) for the driver's `benchInputs`. */
async function benchInputs(): Promise<unknown> {
  for (let waited = 0; globals.benchInputs === undefined; waited += 100) {
    if (waited > 60_000) throw new Error('the driver did not hand over benchInputs');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return globals.benchInputs;
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
    case 'eam': {
      const { runGpuEam } = await import('./eam.ts');
      const inputs = (await benchInputs()) as { potentialText: string };
      globals.benchResult = await runGpuEam(
        {
          cells: Number(params.get('cells') ?? 20),
          warmup: Number(params.get('warmup') ?? 100),
          steps: Number(params.get('steps') ?? 1000),
          chunk: Number(params.get('chunk') ?? 50),
          potentialText: inputs.potentialText,
        },
        log,
      );
      return;
    }
    case 'gnn': {
      const { runBenchPageGnn } = await import('./gnn.ts');
      globals.benchResult = await runBenchPageGnn(params, log);
      return;
    }
    case 'render': {
      const { runRenderPage } = await import('./renderPage.ts');
      globals.benchResult = await runRenderPage(
        {
          atoms: Number(params.get('atoms') ?? 10_000),
          frames: Number(params.get('frames') ?? 60),
          width: Number(params.get('width') ?? 960),
          height: Number(params.get('height') ?? 540),
        },
        log,
      );
      return;
    }
    default:
      throw new Error(`unknown benchmark '${name}' (try ?bench=lj, ?bench=eam or ?bench=render)`);
  }
}

main().catch((e: unknown) => {
  const message = e instanceof Error ? `${e.message}\n${e.stack ?? ''}` : String(e);
  log(`error: ${message}`);
  globals.benchError = message;
});
