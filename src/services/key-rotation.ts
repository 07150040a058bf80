/**
 * Re-encryption of every sealed value with the keyring's current key (`shikaku keys rotate`,
 * DESIGN.md §3.4). The columns are found, not listed: every column named `*_enc` holds a ciphertext
 * (`v1:<keyId>:…`), so a column another module adds later is rotated too.
 *
 * Work goes in batches, each in its own transaction, and only touches values still sealed with an
 * older key: a rotation killed half-way is finished by running it again, and values already on the
 * current key are never touched twice. Each update is a compare-and-swap on the old ciphertext, so a
 * value the server rewrote meanwhile (a renewed card key) is left as the server wrote it.
 */
import { type Kysely, sql } from 'kysely';
import { type Keyring, sealedKeyId, sealedPrefix } from '../security/keyring.js';
import type { Database } from '../store/schema.js';
import { systemActor } from './actor.js';
import { appendAudit } from './audit.js';
import { nowIso, type ServiceContext } from './context.js';

export interface EncryptedColumn {
  table: string;
  column: string;
}

/** Every `*_enc` column of the schema (introspected, so new ones are included). */
export async function encryptedColumns(db: Kysely<Database>): Promise<EncryptedColumn[]> {
  const tables = await db.introspection.getTables();
  const found: EncryptedColumn[] = [];
  for (const table of tables) {
    for (const column of table.columns) {
      if (column.name.endsWith('_enc')) found.push({ table: table.name, column: column.name });
    }
  }
  return found.sort((a, b) => `${a.table}.${a.column}`.localeCompare(`${b.table}.${b.column}`));
}

export interface ColumnKeyUsage extends EncryptedColumn {
  /** Values per key id (`?` for a value that is not a ciphertext of ours). */
  byKey: Record<string, number>;
}

/** How many values each key seals, per column (no value is decrypted). */
export async function keyUsage(ctx: Pick<ServiceContext, 'store'>): Promise<ColumnKeyUsage[]> {
  const usage: ColumnKeyUsage[] = [];
  for (const c of await encryptedColumns(ctx.store.db)) {
    // 'v1:' + 8 hex + ':' — the prefix names the key without reading the rest.
    const rows = await sql<{ prefix: string | null; n: number | string }>`
      select substr(${sql.ref(c.column)}, 1, 12) as prefix, count(*) as n
      from ${sql.table(c.table)} where ${sql.ref(c.column)} is not null group by substr(${sql.ref(c.column)}, 1, 12)`.execute(
      ctx.store.db,
    );
    const byKey: Record<string, number> = {};
    for (const row of rows.rows) {
      const id = (row.prefix && sealedKeyId(row.prefix)) || '?';
      byKey[id] = (byKey[id] ?? 0) + Number(row.n);
    }
    usage.push({ ...c, byKey });
  }
  return usage;
}

export interface KeyUsageSummary {
  /** Values sealed with the current key. */
  current: number;
  /** Values sealed with an older key this keyring still holds: what a rotation re-encrypts. */
  pending: number;
  /** Values sealed with keys this keyring does not hold: they cannot be opened. */
  unknown: Record<string, number>;
}

export function summarizeUsage(usage: ColumnKeyUsage[], keyring: Keyring): KeyUsageSummary {
  const summary: KeyUsageSummary = { current: 0, pending: 0, unknown: {} };
  for (const column of usage) {
    for (const [id, n] of Object.entries(column.byKey)) {
      if (id === keyring.keyId) summary.current += n;
      else if (keyring.keyIds.includes(id)) summary.pending += n;
      else summary.unknown[id] = (summary.unknown[id] ?? 0) + n;
    }
  }
  return summary;
}

export interface RewrapProgress extends EncryptedColumn {
  /** Values of this column re-encrypted so far in this run. */
  done: number;
}

export interface RewrapOptions {
  /** Values per transaction (default 1000). */
  batch?: number;
  /** Called after each committed batch (progress; tests use it to simulate a crash). */
  onBatch?: (progress: RewrapProgress) => void | Promise<void>;
}

export interface RewrapReport {
  /** The key every value is now sealed with. */
  keyId: string;
  columns: Array<EncryptedColumn & { rewrapped: number; skipped: number }>;
  rewrapped: number;
  /** Values the server changed while we worked (left as they were; a re-run picks them up if needed). */
  skipped: number;
  /** After the run: values still on an older key (written by a server that had not reloaded yet). */
  remaining: number;
  unknown: Record<string, number>;
}

