/**
 * Numbering where the notification leaves it out: the next free 番号 under insurer + 記号, the next
 * free 枝番 under a 記号・番号 (never reused), and whether an identity is taken.
 */
import { type Kysely, sql } from 'kysely';
import type { Dialect } from '../../store/db.js';
import { fastAll } from '../../store/fast.js';
import type { Database } from '../../store/schema.js';
import { memberState } from './errors.js';

/** The insured's 枝番 when the notification gives none. */
export const INSURED_BRANCH = '00';

/** Next free 番号 under insurer + 記号: highest numeric number + 1 (non-numeric numbers are ignored). */
export async function nextNumber(
  trx: Kysely<Database>,
  dialect: Dialect,
  insurerNumber: string,
  symbol: string,
): Promise<string> {
  const column = sql.ref('number');
  const numeric =
    dialect === 'postgres'
      ? sql<boolean>`${column} ~ '^[0-9]{1,15}$'`
      : sql<boolean>`(${column} NOT GLOB '*[^0-9]*' AND length(${column}) BETWEEN 1 AND 15)`;
  const row = await trx
    .selectFrom('members')
    .select(sql<string | number | null>`max(cast(${column} as bigint))`.as('max'))
    .where('insurer_number', '=', insurerNumber)
    .where('symbol', '=', symbol)
    .where(numeric)
    .executeTakeFirst();
  return String(Number(row?.max ?? 0) + 1);
}

/** Next free 枝番 for a dependent: highest branch under the 記号・番号 + 1 ("01" at least; never reused). */
export async function nextBranch(
  trx: Kysely<Database>,
  insurerNumber: string,
  symbol: string,
  number: string,
): Promise<string> {
  const rows = await trx
    .selectFrom('members')
    .select('branch')
    .where('insurer_number', '=', insurerNumber)
    .where('symbol', '=', symbol)
    .where('number', '=', number)
    .execute();
  const highest = rows.reduce((max, r) => (/^\d{2}$/.test(r.branch) ? Math.max(max, Number(r.branch)) : max), 0);
  if (highest >= 99) throw memberState('枝番に空きがありません', 'no free branch under this 記号・番号');
  return String(highest + 1).padStart(2, '0');
}

export async function identityTaken(
  trx: Kysely<Database>,
  insurerNumber: string,
  symbol: string,
  number: string,
  branch: string,
): Promise<boolean> {
  const rows = await fastAll(
    trx,
    'select id from members where insurer_number = ? and symbol = ? and number = ? and branch = ?',
    [insurerNumber, symbol, number, branch],
  );
  return rows.length > 0;
}
