/**
 * Writing a run's decided rows set-wise: each table once (multi-row INSERTs; on SQLite one prepared
 * statement run per row inside the transaction, the engine's own bulk path), and the run's audit
 * records sealed in one `appendAuditBatch`, in row order.
 */
import type { Kysely } from 'kysely';
import type { Dialect } from '../../../store/db.js';
import { fastInsertMany } from '../../../store/fast.js';
import type { Database } from '../../../store/schema.js';
import { appendAuditBatch } from '../../audit.js';
import { INSERT_NOTICE } from '../../notices.js';
import { INSERT_MEMBER, INSERT_NOTIFICATION, INSERT_VERSION } from '../record.js';
import type { Decided } from './decide.js';

export async function writeDecided(trx: Kysely<Database>, dialect: Dialect, rows: readonly Decided[]): Promise<void> {
  await fastInsertMany(
    trx,
    INSERT_MEMBER,
    rows.map((r) => r.member),
  );
  await fastInsertMany(
    trx,
    INSERT_VERSION,
    rows.map((r) => r.version),
  );
  await fastInsertMany(
    trx,
    INSERT_NOTIFICATION,
    rows.map((r) => r.notification),
  );
  await fastInsertMany(
    trx,
    INSERT_NOTICE,
    rows.map((r) => r.notice),
  );
  await appendAuditBatch(
    trx,
    dialect,
    rows.flatMap((r) => r.audits),
  );
}
