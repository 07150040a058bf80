/**
 * Online verification (オンライン資格確認) for a reception: gathers what the hub knew on `asOf`, lets
 * the domain decide (src/domain/verification.ts), shapes the provider's answer and records the
 * disclosure. DESIGN.md §5.1; RULES.md §1, §4–§7; CODES.md.
 *
 * Privacy: a provider never receives a My Number or any part of it (RULES.md §5, seed 001 Q9). The
 * answer types below have no field that could carry one (checked at compile time by
 * `_noMyNumberInAnswer`), the HTTP response schema strips any field it does not declare, and the
 * tests scan the serialised answer.
 */
import type { Kysely } from 'kysely';
import { type CardInspection, inspectPresentedCard } from '../cards/index.js';
import { specificDiseaseCertification } from '../domain/applications.js';
import { type BurdenRatio, burdenRatio, lateElderlyFrom } from '../domain/burden.js';
import { type CodedMessage, reason } from '../domain/codes.js';
import { addDays, type IsoDate, maxDate, minDate } from '../domain/dates.js';
import { type LimitCategory, limitCategoryFor } from '../domain/limits.js';
import type { MemberFacts, Relationship, Sex } from '../domain/member.js';
import {
  type CardEvidence,
  type Decision,
  type DocumentEvidence,
  decideByCard,
  decideByNumber,
  type Outcome,
  type QualificationFacts,
} from '../domain/verification.js';
import { fastAll } from '../store/fast.js';
import type { Database } from '../store/schema.js';
import { type Actor, providerCodeOf } from './actor.js';
import { type Certification, certificationInForce, certificationOf, certificationsOf } from './applications.js';
import { consumeChallenge } from './challenges.js';
import { newId, nowIso, type ServiceContext, today } from './context.js';
import { recordDisclosure } from './disclosure-log.js';
import { type HubEntry, hubEntriesByNumber, hubEntriesByPerson, hubEntriesOfSamePersons } from './hub.js';
import { factsOfRow } from './member-facts.js';

// ---------------------------------------------------------------------------------------------------
// Requests (validated at the HTTP edge by src/http/routes/verification.ts, which is checked against
// these types; the FHIR shell builds the same values).

/** What the patient agreed to share (per category, as OQS asks). Absent = not given. */
export interface VerificationConsent {
  medication?: boolean | undefined;
  healthCheckups?: boolean | undefined;
  /** 限度額適用認定 data: the limit category and 特定疾病 data are returned only with it. */
  limitInfo?: boolean | undefined;
}

/** By マイナ保険証 (card or smartphone): the card signed a challenge from GET …/challenge. */
export interface CardVerificationRequest {
  method: 'card';
  /** The day to answer for, as the hub knew it that day (default: today in Japan). */
  asOf?: IsoDate | undefined;
  card: { certificate: string; challenge: string; signature: string };
  identityCheck: 'face' | 'pin' | 'visual';
  consent?: VerificationConsent | undefined;
}

/** By 記号・番号 shown on a 資格確認書 or a legacy 健康保険証. */
export interface NumberVerificationRequest {
  method: 'number';
  asOf?: IsoDate | undefined;
  document: 'certificate' | 'legacy_card' | 'notice';
  insurerNumber: string;
  symbol: string;
  number: string;
  /** When omitted, the household member with the given birth date is meant. */
  branch?: string | undefined;
  birthDate: IsoDate;
  consent?: VerificationConsent | undefined;
}

export type VerificationRequest = CardVerificationRequest | NumberVerificationRequest;

// ---------------------------------------------------------------------------------------------------
// The answer (DESIGN.md §5.1)

/** 特定疾病 data from an approved application (issue #3), only with consent.limitInfo. */
export interface SpecificDiseaseInfo {
  /** dialysis, hemophilia or hiv (OQS codes 1–3). */
  category: string;
  monthlyLimitYen: number;
  validFrom: IsoDate;
  validUntil: IsoDate | null;
}

