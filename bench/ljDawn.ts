/**
 * The `lj` melt on Dawn for Node (npm `webgpu`), for machines with a real GPU:
 *   node dist-node/ljDawn.js <cells> <steps> [chunk]     (bundle: npm run build:node)
 * DAWN_FLAGS (';'-separated) passes Dawn toggles to create(), e.g. 'enable-dawn-features=skip_validation'.
 * Prints one JSON line with the GpuMeltResult and atom-steps/s.
 */
import { create, globals } from 'webgpu';

Object.assign(globalThis, globals);
const [cells = 20, steps = 1000, chunk = 50] = process.argv.slice(2).map(Number);
const { runGpuMelt } = await import('./lj.ts');
const result = await runGpuMelt(
  {
    cells,
    warmup: 100,
    steps,
    chunk,
    gpu: create(process.env.DAWN_FLAGS ? process.env.DAWN_FLAGS.split(';') : []),
  },
  (line) => process.stderr.write(`${line}\n`),
);
process.stdout.write(
  `${JSON.stringify({ ...result, atomStepsPerSecond: (result.atoms * result.steps) / result.seconds })}\n`,
);
process.exit(0);
