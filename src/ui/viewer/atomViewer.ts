/**
 * The three.js view of a system: impostor spheres (one point sprite per atom), the periodic cell as a box, and an
 * orbit camera. Renders on demand (camera moved, positions or colours changed); position and colour
 * updates copy into the existing vertex attributes (Float32, one entry per atom, no per-atom
 * objects), so nothing is allocated per frame and a million atoms stay interactive.
 */
import {
  Box3,
  BufferAttribute,
  BufferGeometry,
  Color,
  DynamicDrawUsage,
  type Float32BufferAttribute,
  type LineSegments,
  PerspectiveCamera,
  Points,
  Scene,
  ShaderMaterial,
  Vector2,
  Vector3,
  WebGLRenderer,
} from 'three';
import { OrbitControls } from 'three/examples/jsm/controls/OrbitControls.js';
import { type ElementStyle, fillAtomStyles } from './atomStyle.ts';
import { createCellBox } from './cellBox.ts';
import { impostorFragmentShader, impostorVertexShader } from './impostorShaders.ts';
import { pickAtom } from './picking.ts';

export const VIEWER_BACKGROUND = 0x11151c;

/** `performance.mark` set when a viewer of the page first draws atoms (read by `npm run bench -- render`). */
export const FIRST_FRAME_MARK = 'atom-viewer-first-frame';

export interface AtomViewerOptions {
  /** Element colour and radius by atomic number. */
  elementStyle: (z: number) => ElementStyle | undefined;
  /** Display radius = element radius × this. */
  radiusScale?: number;
}

export class AtomViewer {
  private readonly renderer: WebGLRenderer;
  private readonly scene = new Scene();
  private readonly camera = new PerspectiveCamera(40, 1, 0.1, 5000);
  private readonly controls: OrbitControls;
  private readonly material: ShaderMaterial;
  private geometry: BufferGeometry | null = null;
  private mesh: Points | null = null;
  private positionAttribute: BufferAttribute | null = null;
  private colorAttribute: BufferAttribute | null = null;
  private nAtoms = 0;
  private readonly viewportSize = new Vector2(1, 1);
  private radii: Float32Array = new Float32Array(0);
  private cellBox: LineSegments | null = null;
  private frameRequested = 0;
  private readonly radiusScale: number;
  /** Called after each render (benchmarks). */
  onRender: (() => void) | null = null;
  private readonly renderNow = () => {
    this.frameRequested = 0;
    this.render();
  };

  constructor(
    canvas: HTMLCanvasElement,
    private readonly options: AtomViewerOptions,
  ) {
    this.renderer = new WebGLRenderer({ canvas, antialias: true, preserveDrawingBuffer: true });
    this.renderer.setPixelRatio(Math.min(window.devicePixelRatio, 2));
    this.scene.background = new Color(VIEWER_BACKGROUND);
    this.radiusScale = options.radiusScale ?? 0.7;
    this.material = new ShaderMaterial({
      vertexShader: impostorVertexShader,
      fragmentShader: impostorFragmentShader,
      uniforms: {
        radiusScale: { value: this.radiusScale },
        highlightIndex: { value: -1 },
        viewportSize: { value: this.viewportSize },
        // The same object three updates with the projection.
        inverseProjection: { value: this.camera.projectionMatrixInverse },
      },
    });
    this.controls = new OrbitControls(this.camera, canvas);
    this.controls.addEventListener('change', () => this.requestRender());
  }

  /** Number of atoms shown. */
  get atomCount(): number {
    return this.nAtoms;
  }

