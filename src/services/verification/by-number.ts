/**
 * Gathering by 記号・番号 (DESIGN.md §5.1): the hub's entries for the number, the household member the
 * birth date picks, the document shown, and whether the person has a newer qualification.
 */
import type { Kysely } from 'kysely';
import type { NumberVerificationRequest } from '../../contract/verification.js';
import { type IsoDate, maxDate } from '../../domain/dates.js';
import { type DocumentEvidence, decideByNumber, type QualificationFacts } from '../../domain/verification.js';
import type { Database } from '../../store/schema.js';
import { type HubEntry, hubLookupByNumber, type NumberLookup } from '../hub.js';
import { certificateEvidenceOf, holdsSeparateCertificates, legacyCardEvidenceOf } from './document-evidence.js';
import type { Gathered } from './gathered.js';
import { withInsuredCover } from './insured-cover.js';

function birthDateOf(entry: HubEntry): IsoDate | null {
  if (entry.record.state === 'registered') return entry.record.qualification.birthDate;
  return entry.facts?.birthDate ?? null;
}

/**
 * Without a 枝番 the 記号・番号 names a household: the birth date picks the member. When nobody's birth
 * date matches, all are passed on so that the decision answers BIRTH_DATE_MISMATCH (DESIGN.md §5.1).
 */
export function pickHouseholdMember(entries: HubEntry[], birthDate: IsoDate, branchGiven: boolean): HubEntry[] {
  if (branchGiven || entries.length <= 1) return entries;
  const matching = entries.filter((e) => birthDateOf(e) === birthDate);
  return matching.length > 0 ? matching : entries;
}

/**
 * Whether the same person (same My Number blind index) holds another qualification, known to the hub
 * on `asOf`, acquired after the matched one: OQS validity code 3 (無効・新しい資格あり). Any other
 * member record counts, at another association or the same one (e.g. a dependent who became insured).
 * Read by hubLookupByNumber with the household: no query of its own.
 */
function newerQualificationExists(lookup: NumberLookup, matched: QualificationFacts[]): boolean {
  if (matched.length === 0) return false;
  const matchedIds = new Set(matched.map((q) => q.memberId));
  const persons = new Set(matched.map((q) => lookup.personOf.get(q.memberId)).filter((p) => p !== undefined));
  const latestAcquired = matched.map((q) => q.acquiredOn).reduce(maxDate);
  for (const e of [...lookup.household, ...lookup.elsewhere]) {
    if (e.record.state !== 'registered' || matchedIds.has(e.memberId)) continue;
    const person = lookup.personOf.get(e.memberId);
    if (person === undefined || !persons.has(person)) continue;
    if (e.record.qualification.acquiredOn > latestAcquired) return true;
  }
  return false;
}

export async function gatherByNumber(
  db: Kysely<Database>,
  request: NumberVerificationRequest,
  asOf: IsoDate,
): Promise<Gathered> {
  const lookup = await hubLookupByNumber(
    db,
    {
      insurerNumber: request.insurerNumber,
      symbol: request.symbol,
      number: request.number,
      ...(request.branch !== undefined ? { branch: request.branch } : {}),
    },
    asOf,
  );
  const all = await withInsuredCover(db, lookup.entries, asOf);
  const entries = pickHouseholdMember(all, request.birthDate, request.branch !== undefined);

  // The member(s) the 記号・番号 and birth date point at, as the hub knew them.
  const matched: QualificationFacts[] = [];
  for (const e of entries) {
    if (e.record.state === 'registered' && e.record.qualification.birthDate === request.birthDate) {
      matched.push(e.record.qualification);
    }
  }
  const ids = matched.map((q) => q.memberId);
  // Only the document shown is looked up: legacy cards, or the 資格確認書 with the certifications.
  // Each read brings the members' certifications along, for what consent discloses.
  const { legacyCards, certifications: withCards } =
    request.document === 'legacy_card'
      ? await legacyCardEvidenceOf(db, ids, asOf)
      : { legacyCards: [], certifications: undefined };
  const { certificates, certifications } =
    request.document === 'certificate'
      ? await certificateEvidenceOf(db, ids, asOf)
      : { certificates: [], certifications: withCards };

  const evidence: DocumentEvidence = {
    document: request.document,
    birthDateGiven: request.birthDate,
    legacyCards,
    certificates,
    holdsSeparateCertificates: matched.some((q) =>
      holdsSeparateCertificates(
        q.birthDate,
        asOf,
        (certifications ?? []).filter((c) => c.memberId === q.memberId),
      ),
    ),
    newerQualificationExists: newerQualificationExists(lookup, matched),
  };
  return {
    decision: decideByNumber(
      asOf,
      evidence,
      entries.map((e) => e.record),
    ),
    entries: all,
    household: lookup.household,
    ...(certifications ? { certifications } : {}),
  };
}
