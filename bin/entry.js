// Which entry point the CLI runs: the bundle that `npm ci` builds (scripts/build-cli.mjs) while it is
// newer than every source file, else the TypeScript sources (right after an edit, or without a build).
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

export const BUNDLE = join('dist', 'cli', 'shikaku.mjs');

function newestUnder(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestUnder(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/** 'bundle' or 'sources', for the package at `root`. */
export function cliEntry(root) {
  try {
    return statSync(join(root, BUNDLE)).mtimeMs > newestUnder(join(root, 'src')) ? 'bundle' : 'sources';
  } catch {
    return 'sources';
  }
}
