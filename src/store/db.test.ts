import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
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

  it('keeps the WAL small under bursts of writes: the background checkpointer lets each burst restart it', async () => {
    const root = mkdtempSync(join(tmpdir(), 'shikaku-db-'));
    const file = join(root, 'wal.db');
    const store = await openStore({ file });
    try {
      const sqlite = store.sqlite;
      if (!sqlite) throw new Error('a SQLite store has its handle');
      sqlite.exec('create table burst (n integer primary key, body blob not null)');
      const insert = sqlite.prepare('insert into burst (body) values (?)');
      const burst = sqlite.transaction(() => {
        for (let i = 0; i < 100; i++) insert.run(Buffer.alloc(4_000, i));
      });
      const burstBytes = 100 * 4_096;
      const walBytes = () => statSync(`${file}-wal`).size;
      const before = walBytes();
      for (let i = 0; i < 15; i++) {
        burst();
        // A pause as between receptions: the checkpointer (every 50 ms) catches up in it.
        await sleep(150);
      }
      // Without it, no commit checkpoints below 100,000 pages: the WAL would grow by all 15 bursts.
      expect(walBytes() - before).toBeLessThan(2 * burstBytes);
      expect(sqlite.prepare('select count(*) as n from burst').get()).toEqual({ n: 1_500 });
    } finally {
      await store.close();
    }
  });
});