/** The qualification disclosed to a provider. Deliberately no My Number, last-4 or index field. */
export interface VerifiedQualification {
  insurerNumber: string;
  insurerName: string;
  symbol: string;
  number: string;
  branch: string;
  relationship: Relationship;
  name: string;
  nameKana: string;
  birthDate: IsoDate;
  sex: Sex;
  acquiredOn: IsoDate;
  lostOn: IsoDate | null;
  /** Percent; null only when it cannot be known (never for a qualification the association holds). */
  burdenRatio: BurdenRatio | null;
  /** Only with consent.limitInfo. */
  limitCategory: LimitCategory | null;
  specificDisease: SpecificDiseaseInfo[];
}

export interface VerificationAnswer {
  outcome: Outcome;
  reasons: CodedMessage[];
  fallbacks: CodedMessage[];
  qualification: VerifiedQualification | null;
  verificationId: string;
}

/** Field names a provider answer must never have (RULES.md §5). */
type MyNumberKeys = 'myNumber' | 'myNumberLast4' | 'myNumberIndex' | 'myNumberEnc' | 'last4';
type AnswerKeys = keyof VerificationAnswer | keyof VerifiedQualification | keyof SpecificDiseaseInfo;
/** Compile-time guard: adding a My Number field to the answer types breaks the build here. */
const _noMyNumberInAnswer: [Extract<AnswerKeys, MyNumberKeys>] extends [never] ? true : never = true;
void _noMyNumberInAnswer;

// ---------------------------------------------------------------------------------------------------

/**
 * Answers one verification (DESIGN.md §5.1) and records it: a `verifications` row and an audit
 * record, in one transaction, whatever the outcome. Only request errors throw (FORBIDDEN).
 */
export async function verify(
  ctx: ServiceContext,
  actor: Actor,
  request: VerificationRequest,
): Promise<VerificationAnswer> {
  const providerCode = providerCodeOf(actor);
  const asOf = request.asOf ?? today(ctx);
  const gathered =
    request.method === 'card'
      ? await gatherByCard(ctx, providerCode, request, asOf)
      : await gatherByNumber(ctx.store.db, request, asOf);
  const { decision, entries, certifications } = gathered;

  const reasons = [...decision.reasons];
  let qualification: VerifiedQualification | null = null;
  const chosen = disclosable(decision);
  if (chosen) {
    const shaped = await shapeQualification(ctx.store.db, chosen, entries, asOf, {
      // The limit category matters only for care the qualification covers: never shown when ineligible.
      limitCategory: decision.outcome === 'eligible',
      limitConsent: request.consent?.limitInfo === true,
      certifications,
    });
    qualification = shaped.qualification;
    if (shaped.limitWithheld) reasons.push(reason('CONSENT_NOT_GIVEN'));
  }

  const answer: VerificationAnswer = {
    outcome: decision.outcome,
    reasons,
    fallbacks: decision.fallbacks,
    qualification,
    verificationId: newId(),
  };
  await record(ctx, actor, providerCode, request.method, asOf, answer, chosen);
  return answer;
}

/**
 * The qualification to disclose: only the one the decision chose, and only for an eligible or
 * ineligible answer (never for not_found, ambiguous or a wrong birth date, which disclose nothing).
 */
function disclosable(decision: Decision): QualificationFacts | null {
  if (decision.qualification === null) return null;
  if (decision.outcome !== 'eligible' && decision.outcome !== 'ineligible') return null;
  if (decision.reasons.some((r) => r.code === 'BIRTH_DATE_MISMATCH')) return null;
  return decision.qualification;
}

interface Gathered {
  decision: Decision;
  entries: HubEntry[];
  /** Certifications of the matched members in force on asOf, when already loaded. */
  certifications?: Certification[];
}

// --- by card ---------------------------------------------------------------------------------------

/**
 * Stand-ins for an unknown card, only ever read after a cryptographic failure has already decided
 * (decideByCard stops at the first failure of challenge, signature or chain).
 */
