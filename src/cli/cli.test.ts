/**
 * The command line as a person uses it: real processes, real files. The reference backend needs no
 * GPU; the Chromium backend is exercised in cliChromium.test.ts.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { lennardJonesReference } from '../engine/reference/lennardJones.ts';
import { buildFcc } from '../engine/structures/fcc.ts';
import { parseXyz, writeExtXyz } from '../io/xyz.ts';

const run = promisify(execFile);
const cli = join(import.meta.dirname, '..', '..', 'bin', 'md-workbench.mjs');
const argon = { kind: 'lennard-jones', epsilon: 0.0104, sigma: 3.4, cutoff: 8.5, shift: false } as const;

async function md(args: string[]): Promise<{ stdout: string; stderr: string; code: number }> {
  try {
    const r = await run(process.execPath, [cli, ...args], { maxBuffer: 64 << 20 });
    return { ...r, code: 0 };
  } catch (e) {
    const err = e as { stdout: string; stderr: string; code: number };
    return { stdout: err.stdout, stderr: err.stderr, code: err.code };
  }
}

let dir: string;
const batch = buildFcc({
  kind: 'fcc',
  element: 'Ar',
  mass: 39.948,
  latticeConstant: 5.26,
  repeat: [4, 4, 4],
  voidRadius: 0,
  temperature: 0,
  jitter: 0.1,
  seed: 5,
});

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'md-cli-'));
  await writeFile(
    join(dir, 'argon.extxyz'),
    writeExtXyz([
      {
        symbols: Array(batch.nAtoms).fill('Ar'),
        positions: batch.positions,
        cell: batch.cells,
        pbc: [true, true, true],
      },
    ]),
  );
  await writeFile(join(dir, 'lj.json'), JSON.stringify(argon));
});

describe('md-workbench (reference backend)', () => {
  it('eval prints the reference energy, forces, virial and stress as JSON', async () => {
    const r = await md([
      'eval',
      join(dir, 'argon.extxyz'),
      '--potential',
      join(dir, 'lj.json'),
      '--backend',
      'reference',
    ]);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    const ref = lennardJonesReference(batch, argon);
    expect(out.atoms).toBe(batch.nAtoms);
    expect(out.energy).toBeCloseTo(ref.energy[0]!, 10);
    expect(out.forces[7][2]).toBeCloseTo(ref.forces[23]!, 10);
    expect(out.virial[4]).toBeCloseTo(ref.virial[4]!, 9);
    const volume = 21.04 ** 3;
    expect(out.stress[0]).toBeCloseTo(-ref.virial[0]! / volume, 12);
    expect(out.units).toMatchObject({ energy: 'eV', forces: 'eV/Å', stress: 'eV/Å³' });
  });

  it('run writes the snapshots as extXYZ that ASE reads, with a progress report', async () => {
    const spec = {
      version: 1,
      system: {
        kind: 'fcc',
        element: 'Ar',
        mass: 39.948,
        latticeConstant: 5.26,
        repeat: [4, 4, 4],
        jitter: 0.1,
      },
      potential: argon,
      stages: [
        { kind: 'fire', steps: 200, dt: 5, convergence: [{ kind: 'max-force', fmax: 0.05 }] },
        {
          kind: 'nve',
          steps: 20,
          dt: 5,
          hooks: [
            { kind: 'snapshot', every: 10 },
            { kind: 'log', every: 5 },
          ],
        },
      ],
    };
    await writeFile(join(dir, 'spec.json'), JSON.stringify(spec));
    const out = join(dir, 'trajectory.extxyz');
    const r = await md(['run', join(dir, 'spec.json'), '--backend', 'reference', '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/100%/);
    expect(r.stderr).toMatch(/completed; wrote 2 frame\(s\)/);
    const frames = parseXyz(await readFile(out, 'utf8'), 'trajectory.extxyz');
    expect(frames.map((f) => f.info.stage)).toEqual(['2. NVE', '2. NVE']);
    const ase = await run('/usr/bin/python3', [
      '-c',
      `import ase.io; fs = ase.io.read(${JSON.stringify(out)}, index=':'); print(len(fs), len(fs[0]), fs[1].info['step'])`,
    ]);
    const [count, atoms, step] = ase.stdout.trim().split(' ').map(Number);
    expect([count, atoms]).toEqual([2, batch.nAtoms]);
    expect(step).toBe(frames[1]!.info.step);
  });

  it('names the file and line of a malformed structure and exits with status 2', async () => {
    await writeFile(join(dir, 'bad.xyz'), '3\ncomment\nAr 0 0 0\nAr 1 x 0\nAr 2 0 0\n');
    const r = await md([
      'eval',
      join(dir, 'bad.xyz'),
      '--potential',
      join(dir, 'lj.json'),
      '--backend',
      'reference',
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/bad\.xyz:4:/);
    expect(r.stderr).not.toMatch(/at .*\.ts:\d+/);
  });

  it('explains an invalid potential and an unknown backend', async () => {
    const bad = await md([
      'eval',
      join(dir, 'argon.extxyz'),
      '--potential',
      '{"kind":"lennard-jones","epsilon":-1,"sigma":3.4,"cutoff":8.5}',
    ]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/potential\.epsilon: must be > 0 eV/);
    const backend = await md([
      'eval',
      join(dir, 'argon.extxyz'),
      '--potential',
      join(dir, 'lj.json'),
      '--backend',
      'cuda',
    ]);
    expect(backend.code).toBe(2);
    expect(backend.stderr).toMatch(/unknown backend 'cuda'/);
  });
});

describe('md-workbench (Chromium backend)', () => {
  it('eval on WebGPU in headless Chromium matches the f64 reference within DESIGN §3 tolerances', async () => {
    const r = await md([
      'eval',
      join(dir, 'argon.extxyz'),
      '--potential',
      join(dir, 'lj.json'),
      '--backend',
      'chromium',
    ]);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.backend).toBe('chromium');
    const ref = lennardJonesReference(batch, argon);
    expect(Math.abs(out.energy - ref.energy[0]!) / Math.abs(ref.energy[0]!)).toBeLessThan(1e-5);
    for (let i = 0; i < batch.nAtoms; i++) {
      for (let a = 0; a < 3; a++) {
        const f = ref.forces[3 * i + a]!;
        expect(Math.abs(out.forces[i][a] - f)).toBeLessThan(1e-4 + 1e-3 * Math.abs(f));
      }
    }
    for (let k = 0; k < 9; k++) expect(Math.abs(out.virial[k] - ref.virial[k]!)).toBeLessThan(5e-4);
  });
});

describe('md-workbench (Dawn backend on SwiftShader)', () => {
  it('eval through Dawn for Node matches the f64 reference within DESIGN §3 tolerances', async () => {
    // Chromium's software Vulkan driver stands in for a GPU (scripts/ensure-system-deps.sh installs the loader).
    process.env.VK_ICD_FILENAMES ??= '/usr/lib/chromium/vk_swiftshader_icd.json';
    const r = await md([
      'eval',
      join(dir, 'argon.extxyz'),
      '--potential',
      join(dir, 'lj.json'),
      '--backend',
      'dawn',
      '--allow-software-dawn',
    ]);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.backend).toBe('dawn');
    const ref = lennardJonesReference(batch, argon);
    expect(Math.abs(out.energy - ref.energy[0]!) / Math.abs(ref.energy[0]!)).toBeLessThan(1e-5);
    const worst = Math.max(...out.forces.flat().map((f: number, k: number) => Math.abs(f - ref.forces[k]!)));
    expect(worst).toBeLessThan(1e-4 + 1e-3 * Math.max(...Array.from(ref.forces, Math.abs)));
  });
});
