/**
 * Searching the members of the actor's association (an employer: its 記号 only), keyset-paged in
 * 記号・番号・枝番 order. Audited with the count only (DESIGN.md §3.5).
 */
import { sql } from 'kysely';
import type { MemberPage, MemberSearch, MemberSummary } from '../../contract/members.js';
import { ShikakuError } from '../../domain/codes.js';
import { normalizeKana } from '../../domain/names.js';
import { type Actor, requireRole } from '../actor.js';
import { appendAudit } from '../audit.js';
import { nowIso, type ServiceContext } from '../context.js';
import { summaryOf } from './summary.js';

function encodeCursor(row: { symbol: string; number: string; branch: string }): string {
  return Buffer.from(JSON.stringify([row.symbol, row.number, row.branch])).toString('base64url');
}

function decodeCursor(cursor: string): [string, string, string] {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(value) && value.length === 3 && value.every((v) => typeof v === 'string')) {
      return value as [string, string, string];
    }
  } catch {
    // fall through
  }
  throw new ShikakuError(
    'VALIDATION_FAILED',
    { field: 'cursor' },
    { ja: 'cursor が不正です', en: 'the cursor is not valid' },
  );
}

/** Escaped for LIKE … ESCAPE with a backslash, the same on both stores (SQLite has no default escape). */
const LIKE_SPECIAL = /[\\%_]/g;

/**
 * Members of the actor's association (an employer: its 記号 only) by kana prefix, 記号, 番号 and
 * birth date, in 記号・番号・枝番 order (text order), keyset-paged. Audited with the count only.
 */
export async function searchMembers(ctx: ServiceContext, actor: Actor, query: MemberSearch): Promise<MemberPage> {
  requireRole(actor, 'admin', 'employer');
  const insurerNumber = actor.insurerNumber;
  if (insurerNumber === null) throw new ShikakuError('FORBIDDEN', { scope: 'insurer' });
  const employerSymbol = actor.role === 'employer' ? actor.employerSymbol : null;
  let items: MemberSummary[] = [];
  let nextCursor: string | null = null;
  // An employer asking for another 記号 simply finds nothing.
  if (employerSymbol === null || query.symbol === undefined || query.symbol === employerSymbol) {
    let q = ctx.store.db.selectFrom('members').selectAll().where('insurer_number', '=', insurerNumber);
    const wantedSymbol = employerSymbol ?? query.symbol;
    if (wantedSymbol !== undefined) q = q.where('symbol', '=', wantedSymbol);
    if (query.number !== undefined) q = q.where('number', '=', query.number);
    if (query.birthDate !== undefined) q = q.where('birth_date', '=', query.birthDate);
    if (query.kana !== undefined) {
      const prefix = normalizeKana(query.kana).replace(LIKE_SPECIAL, (c) => `\\${c}`);
      q = q.where(sql<boolean>`${sql.ref('name_kana')} like ${`${prefix}%`} escape '\\'`);
    }
    if (query.cursor !== undefined) {
      const [s, n, b] = decodeCursor(query.cursor);
      q = q.where((eb) => eb(eb.refTuple('symbol', 'number', 'branch'), '>', eb.tuple(s, n, b)));
    }
    const rows = await q
      .orderBy('symbol')
      .orderBy('number')
      .orderBy('branch')
      .limit(query.limit + 1)
      .execute();
    const page = rows.slice(0, query.limit);
    items = page.map(summaryOf);
    const last = page.at(-1);
    nextCursor = rows.length > query.limit && last ? encodeCursor(last) : null;
  }
  await ctx.store.db.transaction().execute((trx) =>
    appendAudit(trx, ctx.store.dialect, actor, nowIso(ctx), {
      action: 'member.search',
      insurerNumber,
      detail: { count: items.length },
    }),
  );
  return { items, nextCursor };
}
