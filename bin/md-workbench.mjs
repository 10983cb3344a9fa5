#!/usr/bin/env node
// Entry of the command line: TypeScript through tsx, WGSL `?raw` imports through our loader.
import { register } from 'node:module';
import { register as registerTsx } from 'tsx/esm/api';

registerTsx();
register('../scripts/raw-loader.mjs', import.meta.url);
await import('../src/cli/main.ts');