const UNKNOWN_CERTIFICATE: CardEvidence['certificate'] = {
  issuedOn: '0001-01-01',
  expiresOn: '0001-01-01',
  revokedOn: null,
};
const UNKNOWN_CARD: CardEvidence['card'] = {
  kind: 'card',
  expiresOn: '0001-01-01',
  status: 'invalidated',
  endedOn: '0001-01-01',
  pinLocked: false,
};

/**
 * The card evidence (RULES.md §1, §4) from the challenge state and the card simulator's inspection.
 * A certificate that chains to the trusted CA but is unknown to the card register counts as untrusted:
 * nothing vouches for it.
 */
export function cardEvidenceOf(
  challenge: 'valid' | 'invalid',
  inspection: CardInspection | null,
  identityCheck: CardEvidence['identityCheck'],
): CardEvidence {
  if (inspection === null) {
    return {
      challenge,
      signature: 'invalid',
      chain: 'untrusted',
      certificate: UNKNOWN_CERTIFICATE,
      card: UNKNOWN_CARD,
      registration: 'never',
      identityCheck,
    };
  }
  const known = inspection.certificate !== null && inspection.card !== null;
  return {
    challenge,
    signature: inspection.signature,
    chain: known ? inspection.chain : 'untrusted',
    certificate: inspection.certificate
      ? {
          issuedOn: inspection.certificate.issuedOn,
          expiresOn: inspection.certificate.expiresOn,
          revokedOn: inspection.certificate.revokedOn,
        }
      : UNKNOWN_CERTIFICATE,
    card: inspection.card
      ? {
          kind: inspection.card.kind,
          expiresOn: inspection.card.expiresOn,
          status: inspection.card.status,
          endedOn: inspection.card.endedOn,
          pinLocked: inspection.card.pinLocked,
        }
      : UNKNOWN_CARD,
    registration: inspection.registration,
    identityCheck,
  };
}

async function gatherByCard(
  ctx: ServiceContext,
  providerCode: string,
  request: CardVerificationRequest,
  asOf: IsoDate,
): Promise<Gathered> {
  // The challenge is used up first, whatever follows: a presented signature is never replayable.
  const challengeOk = await consumeChallenge(ctx, request.card.challenge, providerCode);
  if (!challengeOk) {
    return { decision: decideByCard(asOf, cardEvidenceOf('invalid', null, request.identityCheck), []), entries: [] };
  }
  const inspection = await inspectPresentedCard(
    ctx,
    { certificatePem: request.card.certificate, challenge: request.card.challenge, signature: request.card.signature },
    asOf,
  );
  const evidence = cardEvidenceOf('valid', inspection, request.identityCheck);
  // Only a proven card leads to the person: an unproven one discloses nothing, not even via the hub.
  const proven = evidence.signature === 'valid' && evidence.chain === 'trusted';
  const entries =
    proven && inspection.myNumberIndex !== null
      ? await hubEntriesByPerson(ctx.store.db, inspection.myNumberIndex, asOf)
      : [];
  return {
    decision: decideByCard(
      asOf,
      evidence,
      entries.map((e) => e.record),
    ),
    entries,
  };
}

// --- by number -------------------------------------------------------------------------------------

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
 * The 資格確認書 issued to `memberIds` on or before `asOf` (oldest first, same-day ones in recording
 * order, so a reissue is the newest) and their approved certifications in force on `asOf` — one query
 * (UNION ALL), as this runs on every verification by 資格確認書. As the hub knew on `asOf`: a collection
 * recorded after `asOf` had not happened yet (DESIGN.md §3.1).
 */
