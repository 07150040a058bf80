/**
 * What a run of notifications needs to know of the store, read with one query per kind of fact: the
 * associations, the idempotency keys already used, the members under each 記号・番号 (and the
 * dependents of the insureds a loss ends), the active members by My Number, the residents, the
 * insureds' 基準収入額適用 approvals and the members holding a 資格確認書 not yet collected. Each
 * query's text varies with the run's length, so each runs `oneOff` (src/store/fast.ts).
 */
import type { Kysely } from 'kysely';
import type { IsoDate } from '../../../domain/dates.js';
import type { ResidentFacts } from '../../../domain/member.js';
import type { Dialect } from '../../../store/db.js';
import { fastAll, placeholders } from '../../../store/fast.js';
import type { Database, ResidentsTable } from '../../../store/schema.js';
import { standardIncomeApprovals } from '../../notices.js';
import { residentFactsOf } from '../../residents.js';
import type { MemberRow } from '../member-state.js';
import type { Candidate } from './candidate.js';

/** The facts a run is decided on; `decide` adds what earlier rows of the run wrote (the overlay). */
export interface Known {
  insurerNames: Map<string, string>;
  usedKeys: Set<string>;
  /** Every member under insurer + 記号 + 番号 (`numberKey`), in the store or written by the run. */
  byNumber: Map<string, MemberRow[]>;
  /** Active members by insurer + My Number blind index (`myNumberKey`). */
  activeMyNumbers: Set<string>;
  residents: Map<string, ResidentFacts>;
  /** 基準収入額適用 approvals of the insureds the run's dependents join. */
  approvals: Map<string, IsoDate>;
  /** Members read that hold a 資格確認書 not yet collected (a loss or a rename must collect it). */
  uncollected: Set<string>;
}

export const numberKey = (insurerNumber: string, symbol: string, number: string): string =>
  `${insurerNumber}\u0000${symbol}\u0000${number}`;
export const myNumberKey = (insurerNumber: string, index: string): string => `${insurerNumber}\u0000${index}`;

export async function prefetch(trx: Kysely<Database>, dialect: Dialect, run: readonly Candidate[]): Promise<Known> {
  const insurers = [...new Set(run.map((c) => c.input.insurerNumber))];
  const keys = [...new Set(run.flatMap((c) => (c.key === null ? [] : [c.key])))];
  const numbers = new Map(run.map((c) => [numberKey(c.input.insurerNumber, ...c.numberOf), c] as const));
  const indexes = [...new Set(run.flatMap((c) => (c.secret === null ? [] : [c.secret.index])))];

  const insurerRows = await fastAll<{ insurer_number: string; name: string }>(
    trx,
    `select insurer_number, name from insurers where insurer_number in (${placeholders(insurers.length)})`,
    insurers,
    { oneOff: true },
  );
  const keyRows =
    keys.length === 0
      ? []
      : await fastAll<{ idempotency_key: string }>(
          trx,
          `select idempotency_key from notifications where idempotency_key in (${placeholders(keys.length)})`,
          keys,
          { oneOff: true },
        );
  // Row-locked on PostgreSQL, as the per-row path locks the insured it adds a dependent to.
  const lock = dialect === 'postgres' ? ' for update' : '';
  const memberRows = await fastAll<MemberRow>(
    trx,
    `select * from members where (insurer_number, symbol, number) in (values ${[...numbers.keys()].map(() => '(?, ?, ?)').join(', ')})${lock}`,
    [...numbers.values()].flatMap((c) => [c.input.insurerNumber, ...c.numberOf]),
    { oneOff: true },
  );
  // A loss ends every dependent of its insured, wherever numbered (loss.ts reads them by insured).
  const losing = new Set(
    run.filter((c) => c.input.kind === 'loss').map((c) => numberKey(c.input.insurerNumber, ...c.numberOf)),
  );
  const insuredIds = memberRows
    .filter((m) => m.relationship === 'insured' && losing.has(numberKey(m.insurer_number, m.symbol, m.number)))
    .map((m) => m.id);
  const read = new Set(memberRows.map((m) => m.id));
  if (insuredIds.length > 0) {
    const dependents = await fastAll<MemberRow>(
      trx,
      `select * from members where insured_member_id in (${placeholders(insuredIds.length)})${lock}`,
      insuredIds,
      { oneOff: true },
    );
    for (const d of dependents) if (!read.has(d.id)) memberRows.push(d);
  }
  const existing = run.some((c) => c.input.kind === 'loss' || c.input.kind === 'change');
  // The hub compares a changed or ended member with its resident record too (hub.ts).
  const residentIndexes = [
    ...new Set([
      ...indexes,
      ...(existing ? memberRows.flatMap((m) => (m.my_number_index === null ? [] : [m.my_number_index])) : []),
    ]),
  ];
  const activeRows =
    indexes.length === 0
      ? []
      : await fastAll<{ insurer_number: string; my_number_index: string }>(
          trx,
          `select insurer_number, my_number_index from members where lost_on is null and my_number_index in (${placeholders(indexes.length)})`,
          indexes,
          { oneOff: true },
        );
  const residentRows =
    residentIndexes.length === 0
      ? []
      : await fastAll<
          Pick<ResidentsTable, 'my_number_index' | 'name' | 'name_kana' | 'birth_date' | 'sex' | 'address'>
        >(
          trx,
          `select my_number_index, name, name_kana, birth_date, sex, address from residents where my_number_index in (${placeholders(residentIndexes.length)})`,
          residentIndexes,
          { oneOff: true },
        );
  const uncollectedRows =
    existing && memberRows.length > 0
      ? await fastAll<{ member_id: string }>(
          trx,
          `select distinct member_id from eligibility_certificates where collected_on is null and member_id in (${placeholders(memberRows.length)})`,
          memberRows.map((m) => m.id),
          { oneOff: true },
        )
      : [];
  const byNumber = new Map<string, MemberRow[]>();
  for (const m of memberRows) {
    const k = numberKey(m.insurer_number, m.symbol, m.number);
    byNumber.set(k, [...(byNumber.get(k) ?? []), m]);
  }
  const insureds = memberRows.filter((m) => m.relationship === 'insured').map((m) => m.id);
  return {
    insurerNames: new Map(insurerRows.map((r) => [r.insurer_number, r.name])),
    usedKeys: new Set(keyRows.map((r) => r.idempotency_key)),
    byNumber,
    activeMyNumbers: new Set(activeRows.map((r) => myNumberKey(r.insurer_number, r.my_number_index))),
    residents: new Map(residentRows.map((r) => [r.my_number_index, residentFactsOf(r)])),
    approvals: insureds.length === 0 ? new Map() : await standardIncomeApprovals(trx, insureds),
    uncollected: new Set(uncollectedRows.map((r) => r.member_id)),
  };
}
