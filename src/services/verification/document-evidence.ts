/**
 * What the document shown at reception says (by 記号・番号): the legacy 健康保険証 or the 資格確認書
 * issued, the certifications to show with it, and whether separate certificates are still needed.
 */
import type { Kysely } from 'kysely';
import { burdenRatio } from '../../domain/burden.js';
import type { IsoDate } from '../../domain/dates.js';
import type { DocumentEvidence } from '../../domain/verification.js';
import { fastAll, placeholders } from '../../store/fast.js';
import type { Database } from '../../store/schema.js';
import { type Certification, certificationInForce, certificationOf } from '../applications.js';
import { legacyCardFactsOfRow } from '../legacy-card-facts.js';

/** The approved certifications of the members of an IN list, decided on or before `asOf` (a UNION ALL part). */
function certificationsPart(list: string): string {
  return `select kind as source, member_id, decided_on as a, payload as b, null as c, null as d, null as e,
        created_at as f
      from applications where member_id in (${list}) and state = 'approved'
        and kind in ('limit_certification', 'reduced_limit_certification', 'specific_disease') and decided_on <= ?`;
}

/** A row of the UNION ALL reads below: a document (`source` names it) or a certification (`source` is its kind). */
interface EvidenceRow {
  source: string;
  member_id: string;
  a: string | null;
  b: string | null;
  c: string | null;
  d: string | null;
  e: string | null;
  f: string;
}

/** The certification of an application row, when in force on `asOf`. */
function certificationInForceOf(r: EvidenceRow, asOf: IsoDate): Certification | null {
  const c = certificationOf({
    member_id: r.member_id,
    kind: r.source as Certification['kind'],
    state: 'approved',
    decided_on: r.a,
    payload: r.b ?? '{}',
  });
  return c !== null && certificationInForce(c, asOf) ? c : null;
}

/**
 * One read (UNION ALL) of `memberIds`' documents of one `source` and their approved certifications,
 * split: the documents as `toDocument` reads them, in the read's order, and the certifications in force
 * on `asOf`. `params` are the documents' own after the member ids.
 */
async function documentsWithCertifications<D>(
  db: Kysely<Database>,
  memberIds: readonly string[],
  asOf: IsoDate,
  source: string,
  documents: (list: string) => string,
  params: readonly string[],
  toDocument: (r: EvidenceRow) => D,
): Promise<{ documents: D[]; certifications: Certification[] }> {
  if (memberIds.length === 0) return { documents: [], certifications: [] };
  const ids = [...memberIds];
  const list = placeholders(ids.length);
  const rows = await fastAll<EvidenceRow>(
    db,
    `${documents(list)}
      union all
      ${certificationsPart(list)}`,
    [...ids, ...params, ...ids, asOf],
  );
  const found: D[] = [];
  const certifications: Certification[] = [];
  for (const r of rows) {
    if (r.source === source) {
      found.push(toDocument(r));
    } else {
      const c = certificationInForceOf(r, asOf);
      if (c) certifications.push(c);
    }
  }
  return { documents: found, certifications };
}

/**
 * The legacy cards of `memberIds` and their approved certifications in force on `asOf` (for what the
 * answer discloses with consent) — one query (UNION ALL), hand-written for the hot path
 * (src/store/fast.ts).
 */
export async function legacyCardEvidenceOf(
  db: Kysely<Database>,
  memberIds: readonly string[],
  asOf: IsoDate,
): Promise<{ legacyCards: DocumentEvidence['legacyCards']; certifications: Certification[] }> {
  const { documents, certifications } = await documentsWithCertifications(
    db,
    memberIds,
    asOf,
    'legacy_card',
    // A legacy card brings its life (issue #16 point 5): reported lost, returned or past its 有効期限 fails.
    (list) => `select 'legacy_card' as source, member_id, issued_on as a, expires_on as b, reported_lost_on as c,
        returned_on as d, disposed_on as e, created_at as f
      from legacy_cards where member_id in (${list})`,
    [],
    (r) =>
      legacyCardFactsOfRow({
        issued_on: r.a ?? '',
        expires_on: r.b,
        reported_lost_on: r.c,
        returned_on: r.d,
        disposed_on: r.e,
      }),
  );
  return { legacyCards: documents, certifications };
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
  // Hand-written for the hot path (src/store/fast.ts): one round trip, no query building.
  const { documents, certifications } = await documentsWithCertifications(
    db,
    memberIds,
    asOf,
    'certificate',
    (list) => `select 'certificate' as source, member_id, issued_on as a, valid_until as b, collected_on as c,
        collection_recorded_on as d, reported_lost_on as e, created_at as f
      from eligibility_certificates where member_id in (${list}) and issued_on <= ?`,
    [asOf],
    (r) => ({
      issuedOn: r.a ?? '',
      validUntil: r.b ?? '',
      collectedOn: r.c !== null && r.d !== null && r.d <= asOf ? r.c : null,
      reportedLostOn: r.e,
      order: `${r.a ?? ''}|${r.f}`,
    }),
  );
  documents.sort((x, y) => (x.order < y.order ? -1 : x.order > y.order ? 1 : 0));
  return { certificates: documents.map(({ order: _order, ...c }) => c), certifications };
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
