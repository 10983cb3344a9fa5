/**
 * Benchmark dispatcher: `npm run bench -- <name> [options]` runs one benchmark, writes
 * bench/results/<name>.json (DESIGN §9) and prints a table. Exits 1 if a case failed its checks.
 */
import { type BenchResult, formatTable, writeResult } from '../bench/results.ts';

interface Benchmark {
  summary: string;
  usage: () => Promise<string>;
  run: (argv: string[]) => Promise<BenchResult>;
}

const benchmarks: Record<string, Benchmark> = {
  lj: {
    summary: 'LAMMPS LJ melt (32,000 and 256,000 atoms): WebGPU engine in headless Chromium vs LAMMPS serial',
    usage: async () => (await import('../bench/ljRun.ts')).ljUsage,
    run: async (argv) => (await import('../bench/ljRun.ts')).benchLj(argv),
  },
  eam: {
    summary:
      'LAMMPS EAM benchmark (32,000 atoms of fcc Cu, Cu_u3.eam): WebGPU engine in headless Chromium vs LAMMPS serial',
    usage: async () => (await import('../bench/eamRun.ts')).eamUsage,
    run: async (argv) => (await import('../bench/eamRun.ts')).benchEam(argv),
  },
  relax: {
    summary:
      'FIRE relaxation of 1,000 random argon LJ clusters (13–147 atoms) to fmax 0.01 eV/Å with inflight batching: WebGPU engine in headless Chromium vs ASE FIRE',
    usage: async () => (await import('../bench/relax.ts')).relaxUsage,
    run: async (argv) => (await import('../bench/relax.ts')).benchRelax(argv),
  },
  pipeline: {
    summary:
      'FIRE → Langevin NVT → NVE over random argon LJ clusters: 3 workers (one per segment, piped) vs the chain and fuse(FIRE, NVT, NVE) on one worker, in headless Chromium',
    usage: async () => (await import('../bench/pipeline.ts')).pipelineUsage,
    run: async (argv) => (await import('../bench/pipeline.ts')).benchPipeline(argv),
  },
  gnn: {
    summary:
      'NVE with the copper GNN (4,000, 32,000, 256,000 atoms): WebGPU engine in headless Chromium or Dawn (--backend dawn) vs the PyTorch twin (--torch python3)',
    usage: async () => (await import('../bench/gnnRun.ts')).gnnUsage,
    run: async (argv) => (await import('../bench/gnnRun.ts')).benchGnn(argv),
  },
  decomposition: {
    summary:
      'one system over 1, 2, 4 and 8 workers (domain decomposition; LJ argon and EAM Cu, 256,000 atoms): time per step and exchange share',
    usage: async () => (await import('../bench/decomposition.ts')).decompositionUsage,
    run: async (argv) => (await import('../bench/decomposition.ts')).benchDecomposition(argv),
  },
  render: {
    summary:
      'viewer frame time with 10,000, 100,000 and 1,000,000 atoms (headless Chromium), and open page → first rendered frame of the default example',
    usage: async () => (await import('../bench/render.ts')).renderUsage,
    run: async (argv) => (await import('../bench/render.ts')).benchRender(argv),
  },
  'zarr-memory': {
    summary: 'Zarr trajectory streaming (10,000 frames of 2 × 500 atoms to a directory): memory stays flat',
    usage: async () => (await import('../bench/zarrMemory.ts')).zarrMemoryUsage,
    run: async (argv) => (await import('../bench/zarrMemory.ts')).benchZarrMemory(argv),
  },
};

function usage(): string {
  const names = Object.entries(benchmarks).map(([name, b]) => `  ${name.padEnd(8)} ${b.summary}`);
  return [
    'usage: npm run bench -- <name> [options]   (--help after a name lists its options)',
    '',
    'benchmarks:',
    ...names,
  ].join('\n');
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  const bench = name === undefined ? undefined : benchmarks[name];
  if (!bench) {
    if (name !== undefined && name !== '--help' && name !== '-h')
      console.error(`unknown benchmark '${name}'\n`);
    console.error(usage());
    return name === '--help' || name === '-h' ? 0 : 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    console.log(await bench.usage());
    return 0;
  }
  const result = await bench.run(rest);
  const path = await writeResult(result);
  console.log(`\n${formatTable(result)}\n\nwrote ${path}`);
  const invalid = result.cases.filter((c) => c.details?.valid === false);
  for (const c of invalid) console.error(`CHECK FAILED: ${c.case}: ${JSON.stringify(c.details)}`);
  return invalid.length > 0 ? 1 : 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  },
);
