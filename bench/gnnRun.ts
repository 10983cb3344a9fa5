/**
 * `npm run bench -- gnn`: NVE with the shipped copper GNN (bench/gnn.ts) for 4,000, 32,000 and
 * 256,000 atoms: MD steps/s and atom-steps/s, on our WebGPU engine in headless Chromium (default) or
 * under Dawn for Node (`--backend dawn`, for machines with a real GPU: bench/gnnDawn.ts bundles this
 * driver), side by side in the same run with the PyTorch twin of the model
 * (tools/gnn/bench_torch.py: eager and `torch.compile`) where `--torch` names a Python with torch.
 * Every row checks that both sides started from the same energy per atom and that ours conserved it,
 * so that a broken kernel cannot look fast. Node only.
 */
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { GpuGnnResult } from './gnn.ts';
import { GNN_BENCH, type GnnModelFiles } from './gnnProblem.ts';
import { type BenchCase, type BenchResult, cpuName } from './results.ts';

export const gnnUsage = `npm run bench -- gnn [options]
  --backend B      chromium (headless Chromium, default) or dawn (Dawn for Node, a real GPU)
  --cells LIST     fcc cells per axis, comma-separated (default 10,20,40: 4,000, 32,000, 256,000 atoms)
  --steps LIST     timed steps per size, comma-separated, the last repeated (default 100,20,5 in
                   Chromium, where SwiftShader runs the GNN at a few thousand atom-steps/s; 0 skips)
  --warmup N       untimed steps before timing (default 5)
  --chunk N        steps per command encoder (default 10)
  --torch PYTHON   run tools/gnn/bench_torch.py with this Python (with torch) as the peer, same sizes
  --torch-modes M  eager,compile (default eager,compile)
  --torch-device D cuda or cpu (default: cuda if the Python sees one)
  --name NAME      result name: bench/results/<NAME>.json (default gnn)`;

/** Ours may drift at most this much total energy per atom over the timed steps, eV/atom. */
const MAX_DRIFT_PER_ATOM = 1e-3;
/** Both sides start from the same crystal (own RNG each): E(0) per atom must agree to this, eV/atom. */
const MAX_INITIAL_MISMATCH = 2e-3;

/** One case of tools/gnn/bench_torch.py. */
export interface TorchCase {
  mode: string;
  atoms: number;
  steps: number;
  seconds?: number;
  atomStepsPerSecond?: number;
  stepsPerSecond?: number;
  warmupSeconds?: number;
  rebuilds?: number;
  initialEnergyPerAtom?: number;
  startEnergyPerAtom?: number;
  endEnergyPerAtom?: number;
  maxNeighbors?: number;
  peakMemoryGiB?: number | null;
  error?: string;
}

/** Reads the model's two files from public/models/ (Node). */
export async function readBenchModel(root = process.cwd()): Promise<GnnModelFiles> {
  const stem = join(root, 'public', 'models', GNN_BENCH.model);
  return {
    configText: await readFile(`${stem}.json`, 'utf8'),
    tensors: new Uint8Array(await readFile(`${stem}.safetensors`)),
  };
}

/** Runs bench_torch.py and returns its cases and the info line (torch version, device). */
export async function runTorchPeer(
  python: string,
  args: string[],
  log: (line: string) => void,
): Promise<{ info: Record<string, string>; cases: TorchCase[] }> {
  const script = join(process.cwd(), 'tools', 'gnn', 'bench_torch.py');
  const child = spawn(python, [script, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => {
    out += d.toString();
    for (const line of d.toString().split('\n').filter(Boolean)) log(`  [torch] ${line.slice(0, 300)}`);
  });
  let err = '';
  child.stderr.on('data', (d: Buffer) => {
    err += d.toString();
  });
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  const lines = out
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, unknown>);
  if (code !== 0 && lines.length === 0) {
    throw new Error(`${python} ${script} exited with ${code}: ${err.slice(-2000)}`);
  }
  const info = (lines.find((l) => 'info' in l)?.info ?? {}) as Record<string, string>;
  return { info, cases: lines.filter((l) => !('info' in l)) as unknown as TorchCase[] };
}

