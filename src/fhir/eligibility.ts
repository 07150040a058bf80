/**
 * Eligibility over FHIR R4: a CoverageEligibilityRequest read into the JSON API's VerificationRequest
 * (DESIGN.md §5.1), and the service's VerificationAnswer written as a CoverageEligibilityResponse.
 * The decision itself is never made here: the route calls the same `verify` as the JSON route, so
 * both APIs answer identically by construction. docs/FHIR.md describes the mapping; in short
 * (anchors-and-style.md A.3, "one decision, four shapes"):
 *
 * | our answer | CoverageEligibilityResponse |
 * |---|---|
 * | eligible | outcome=complete, insurance[0].inforce=true, benefitPeriod, item.benefit copay-percent |
 * | ineligible | outcome=complete, insurance[0].inforce=false (+ the qualification when disclosed) |
 * | not_found, ambiguous | outcome=complete, no insurance, error[] = the reasons |
 * | every outcome | extensions verification-outcome, -reason, -fallback; disposition = both languages |
 *
 * Pure: no I/O.
 */
import type {
  CodeableConcept,
  Coverage,
  CoverageEligibilityResponse,
  CoverageEligibilityResponseInsurance,
  CoverageEligibilityResponseInsuranceItem,
  Extension,
  Identifier,
  Organization,
  Patient,
  Reference,
  Resource,
} from '@medplum/fhirtypes';
import type {
  CardVerificationRequest,
  NumberVerificationRequest,
  VerificationAnswer,
  VerificationConsent,
  VerificationRequest,
  VerifiedQualification,
} from '../contract/verification.js';
import type { IsoDate } from '../domain/dates.js';
import { addDays } from '../domain/dates.js';
import { type LimitCategory, limitRowOn } from '../domain/limits.js';
import { codedConcept, limitCategoryCoding, OUTCOMES, specificDiseaseConcept } from './codesystems.js';
import {
  type MemberKey,
  memberIdentifier,
  memberIdentifierValue,
  parseMemberIdentifier,
  toCoverage,
  toHalfWidth,
} from './coverage.js';
import { type FhirIssue, invalidRequest } from './operation-outcome.js';
import { insurerIdentifier, insurerReference, providerReference } from './organization.js';
import { toPatient } from './patient.js';
import { CS, canonicalSystem, EXT, HL7, JP, JP_OID, SHIKAKU_BASE, SID } from './systems.js';

// ---------------------------------------------------------------------------------------------------
// Reading untrusted JSON

type Json = Record<string, unknown>;

