import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { loadKeyringSource, parseKeyringText } from '../security/keyring.js';
import { verifyAuditChain } from '../services/audit.js';
import { backupSqlite, integrityOf, postgresBackupHelp, restoreSqlite, type SqliteCheck } from '../services/backup.js';
import { openStore } from '../store/db.js';
import { resolveLocations, type StoreFlags } from './runtime.js';

/** Exit code when the store is PostgreSQL (use pg_dump / pg_restore, as printed). */
export const EXIT_POSTGRES = 2;

function keyIdsOf(check: SqliteCheck): string[] {
  return [...new Set(check.keys.flatMap((c) => Object.keys(c.byKey)))].sort();
}

function checkLines(check: SqliteCheck): string[] {
  return [
    `  integrity_check: ${check.integrity ? 'ok' : check.integrityMessages.slice(0, 3).join('; ')}`,
    check.audit.ok
      ? `  audit chain: intact, ${check.audit.records} records, head ${check.audit.head.seq}:${check.audit.head.hash}`
      : `  audit chain: BROKEN at record ${check.audit.brokenAt}: ${check.audit.problem}`,
    `  keys needed / 必要な鍵: ${keyIdsOf(check).join(', ') || 'none'}`,
  ];
}

export function registerBackup(program: Command): void {
  program
    .command('backup')
    .description(
      'online backup of the SQLite store to a new file, checked after / バックアップ (PostgreSQL: prints the pg_dump command)',
    )
    .requiredOption('--out <file>', 'the backup file (must not exist; written with mode 0600)')
    .option('--db <path|url>', 'SQLite file or postgres:// URL')
    .action(async (opts: StoreFlags & { out: string }) => {
      const where = resolveLocations(opts);
      if (where.databaseUrl?.startsWith('postgres')) {
        const safe = new URL(where.databaseUrl);
        safe.password = '';
        console.log(postgresBackupHelp(`postgres://${safe.host}${safe.pathname}`, opts.out));
        process.exitCode = EXIT_POSTGRES;
        return;
      }
      if (!existsSync(where.file)) throw new Error(`no store at ${where.file}`);
      const store = await openStore(where);
      let check: SqliteCheck;
      try {
        check = await backupSqlite(store, opts.out);
      } finally {
        await store.close();
      }
      console.log(`バックアップ完了 / backed up ${where.file} to ${opts.out}`);
      for (const line of checkLines(check)) console.log(line);
      console.log(
        'The keys are not in the backup: keep the keyring with it, stored separately. / 鍵は別に保管してください。',
      );
      if (!check.integrity || !check.audit.ok) process.exitCode = 1;
    });

  program
    .command('restore')
    .description(
      'restore a SQLite backup to --db (stop the server first); checks integrity, audit chain and keys / リストア',
    )
    .argument('<file>', 'a file written by `shikaku backup`')
    .requiredOption('--db <path>', 'the SQLite store to restore to')
    .option('--force', 'replace an existing store (it is kept as <db>.replaced-<time>)')
    .action(async (file: string, opts: StoreFlags & { force?: boolean }) => {
      const where = resolveLocations(opts);
      if (where.databaseUrl?.startsWith('postgres')) {
        console.log(postgresBackupHelp(where.databaseUrl.replace(/:[^:@/]*@/, '@'), file));
        process.exitCode = EXIT_POSTGRES;
        return;
      }
      const stamp = new Date().toISOString().replace(/[:.]/g, '-');
      const { check, plan } = await restoreSqlite(file, where.file, { force: opts.force === true, stamp });
      console.log(`リストア完了 / restored ${file} to ${where.file}`);
      if (plan.replacedTo) console.log(`  the previous store is kept as ${plan.replacedTo}`);

      // Opened as the server will open it (migrations run): check again, then the keys.
      const store = await openStore(where);
      let ok = true;
      try {
        const integrity = integrityOf(store) ?? ['ok'];
        const audit = await verifyAuditChain(store.db);
        ok = integrity.length === 1 && integrity[0] === 'ok' && audit.ok;
        console.log(`  integrity_check: ${integrity.join('; ')}`);
        console.log(
          audit.ok
            ? `  audit chain: intact, ${audit.records} records, head ${audit.head.seq}:${audit.head.hash}`
            : `  audit chain: BROKEN at record ${audit.brokenAt}: ${audit.problem}`,
        );
      } finally {
        await store.close();
      }
      const needed = keyIdsOf(check);
      // Only look for a keyring; creating one here would make a useless random key.
      const env = process.env;
      const keyFile = env.SHIKAKU_KEY_FILE || where.keyFile;
      if (env.SHIKAKU_KEY || existsSync(keyFile)) {
        const held = env.SHIKAKU_KEY
          ? parseKeyringText(env.SHIKAKU_KEY).doc.keys.map((k) => k.id)
          : loadKeyringSource(keyFile).keyring.keyIds;
        const missing = needed.filter((id) => !held.includes(id));
        if (missing.length > 0) {
          console.log(
            `  鍵が足りません / the keyring lacks key(s) ${missing.join(', ')}: restore the keyring kept with the backup`,
          );
          ok = false;
        } else {
          console.log(`  keys: the keyring holds every key the data needs (${needed.join(', ') || 'none'})`);
        }
      } else if (needed.length > 0) {
        console.log(
          `  no keyring at ${keyFile}: copy the keyring kept with the backup there (keys ${needed.join(', ')})`,
        );
        ok = false;
      }
      if (!ok) process.exitCode = 1;
    });
}