export async function certificateEvidenceOf(
  db: Kysely<Database>,
  memberIds: readonly string[],
  asOf: IsoDate,
): Promise<{ certificates: DocumentEvidence['certificates']; certifications: Certification[] }> {
  if (memberIds.length === 0) return { certificates: [], certifications: [] };
  const ids = [...memberIds];
  // Hand-written for the hot path (src/store/fast.ts): one round trip, no query building.
  const list = placeholders(ids);
  const rows = await fastAll<{
    source: string;
    member_id: string;
    a: string | null;
    b: string | null;
    c: string | null;
    d: string | null;
    e: string | null;
    f: string;
  }>(
    db,
    `select 'certificate' as source, member_id, issued_on as a, valid_until as b, collected_on as c,
        collection_recorded_on as d, reported_lost_on as e, created_at as f
      from eligibility_certificates where member_id in (${list}) and issued_on <= ?
      union all
      select kind as source, member_id, decided_on as a, payload as b, null as c, null as d, null as e,
        created_at as f
      from applications where member_id in (${list}) and state = 'approved'
        and kind in ('limit_certification', 'reduced_limit_certification', 'specific_disease') and decided_on <= ?`,
    [...ids, asOf, ...ids, asOf],
  );
  const certificates: Array<DocumentEvidence['certificates'][number] & { order: string }> = [];
  const certifications: Certification[] = [];
  for (const r of rows) {
    if (r.source === 'certificate') {
      certificates.push({
        issuedOn: r.a ?? '',
        validUntil: r.b ?? '',
        collectedOn: r.c !== null && r.d !== null && r.d <= asOf ? r.c : null,
        reportedLostOn: r.e,
        order: `${r.a ?? ''}|${r.f}`,
      });
    } else {
      const c = certificationOf({
        member_id: r.member_id,
        kind: r.source as Certification['kind'],
        state: 'approved',
        decided_on: r.a,
        payload: r.b ?? '{}',
      });
      if (c !== null && certificationInForce(c, asOf)) certifications.push(c);
    }
  }
  certificates.sort((x, y) => (x.order < y.order ? -1 : x.order > y.order ? 1 : 0));
  return { certificates: certificates.map(({ order: _order, ...c }) => c), certifications };
}

/**
 * Whether the member must still show separate certificates with a 資格確認書 (RULES.md §1, seed 004):
 * 70–74 (高齢受給者証) on `asOf`, or an approved 限度額適用認定, 減額認定 or 特定疾病 certification in
 * force that day (`certifications`: the member's).
 */
export function holdsSeparateCertificates(
  birthDate: IsoDate,
  asOf: IsoDate,
  certifications: readonly Certification[] = [],
): boolean {
  if (asOf < birthDate) return false;
  if (certifications.some((c) => certificationInForce(c, asOf))) return true;
  const band = burdenRatio({ birthDate, asOf, insuredRemuneration: null }).band;
  return band === 'elderly' || band === 'elderly_high_income';
}

/**
 * Whether the same person (same My Number blind index) holds another qualification, known to the hub
 * on `asOf`, acquired after the matched one: OQS validity code 3 (無効・新しい資格あり). Any other
 * member record counts, at another association or the same one (e.g. a dependent who became insured).
 */
async function newerQualificationExists(
  db: Kysely<Database>,
  matched: QualificationFacts[],
  asOf: IsoDate,
): Promise<boolean> {
  if (matched.length === 0) return false;
  const matchedIds = new Set(matched.map((q) => q.memberId));
  const latestAcquired = matched.map((q) => q.acquiredOn).reduce(maxDate);
  // One query for every person behind the matched members (by My Number blind index).
  for (const e of await hubEntriesOfSamePersons(db, [...matchedIds], asOf)) {
    if (e.record.state !== 'registered' || matchedIds.has(e.memberId)) continue;
    if (e.record.qualification.acquiredOn > latestAcquired) return true;
  }
  return false;
}

