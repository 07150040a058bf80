import type { Selectable } from 'kysely';
import type { MemberSummary } from '../../contract/members.js';
import type { MembersTable } from '../../store/schema.js';

/** A members row as the contract's summary (search pages, dependents). */
export function summaryOf(row: Selectable<MembersTable>): MemberSummary {
  return {
    memberId: row.id,
    symbol: row.symbol,
    number: row.number,
    branch: row.branch,
    relationship: row.relationship,
    name: row.name,
    nameKana: row.name_kana,
    birthDate: row.birth_date,
    sex: row.sex,
    acquiredOn: row.acquired_on,
    lostOn: row.lost_on,
    hubStatus: row.hub_status,
  };
}
