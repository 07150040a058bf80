import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openStore } from './db.js';

const modeOf = (path: string) => statSync(path).mode & 0o777;

describe('the SQLite store on disk', () => {
  it('creates its folder for the owner alone and its files unreadable by others', async () => {
    const root = mkdtempSync(join(tmpdir(), 'shikaku-db-'));
    const file = join(root, 'data', 'shikaku.db');
    const store = await openStore({ file });
    try {
      expect(modeOf(join(root, 'data'))).toBe(0o700);
      expect(modeOf(file)).toBe(0o600);
      expect(modeOf(`${file}-wal`)).toBe(0o600);
    } finally {
      await store.close();
    }
  });

  it('leaves the mode of a folder that already existed alone', async () => {
    const root = mkdtempSync(join(tmpdir(), 'shikaku-db-'));
    const before = modeOf(root);
    const store = await openStore({ file: join(root, 'x.db') });
    await store.close();
    expect(modeOf(root)).toBe(before);
    expect(modeOf(join(root, 'x.db'))).toBe(0o600);
  });
});