async function gatherByNumber(
  db: Kysely<Database>,
  request: NumberVerificationRequest,
  asOf: IsoDate,
): Promise<Gathered> {
  const all = await hubEntriesByNumber(
    db,
    {
      insurerNumber: request.insurerNumber,
      symbol: request.symbol,
      number: request.number,
      ...(request.branch !== undefined ? { branch: request.branch } : {}),
    },
    asOf,
  );
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
  const legacyCards =
    ids.length === 0 || request.document !== 'legacy_card'
      ? []
      : await fastAll<{ issued_on: IsoDate }>(
          db,
          `select issued_on from legacy_cards where member_id in (${placeholders(ids)})`,
          ids,
        );
  const { certificates, certifications } =
    request.document === 'certificate'
      ? await certificateEvidenceOf(db, ids, asOf)
      : { certificates: [], certifications: undefined };

  const evidence: DocumentEvidence = {
    document: request.document,
    birthDateGiven: request.birthDate,
    legacyCards: legacyCards.map((c) => ({ issuedOn: c.issued_on })),
    certificates,
    holdsSeparateCertificates: matched.some((q) =>
      holdsSeparateCertificates(
        q.birthDate,
        asOf,
        (certifications ?? []).filter((c) => c.memberId === q.memberId),
      ),
    ),
    newerQualificationExists: await newerQualificationExists(db, matched, asOf),
  };
  return {
    decision: decideByNumber(
      asOf,
      evidence,
      entries.map((e) => e.record),
    ),
    entries: all,
    ...(certifications ? { certifications } : {}),
  };
}

// --- the disclosed qualification --------------------------------------------------------------------

/**
 * The day whose burden ratio a disclosed qualification shows: `asOf` while covered,
 * else the nearest covered day (its first day when not yet started, its last day when lost or on the
 * move to 後期高齢者医療), so an ineligible answer still shows what the qualification carried.
 */
export function ratioDateFor(q: QualificationFacts, asOf: IsoDate): IsoDate {
  let last = addDays(lateElderlyFrom(q.birthDate), -1);
  if (q.lostOn !== null) last = minDate(last, addDays(q.lostOn, -1));
  const first = maxDate(q.acquiredOn, q.birthDate);
  return maxDate(first, minDate(asOf, maxDate(first, last)));
}

/** limitCategoryFor, or null where no limit table is in force (before 2018-08). */
function limitCategoryOrNull(input: Parameters<typeof limitCategoryFor>[0]): LimitCategory | null {
  try {
    return limitCategoryFor(input);
  } catch (error) {
    if (error instanceof RangeError) return null;
    throw error;
  }
}

/** The insured's facts for a dependent, as the hub knew them on `asOf` (null when not known). */
async function insuredFactsOf(db: Kysely<Database>, facts: MemberFacts, asOf: IsoDate): Promise<MemberFacts | null> {
  if (facts.relationship === 'insured') return facts;
  if (facts.insuredMemberId === null) return null;
  const household = await hubEntriesByNumber(
    db,
    { insurerNumber: facts.insurerNumber, symbol: facts.symbol, number: facts.number },
    asOf,
  );
  return household.find((e) => e.memberId === facts.insuredMemberId)?.facts ?? null;
}

/** The member's facts as the hub knew them; the registry's current row only if the hub gave none. */
async function factsOf(db: Kysely<Database>, q: QualificationFacts, entries: HubEntry[]): Promise<MemberFacts> {
  const fromHub = entries.find((e) => e.memberId === q.memberId)?.facts;
  if (fromHub) return fromHub;
  const row = await db.selectFrom('members').selectAll().where('id', '=', q.memberId).executeTakeFirstOrThrow();
  // A provider is never told anything of the My Number, not even its last digits.
  return { ...factsOfRow(row), myNumberLast4: null };
}

/** `?, ?, …` for an IN list. */
function placeholders(values: readonly unknown[]): string {
  return values.map(() => '?').join(', ');
}

/** How long an association's name is reused: names are not edited today; a rename shows within this. */
const INSURER_NAME_TTL_MS = 60_000;
const insurerNames = new WeakMap<object, Map<string, { name: string; loadedAt: number }>>();

/** The association's name for the answer, cached per store (one query per association and minute). */
async function insurerNameOf(db: Kysely<Database>, insurerNumber: string): Promise<string> {
  let cache = insurerNames.get(db);
  if (!cache) {
    cache = new Map();
    insurerNames.set(db, cache);
  }
  const hit = cache.get(insurerNumber);
  if (hit && performance.now() - hit.loadedAt < INSURER_NAME_TTL_MS) return hit.name;
  const [row] = await fastAll<{ name: string }>(db, 'select name from insurers where insurer_number = ?', [
    insurerNumber,
  ]);
  const name = row?.name ?? '';
  if (row) cache.set(insurerNumber, { name, loadedAt: performance.now() });
  return name;
}

