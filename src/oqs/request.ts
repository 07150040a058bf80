/**
 * Reading an OQS request (research §1.2): the header and each `QualificationConfirmSearchInfo`,
 * checked as the national validators do ([mc-qcsi]). Errors are values, answered in the envelope.
 * Pure.
 */
import { type IsoDate, isIsoDate } from '../domain/dates.js';
import { isValidInsurerNumber } from '../domain/insurer-number.js';
import { CHARACTER_CODE, CONSENT, type OqsError } from './codes.js';
import { child, children, type OqsNode, text } from './envelope.js';

export interface RequestHeader {
  confirmationDate: IsoDate;
  institutionCode: string;
  arbitraryFileIdentifier: string | undefined;
  /** CharacterCodeIdentifier asked for (0 UTF-8, 1 Shift_JIS). */
  characterCode: '0' | '1';
}

/** One query by 記号・番号 (照会区分 2). */
export interface SearchInfo {
  insurerNumber: string;
  symbol: string;
  number: string;
  branch: string | undefined;
  birthDate: IsoDate;
  /** LimitApplicationCertificateRelatedConsFlg = 1. */
  limitConsent: boolean;
  /** SpecificDiseasesCertificateRelatedConsFlg = 1 (its own consent, research §1.3; optional, default 0). */
  diseaseConsent: boolean;
  /** The request's elements as given, echoed in the answer (known elements only). */
  echo: OqsNode;
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: OqsError };

/** The header as far as it could be read: echoed even in an error answer. */
export interface PartialHeader {
  confirmationDate: string | undefined;
  institutionCode: string | undefined;
  arbitraryFileIdentifier: string | undefined;
  characterCode: '0' | '1';
}

const ECHOED = [
  'InsurerNumber',
  'InsuredCardSymbol',
  'InsuredIdentificationNumber',
  'InsuredBranchNumber',
  'Birthdate',
  'LimitApplicationCertificateRelatedConsFlg',
  'SpecificDiseasesCertificateRelatedConsFlg',
  'ArbitraryIdentifier',
] as const;

/** `YYYYMMDD` → ISO, or null. */
export function fromOqsDate(s: string): IsoDate | null {
  if (!/^\d{8}$/.test(s)) return null;
  const iso = `${s.slice(0, 4)}-${s.slice(4, 6)}-${s.slice(6, 8)}`;
  return isIsoDate(iso) ? iso : null;
}

/** ISO → `YYYYMMDD`. */
export function toOqsDate(iso: IsoDate): string {
  return iso.replaceAll('-', '');
}

function fail<T>(code: OqsError['code'], element?: string): Parsed<T> {
  return { ok: false, error: element === undefined ? { code } : { code, element } };
}

/** `XmlMsg`, its header and body; the error when the envelope is not there. */
export function envelopeOf(tree: OqsNode | null): Parsed<{ header: OqsNode; body: OqsNode }> {
  if (tree === null) return fail('OQS_MALFORMED');
  const msg = child(tree, 'XmlMsg');
  const header = child(msg, 'MessageHeader');
  const body = child(msg, 'MessageBody');
  if (!header || !body) return fail('OQS_ENVELOPE', 'XmlMsg');
  return { ok: true, value: { header, body } };
}

/** What can be echoed of a header, whatever else is wrong with it. */
export function partialHeaderOf(tree: OqsNode | null): PartialHeader {
  const header = child(child(tree ?? undefined, 'XmlMsg'), 'MessageHeader');
  const s = (name: string) => {
    const v = text(header, name);
    return typeof v === 'string' ? v : undefined;
  };
  return {
    confirmationDate: s('QualificationConfirmationDate'),
    institutionCode: s('MedicalInstitutionCode'),
    arbitraryFileIdentifier: s('ArbitraryFileIdentifier'),
    characterCode: s('CharacterCodeIdentifier') === CHARACTER_CODE.shiftJis ? '1' : '0',
  };
}

/**
 * The header. `dateRequired`: a bulk request may leave QualificationConfirmationDate out only if
 * every item is for today (not supported: it is required everywhere, as in [mc-qcsi]).
 */
