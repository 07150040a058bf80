#!/usr/bin/env node
// `npm ci` / `npm install` run this as the "prepare" script: build the screens (web/ → web/dist) so the
// README's two commands still do everything. Vite is a dev dependency: an install without dev
// dependencies (npm ci --omit=dev) skips the build instead of failing, and `shikaku serve` then shows a
// page that says to run `npm run build:web`.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const vite = fileURLToPath(new URL('../node_modules/vite/bin/vite.js', import.meta.url));
if (!existsSync(vite)) {
  console.log('prepare: vite is not installed (no dev dependencies): the web screens are not built');
  process.exit(0);
}
const result = spawnSync(process.execPath, [vite, 'build', 'web'], {
  cwd: fileURLToPath(new URL('..', import.meta.url)),
  stdio: 'inherit',
});
process.exit(result.status ?? 1);
