import type { MemberRef } from '../../contract/console.js';

/** The members columns a screen lists a member by: select them, then `memberRefOf` the row. */
export const MEMBER_REF_COLUMNS = ['id', 'symbol', 'number', 'branch', 'name', 'name_kana'] as const;

export type MemberRefRow = Record<(typeof MEMBER_REF_COLUMNS)[number], string>;

/** The 記号・番号 and name a screen lists a member by (no personal data beyond them). */
export function memberRefOf(row: MemberRefRow): MemberRef {
  return {
    memberId: row.id,
    symbol: row.symbol,
    number: row.number,
    branch: row.branch,
    name: row.name,
    nameKana: row.name_kana,
  };
}
