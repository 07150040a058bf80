import type { Command } from 'commander';
import {
  addKey,
  type KeyringDocument,
  keyringFromDocument,
  loadKeyringSource,
  writeKeyringFile,
} from '../security/keyring.js';
import { systemClock } from '../services/context.js';
import {
  type ColumnKeyUsage,
  keyUsage,
  type RewrapReport,
  rewrapAll,
  summarizeUsage,
} from '../services/key-rotation.js';
import { openStore } from '../store/db.js';
import { resolveLocations, type StoreFlags } from './runtime.js';

/** Exit code when values remain on an old or unknown key after a rotation run. */
export const EXIT_INCOMPLETE = 1;
/** Exit code when the keys cannot be rotated where they live (SHIKAKU_KEY in the environment). */
export const EXIT_USAGE = 2;

function usageLines(usage: ColumnKeyUsage[], doc: KeyringDocument): string[] {
  const lines = ['keys / 鍵:'];
  for (const key of doc.keys) {
    const total = usage.reduce((n, c) => n + (c.byKey[key.id] ?? 0), 0);
    lines.push(
      `  ${key.id}${key.id === doc.current ? ' (current)' : '          '}  created ${key.createdAt}  seals ${total}`,
    );
  }
  lines.push('columns / 暗号化列:');
  for (const c of usage) {
    const parts = Object.entries(c.byKey).map(([id, n]) => `${id}=${n}`);
    lines.push(`  ${c.table}.${c.column}: ${parts.length > 0 ? parts.join(' ') : 'empty'}`);
  }
  return lines;
}

function reportLines(report: RewrapReport): string[] {
  const lines = report.columns.map(
    (c) =>
      `  ${c.table}.${c.column}: ${c.rewrapped} re-encrypted${c.skipped ? `, ${c.skipped} changed meanwhile` : ''}`,
  );
  lines.push(
    `再暗号化 ${report.rewrapped}件（残り ${report.remaining}件）/ ${report.rewrapped} values re-encrypted with key ${report.keyId}, ` +
      `${report.remaining} still on an older key`,
  );
  return lines;
}

/** A keys sub-command: it works on the store named by --db (or the environment). */
function keysCommand(keys: Command, name: string, description: string): Command {
  return keys.command(name).description(description).option('--db <path|url>', 'SQLite file or postgres:// URL');
}

/** Where the store and the keyring are, and the keyring as configured. */
function keyringOf(opts: StoreFlags) {
  const where = resolveLocations(opts);
  return { where, source: loadKeyringSource(where.keyFile) };
}

export function registerKeys(program: Command): void {
  const keys = program.command('keys').description('encryption keys / 暗号鍵 (docs/OPERATIONS.md)');

  keysCommand(keys, 'list', 'the keys (ids and dates, never the secrets) and how many values each seals').action(
    async (opts: StoreFlags) => {
      const { where, source } = keyringOf(opts);
      const store = await openStore(where);
      try {
        console.log(`keyring: ${source.origin === 'env' ? 'SHIKAKU_KEY' : source.file}`);
        for (const line of usageLines(await keyUsage({ store }), source.doc)) console.log(line);
      } finally {
        await store.close();
      }
    },
  );

  keysCommand(
    keys,
    'rotate',
    'add a new current key and re-encrypt every sealed value with it, in batches; ' +
      'a killed run is finished by running it again / 鍵の更新と再暗号化（中断後は再実行で再開）',
  )
    .option('--batch <n>', 'values per transaction', (v) => Number(v), 1000)
    .option('--keyring-out <file>', 'SHIKAKU_KEY only: write the keyring with a new key to this file (0600)')
    .action(async (opts: StoreFlags & { batch: number; keyringOut?: string }) => {
      const { where, source } = keyringOf(opts);
      const store = await openStore(where);
      try {
        let keyring = source.keyring;
        const before = summarizeUsage(await keyUsage({ store }), keyring);
        const unknown = Object.entries(before.unknown);
        if (unknown.length > 0) {
          console.error(
            `鍵がない暗号文があります / values are sealed with keys this keyring lacks: ${unknown.map(([id, n]) => `${id} (${n})`).join(', ')}. ` +
              'Restore the keyring that holds them first.',
          );
          process.exitCode = EXIT_INCOMPLETE;
          return;
        }
        if (before.pending > 0) {
          console.log(
            `前回の更新を再開します / resuming: ${before.pending} values are still on an older key; re-encrypting them with ${keyring.keyId}`,
          );
        } else {
          const next = addKey(source.doc, systemClock.now().toISOString());
          if (source.origin === 'env') {
            if (!opts.keyringOut) {
              console.error(
                'SHIKAKU_KEY holds the keys, so they cannot be rotated in place. Run `shikaku keys rotate --keyring-out FILE`, ' +
                  'put the content of FILE in SHIKAKU_KEY (or set SHIKAKU_KEY_FILE=FILE), restart the servers, ' +
                  'then run `shikaku keys rotate` again: it re-encrypts everything with the new key.',
              );
              process.exitCode = EXIT_USAGE;
              return;
            }
            writeKeyringFile(opts.keyringOut, next, { exclusive: true });
            console.log(
              `新しい鍵 ${next.current} を ${opts.keyringOut} に書きました / wrote the keyring with new key ${next.current} to ${opts.keyringOut}. ` +
                'Put it in SHIKAKU_KEY, restart, then run `shikaku keys rotate` again.',
            );
            return;
          }
          // The file is written (and synced) before any value is sealed with the new key.
          writeKeyringFile(source.file ?? where.keyFile, next);
          keyring = keyringFromDocument(next);
          console.log(`新しい鍵 / new current key: ${keyring.keyId}`);
        }
        const report = await rewrapAll(
          { store, keyring, clock: systemClock },
          {
            batch: opts.batch,
            onBatch: (p) => {
              if (process.stderr.isTTY) process.stderr.write(`\r  ${p.table}.${p.column}: ${p.done}`);
            },
          },
        );
        if (process.stderr.isTTY) process.stderr.write('\n');
        for (const line of reportLines(report)) console.log(line);
        if (report.remaining > 0) {
          console.log('A server sealed values with the old key meanwhile: run `shikaku keys rotate` again.');
          process.exitCode = EXIT_INCOMPLETE;
        }
      } finally {
        await store.close();
      }
    });

  keysCommand(
    keys,
    'prune',
    'remove old keys that seal no value any more (keep a copy for backups made before the rotation)',
  ).action(async (opts: StoreFlags) => {
    const { where, source } = keyringOf(opts);
    if (source.origin === 'env' || !source.file) {
      console.error('SHIKAKU_KEY holds the keys: edit the keyring JSON where it is kept.');
      process.exitCode = EXIT_USAGE;
      return;
    }
    const store = await openStore(where);
    try {
      const usage = await keyUsage({ store });
      const used = new Set(usage.flatMap((c) => Object.keys(c.byKey)));
      const keep = source.doc.keys.filter((k) => k.id === source.doc.current || used.has(k.id));
      const dropped = source.doc.keys.filter((k) => !keep.includes(k)).map((k) => k.id);
      if (dropped.length > 0) writeKeyringFile(source.file, { ...source.doc, keys: keep });
      console.log(dropped.length > 0 ? `removed / 削除: ${dropped.join(', ')}` : 'nothing to remove / 削除なし');
    } finally {
      await store.close();
    }
  });
}
