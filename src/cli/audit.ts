import type { Command } from 'commander';
import { type AuditHead, verifyAuditChain } from '../services/audit.js';
import { openStore } from '../store/db.js';
import { resolveLocations, type StoreFlags } from './runtime.js';

/** Exit code when the chain is broken. */
export const EXIT_BROKEN = 1;

function parseAnchor(text: string): AuditHead {
  const match = /^(\d+):([0-9a-f]{64})$/.exec(text);
  if (!match) throw new Error('--anchor must be SEQ:HASH (as printed by `shikaku audit verify`)');
  return { seq: Number(match[1]), hash: match[2] ?? '' };
}

export function registerAudit(program: Command): void {
  const audit = program.command('audit').description('the hash-chained audit log / 監査ログ');
  audit
    .command('verify')
    .description('recompute the audit chain; exit 0 when intact, 1 when a record was modified, removed or reordered')
    .option('--db <path|url>', 'SQLite file or postgres:// URL')
    .option('--anchor <seq:hash>', 'a head printed by an earlier run: that record must be unchanged')
    .action(async (opts: StoreFlags & { anchor?: string }) => {
      const anchor = opts.anchor === undefined ? undefined : parseAnchor(opts.anchor);
      const store = await openStore(resolveLocations(opts));
      try {
        const result = await verifyAuditChain(store.db, anchor ? { anchor } : {});
        if (result.ok) {
          console.log(`監査ログ正常 / audit chain intact: ${result.records} records checked`);
          // The head, to keep elsewhere and pass as --anchor next time (catches a truncated tail).
          console.log(`head ${result.head.seq}:${result.head.hash}`);
        } else {
          console.log(
            `監査ログの改ざんを検出 / audit chain BROKEN at record ${result.brokenAt}: ${result.problem} ` +
              `(${result.records} records checked)`,
          );
          process.exitCode = EXIT_BROKEN;
        }
      } finally {
        await store.close();
      }
    });
}
