/**
 * Writing a run's decided rows set-wise: each table once (multi-row INSERTs; on SQLite one prepared
 * statement run per row inside the transaction, the engine's own bulk path), and the run's audit
 * records sealed in one `appendAuditBatch`, in row order.
 */
import type { Kysely } from 'kysely';
import type { Dialect } from '../../../store/db.js';
import { fastInsertMany, type InsertStatement } from '../../../store/fast.js';
import type { Database } from '../../../store/schema.js';
import { appendAuditBatch } from '../../audit.js';
import { INSERT_NOTICE } from '../../notices.js';
import { INSERT_MEMBER, INSERT_NOTIFICATION, INSERT_VERSION } from '../record.js';
import type { Decided } from './decide.js';

export async function writeDecided(trx: Kysely<Database>, dialect: Dialect, rows: readonly Decided[]): Promise<void> {
  // One set-wise write per table; members first, as the other rows refer to them.
  const insert = <K extends 'member' | 'version' | 'notification' | 'notice'>(
    statement: InsertStatement<Decided[K]>,
    part: K,
  ) =>
    fastInsertMany(
      trx,
      statement,
      rows.map((r) => r[part]),
    );
  await insert(INSERT_MEMBER, 'member');
  await insert(INSERT_VERSION, 'version');
  await insert(INSERT_NOTIFICATION, 'notification');
  await insert(INSERT_NOTICE, 'notice');
  await appendAuditBatch(
    trx,
    dialect,
    rows.flatMap((r) => r.audits),
  );
}