  /** Shows a new system: atoms (positions Å, xyz interleaved) and its cell (Å, 3 row vectors). */
  setSystem(atomicNumbers: ArrayLike<number>, positions: Float32Array, cell: ArrayLike<number>): void {
    const n = atomicNumbers.length;
    if (positions.length !== 3 * n)
      throw new Error(`positions has ${positions.length} values for ${n} atoms`);
    this.disposeSystem();

    const geometry = new BufferGeometry();
    const colors = new Float32Array(3 * n);
    const radii = new Float32Array(n);
    fillAtomStyles(atomicNumbers, this.options.elementStyle, colors, radii);
    const pos = new BufferAttribute(new Float32Array(positions), 3);
    pos.setUsage(DynamicDrawUsage);
    geometry.setAttribute('position', pos);
    const color = new BufferAttribute(colors, 3);
    color.setUsage(DynamicDrawUsage);
    geometry.setAttribute('atomColor', color);
    geometry.setAttribute('atomRadius', new BufferAttribute(radii, 1));

    const mesh = new Points(geometry, this.material);
    // Atoms move every frame: bounds would have to be recomputed each time for nothing.
    mesh.frustumCulled = false;
    this.scene.add(mesh);
    this.cellBox = createCellBox(cell);
    this.scene.add(this.cellBox);
    this.geometry = geometry;
    this.mesh = mesh;
    this.positionAttribute = pos;
    this.colorAttribute = color;
    this.radii = radii;
    this.nAtoms = n;
    this.setHighlight(-1);
    this.frameCamera(positions);
    this.requestRender();
  }

  /** New positions for the same atoms, Å; copied into the existing attribute. */
  updatePositions(positions: Float32Array): void {
    const attr = this.positionAttribute;
    if (!attr || positions.length !== attr.array.length) return;
    (attr.array as Float32Array).set(positions);
    attr.needsUpdate = true;
    this.requestRender();
  }

  /** The per-atom colours shown (3 per atom, 0…1): write into it, then call {@link coloursChanged}. */
  get colours(): Float32Array | null {
    return (this.colorAttribute?.array as Float32Array | undefined) ?? null;
  }

  /** Uploads the colours written into {@link colours}. */
  coloursChanged(): void {
    if (!this.colorAttribute) return;
    this.colorAttribute.needsUpdate = true;
    this.requestRender();
  }

  /** Element colours (and radii) for these atomic numbers, same atom count as shown. */
  setElements(atomicNumbers: ArrayLike<number>): void {
    const colours = this.colours;
    if (!colours || atomicNumbers.length !== this.radii.length) return;
    fillAtomStyles(atomicNumbers, this.options.elementStyle, colours, this.radii);
    (this.geometry?.getAttribute('atomRadius') as BufferAttribute).needsUpdate = true;
    this.coloursChanged();
  }

  /** The positions shown, Å (xyz interleaved; the viewer's own copy, read only). */
  get positions(): Float32Array | null {
    return (this.positionAttribute?.array as Float32Array | undefined) ?? null;
  }

  /** Draws atom `index` highlighted (larger, bright rim); −1 for none. */
  setHighlight(index: number): void {
    const uniform = this.material.uniforms.highlightIndex;
    if (!uniform || uniform.value === index) return;
    uniform.value = index;
    this.requestRender();
  }

  /**
   * The atom under the point (`clientX`, `clientY`) of the canvas (CSS pixels, as in mouse events),
   * or −1: a ray–sphere test against every atom.
   */
  pick(clientX: number, clientY: number): number {
    const positions = this.positions;
    if (!positions) return -1;
    const rect = this.renderer.domElement.getBoundingClientRect();
    if (rect.width <= 0 || rect.height <= 0) return -1;
    const ndc = new Vector3(
      ((clientX - rect.left) / rect.width) * 2 - 1,
      -((clientY - rect.top) / rect.height) * 2 + 1,
      0.5,
    );
    const far = ndc.unproject(this.camera);
    const eye = this.camera.position;
    return pickAtom(
      positions,
      this.radii,
      this.radiusScale,
      [eye.x, eye.y, eye.z],
      [far.x - eye.x, far.y - eye.y, far.z - eye.z],
      this.atomCount,
    );
  }

