import { mkdirSync, mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BUNDLE, cliEntry } from '../../bin/entry.js';

function packageWith(files: Record<string, number>): string {
  const root = mkdtempSync(join(tmpdir(), 'shikaku-entry-'));
  for (const [path, mtime] of Object.entries(files)) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), '');
    utimesSync(join(root, path), mtime, mtime);
  }
  return root;
}

describe('the CLI entry point (bin/entry.js)', () => {
  it('runs the bundle while it is newer than every source file', () => {
    expect(cliEntry(packageWith({ 'src/cli/main.ts': 1000, 'src/domain/age.ts': 1500, [BUNDLE]: 2000 }))).toBe(
      'bundle',
    );
  });

  it('runs the sources after an edit anywhere under src/', () => {
    expect(cliEntry(packageWith({ 'src/cli/main.ts': 1000, 'src/domain/deep/age.ts': 3000, [BUNDLE]: 2000 }))).toBe(
      'sources',
    );
  });

  it('runs the sources when no bundle was built', () => {
    expect(cliEntry(packageWith({ 'src/cli/main.ts': 1000 }))).toBe('sources');
  });
});
