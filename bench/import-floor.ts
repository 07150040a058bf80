/**
 * The write floor of the CSV import: the rows an import wrote (members and their versions,
 * notifications, お知らせ, audit records), written again into a fresh store by prepared one-row
 * INSERTs, in the order and in the batches the import wrote them, with nothing else: no parsing,
 * validation, encryption, lookup, rule or hash. No implementation that writes these rows durably can
 * import faster than this on the same store, so it is the import's ceiling (docs/PERFORMANCE.md).
 */
import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import { IMPORT_BATCH_ROWS } from '../src/services/csv-import.js';
import type { Store } from '../src/store/db.js';
import { fastInsert, fastRun, type InsertStatement, insertStatement } from '../src/store/fast.js';

type Row = Record<string, unknown>;

/** What one notification wrote, in the order the registry writes it. */
interface Written {
  /** Member rows: inserted the first time a member appears, updated after. */
  members: Row[];
  versions: Row[];
  notification: Row;
  notices: Row[];
  audit: Row[];
}

async function all(store: Store, text: string): Promise<Row[]> {
  return (await sql.raw<Row>(text).execute(store.db)).rows;
}

/**
 * The import's writes grouped by notification, in the order they were recorded: the order of their
 * audit records (UUID v7 ids of one millisecond are not in order).
 */
async function writtenByNotification(from: Store): Promise<Written[]> {
  const members = new Map((await all(from, 'select * from members')).map((m) => [m.id, m]));
  const versions = new Map<unknown, Row[]>();
  for (const v of await all(from, 'select * from member_versions order by member_id, version')) {
    versions.set(v.notification_id, [...(versions.get(v.notification_id) ?? []), v]);
  }
  const notices = new Map((await all(from, 'select * from notices')).map((n) => [n.member_id, n]));
  const notifications = new Map((await all(from, 'select * from notifications')).map((n) => [n.id, n]));
  // An audit record names its notification, except the お知らせ's, which follows its notification's.
  const audit = new Map<unknown, Row[]>();
  let current: unknown = null;
  for (const a of await all(from, 'select * from audit_log order by seq')) {
    const detail = JSON.parse(String(a.detail)) as { notificationId?: string };
    if (detail.notificationId) current = detail.notificationId;
    if (current !== null) audit.set(current, [...(audit.get(current) ?? []), a]);
  }
  const seen = new Set<unknown>();
  return [...audit].map(([id, records]) => {
    const own = versions.get(id) ?? [];
    const firstSeen = own.map((v) => v.member_id).filter((memberId) => !seen.has(memberId));
    for (const memberId of firstSeen) seen.add(memberId);
    return {
      members: own.map((v) => members.get(v.member_id) as Row),
      versions: own,
      notification: notifications.get(id) as Row,
      notices: firstSeen.flatMap((memberId) => (notices.has(memberId) ? [notices.get(memberId) as Row] : [])),
      audit: records,
    };
  });
}

function statementOf(table: string, sample: Row | undefined): InsertStatement<Row> {
  return insertStatement<Row>(table, Object.keys(sample ?? {}));
}

/**
 * Writes what the import wrote into `to` (a fresh store with the same insurer and residents) and
 * answers notifications per second. Each audit chain's head moves once per batch, the least a chain needs.
 */
export async function replayImportWrites(
  from: Store,
  to: Store,
): Promise<{ notifications: number; seconds: number; rowsPerSecond: number }> {
  const written = await writtenByNotification(from);
  const first = written[0];
  if (!first) throw new Error('floor: the import wrote nothing');
  const memberSample = written.find((w) => w.members.length > 0)?.members[0];
  const insert = {
    member: statementOf('members', memberSample),
    version: statementOf('member_versions', first.versions[0]),
    notification: statementOf('notifications', first.notification),
    notice: statementOf('notices', written.find((w) => w.notices.length > 0)?.notices[0]),
    audit: statementOf('audit_log', first.audit[0]),
  };
  const memberColumns = Object.keys(memberSample ?? {}).filter((c) => c !== 'id');
  const updateMember = `update members set ${memberColumns.map((c) => `"${c}" = ?`).join(', ')} where id = ?`;
  const inserted = new Set<unknown>();
  const started = performance.now();
  for (let i = 0; i < written.length; i += IMPORT_BATCH_ROWS) {
    const trx = await to.db.startTransaction().execute();
    const heads = new Map<unknown, Row>();
    for (const w of written.slice(i, i + IMPORT_BATCH_ROWS)) {
      for (const [k, member] of w.members.entries()) {
        if (inserted.has(member.id)) {
          await fastRun(trx, updateMember, [...memberColumns.map((c) => member[c]), member.id]);
        } else {
          inserted.add(member.id);
          await fastInsert(trx, insert.member, member);
        }
        await fastInsert(trx, insert.version, w.versions[k] as Row);
      }
      await fastInsert(trx, insert.notification, w.notification);
      for (const notice of w.notices) await fastInsert(trx, insert.notice, notice);
      for (const record of w.audit) {
        await fastInsert(trx, insert.audit, record);
        heads.set(record.chain, record);
      }
    }
    if (heads.size > 0) {
      await fastRun(
        trx,
        `insert into audit_chains (chain, seq, hash) values ${[...heads].map(() => '(?, ?, ?)').join(', ')} on conflict (chain) do update set seq = excluded.seq, hash = excluded.hash`,
        [...heads.values()].flatMap((r) => [r.chain, r.seq, r.hash]),
      );
    }
    await trx.commit().execute();
  }
  const seconds = (performance.now() - started) / 1000;
  return { notifications: written.length, seconds, rowsPerSecond: written.length / seconds };
}
