/**
 * Writing a run's decided rows set-wise: each table once (multi-row INSERTs; on SQLite one prepared
 * statement run per row inside the transaction, the engine's own bulk path), the members rows a
 * change or loss rewrites after the new ones (each member's last state), and the run's
 * audit records sealed in one `appendAuditBatch`, in row order.
 */
import type { Kysely } from 'kysely';
import type { Dialect } from '../../../store/db.js';
import { fastInsertMany } from '../../../store/fast.js';
import type { Database } from '../../../store/schema.js';
import { appendAuditBatch } from '../../audit.js';
import { INSERT_NOTICE } from '../../notices.js';
import { INSERT_MEMBER, INSERT_NOTIFICATION, INSERT_VERSION, updateMembers } from '../record.js';
import type { Decided } from './decided.js';

export async function writeDecided(trx: Kysely<Database>, dialect: Dialect, rows: readonly Decided[]): Promise<void> {
  // One set-wise write per table; members first, as the other rows refer to them.
  const members = rows.flatMap((r) => r.inserted ?? []);
  const updated = rows.flatMap((r) => r.updated);
  const versions = rows.flatMap((r) => r.versions);
  const notifications = rows.map((r) => r.notification);
  const notices = rows.flatMap((r) => r.notice ?? []);
  await fastInsertMany(trx, INSERT_MEMBER, members);
  await updateMembers(trx, dialect, updated);
  await fastInsertMany(trx, INSERT_VERSION, versions);
  await fastInsertMany(trx, INSERT_NOTIFICATION, notifications);
  await fastInsertMany(trx, INSERT_NOTICE, notices);
  await appendAuditBatch(
    trx,
    dialect,
    rows.flatMap((r) => r.audits),
  );
}