async function shapeQualification(
  db: Kysely<Database>,
  q: QualificationFacts,
  entries: HubEntry[],
  asOf: IsoDate,
  options: { limitCategory: boolean; limitConsent: boolean; certifications?: Certification[] | undefined },
): Promise<{ qualification: VerifiedQualification; limitWithheld: boolean }> {
  const facts = await factsOf(db, q, entries);
  const insured = await insuredFactsOf(db, facts, asOf);
  const remuneration = insured?.standardMonthlyRemuneration ?? null;
  const insurerName = await insurerNameOf(db, q.insurerNumber);

  const on = ratioDateFor(q, asOf);
  const burden = burdenRatio({ birthDate: q.birthDate, asOf: on, insuredRemuneration: remuneration });
  // The certifications matter only for what is disclosed with consent: no query otherwise.
  const disclose = options.limitCategory && options.limitConsent;
  const certified = disclose
    ? (options.certifications ?? (await certificationsOf(db, [q.memberId], asOf))).filter(
        (c) => c.memberId === q.memberId && certificationInForce(c, asOf),
      )
    : [];
  const lowIncome = certified.find((c) => c.kind === 'reduced_limit_certification')?.category ?? null;
  const category = options.limitCategory
    ? limitCategoryOrNull({ birthDate: q.birthDate, asOf: on, standardMonthlyRemuneration: remuneration, lowIncome })
    : null;
  const specificDisease: SpecificDiseaseInfo[] = [];
  for (const c of certified) {
    if (c.kind !== 'specific_disease' || c.disease === null) continue;
    specificDisease.push({
      category: c.disease,
      monthlyLimitYen: specificDiseaseCertification({
        disease: c.disease,
        birthDate: q.birthDate,
        asOf: on,
        standardMonthlyRemuneration: remuneration,
      }).monthlyLimit,
      validFrom: c.validFrom,
      validUntil: c.validUntil,
    });
  }

  // Built field by field from an allow-list: nothing else about the member can leak into the answer.
  const qualification: VerifiedQualification = {
    insurerNumber: q.insurerNumber,
    insurerName,
    symbol: q.symbol,
    number: q.number,
    branch: q.branch,
    relationship: q.relationship,
    name: facts.name,
    nameKana: facts.nameKana,
    birthDate: q.birthDate,
    sex: facts.sex,
    acquiredOn: q.acquiredOn,
    lostOn: q.lostOn,
    burdenRatio: burden.ratio,
    limitCategory: options.limitConsent ? category : null,
    specificDisease,
  };
  return { qualification, limitWithheld: !options.limitConsent && category !== null };
}

// --- the record --------------------------------------------------------------------------------------

async function record(
  ctx: ServiceContext,
  actor: Actor,
  providerCode: string,
  method: VerificationRequest['method'],
  asOf: IsoDate,
  answer: VerificationAnswer,
  chosen: QualificationFacts | null,
): Promise<void> {
  const at = nowIso(ctx);
  const codes = answer.reasons.map((r) => r.code);
  // Committed before the answer leaves, grouped with the other verifications in flight.
  await recordDisclosure(ctx.store, {
    verification: {
      id: answer.verificationId,
      provider_code: providerCode,
      method,
      as_of: asOf,
      outcome: answer.outcome,
      reasons: JSON.stringify(codes),
      member_id: chosen?.memberId ?? null,
      insurer_number: chosen?.insurerNumber ?? null,
      created_at: at,
    },
    actor,
    at,
    audit: {
      action: 'verification',
      insurerNumber: chosen?.insurerNumber ?? null,
      memberId: chosen?.memberId ?? null,
      detail: {
        verificationId: answer.verificationId,
        method,
        asOf,
        outcome: answer.outcome,
        reasons: codes,
        providerCode,
      },
    },
  });
}