/** The identity of a physical row for a keyset scan and a compare-and-swap update. */
function rowIdentity(ctx: Pick<ServiceContext, 'store'>) {
  return ctx.store.dialect === 'postgres'
    ? { select: sql<string>`ctid::text`, cast: (v: string) => sql`${v}::tid`, column: sql`ctid`, start: '(0,0)' }
    : { select: sql<string>`rowid`, cast: (v: string) => sql`${Number(v)}`, column: sql`rowid`, start: '0' };
}

/**
 * Re-encrypts every value sealed with an older key of the keyring under its current key, batch by
 * batch, and writes one audit record of the run. Values sealed with keys the keyring lacks are
 * counted, never touched.
 */
export async function rewrapAll(ctx: ServiceContext, options: RewrapOptions = {}): Promise<RewrapReport> {
  const batch = options.batch ?? 1000;
  if (!Number.isInteger(batch) || batch < 1) throw new Error('batch must be a positive integer');
  const { keyring, store } = ctx;
  const target = keyring.keyId;
  const older = keyring.keyIds.filter((id) => id !== target);
  const id = rowIdentity(ctx);
  const report: RewrapReport = { keyId: target, columns: [], rewrapped: 0, skipped: 0, remaining: 0, unknown: {} };

  for (const c of await encryptedColumns(store.db)) {
    const line = { ...c, rewrapped: 0, skipped: 0 };
    report.columns.push(line);
    for (const oldKey of older) {
      let after = id.start;
      for (;;) {
        const page = await sql<{ rid: string | number; sealed: string }>`
          select ${id.select} as rid, ${sql.ref(c.column)} as sealed from ${sql.table(c.table)}
          where ${id.column} > ${id.cast(after)} and ${sql.ref(c.column)} like ${`${sealedPrefix(oldKey)}%`}
          order by ${id.column} limit ${batch}`.execute(store.db);
        if (page.rows.length === 0) break;
        await store.db.transaction().execute(async (trx) => {
          for (const row of page.rows) {
            const fresh = keyring.encrypt(keyring.decrypt(row.sealed));
            const result = await sql`
              update ${sql.table(c.table)} set ${sql.ref(c.column)} = ${fresh}
              where ${id.column} = ${id.cast(String(row.rid))} and ${sql.ref(c.column)} = ${row.sealed}`.execute(trx);
            if (Number(result.numAffectedRows ?? 0) === 1) line.rewrapped++;
            else line.skipped++;
          }
        });
        after = String(page.rows.at(-1)?.rid);
        await options.onBatch?.({ ...c, done: line.rewrapped });
      }
    }
    report.rewrapped += line.rewrapped;
    report.skipped += line.skipped;
  }

  const summary = summarizeUsage(await keyUsage(ctx), keyring);
  report.remaining = summary.pending;
  report.unknown = summary.unknown;
  await store.db.transaction().execute((trx) =>
    appendAudit(trx, store.dialect, systemActor('operator'), nowIso(ctx), {
      action: 'keys.rewrap',
      detail: { keyId: target, rewrapped: report.rewrapped, skipped: report.skipped, remaining: report.remaining },
    }),
  );
  return report;
}

/**
 * Refuses a keyring that cannot open the store: one value per encrypted column is checked for a key
 * the keyring holds (cheap enough for every start). Serving with the wrong keyring would fail every
 * My Number lookup quietly; a freshly created key file next to an existing store is the usual cause.
 */
export async function assertKeyringOpensStore(store: ServiceContext['store'], keyring: Keyring): Promise<void> {
  for (const c of await encryptedColumns(store.db)) {
    const row = await sql<{ sealed: string }>`
      select ${sql.ref(c.column)} as sealed from ${sql.table(c.table)} where ${sql.ref(c.column)} is not null limit 1`.execute(
      store.db,
    );
    const sealed = row.rows[0]?.sealed;
    if (sealed === undefined) continue;
    const id = sealedKeyId(sealed);
    if (id === null || !keyring.keyIds.includes(id)) {
      throw new Error(
        `the keyring does not hold key ${id ?? '?'} that sealed ${c.table}.${c.column}: ` +
          'put the keyring of this store in place (SHIKAKU_KEY, SHIKAKU_KEY_FILE or shikaku.key beside the data)',
      );
    }
  }
}