  /**
   * The atom nearest the camera whose centre projects inside the canvas, and where (client px), or
   * null when none does (tests: a click there must pick it).
   */
  frontAtom(): { index: number; x: number; y: number; position: [number, number, number] } | null {
    const positions = this.positions;
    if (!positions) return null;
    const rect = this.renderer.domElement.getBoundingClientRect();
    const eye = this.camera.position;
    const p = new Vector3();
    let best: { index: number; x: number; y: number; position: [number, number, number] } | null = null;
    let bestD = Number.POSITIVE_INFINITY;
    for (let i = 0; i < this.atomCount; i++) {
      p.set(positions[3 * i]!, positions[3 * i + 1]!, positions[3 * i + 2]!);
      const d = p.distanceTo(eye);
      if (d >= bestD) continue;
      const position: [number, number, number] = [p.x, p.y, p.z];
      p.project(this.camera);
      if (Math.abs(p.x) > 0.9 || Math.abs(p.y) > 0.9 || p.z > 1) continue;
      bestD = d;
      best = {
        index: i,
        x: rect.left + ((p.x + 1) / 2) * rect.width,
        y: rect.top + ((1 - p.y) / 2) * rect.height,
        position,
      };
    }
    return best;
  }

  /** Turns the camera about the cell's centre by `radians` (benchmarks, tests); renders at once. */
  orbit(radians: number): void {
    const target = this.controls.target;
    const offset = this.camera.position.clone().sub(target);
    offset.applyAxisAngle(new Vector3(0, 1, 0), radians);
    this.camera.position.copy(target).add(offset);
    this.camera.lookAt(target);
    this.render();
  }

  /** Renders now (also what a requested frame does). */
  render(): void {
    this.renderer.render(this.scene, this.camera);
    if (this.atomCount > 0 && performance.getEntriesByName(FIRST_FRAME_MARK).length === 0) {
      performance.mark(FIRST_FRAME_MARK, { detail: { atoms: this.atomCount } });
    }
    this.onRender?.();
  }

  /** Waits until the GPU finished the frames drawn so far (reads one pixel back). */
  finish(): void {
    const gl = this.renderer.getContext();
    const pixel = new Uint8Array(4);
    gl.readPixels(0, 0, 1, 1, gl.RGBA, gl.UNSIGNED_BYTE, pixel);
  }

  /** Points the camera at the cell (or the atoms' bounds if the cell is empty). */
  private frameCamera(positions: Float32Array): void {
    const box = new Box3();
    const edges = (this.cellBox?.geometry as BufferGeometry | undefined)?.getAttribute('position');
    if (edges) box.setFromBufferAttribute(edges as Float32BufferAttribute);
    if (box.isEmpty() || box.getSize(new Vector3()).length() === 0) {
      box.setFromArray(positions);
    }
    const center = box.getCenter(new Vector3());
    const radius = Math.max(box.getSize(new Vector3()).length() / 2, 1);
    const distance = radius / Math.sin((this.camera.fov * Math.PI) / 360);
    this.camera.position
      .copy(center)
      .add(new Vector3(0.55, 0.4, 1).normalize().multiplyScalar(distance * 1.05));
    this.camera.near = Math.max(distance / 100, 0.01);
    this.camera.far = distance * 10;
    this.camera.updateProjectionMatrix();
    this.controls.target.copy(center);
    this.controls.update();
  }

  /** Canvas size in CSS pixels. */
  setSize(width: number, height: number): void {
    if (width <= 0 || height <= 0) return;
    this.renderer.setSize(width, height, false);
    this.renderer.getDrawingBufferSize(this.viewportSize);
    this.camera.aspect = width / height;
    this.camera.updateProjectionMatrix();
    this.requestRender();
  }

  requestRender(): void {
    if (this.frameRequested === 0) this.frameRequested = requestAnimationFrame(this.renderNow);
  }

  private disposeSystem(): void {
    if (this.mesh) this.scene.remove(this.mesh);
    this.geometry?.dispose();
    if (this.cellBox) {
      this.scene.remove(this.cellBox);
      this.cellBox.geometry.dispose();
      (this.cellBox.material as { dispose(): void }).dispose();
    }
    this.mesh = null;
    this.geometry = null;
    this.positionAttribute = null;
    this.colorAttribute = null;
    this.nAtoms = 0;
    this.cellBox = null;
  }

  dispose(): void {
    if (this.frameRequested !== 0) cancelAnimationFrame(this.frameRequested);
    this.disposeSystem();
    this.material.dispose();
    this.controls.dispose();
    this.renderer.dispose();
  }
}
