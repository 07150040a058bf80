/**
 * What the renderers (src/documents/) print, filled from the registry: the card-size 資格確認書 and
 * the A4 お知らせ. The QR code of a お知らせ links to the member portal: `SHIKAKU_PORTAL_URL`
 * (default http://localhost:8080/portal).
 */
import type { Kysely } from 'kysely';
import type { CertificateDocument } from '../../documents/certificate-pdf.js';
import type { NoticeDocument } from '../../documents/notice-pdf.js';
import { burdenRatio } from '../../domain/burden.js';
import { ShikakuError } from '../../domain/codes.js';
import type { ElderlyIncomeFacts } from '../../domain/elderly-income.js';
import type { NoticeContents } from '../../domain/notice.js';
import type { Database } from '../../store/schema.js';
import type { CertificateRow, MemberRow } from '../issuance-facts.js';

export const DEFAULT_PORTAL_URL = 'http://localhost:8080/portal';

export function portalUrl(env: NodeJS.ProcessEnv = process.env): string {
  return env.SHIKAKU_PORTAL_URL?.trim() || DEFAULT_PORTAL_URL;
}

export interface PdfFile {
  pdf: Buffer;
  filename: string;
}

/** Who a 資格確認書 or お知らせ is for, as printed on it. */
export function printedMember(
  member: Pick<
    MemberRow,
    'insurer_number' | 'symbol' | 'number' | 'branch' | 'relationship' | 'name' | 'name_kana' | 'birth_date' | 'sex'
  >,
  insurerName: string,
) {
  return {
    insurerNumber: member.insurer_number,
    insurerName,
    symbol: member.symbol,
    number: member.number,
    branch: member.branch,
    relationship: member.relationship,
    name: member.name,
    nameKana: member.name_kana,
    birthDate: member.birth_date,
    sex: member.sex,
  };
}

/**
 * A 資格確認書 as printed (RULES.md §2 contents). 一部負担金の割合 is printed for 70–74 only (the
 * 高齢受給者 ratio it replaces the 高齢受給者証 for; domain-research.md §5.2), judged on the issue date.
 */
export function certificateDocumentOf(
  cert: CertificateRow,
  member: MemberRow,
  insurerName: string,
  household: ElderlyIncomeFacts,
): CertificateDocument {
  const on = cert.issued_on < member.birth_date ? member.birth_date : cert.issued_on;
  // A 70–74 dependent of an insured under 70 prints 2割 (elderly-income.ts), whatever the insured earns.
  const burden = burdenRatio({ birthDate: member.birth_date, asOf: on, ...household });
  const elderly = burden.band === 'elderly' || burden.band === 'elderly_high_income';
  return {
    ...printedMember(member, insurerName),
    issuedOn: cert.issued_on,
    validUntil: cert.valid_until,
    burdenRatio: elderly ? burden.ratio : null,
    certificateId: cert.id,
  };
}

/** A お知らせ as printed, from its stored contents (only the last 4 digits of the My Number). */
export function noticeDocumentOf(contents: NoticeContents, noticeId: string, portal = portalUrl()): NoticeDocument {
  // The band decided the ratio; the sheet prints the ratio only.
  const { burdenBand: _band, ...printed } = contents;
  return { ...printed, portalUrl: portal, noticeId };
}

/** The association's name as printed (INSURER_NOT_FOUND when it has none). */
export async function insurerNameOf(db: Kysely<Database>, insurerNumber: string): Promise<string> {
  const row = await db
    .selectFrom('insurers')
    .select('name')
    .where('insurer_number', '=', insurerNumber)
    .executeTakeFirst();
  if (!row) throw new ShikakuError('INSURER_NOT_FOUND', { insurerNumber });
  return row.name;
}
