/**
 * The three.js view of a system: instanced impostor spheres, the periodic cell as a box, and an
 * orbit camera. Renders on demand (camera moved, positions changed); position updates copy into
 * the existing instance attribute, so nothing is allocated per frame.
 */
import {
  Box3,
  type BufferGeometry,
  Color,
  DynamicDrawUsage,
  Float32BufferAttribute,
  InstancedBufferAttribute,
  InstancedBufferGeometry,
  type LineSegments,
  Mesh,
  PerspectiveCamera,
  Scene,
  ShaderMaterial,
  Vector3,
  WebGLRenderer,
} from 'three';
import { OrbitControls } from 'three/examples/jsm/controls/OrbitControls.js';
import { type ElementStyle, fillAtomStyles } from './atomStyle.ts';
import { createCellBox } from './cellBox.ts';
import { impostorFragmentShader, impostorVertexShader } from './impostorShaders.ts';

export const VIEWER_BACKGROUND = 0x11151c;

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
  private geometry: InstancedBufferGeometry | null = null;
  private mesh: Mesh | null = null;
  private positionAttribute: InstancedBufferAttribute | null = null;
  private cellBox: LineSegments | null = null;
  private frameRequested = 0;
  private readonly renderNow = () => {
    this.frameRequested = 0;
    this.renderer.render(this.scene, this.camera);
  };

  constructor(
    canvas: HTMLCanvasElement,
    private readonly options: AtomViewerOptions,
  ) {
    this.renderer = new WebGLRenderer({ canvas, antialias: true, preserveDrawingBuffer: true });
    this.renderer.setPixelRatio(Math.min(window.devicePixelRatio, 2));
    this.scene.background = new Color(VIEWER_BACKGROUND);
    this.material = new ShaderMaterial({
      vertexShader: impostorVertexShader,
      fragmentShader: impostorFragmentShader,
      uniforms: { radiusScale: { value: options.radiusScale ?? 0.7 } },
    });
    this.controls = new OrbitControls(this.camera, canvas);
    this.controls.addEventListener('change', () => this.requestRender());
  }

  /** Number of atoms shown. */
  get atomCount(): number {
    return this.geometry?.instanceCount ?? 0;
  }

  /** Shows a new system: atoms (positions Å, xyz interleaved) and its cell (Å, 3 row vectors). */
  setSystem(atomicNumbers: ArrayLike<number>, positions: Float32Array, cell: ArrayLike<number>): void {
    const n = atomicNumbers.length;
    if (positions.length !== 3 * n)
      throw new Error(`positions has ${positions.length} values for ${n} atoms`);
    this.disposeSystem();

    const geometry = new InstancedBufferGeometry();
    geometry.setIndex([0, 1, 2, 0, 2, 3]);
    geometry.setAttribute(
      'position',
      new Float32BufferAttribute([-1, -1, 0, 1, -1, 0, 1, 1, 0, -1, 1, 0], 3),
    );
    const colors = new Float32Array(3 * n);
    const radii = new Float32Array(n);
    fillAtomStyles(atomicNumbers, this.options.elementStyle, colors, radii);
    const pos = new InstancedBufferAttribute(new Float32Array(positions), 3);
    pos.setUsage(DynamicDrawUsage);
    geometry.setAttribute('instancePosition', pos);
    geometry.setAttribute('instanceColor', new InstancedBufferAttribute(colors, 3));
    geometry.setAttribute('instanceRadius', new InstancedBufferAttribute(radii, 1));
    geometry.instanceCount = n;

    const mesh = new Mesh(geometry, this.material);
    // Instances move every frame; the quad's own bounds say nothing about where they are.
    mesh.frustumCulled = false;
    this.scene.add(mesh);
    this.cellBox = createCellBox(cell);
    this.scene.add(this.cellBox);
    this.geometry = geometry;
    this.mesh = mesh;
    this.positionAttribute = pos;
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
