import type { MemberRef } from '../../contract/console.js';

/** The 記号・番号 and name a screen lists a member by (no personal data beyond them). */
export function memberRefOf(row: {
  id: string;
  symbol: string;
  number: string;
  branch: string;
  name: string;
  name_kana: string;
}): MemberRef {
  return {
    memberId: row.id,
    symbol: row.symbol,
    number: row.number,
    branch: row.branch,
    name: row.name,
    nameKana: row.name_kana,
  };
}
