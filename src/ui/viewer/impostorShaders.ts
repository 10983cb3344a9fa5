/**
 * Impostor spheres: each atom is one camera-facing quad; the fragment shader ray-casts the sphere
 * in view space, shades it and writes its true depth, so spheres intersect correctly.
 * GLSL ES 3.00 through three's ShaderMaterial (gl_FragColor is mapped by three; gl_FragDepth is core).
 */

export const impostorVertexShader = /* glsl */ `
attribute vec3 instancePosition;
attribute vec3 instanceColor;
attribute float instanceRadius;
uniform float radiusScale;
varying vec3 vCenter;
varying vec3 vViewPosition;
varying vec3 vColor;
varying float vRadius;

void main() {
  vec4 center = modelViewMatrix * vec4(instancePosition, 1.0);
  float r = instanceRadius * radiusScale;
  // The quad sits one radius in front of the centre and is wide enough to cover the silhouette
  // under perspective, also off the view axis.
  vec3 p = center.xyz + vec3(position.xy * r * 1.6, r);
  vCenter = center.xyz;
  vViewPosition = p;
  vColor = instanceColor;
  vRadius = r;
  gl_Position = projectionMatrix * vec4(p, 1.0);
}
`;

export const impostorFragmentShader = /* glsl */ `
uniform mat4 projectionMatrix;
varying vec3 vCenter;
varying vec3 vViewPosition;
varying vec3 vColor;
varying float vRadius;

void main() {
  // Ray from the eye (view-space origin) through this fragment.
  vec3 rd = normalize(vViewPosition);
  float b = dot(rd, vCenter);
  float c = dot(vCenter, vCenter) - vRadius * vRadius;
  float h = b * b - c;
  if (h < 0.0) discard;
  float t = b - sqrt(h);
  vec3 hit = rd * t;
  vec3 n = (hit - vCenter) / vRadius;
  vec3 l = normalize(vec3(0.35, 0.55, 1.0));
  float diffuse = max(dot(n, l), 0.0);
  vec3 halfway = normalize(l - rd);
  float specular = pow(max(dot(n, halfway), 0.0), 48.0);
  gl_FragColor = vec4(vColor * (0.28 + 0.72 * diffuse) + 0.22 * specular, 1.0);
  vec4 clip = projectionMatrix * vec4(hit, 1.0);
  gl_FragDepth = 0.5 * (clip.z / clip.w) + 0.5;
}
`;
