// Node module hooks: `import text from './x.wgsl?raw'` gives the file's text, as Vite does, so the
// engine's WGSL imports work in Node (CLI, Dawn backend). Registered by scripts/register-raw.mjs.
import { readFile } from 'node:fs/promises';

export async function resolve(specifier, context, next) {
  if (!specifier.endsWith('?raw')) return next(specifier, context);
  const url = new URL(specifier.slice(0, -4), context.parentURL);
  return { url: `${url.href}?raw`, shortCircuit: true };
}

export async function load(url, context, next) {
  if (!url.endsWith('?raw')) return next(url, context);
  const text = await readFile(new URL(url.slice(0, -4)), 'utf8');
  return { format: 'module', source: `export default ${JSON.stringify(text)};`, shortCircuit: true };
}
