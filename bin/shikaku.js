#!/usr/bin/env node
// Starts in a fraction of a second from the CLI bundle; falls back to the sources through tsx.
import { fileURLToPath } from 'node:url';
import { cliEntry } from './entry.js';

if (cliEntry(fileURLToPath(new URL('..', import.meta.url))) === 'bundle') {
  // The shim must run before @peculiar/x509 loads (src/cards/reflect-shim.ts).
  await import('../dist/cli/reflect-shim.mjs');
  await import('../dist/cli/shikaku.mjs');
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/cli/main.ts');
}
