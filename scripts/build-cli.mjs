#!/usr/bin/env node
// Bundles the CLI (src/cli/main.ts and everything it imports, npm packages left external) into
// dist/cli/, so `shikaku …` starts in a fraction of a second instead of compiling TypeScript through
// tsx on every call. bin/shikaku.js runs the bundle while it is newer than every file in src/, and
// the sources otherwise. The reflect shim is its own file: it must run before @peculiar/x509 loads,
// and an ES module's imports are evaluated before its own code.
import { build } from 'esbuild';

const common = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  logLevel: 'warning',
};
await build({ ...common, entryPoints: ['src/cards/reflect-shim.ts'], outfile: 'dist/cli/reflect-shim.mjs' });
await build({ ...common, entryPoints: ['src/cli/main.ts'], outfile: 'dist/cli/shikaku.mjs' });