/** The result rows of one size: ours (steps/s and atom-steps/s) against each torch mode. */
export function gnnCases(ours: GpuGnnResult, backend: string, peers: TorchCase[]): BenchCase[] {
  const perAtom = (e: number) => e / ours.atoms;
  const drift = perAtom(ours.endEnergy - ours.startEnergy);
  const valid = Math.abs(drift) <= MAX_DRIFT_PER_ATOM && ours.truncatedAtoms === 0;
  const details = {
    backend,
    steps: ours.steps,
    seconds: ours.seconds,
    setupSeconds: ours.setupSeconds,
    rebuilds: ours.rebuilds,
    initialEnergyPerAtom: perAtom(ours.initialEnergy),
    energyDriftPerAtom: drift,
    endTemperature: ours.endTemperature,
    maxNeighbors: ours.maxNeighbors,
    truncatedAtoms: ours.truncatedAtoms,
  };
  const oursAtomSteps = (ours.atoms * ours.steps) / ours.seconds;
  const rows: BenchCase[] = [];
  const usable = peers.filter((p) => p.atoms === ours.atoms);
  const withPeer = (metric: 'steps' | 'atom-steps', value: number, peer?: TorchCase): BenchCase => {
    const peerValue =
      peer?.atomStepsPerSecond === undefined
        ? undefined
        : metric === 'steps'
          ? peer.stepsPerSecond!
          : peer.atomStepsPerSecond;
    const initialMismatch =
      peer?.initialEnergyPerAtom === undefined
        ? 0
        : Math.abs(peer.initialEnergyPerAtom - perAtom(ours.initialEnergy));
    const row: BenchCase = {
      case: `gnn cu-mishin1 NVE, ${ours.atoms} atoms, ${ours.steps} steps${peer ? ` vs PyTorch ${peer.mode}` : ''}`,
      atoms: ours.atoms,
      metric: metric === 'steps' ? 'MD steps per second' : 'throughput',
      value: metric === 'steps' ? ours.steps / ours.seconds : value,
      unit: metric === 'steps' ? 'steps/s' : 'atom-steps/s',
      details: { ...details, valid: valid && initialMismatch <= MAX_INITIAL_MISMATCH },
    };
    if (peer && peerValue !== undefined) {
      row.peer = { name: `PyTorch ${peer.mode} (tools/gnn/bench_torch.py)`, value: peerValue };
      row.ratio = row.value / peerValue;
      Object.assign(row.details!, {
        peerSteps: peer.steps,
        peerSeconds: peer.seconds ?? 0,
        peerWarmupSeconds: peer.warmupSeconds ?? 0,
        peerRebuilds: peer.rebuilds ?? 0,
        peerInitialEnergyPerAtom: peer.initialEnergyPerAtom ?? 0,
        peerEnergyDriftPerAtom: (peer.endEnergyPerAtom ?? 0) - (peer.startEnergyPerAtom ?? 0),
        peerMaxNeighbors: peer.maxNeighbors ?? 0,
        peerPeakMemoryGiB: peer.peakMemoryGiB ?? 0,
        initialEnergyMismatchPerAtom: initialMismatch,
      });
    } else if (peer?.error) {
      Object.assign(row.details!, { peer: `PyTorch ${peer.mode} failed: ${peer.error}` });
    }
    return row;
  };
  const list = usable.length > 0 ? usable : [undefined];
  for (const peer of list) {
    rows.push(withPeer('steps', 0, peer));
    rows.push(withPeer('atom-steps', oursAtomSteps, peer));
  }
  return rows;
}