export function parseHeader(header: OqsNode): Parsed<RequestHeader> {
  const date = text(header, 'QualificationConfirmationDate');
  if (date === undefined) return fail('OQS_REQUIRED', 'MessageHeader/QualificationConfirmationDate');
  const iso = date === null ? null : fromOqsDate(date);
  if (iso === null) return fail('OQS_FORMAT', 'MessageHeader/QualificationConfirmationDate');
  const code = text(header, 'MedicalInstitutionCode');
  if (code === undefined) return fail('OQS_REQUIRED', 'MessageHeader/MedicalInstitutionCode');
  if (code === null || !/^\d{10}$/.test(code)) return fail('OQS_FORMAT', 'MessageHeader/MedicalInstitutionCode');
  const arbitrary = text(header, 'ArbitraryFileIdentifier');
  if (arbitrary === null) return fail('OQS_FORMAT', 'MessageHeader/ArbitraryFileIdentifier');
  const charset = text(header, 'CharacterCodeIdentifier');
  if (charset === null || (charset !== undefined && charset !== '0' && charset !== '1')) {
    return fail('OQS_FORMAT', 'MessageHeader/CharacterCodeIdentifier');
  }
  return {
    ok: true,
    value: {
      confirmationDate: iso,
      institutionCode: code,
      arbitraryFileIdentifier: arbitrary,
      characterCode: charset === '1' ? '1' : '0',
    },
  };
}

/** One `QualificationConfirmSearchInfo`. */
export function parseSearchInfo(
  info: OqsNode | undefined,
  path = 'MessageBody/QualificationConfirmSearchInfo',
): Parsed<SearchInfo> {
  if (!info) return fail('OQS_REQUIRED', path);
  const echo: OqsNode = {};
  for (const name of ECHOED) {
    const v = text(info, name);
    if (v === null) return fail('OQS_FORMAT', `${path}/${name}`);
    if (v !== undefined) echo[name] = v;
  }
  const get = (name: (typeof ECHOED)[number]) => echo[name] as string | undefined;

  // A 6-digit 国保 number comes padded with leading blanks to 8 characters (research §1.2).
  const insurer = get('InsurerNumber')?.trim();
  if (!insurer) return fail('OQS_REQUIRED', `${path}/InsurerNumber`);
  if (!/^(\d{6}|\d{8})$/.test(insurer)) return fail('OQS_FORMAT', `${path}/InsurerNumber`);
  if (insurer.length === 8 && !isValidInsurerNumber(insurer))
    return fail('OQS_INSURER_CHECK_DIGIT', `${path}/InsurerNumber`);
  const number = get('InsuredIdentificationNumber')?.trim();
  if (!number) return fail('OQS_REQUIRED', `${path}/InsuredIdentificationNumber`);
  if (number.length > 20) return fail('OQS_FORMAT', `${path}/InsuredIdentificationNumber`);
  const symbol = get('InsuredCardSymbol')?.trim() ?? '';
  if (symbol.length > 20) return fail('OQS_FORMAT', `${path}/InsuredCardSymbol`);
  const branch = get('InsuredBranchNumber')?.trim();
  if (branch !== undefined && branch !== '' && !/^\d{2}$/.test(branch)) {
    return fail('OQS_FORMAT', `${path}/InsuredBranchNumber`);
  }
  const birth = get('Birthdate');
  if (birth === undefined) return fail('OQS_REQUIRED', `${path}/Birthdate`);
  const birthDate = fromOqsDate(birth);
  if (birthDate === null) return fail('OQS_FORMAT', `${path}/Birthdate`);
  const limit = get('LimitApplicationCertificateRelatedConsFlg');
  if (limit === undefined) return fail('OQS_REQUIRED', `${path}/LimitApplicationCertificateRelatedConsFlg`);
  if (limit !== CONSENT.no && limit !== CONSENT.yes) {
    return fail('OQS_FORMAT', `${path}/LimitApplicationCertificateRelatedConsFlg`);
  }
  const disease = get('SpecificDiseasesCertificateRelatedConsFlg');
  if (disease !== undefined && disease !== CONSENT.no && disease !== CONSENT.yes) {
    return fail('OQS_FORMAT', `${path}/SpecificDiseasesCertificateRelatedConsFlg`);
  }
  return {
    ok: true,
    value: {
      insurerNumber: insurer,
      symbol,
      number,
      branch: branch === '' ? undefined : branch,
      birthDate,
      limitConsent: limit === CONSENT.yes,
      diseaseConsent: disease === CONSENT.yes,
      echo,
    },
  };
}

/**
 * The known elements of a QualificationConfirmSearchInfo, as given (text only): what a bulk request
 * stores and echoes. Anything else a client put in (a My Number above all) is dropped here.
 */
export function knownSearchElements(info: OqsNode): OqsNode {
  const out: OqsNode = {};
  for (const name of ECHOED) {
    const v = info[name];
    if (v !== undefined) out[name] = typeof v === 'string' ? v : '';
  }
  return out;
}

/** The items of a bulk request (repeated QualificationConfirmSearchInfo). */
export function searchInfosOf(body: OqsNode): OqsNode[] {
  return children(body, 'QualificationConfirmSearchInfo');
}
