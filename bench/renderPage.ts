/**
 * Page side of `npm run bench -- render`: the real AtomViewer (instanced impostor spheres) with N argon
 * atoms on an fcc lattice, timed while the camera orbits. Each frame is rendered and then waited for
 * (one pixel read back), so the time is the whole frame, GPU included. Browser only.
 */
import { AtomViewer } from '../src/ui/viewer/atomViewer.ts';
import { elementStyle } from '../src/ui/viewer/elementStyle.ts';

export interface RenderPageResult {
  atoms: number;
  frames: number;
  /** Canvas size, device pixels. */
  width: number;
  height: number;
  /** Per-frame times, ms (render + wait for the GPU). */
  medianMs: number;
  p95Ms: number;
  /** Time to upload the system (setSystem: instance buffers, element colours), ms. */
  setSystemMs: number;
  /** First frame after setSystem (shader compile and buffer upload included), ms. */
  firstFrameMs: number;
  /** Picking the atom under the canvas centre (CPU ray–sphere scan over every atom), median ms. */
  pickMs: number;
  /** What the WebGL context runs on. */
  renderer: string;
}

/** fcc argon (a = 5.26 Å): the first `atoms` sites of the smallest cube of cells holding them. */
function fccArgon(atoms: number): { positions: Float32Array; cell: Float64Array } {
  const a = 5.26;
  const n = Math.ceil(Math.cbrt(atoms / 4));
  const basis = [
    [0, 0, 0],
    [0.5, 0.5, 0],
    [0.5, 0, 0.5],
    [0, 0.5, 0.5],
  ];
  const positions = new Float32Array(3 * atoms);
  let k = 0;
  for (let i = 0; i < n && k < atoms; i++)
    for (let j = 0; j < n && k < atoms; j++)
      for (let l = 0; l < n && k < atoms; l++)
        for (const b of basis) {
          if (k >= atoms) break;
          positions[3 * k] = (i + b[0]!) * a;
          positions[3 * k + 1] = (j + b[1]!) * a;
          positions[3 * k + 2] = (l + b[2]!) * a;
          k++;
        }
  const L = n * a;
  return { positions, cell: Float64Array.of(L, 0, 0, 0, L, 0, 0, 0, L) };
}

function quantile(sorted: number[], q: number): number {
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[i] ?? Number.NaN;
}

export async function runRenderPage(
  options: { atoms: number; frames: number; width: number; height: number },
  log: (line: string) => void,
): Promise<RenderPageResult> {
  const canvas = document.createElement('canvas');
  canvas.style.width = `${options.width}px`;
  canvas.style.height = `${options.height}px`;
  document.body.append(canvas);
  const viewer = new AtomViewer(canvas, { elementStyle });
  viewer.setSize(options.width, options.height);
  const { positions, cell } = fccArgon(options.atoms);
  const z = new Int32Array(options.atoms).fill(18);
  let t = performance.now();
  viewer.setSystem(z, positions, cell);
  const setSystemMs = performance.now() - t;
  t = performance.now();
  viewer.render();
  viewer.finish();
  const firstFrameMs = performance.now() - t;
  log(
    `${options.atoms} atoms: setSystem ${setSystemMs.toFixed(1)} ms, first frame ${firstFrameMs.toFixed(1)} ms`,
  );
  // Warm-up frames, then timed ones while the camera orbits once.
  for (let f = 0; f < 3; f++) {
    viewer.orbit(0.01);
    viewer.finish();
  }
  const times: number[] = [];
  for (let f = 0; f < options.frames; f++) {
    const t0 = performance.now();
    viewer.orbit((2 * Math.PI) / options.frames);
    viewer.finish();
    times.push(performance.now() - t0);
    // Let the page breathe (the driver polls it).
    if (f % 5 === 4) await new Promise((r) => setTimeout(r, 0));
  }
  const rect = canvas.getBoundingClientRect();
  const picks: number[] = [];
  let picked = -1;
  for (let k = 0; k < 5; k++) {
    const t0 = performance.now();
    picked = viewer.pick(rect.left + rect.width / 2, rect.top + rect.height / 2);
    picks.push(performance.now() - t0);
  }
  log(`pick at the canvas centre: atom ${picked}`);
  const gl = canvas.getContext('webgl2');
  const info = gl?.getExtension('WEBGL_debug_renderer_info');
  const renderer = gl && info ? String(gl.getParameter(info.UNMASKED_RENDERER_WEBGL)) : 'unknown';
  viewer.dispose();
  canvas.remove();
  const sorted = [...times].sort((a, b) => a - b);
  return {
    atoms: options.atoms,
    frames: options.frames,
    width: options.width,
    height: options.height,
    medianMs: quantile(sorted, 0.5),
    p95Ms: quantile(sorted, 0.95),
    setSystemMs,
    firstFrameMs,
    pickMs: quantile(
      [...picks].sort((a, b) => a - b),
      0.5,
    ),
    renderer,
  };
}