/** Runs every size on our engine, then the PyTorch peer on the same sizes (one after the other). */
export async function benchGnn(argv: string[], options: { gpu?: GPU } = {}): Promise<BenchResult> {
  const { values } = parseArgs({
    args: argv,
    options: {
      backend: { type: 'string', default: 'chromium' },
      cells: { type: 'string', default: '10,20,40' },
      steps: { type: 'string' },
      warmup: { type: 'string', default: '5' },
      chunk: { type: 'string', default: '10' },
      torch: { type: 'string' },
      'torch-modes': { type: 'string', default: 'eager,compile' },
      'torch-device': { type: 'string' },
      name: { type: 'string', default: 'gnn' },
    },
    strict: true,
  });
  const list = (text: string, what: string) =>
    text.split(',').map((s) => {
      const v = Number(s);
      if (!Number.isInteger(v) || v < 0)
        throw new Error(`--${what} must list whole numbers ≥ 0\n\n${gnnUsage}`);
      return v;
    });
  const backend = values.backend;
  if (backend !== 'chromium' && backend !== 'dawn')
    throw new Error(`--backend must be chromium or dawn\n\n${gnnUsage}`);
  const cells = list(values.cells, 'cells');
  const stepsList = list(values.steps ?? (backend === 'chromium' ? '100,20,5' : '1000,500,100'), 'steps');
  const [warmup] = list(values.warmup, 'warmup');
  const chunk = Math.max(1, list(values.chunk, 'chunk')[0]!);
  const sizes = cells.map((c, k) => ({ cells: c, steps: stepsList[Math.min(k, stepsList.length - 1)]! }));
  const plan = sizes.filter((p) => p.steps > 0 && p.cells > 0);
  const skipped = sizes.filter((p) => p.steps === 0 && p.cells > 0);
  const model = await readBenchModel();
  const log = (line: string) => console.log(line);

  const ours: (GpuGnnResult | { atoms: number; error: string })[] = [];
  let adapter = 'unknown';
  for (const { cells: c, steps } of plan) {
    const atoms = 4 * c ** 3;
    console.log(`gnn: ${atoms} atoms, ${warmup} + ${steps} steps on ${backend}`);
    try {
      const result =
        backend === 'dawn'
          ? await (await import('./gnn.ts')).runGpuGnn(
              {
                cells: c,
                warmup: warmup!,
                steps,
                chunk,
                model,
                ...(options.gpu ? { gpu: options.gpu } : {}),
              },
              log,
            )
          : await (await import('./browser.ts')).runBenchPage<GpuGnnResult>(
              { bench: 'gnn', cells: c, warmup: warmup!, steps, chunk },
              { timeoutMs: 3_600_000 },
            );
      adapter = result.adapter;
      ours.push(result);
    } catch (error) {
      const message = error instanceof Error ? error.message.split('\n')[0]! : String(error);
      console.log(`gnn: ${atoms} atoms failed: ${message}`);
      ours.push({ atoms, error: message.slice(0, 500) });
    }
  }

  let peers: TorchCase[] = [];
  let peerInfo: Record<string, string> = {};
  if (values.torch) {
    const args = [
      '--cells',
      ...plan.map((p) => String(p.cells)),
      '--steps',
      ...plan.map((p) => String(p.steps)),
      '--warmup',
      String(Math.max(warmup!, 3)),
      '--mode',
      ...values['torch-modes'].split(','),
      ...(values['torch-device'] ? ['--device', values['torch-device']] : []),
    ];
    console.log(`gnn: PyTorch peer: ${values.torch} tools/gnn/bench_torch.py ${args.join(' ')}`);
    ({ info: peerInfo, cases: peers } = await runTorchPeer(values.torch, args, log));
  }

  const cases: BenchCase[] = [];
  for (const r of ours) {
    if ('error' in r) {
      const peer = peers.find((p) => p.atoms === r.atoms && p.atomStepsPerSecond !== undefined);
      cases.push({
        case: `gnn cu-mishin1 NVE, ${r.atoms} atoms: did not run on ${backend}`,
        atoms: r.atoms,
        metric: 'throughput',
        value: 0,
        unit: 'atom-steps/s',
        ...(peer
          ? { peer: { name: `PyTorch ${peer.mode}`, value: peer.atomStepsPerSecond! }, ratio: 0 }
          : {}),
        details: { backend, error: r.error },
      });
      continue;
    }
    cases.push(...gnnCases(r, backend, peers));
  }
  for (const p of skipped) {
    cases.push({
      case: `gnn cu-mishin1 NVE, ${4 * p.cells ** 3} atoms: not measured in this run (--steps 0 for this size)`,
      atoms: 4 * p.cells ** 3,
      metric: 'throughput',
      value: 0,
      unit: 'atom-steps/s',
      details: { backend, skipped: true },
    });
  }
  const peerNote = values.torch
    ? `PyTorch ${peerInfo.torch ?? '?'} on ${peerInfo.device ?? '?'}`
    : 'no PyTorch peer in this run (--torch not given)';
  return {
    name: values.name,
    date: new Date().toISOString(),
    machine: { cpu: cpuName(), adapter: `${adapter}; ${peerNote}` },
    cases,
  };
}
