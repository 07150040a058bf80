import type { Selectable } from 'kysely';
import type { MemberFacts } from '../domain/member.js';
import type { MembersTable } from '../store/schema.js';

/** The members row is the latest version, materialised: its columns are the current facts. */
export function factsOfRow(row: Selectable<MembersTable>): MemberFacts {
  return {
    insurerNumber: row.insurer_number,
    symbol: row.symbol,
    number: row.number,
    branch: row.branch,
    relationship: row.relationship,
    insuredMemberId: row.insured_member_id,
    name: row.name,
    nameKana: row.name_kana,
    birthDate: row.birth_date,
    sex: row.sex,
    address: row.address,
    acquiredOn: row.acquired_on,
    lostOn: row.lost_on,
    standardMonthlyRemuneration:
      row.standard_monthly_remuneration === null ? null : Number(row.standard_monthly_remuneration),
    myNumberLast4: row.my_number_last4,
    ...(row.standard_income_approved_on ? { standardIncomeApprovedOn: row.standard_income_approved_on } : {}),
  };
}
