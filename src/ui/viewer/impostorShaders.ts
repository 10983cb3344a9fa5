/**
 * Impostor spheres: each atom is one point sprite (one vertex, no instancing) just large enough to
 * cover its sphere's silhouette; the fragment shader casts the ray through its pixel against the
 * sphere in view space, shades it and writes its true depth, so spheres intersect correctly.
 *
 * Why points and not instanced quads: software renderers (SwiftShader, what headless Chromium and
 * many CI machines draw with) run an instanced draw one instance at a time, ~10 µs each, which made
 * 100,000 atoms take a second per frame; one vertex per atom costs a fraction of that, and on real
 * GPUs it is the cheapest layout too (a quarter of the vertex work). Sprites are limited to the
 * implementation's largest point size (≥ 1024 px on common GPUs and SwiftShader): atoms zoomed to
 * more than that are cut to a square.
 * GLSL ES 3.00 through three's ShaderMaterial (gl_FragColor is mapped by three; gl_FragDepth,
 * gl_VertexID are core).
 */

export const impostorVertexShader = /* glsl */ `
attribute vec3 atomColor;
attribute float atomRadius;
uniform float radiusScale;
// Atom drawn highlighted (the picked atom), −1 for none.
uniform int highlightIndex;
// Drawing buffer size, device pixels.
uniform vec2 viewportSize;
varying vec3 vCenter;
varying vec3 vColor;
varying float vRadius;
varying float vHighlight;

void main() {
  vHighlight = gl_VertexID == highlightIndex ? 1.0 : 0.0;
  vec4 center = modelViewMatrix * vec4(position, 1.0);
  float r = atomRadius * radiusScale * (1.0 + 0.35 * vHighlight);
  // The silhouette of a sphere seen from distance d is a circle of radius r / sqrt(1 - r²/d²) on the
  // plane through its centre, stretched by up to 1/cos(angle off the view axis) radially.
  float d = max(length(center.xyz), 1e-4);
  float closeness = inversesqrt(max(1.0 - (r * r) / (d * d), 0.01));
  float offAxis = 1.0 / max(-center.z / d, 0.3);
  float depth = max(-center.z, 1e-3);
  float pixelsPerUnit = 0.5 * viewportSize.y * projectionMatrix[1][1] / depth;
  vCenter = center.xyz;
  vColor = atomColor;
  vRadius = r;
  gl_Position = projectionMatrix * center;
  gl_PointSize = 2.0 * r * closeness * offAxis * pixelsPerUnit + 2.0;
}
`;

export const impostorFragmentShader = /* glsl */ `
uniform mat4 projectionMatrix;
uniform mat4 inverseProjection;
uniform vec2 viewportSize;
varying vec3 vCenter;
varying vec3 vColor;
varying float vRadius;
varying float vHighlight;

void main() {
  // Ray from the eye (view-space origin) through this pixel.
  vec2 ndc = gl_FragCoord.xy / viewportSize * 2.0 - 1.0;
  vec4 onNear = inverseProjection * vec4(ndc, -1.0, 1.0);
  vec3 rd = normalize(onNear.xyz / onNear.w);
  float b = dot(rd, vCenter);
  float c = dot(vCenter, vCenter) - vRadius * vRadius;
  float h = b * b - c;
  if (h < 0.0) discard;
  float t = b - sqrt(h);
  if (t <= 0.0) discard;
  vec3 hit = rd * t;
  vec3 n = (hit - vCenter) / vRadius;
  vec3 l = normalize(vec3(0.35, 0.55, 1.0));
  float diffuse = max(dot(n, l), 0.0);
  vec3 halfway = normalize(l - rd);
  float specular = pow(max(dot(n, halfway), 0.0), 48.0);
  vec3 shaded = vColor * (0.28 + 0.72 * diffuse) + 0.22 * specular;
  // The picked atom: larger, with a bright rim so it stands out in any colour mode.
  float rim = smoothstep(0.55, 0.8, 1.0 - max(dot(n, -rd), 0.0));
  shaded = mix(shaded, vec3(1.0, 0.95, 0.35), vHighlight * max(rim, 0.25));
  gl_FragColor = vec4(shaded, 1.0);
  vec4 clip = projectionMatrix * vec4(hit, 1.0);
  gl_FragDepth = 0.5 * (clip.z / clip.w) + 0.5;
}
`;
