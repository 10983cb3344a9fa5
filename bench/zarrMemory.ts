/**
 * `npm run bench -- zarr-memory`: streams a long trajectory (default 10,000 frames of 2 systems × 500
 * atoms, positions + velocities + forces + energy + status) through the run's Zarr sink into a
 * directory store, sampling the process's memory (JS heap and ArrayBuffers, after a full GC) every
 * 500 frames. Memory must stay flat: the writer holds one chunk per array whatever the length of the
 * run (DESIGN §7). Prints the samples as JSON; the case fails its check when heap or ArrayBuffers grow
 * by more than the bound between the first sample and the last. Node only.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { SNAPSHOT_FIELDS } from '../src/engine/sinks/sinkSet.ts';
import { ZarrSink } from '../src/engine/sinks/zarr.ts';
import { DirectoryStore } from '../src/io/zarr/directoryStore.ts';
import { lcg, makeFrame } from '../src/io/zarr/frames.testing.ts';
import { type BenchResult, cpuName } from './results.ts';

export const zarrMemoryUsage = `npm run bench -- zarr-memory [options]
  --frames N       frames to write (default 10000)
  --atoms N        atoms per system (default 500)
  --systems N      systems per frame (default 2)
  --sample N       sample memory every N frames (default 500)
  --flush-every N  make the store complete every N frames, as the page does (default 20; 0 = at the end)
  --bound-mib X    largest growth of heap or ArrayBuffers allowed, MiB (default 8)
  --keep DIR       write into DIR and keep it (default: a temporary directory, removed afterwards)`;

const MiB = 2 ** 20;

/** One memory sample: frames written so far, and MiB of JS heap and of ArrayBuffers after a GC. */
export interface MemorySample {
  frames: number;
  heapMiB: number;
  arrayBuffersMiB: number;
  rssMiB: number;
}

function collector(): () => void {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

export async function benchZarrMemory(argv: string[]): Promise<BenchResult> {
  const { values } = parseArgs({
    args: argv,
    options: {
      frames: { type: 'string', default: '10000' },
      atoms: { type: 'string', default: '500' },
      systems: { type: 'string', default: '2' },
      sample: { type: 'string', default: '500' },
      'flush-every': { type: 'string', default: '20' },
      'bound-mib': { type: 'string', default: '8' },
      keep: { type: 'string' },
    },
    strict: true,
  });
  const int = (name: 'frames' | 'atoms' | 'systems' | 'sample' | 'flush-every', min: number) => {
    const v = Number(values[name]);
    if (!Number.isInteger(v) || v < min)
      throw new Error(`--${name} must be a whole number ≥ ${min}\n\n${zarrMemoryUsage}`);
    return v;
  };
  const frames = int('frames', 1);
  const atoms = int('atoms', 1);
  const systems = int('systems', 1);
  const every = int('sample', 1);
  const flushEvery = int('flush-every', 0);
  const bound = Number(values['bound-mib']);
  if (!(bound > 0)) throw new Error(`--bound-mib must be > 0\n\n${zarrMemoryUsage}`);

  const gc = collector();
  const sample = (written: number): MemorySample => {
    gc();
    gc();
    const m = process.memoryUsage();
    return {
      frames: written,
      heapMiB: m.heapUsed / MiB,
      arrayBuffersMiB: m.arrayBuffers / MiB,
      rssMiB: m.rss / MiB,
    };
  };
  const dir = values.keep ?? (await mkdtemp(join(tmpdir(), 'zarr-memory-')));
  const sizes = Array.from({ length: systems }, () => atoms);
  const n = atoms * systems;
  try {
    const sink = await ZarrSink.create(new DirectoryStore(dir), {
      fields: SNAPSHOT_FIELDS,
      flushEveryFrames: flushEvery,
      pipelineSpec: { bench: 'zarr-memory', frames, atoms, systems },
    });
    // One frame object refilled in place with fresh random values (the sink has copied them once
    // `write` settles), so the data does not compress away and nothing but the sink could keep it.
    const { stress: _s, ...frame } = makeFrame(0, sizes, 3);
    const random = lcg(42);
    const samples: MemorySample[] = [];
    console.log(`zarr-memory: ${frames} frames × ${systems} systems × ${atoms} atoms into ${dir}`);
    const started = performance.now();
    for (let f = 0; f < frames; f++) {
      if (f % every === 0) samples.push(sample(f));
      for (const a of [frame.positions, frame.velocities!, frame.forces!]) {
        for (let i = 0; i < a.length; i++) a[i] = random() - 0.5;
      }
      for (let s = 0; s < systems; s++) frame.energy![s] = -random();
      await sink.write({ ...frame, step: 10 * f, time: 50 * f, stageStep: f });
    }
    await sink.close();
    const seconds = (performance.now() - started) / 1000;
    samples.push(sample(frames));
    const first = samples[Math.min(1, samples.length - 1)]!;
    const last = samples.at(-1)!;
    const growth = {
      heapMiB: last.heapMiB - first.heapMiB,
      arrayBuffersMiB: last.arrayBuffersMiB - first.arrayBuffersMiB,
    };
    const rawMiB = (frames * (n * (3 * 12 + 4) + systems * (8 + 4 + 9 * 8 + 3 + 8 * 5 + 4))) / MiB;
    const valid = growth.heapMiB < bound && growth.arrayBuffersMiB < bound;
    console.log(
      JSON.stringify(
        {
          frames,
          systems,
          atoms,
          flushEvery,
          boundMiB: bound,
          seconds,
          rawMiB,
          chunkBuffersMiB: sink.bufferedBytes / MiB,
          growth,
          samples,
        },
        null,
        2,
      ),
    );
    const details = {
      valid,
      boundMiB: bound,
      from: `${first.frames} frames`,
      to: `${last.frames} frames`,
      dataMiB: Number(rawMiB.toFixed(1)),
      chunkBuffersMiB: Number((sink.bufferedBytes / MiB).toFixed(2)),
    };
    const label = `${frames} frames × ${systems}×${atoms} atoms, flush every ${flushEvery || '∞'}`;
    return {
      name: 'zarr-memory',
      date: new Date().toISOString(),
      machine: { cpu: cpuName(), adapter: 'none (Node, directory store)' },
      cases: [
        {
          case: `${label}: heap growth`,
          atoms: n,
          metric: 'heap growth',
          value: growth.heapMiB,
          unit: 'MiB',
          details,
        },
        {
          case: `${label}: ArrayBuffer growth`,
          atoms: n,
          metric: 'ArrayBuffer growth',
          value: growth.arrayBuffersMiB,
          unit: 'MiB',
          details,
        },
        {
          case: `${label}: throughput`,
          atoms: n,
          metric: 'frames written per second',
          value: frames / seconds,
          unit: 'frames/s',
          details: {
            seconds: Number(seconds.toFixed(2)),
            dataMiBPerSecond: Number((rawMiB / seconds).toFixed(1)),
          },
        },
      ],
    };
  } finally {
    if (!values.keep) await rm(dir, { recursive: true, force: true });
  }
}
