/**
 * A dependent's cover ends with their insured's (domain/dependents.ts, issue #16 point 2): before the
 * decision, each registered dependent's qualification is given its insured's cover facts, as the hub
 * knew them on `asOf`, so the decision answers INSURED_COVER_ENDED on the insured's 75th birthday or
 * death. The insured's facts stay out of the answer (shape.ts builds it from an allow-list).
 */
import type { Kysely } from 'kysely';
import type { IsoDate } from '../../domain/dates.js';
import type { CoverFacts } from '../../domain/dependents.js';
import type { Database } from '../../store/schema.js';
import { type HubEntry, hubEntriesByNumber } from '../hub.js';

function coverOf(facts: NonNullable<HubEntry['facts']>): CoverFacts {
  return {
    birthDate: facts.birthDate,
    acquiredOn: facts.acquiredOn,
    lostOn: facts.lostOn,
    lossReason: facts.lossReason ?? null,
  };
}

/** `entries` with each registered dependent's `qualification.insured` set (one query per household). */
export async function withInsuredCover(db: Kysely<Database>, entries: HubEntry[], asOf: IsoDate): Promise<HubEntry[]> {
  const households = new Map<string, HubEntry[]>();
  const out: HubEntry[] = [];
  for (const e of entries) {
    const insuredId = e.facts?.relationship === 'dependent' ? e.facts.insuredMemberId : null;
    if (e.record.state !== 'registered' || e.facts === null || insuredId === null) {
      out.push(e);
      continue;
    }
    // The insured is often among the entries already (a household asked by 記号・番号); else ask the hub.
    let insuredEntry = entries.find((h) => h.memberId === insuredId);
    if (insuredEntry === undefined) {
      const key = `${e.facts.insurerNumber}|${e.facts.symbol}|${e.facts.number}`;
      const household =
        households.get(key) ??
        (await hubEntriesByNumber(
          db,
          { insurerNumber: e.facts.insurerNumber, symbol: e.facts.symbol, number: e.facts.number },
          asOf,
        ));
      households.set(key, household);
      insuredEntry = household.find((h) => h.memberId === insuredId);
    }
    const insured = insuredEntry?.facts ?? null;
    out.push(
      insured === null
        ? e
        : { ...e, record: { ...e.record, qualification: { ...e.record.qualification, insured: coverOf(insured) } } },
    );
  }
  return out;
}