function isRecord(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function records(v: unknown): Json[] {
  return Array.isArray(v) ? v.filter(isRecord) : [];
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

const REQ = 'CoverageEligibilityRequest';

/** How a request names what it asked about, echoed in the answer when nothing is disclosed. */
export interface EligibilityEcho {
  purpose: CoverageEligibilityResponse['purpose'];
  /** The request's patient, when it can be referred to outside the request (not `#contained`). */
  patient: Reference<Patient> | undefined;
  identifier: Identifier | undefined;
  /** The 保険者番号・記号・番号(・枝番) asked about (by number only). */
  key: MemberKey | undefined;
}

export interface ParsedEligibility {
  /** Not yet validated: the route checks it with the JSON API's own schema. */
  request: VerificationRequest;
  echo: EligibilityEcho;
}

/** Resolves references inside the request (`#id` → contained) or its Bundle (fullUrl, or Type/id). */
class Resolver {
  constructor(
    private readonly contained: Json[],
    private readonly bundle: Array<{ fullUrl?: string; resource: Json }>,
  ) {}

  resolve(ref: unknown, type: string): Json | undefined {
    if (!isRecord(ref)) return undefined;
    const reference = str(ref.reference);
    if (!reference) return undefined;
    let found: Json | undefined;
    if (reference.startsWith('#')) found = this.contained.find((r) => r.id === reference.slice(1));
    else
      found = this.bundle.find(
        (e) => e.fullUrl === reference || `${str(e.resource.resourceType)}/${str(e.resource.id)}` === reference,
      )?.resource;
    return found?.resourceType === type ? found : undefined;
  }
}

/**
 * The request inside a body: the resource itself (POST CoverageEligibilityRequest), a Parameters
 * with a `resource` parameter, or a Bundle holding exactly one request ($submit's input).
 */
function unwrap(body: unknown): { request: Json; resolver: Resolver } {
  const bad = (en: string, ja: string): never => {
    throw invalidRequest([{ code: 'VALIDATION_FAILED', ja, en }]);
  };
  if (!isRecord(body)) return bad('expected a CoverageEligibilityRequest', 'CoverageEligibilityRequestが必要です');
  let candidate: Json = body;
  if (body.resourceType === 'Parameters') {
    const param = records(body.parameter).find((p) => p.name === 'resource');
    if (!param || !isRecord(param.resource)) {
      return bad(
        'Parameters must carry the request in a "resource" parameter',
        'Parametersのresourceパラメータに照会を入れてください',
      );
    }
    candidate = param.resource;
  }
  let bundle: Array<{ fullUrl?: string; resource: Json }> = [];
  if (candidate.resourceType === 'Bundle') {
    bundle = records(candidate.entry)
      .filter((e) => isRecord(e.resource))
      .map((e) => ({ ...(str(e.fullUrl) ? { fullUrl: str(e.fullUrl) } : {}), resource: e.resource as Json }));
    const requests = bundle.filter((e) => e.resource.resourceType === REQ);
    if (requests.length !== 1) {
      return bad(
        'the Bundle must hold exactly one CoverageEligibilityRequest',
        'Bundleには照会を1件だけ入れてください',
      );
    }
    candidate = (requests[0] as { resource: Json }).resource;
  }
  if (candidate.resourceType !== REQ) {
    return bad(
      `expected resourceType CoverageEligibilityRequest, got ${String(candidate.resourceType)}`,
      'resourceTypeはCoverageEligibilityRequestにしてください',
    );
  }
  return { request: candidate, resolver: new Resolver(records(candidate.contained), bundle) };
}

const PURPOSES = ['auth-requirements', 'benefits', 'discovery', 'validation'] as const;
type Purpose = (typeof PURPOSES)[number];

function subExtensions(ext: Json, known: readonly string[], path: string, issues: FhirIssue[]): Map<string, Json> {
  const out = new Map<string, Json>();
  for (const sub of records(ext.extension)) {
    const url = str(sub.url) ?? '';
    if (!known.includes(url)) {
      issues.push({
        code: 'VALIDATION_UNKNOWN_FIELD',
        expression: `${path}.extension('${url}')`,
        ja: `未知の拡張です: ${url}`,
        en: `unknown sub-extension: ${url}`,
      });
    } else out.set(url, sub);
  }
  return out;
}

/** PEM from valueString (PEM) or valueBase64Binary (DER). */
function certificateOf(sub: Json | undefined): string | undefined {
  if (!sub) return undefined;
  const pem = str(sub.valueString);
  if (pem !== undefined) return pem;
  const der = str(sub.valueBase64Binary);
  if (der === undefined) return undefined;
  const body =
    der
      .replace(/\s+/gu, '')
      .match(/.{1,64}/gu)
      ?.join('\n') ?? '';
  return `-----BEGIN CERTIFICATE-----\n${body}\n-----END CERTIFICATE-----\n`;
}

function textOf(sub: Json | undefined): string | undefined {
  if (!sub) return undefined;
  return str(sub.valueBase64Binary) ?? str(sub.valueString) ?? str(sub.valueCode);
}

const CARD_PARTS = ['certificate', 'challenge', 'signature', 'identityCheck'] as const;
const CONSENT_PARTS = ['medication', 'healthCheckups', 'limitInfo'] as const;
const KNOWN_EXTENSIONS: readonly string[] = [EXT.cardVerification, EXT.presentedDocument, EXT.disclosureConsent];

function consentOf(ext: Json | undefined, issues: FhirIssue[]): VerificationConsent | undefined {
  if (!ext) return undefined;
  const path = `${REQ}.extension('${EXT.disclosureConsent}')`;
  const parts = subExtensions(ext, CONSENT_PARTS, path, issues);
  const consent: VerificationConsent = {};
  for (const name of CONSENT_PARTS) {
    const sub = parts.get(name);
    if (!sub) continue;
    if (typeof sub.valueBoolean !== 'boolean') {
      issues.push({
        code: 'VALIDATION_FAILED',
        expression: `${path}.extension('${name}')`,
        ja: `${name}はvalueBooleanで指定してください`,
        en: `${name} must be a valueBoolean`,
      });
    } else consent[name] = sub.valueBoolean;
  }
  return consent;
}

/** 保険者番号 from an Organization (or a logical reference) with the JP insurer-number identifier. */
function insurerNumberOf(org: Json | undefined): string | undefined {
  if (!org) return undefined;
  const ids = isRecord(org.identifier) ? [org.identifier] : records(org.identifier);
  const id = ids.find((i) => typeof i.system === 'string' && canonicalSystem(i.system) === JP.insurerNumberSystem);
  const value = str(id?.value);
  return value === undefined ? undefined : toHalfWidth(value);
}

function extensionValue(resource: Json, url: string): string | undefined {
  const value = str(records(resource.extension).find((e) => e.url === url)?.valueString);
  return value === undefined ? undefined : toHalfWidth(value);
}

/**
 * The 保険者番号・記号・番号・枝番 of insurance[0].coverage: its JP_Insurance_memberID identifier (on a
 * contained Coverage, or on a logical reference), else the JP Core 記号/番号/枝番 extensions with the
 * insurer of `payor` or of the request.
 */
function memberKeyOf(request: Json, resolver: Resolver, issues: FhirIssue[]): MemberKey | undefined {
  const insurance = records(request.insurance);
  const path = `${REQ}.insurance`;
  if (insurance.length !== 1) {
    issues.push({
      code: 'VALIDATION_FAILED',
      expression: path,
      ja: '番号での照会にはinsuranceを1件（保険者番号・記号・番号を持つCoverage）指定してください。カードでの照会にはcard-verification拡張を使います',
      en: 'a check by number needs exactly one insurance entry (a Coverage with 保険者番号・記号・番号); a card check needs the card-verification extension',
    });
    return undefined;
  }
  const ref = (insurance[0] as Json).coverage;
  const coverage = resolver.resolve(ref, 'Coverage');
  const identifiers = coverage
    ? records(coverage.identifier)
    : isRecord(ref) && isRecord(ref.identifier)
      ? [ref.identifier]
      : [];
  const identifierOf = (system: string) =>
    identifiers.find((i) => typeof i.system === 'string' && canonicalSystem(i.system) === system);
  const memberId = identifierOf(JP.insuranceMemberIdSystem);
  if (memberId) {
    const key = parseMemberIdentifier(str(memberId.value) ?? '');
    if (key) return key;
    issues.push({
      code: 'VALIDATION_FAILED',
      expression: `${path}[0].coverage.identifier`,
      ja: '被保険者個人識別子は「保険者番号:記号:番号:枝番」の形式で指定してください',
      en: 'the JP_Insurance_memberID value must read 保険者番号:記号:番号:枝番',
    });
    return undefined;
  }
  if (coverage) {
    // The JP Core extensions, or the OID-style 記号 / 番号 identifiers.
    const halfWidth = (v: unknown) => {
      const s = str(v);
      return s === undefined ? undefined : toHalfWidth(s);
    };
    const symbol =
      extensionValue(coverage, JP.insuredPersonSymbol) ?? halfWidth(identifierOf(JP_OID.insuredPersonSymbol)?.value);
    const number =
      extensionValue(coverage, JP.insuredPersonNumber) ?? halfWidth(identifierOf(JP_OID.insuredPersonNumber)?.value);
    const branch = extensionValue(coverage, JP.insuredPersonSubNumber) ?? str(coverage.dependent);
    const payor = records(coverage.payor)[0];
    const insurerNumber =
      insurerNumberOf(resolver.resolve(payor, 'Organization') ?? payor) ??
      insurerNumberOf(resolver.resolve(request.insurer, 'Organization') ?? (request.insurer as Json | undefined));
    if (symbol !== undefined && number !== undefined && insurerNumber !== undefined) {
      return { insurerNumber, symbol, number, branch: branch === '' ? undefined : branch };
    }
  }
  issues.push({
    code: 'VALIDATION_FAILED',
    expression: `${path}[0].coverage`,
    ja: '照会する資格が読めません: JP_Insurance_memberID の識別子、または記号・番号の拡張と保険者（保険者番号）を持つCoverageを指定してください',
    en: 'cannot read the qualification to check: give a Coverage with a JP_Insurance_memberID identifier, or the JP Core symbol/number extensions and an insurer with its 保険者番号',
  });
  return undefined;
}

/** The patient's birth date: from the Patient the request (or the Coverage's beneficiary) points at. */
function birthDateOf(request: Json, resolver: Resolver): string | undefined {
  const patient = resolver.resolve(request.patient, 'Patient');
  if (patient && str(patient.birthDate)) return str(patient.birthDate);
  const insurance = records(request.insurance)[0];
  const coverage = insurance ? resolver.resolve(insurance.coverage, 'Coverage') : undefined;
  const beneficiary = coverage ? resolver.resolve(coverage.beneficiary, 'Patient') : undefined;
  return beneficiary ? str(beneficiary.birthDate) : undefined;
}

function echoPatient(ref: unknown): Reference<Patient> | undefined {
  if (!isRecord(ref)) return undefined;
  const reference = str(ref.reference);
  const out: Reference<Patient> = {};
  if (reference && !reference.startsWith('#')) out.reference = reference;
  if (isRecord(ref.identifier)) out.identifier = ref.identifier as Identifier;
  return out.reference || out.identifier ? out : undefined;
}

/**
 * Reads a CoverageEligibilityRequest (or $submit's Parameters / Bundle) into the JSON API's request.
 * Throws a ShikakuError listing every FHIR-level problem (OperationOutcome issues with FHIRPaths);
 * shapes (check digits, dates, lengths) are left to the JSON API's schema, so both APIs accept and
 * refuse the same values. docs/FHIR.md §Requests.
 */
export function parseEligibilityRequest(body: unknown): ParsedEligibility {
  const { request, resolver } = unwrap(body);
  const issues: FhirIssue[] = [];

  if (request.status !== 'active') {
    issues.push({
      code: 'VALIDATION_FAILED',
      expression: `${REQ}.status`,
      ja: 'statusはactiveにしてください',
      en: 'status must be active',
    });
  }
  const purposes = Array.isArray(request.purpose) ? request.purpose : [];
  const unknownPurpose = purposes.filter((p) => !PURPOSES.includes(p as Purpose));
  if (unknownPurpose.length > 0) {
    issues.push({
      code: 'VALIDATION_FAILED',
      expression: `${REQ}.purpose`,
      ja: `purposeの値が正しくありません: ${unknownPurpose.join(', ')}`,
      en: `unknown purpose: ${unknownPurpose.join(', ')}`,
    });
  }
  const purpose = purposes.filter((p): p is Purpose => PURPOSES.includes(p as Purpose));
  if (!purpose.some((p) => p === 'validation' || p === 'benefits' || p === 'discovery')) {
    issues.push({
      code: 'VALIDATION_FAILED',
      expression: `${REQ}.purpose`,
      ja: 'purposeにvalidation（またはbenefits、discovery）を指定してください',
      en: 'purpose must include validation (or benefits, discovery)',
    });
  }
  if (request.servicedPeriod !== undefined) {
    issues.push({
      code: 'VALIDATION_FAILED',
      expression: `${REQ}.servicedPeriod`,
      ja: '照会日はservicedDateで指定してください',
      en: 'give the day to answer for as servicedDate, not servicedPeriod',
    });
  }
  if (request.servicedDate !== undefined && typeof request.servicedDate !== 'string') {
    issues.push({ code: 'VALIDATION_DATE', expression: `${REQ}.servicedDate` });
  }
  // A modifier extension changes the meaning of what it sits on: one we do not know must be refused.
  if (records(request.modifierExtension).length > 0 || records(request.insurance).some((i) => i.modifierExtension)) {
    issues.push({
      code: 'VALIDATION_UNKNOWN_FIELD',
      expression: `${REQ}.modifierExtension`,
      ja: '修飾拡張（modifierExtension）には対応していません',
      en: 'modifier extensions are not supported',
    });
  }
  const extensions = records(request.extension);
  for (const e of extensions) {
    const url = str(e.url) ?? '';
    if (url.startsWith(SHIKAKU_BASE) && !KNOWN_EXTENSIONS.includes(url)) {
      issues.push({
        code: 'VALIDATION_UNKNOWN_FIELD',
        expression: `${REQ}.extension('${url}')`,
        ja: `未知の拡張です: ${url}`,
        en: `unknown extension: ${url}`,
      });
    }
  }
  const extension = (url: string) => extensions.find((e) => e.url === url);
  const consent = consentOf(extension(EXT.disclosureConsent), issues);
  const asOf = str(request.servicedDate);
  const identifier = records(request.identifier)[0] as Identifier | undefined;
  const echoBase = { purpose, patient: echoPatient(request.patient), identifier };

  const card = extension(EXT.cardVerification);
  let verification: VerificationRequest;
  let key: MemberKey | undefined;
  if (card) {
    const path = `${REQ}.extension('${EXT.cardVerification}')`;
    const parts = subExtensions(card, CARD_PARTS, path, issues);
    for (const name of CARD_PARTS) {
      if (!parts.has(name)) {
        issues.push({
          code: 'VALIDATION_FAILED',
          expression: `${path}.extension('${name}')`,
          ja: `カード照会には${name}が必要です`,
          en: `a card check needs ${name}`,
        });
      }
    }
    const byCard: CardVerificationRequest = {
      method: 'card',
      ...(asOf !== undefined ? { asOf } : {}),
      card: {
        certificate: certificateOf(parts.get('certificate')) ?? '',
        challenge: textOf(parts.get('challenge')) ?? '',
        signature: textOf(parts.get('signature')) ?? '',
      },
      identityCheck: textOf(parts.get('identityCheck')) as CardVerificationRequest['identityCheck'],
      ...(consent ? { consent } : {}),
    };
    verification = byCard;
  } else {
    key = memberKeyOf(request, resolver, issues);
    const document = str(extension(EXT.presentedDocument)?.valueCode);
    if (document === undefined) {
      issues.push({
        code: 'VALIDATION_FAILED',
        expression: `${REQ}.extension('${EXT.presentedDocument}')`,
        ja: '番号での照会には提示された書類（presented-document拡張: certificate または legacy_card）が必要です',
        en: 'a check by number needs the presented-document extension (certificate or legacy_card)',
      });
    }
    const birthDate = birthDateOf(request, resolver);
    if (birthDate === undefined) {
      issues.push({
        code: 'VALIDATION_FAILED',
        expression: `${REQ}.patient`,
        ja: '番号での照会には患者の生年月日（birthDateを持つPatient）が必要です',
        en: "a check by number needs the patient's birth date (a Patient with birthDate)",
      });
    }
    const byNumber: NumberVerificationRequest = {
      method: 'number',
      ...(asOf !== undefined ? { asOf } : {}),
      document: document as NumberVerificationRequest['document'],
      insurerNumber: key?.insurerNumber ?? '',
      symbol: key?.symbol ?? '',
      number: key?.number ?? '',
      ...(key?.branch !== undefined ? { branch: key.branch } : {}),
      birthDate: birthDate ?? '',
      ...(consent ? { consent } : {}),
    };
    verification = byNumber;
  }
  if (issues.length > 0) throw invalidRequest(issues);
  return { request: verification, echo: { ...echoBase, key } };
}

/**
 * Where a field of the JSON request came from in the FHIR request, for an OperationOutcome issue
 * raised by the JSON API's schema (e.g. `insurerNumber` → the Coverage's identifier).
 */
export function fhirPathOf(path: ReadonlyArray<PropertyKey>): string {
  const [head, sub] = path.map(String);
  const card = `${REQ}.extension('${EXT.cardVerification}')`;
  switch (head) {
    case 'asOf':
      return `${REQ}.servicedDate`;
    case 'card':
      return sub ? `${card}.extension('${sub}')` : card;
    case 'identityCheck':
      return `${card}.extension('identityCheck')`;
    case 'consent':
      return `${REQ}.extension('${EXT.disclosureConsent}')${sub ? `.extension('${sub}')` : ''}`;
    case 'document':
      return `${REQ}.extension('${EXT.presentedDocument}')`;
    case 'insurerNumber':
    case 'symbol':
    case 'number':
    case 'branch':
      return `${REQ}.insurance[0].coverage`;
    case 'birthDate':
      return `${REQ}.patient`;
    default:
      return REQ;
  }
}

// ---------------------------------------------------------------------------------------------------
// Writing the answer

export interface EligibilityAnswerContext {
  answer: VerificationAnswer;
  echo: EligibilityEcho;
  /** From the verification record: the member disclosed (null when nothing was). */
  memberId: string | null;
  /** The day answered for (the verification record's as_of). */
  asOf: IsoDate;
  /** The day whose ratio and limit category the qualification shows (ratioDateFor); null if none. */
  ratioDate: IsoDate | null;
  /** ISO instant of the answer. */
  created: string;
  providerCode: string;
}

const RATIO_CATEGORY: CodeableConcept = {
  coding: [{ system: HL7.benefitCategory, code: '30', display: 'Health Benefit Plan Coverage' }],
};

const yen = new Intl.NumberFormat('en-US');

/** The monthly limit of a category on a day: a flat amount, or the formula as text. */
function limitAllowance(
  category: LimitCategory,
  on: IsoDate | null,
): Pick<NonNullable<CoverageEligibilityResponseInsuranceItem['benefit']>[number], 'allowedMoney' | 'allowedString'> {
  if (on === null) return {};
  try {
    const { base, threshold } = limitRowOn(category, on).monthly;
    if (threshold === null) return { allowedMoney: { value: base, currency: 'JPY' } };
    return { allowedString: `${yen.format(base)}円＋（総医療費−${yen.format(threshold)}円）×1％` };
  } catch (error) {
    if (error instanceof RangeError) return {}; // no limit table in force that day
    throw error;
  }
}

function itemsOf(q: VerifiedQualification, ratioDate: IsoDate | null): CoverageEligibilityResponseInsuranceItem[] {
  const items: CoverageEligibilityResponseInsuranceItem[] = [];
  if (q.burdenRatio !== null) {
    items.push({
      category: RATIO_CATEGORY,
      name: '一部負担金の割合 / Burden ratio',
      benefit: [
        {
          type: {
            coding: [{ system: HL7.benefitType, code: 'copay-percent', display: 'Copayment Percent per service' }],
          },
          allowedUnsignedInt: q.burdenRatio,
        },
      ],
    });
  }
  if (q.limitCategory !== null) {
    items.push({
      category: { ...RATIO_CATEGORY, text: '高額療養費 / High-cost care' },
      name: `限度額適用区分 ${q.limitCategory} / Limit category`,
      benefit: [
        {
          type: { coding: [limitCategoryCoding(q.limitCategory)], text: `区分${q.limitCategory}` },
          ...limitAllowance(q.limitCategory, ratioDate),
        },
      ],
    });
  }
  for (const d of q.specificDisease) {
    items.push({
      category: { ...RATIO_CATEGORY, text: '特定疾病 / Specific disease' },
      name: '特定疾病療養 / Specific disease',
      description: `${d.validFrom}〜${d.validUntil ?? ''}`,
      benefit: [
        { type: specificDiseaseConcept(d.category), allowedMoney: { value: d.monthlyLimitYen, currency: 'JPY' } },
      ],
    });
  }
  return items;
}

function benefitPeriod(q: VerifiedQualification) {
  return { start: q.acquiredOn, ...(q.lostOn ? { end: addDays(q.lostOn, -1) } : {}) };
}

/** Both languages, Japanese first: the outcome, the reasons, then what the clerk can do. */
export function dispositionOf(answer: VerificationAnswer): string {
  const o = OUTCOMES[answer.outcome];
  const ja = `${o.ja}${answer.reasons.length ? `：${answer.reasons.map((r) => r.ja).join('／')}` : ''}。${
    answer.fallbacks.length ? `対応：${answer.fallbacks.map((f) => f.ja).join('／')}。` : ''
  }`;
  const en = `${o.en}${answer.reasons.length ? `: ${answer.reasons.map((r) => r.en).join('; ')}` : ''}.${
    answer.fallbacks.length ? ` Next: ${answer.fallbacks.map((f) => f.en).join('; ')}.` : ''
  }`;
  return `${ja} / ${en}`;
}

const HUB: Reference<Organization> = { display: 'Shikaku 資格確認 (hub)' };

/**
 * The CoverageEligibilityResponse carrying a verification answer. A disclosed qualification travels
 * as a contained JP_Patient (#patient) and JP_Coverage (#coverage): the answer is a snapshot as of
 * `servicedDate`, like the JSON answer; nothing is contained when nothing was disclosed.
 */
export function toEligibilityResponse(c: EligibilityAnswerContext): CoverageEligibilityResponse {
  const { answer, echo } = c;
  const q = answer.qualification;
  const disclosed = q !== null && c.memberId !== null ? { q, memberId: c.memberId } : null;

  const extension: Extension[] = [
    { url: EXT.verificationOutcome, valueCode: answer.outcome },
    ...answer.reasons.map((r) => ({ url: EXT.verificationReason, valueCodeableConcept: codedConcept(CS.reason, r) })),
    ...answer.fallbacks.map((f) => ({
      url: EXT.verificationFallback,
      valueCodeableConcept: codedConcept(CS.fallback, f),
    })),
  ];

  let contained: Resource[] | undefined;
  let insurance: CoverageEligibilityResponseInsurance[] | undefined;
  let patient: Reference<Patient> = echo.patient ?? { display: '照会対象の患者 / the patient of the request' };
  let insurer: Reference<Organization> = echo.key
    ? { type: 'Organization', identifier: insurerIdentifier(echo.key.insurerNumber) }
    : HUB;

  if (disclosed) {
    const { q, memberId } = disclosed;
    const insurerRef = insurerReference({ insurerNumber: q.insurerNumber, name: q.insurerName });
    const coverage: Coverage = toCoverage(q, {
      id: 'coverage',
      beneficiary: { reference: '#patient' },
      payor: insurerRef,
    });
    contained = [
      toPatient({ memberId, name: q.name, nameKana: q.nameKana, birthDate: q.birthDate, sex: q.sex }, 'patient'),
      coverage,
    ];
    patient = { reference: '#patient', display: q.name };
    insurer = insurerRef;
    insurance = [
      {
        coverage: { reference: '#coverage', display: memberIdentifierValue(q) },
        inforce: answer.outcome === 'eligible',
        benefitPeriod: benefitPeriod(q),
        item: itemsOf(q, c.ratioDate),
      },
    ];
    if (insurance[0]?.item?.length === 0) delete insurance[0].item;
  } else if (answer.outcome === 'ineligible') {
    // Refused before the hub disclosed anything (the card or the document failed): inforce=false
    // about what was presented, named only by what the provider itself sent.
    insurance = [
      {
        coverage: echo.key
          ? { type: 'Coverage', identifier: memberIdentifier(echo.key), display: memberIdentifierValue(echo.key) }
          : { type: 'Coverage', display: 'マイナ保険証で提示された資格 / qualification presented by My Number card' },
        inforce: false,
      },
    ];
  }

  const errors =
    answer.outcome === 'not_found' || answer.outcome === 'ambiguous'
      ? answer.reasons.map((r) => ({ code: codedConcept(CS.reason, r) }))
      : [];

  return {
    resourceType: 'CoverageEligibilityResponse',
    ...(contained ? { contained } : {}),
    extension,
    identifier: [{ system: SID.verification, value: answer.verificationId }],
    status: 'active',
    purpose: echo.purpose,
    patient,
    servicedDate: c.asOf,
    created: c.created,
    requestor: providerReference(c.providerCode),
    request: echo.identifier
      ? { type: 'CoverageEligibilityRequest', identifier: echo.identifier }
      : { type: 'CoverageEligibilityRequest', display: '照会（保存されません） / the request (not stored)' },
    outcome: 'complete',
    disposition: dispositionOf(answer),
    insurer,
    ...(insurance ? { insurance } : {}),
    ...(errors.length > 0 ? { error: errors } : {}),
  };
}
