/**
 * Shikaku's verification answer (src/services/verification.ts) written as an OQS answer (research
 * §1.3–1.4). The decision is never made here: the same `verify` answers /api/v1/verifications, FHIR
 * and OQS. docs/OQS.md has the element-by-element mapping. Pure: no I/O, no clock (times are given).
 */

import type { VerificationAnswer, VerifiedQualification } from '../contract/verification.js';
import { elderlyFrom, isPreschool, lateElderlyFrom } from '../domain/burden.js';
import { addDays, type IsoDate, maxDate, minDate } from '../domain/dates.js';
import { LIMIT_CATEGORY_OQS_CODES, type LimitCategory, SPECIFIC_DISEASE_OQS_CODES } from '../domain/limits.js';
import {
  CONSENT,
  INSURED_CARD_GENERAL,
  LIMIT_CERTIFICATE_CLASSIFICATION,
  type OqsError,
  oqsErrorMessage,
  PERSONAL_FAMILY,
  PRESCHOOL,
  PROCESSING_RESULT_STATUS,
  QUALIFICATION_VALIDITY,
  REASON_OF_LOSS,
  SEGMENT_OF_RESULT,
  SEX,
} from './codes.js';
import type { OqsNode } from './envelope.js';
import { toHalfWidthKana } from './kana.js';
import { toOqsDate } from './request.js';

/** Japan has one offset all year (UTC+9, no daylight saving): plain arithmetic, no Intl (hot path). */
const JST_OFFSET_MS = 9 * 3_600_000;

/** `YYYYMMDDHHmmss` in Japan time (ProcessExecutionTime, ReceptionDateTime, …ConsTime). */
export function jstTimestamp(at: Date): string {
  const iso = new Date(at.getTime() + JST_OFFSET_MS).toISOString();
  return `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}`;
}

export interface HeaderFields {
  processedAt: Date;
  /** QualificationConfirmationDate: the day answered for (ISO), or as the request gave it. */
  confirmationDate: string | undefined;
  institutionCode: string | undefined;
  arbitraryFileIdentifier: string | undefined;
  referenceClassification: '1' | '2';
  characterCode: '0' | '1';
}

/** The reply header (research §1.2, [mc-header]); ErrorCode/ErrorMessage only when abnormal. */
export function messageHeader(h: HeaderFields, segment: '1' | '2' | '9', error?: OqsError): OqsNode {
  const date =
    h.confirmationDate && /^\d{4}-\d{2}-\d{2}$/.test(h.confirmationDate)
      ? toOqsDate(h.confirmationDate)
      : h.confirmationDate;
  return {
    ProcessExecutionTime: jstTimestamp(h.processedAt),
    QualificationConfirmationDate: date,
    MedicalInstitutionCode: h.institutionCode,
    ArbitraryFileIdentifier: h.arbitraryFileIdentifier,
    ReferenceClassification: h.referenceClassification,
    SegmentOfResult: segment,
    ErrorCode: error?.code,
    ErrorMessage: error ? oqsErrorMessage(error) : undefined,
    CharacterCodeIdentifier: h.characterCode,
  };
}

export function message(header: OqsNode, body: OqsNode): OqsNode {
  return { XmlMsg: { MessageHeader: header, MessageBody: body } };
}

/** The whole answer to a request that could not be read or answered (SegmentOfResult 9). */
export function errorMessage(h: HeaderFields, error: OqsError, echo?: OqsNode): OqsNode {
  return message(messageHeader(h, SEGMENT_OF_RESULT.abnormal, error), errorBody(error, echo));
}

/** A body for an error: ProcessingResultStatus 2 with the code and message. */
export function errorBody(error: OqsError, echo?: OqsNode): OqsNode {
  return {
    ProcessingResultStatus: PROCESSING_RESULT_STATUS.error,
    ProcessingResultCode: error.code,
    ProcessingResultMessage: oqsErrorMessage(error),
    QualificationConfirmSearchInfo: echo,
  };
}

/** What the registry adds to the answer for OQS: the hub's address and the insured's name. */
export interface ExtraFacts {
  address: string | null;
  insuredName: string | null;
}

export interface BodyOptions {
  asOf: IsoDate;
  /** The request's QualificationConfirmSearchInfo as given (by number only). */
  echo?: OqsNode | undefined;
  limitConsent: boolean;
  diseaseConsent: boolean;
  /** When consent was given (…ConsTime): the time of the request. */
  consentAt: Date;
  extra: ExtraFacts;
}

/** OQSCD006 from the outcome (src/domain/verification.ts maps outcomes one to one). */
export function qualificationValidity(answer: VerificationAnswer): string {
  switch (answer.outcome) {
    case 'eligible':
      return QUALIFICATION_VALIDITY.valid;
    case 'ineligible':
      return answer.reasons.some((r) => r.code === 'NEWER_QUALIFICATION_EXISTS')
        ? QUALIFICATION_VALIDITY.invalidNewer
        : QUALIFICATION_VALIDITY.invalid;
    case 'not_found':
      return QUALIFICATION_VALIDITY.notFound;
    case 'ambiguous':
      return QUALIFICATION_VALIDITY.multiple;
  }
}

/** 〒123-4567 (or 123-4567) at the start of an address: OQS carries it apart (PostNumber). */
export function splitPostalCode(address: string): { postNumber: string | undefined; address: string } {
  const m = /^\s*〒?\s*(\d{3})[-－ー‐]?(\d{4})\s*(.*)$/u.exec(address.normalize('NFKC'));
  if (!m) return { postNumber: undefined, address: address.trim() };
  return { postNumber: `${m[1]}-${m[2]}`, address: (m[3] ?? '').trim() };
}

/** The day the disclosed figures describe: asOf while covered, else the nearest covered day. */
function coveredDay(q: VerifiedQualification, asOf: IsoDate): IsoDate {
  let last = addDays(lateElderlyFrom(q.birthDate), -1);
  if (q.lostOn !== null) last = minDate(last, addDays(q.lostOn, -1));
  const first = maxDate(q.acquiredOn, q.birthDate);
  return maxDate(first, minDate(asOf, maxDate(first, last)));
}

const LOW_INCOME: ReadonlySet<LimitCategory> = new Set(['オ', '低所得Ⅱ', '低所得Ⅰ']);
const ELDERLY_CATEGORIES: ReadonlySet<LimitCategory> = new Set([
  '現役並みⅢ',
  '現役並みⅡ',
  '現役並みⅠ',
  '一般',
  '低所得Ⅱ',
  '低所得Ⅰ',
]);

function lastCoveredDay(q: VerifiedQualification, until: IsoDate): IsoDate {
  return q.lostOn === null ? until : minDate(until, addDays(q.lostOn, -1));
}

/** One ResultOfQualificationConfirmation (research §1.3), in the order of the field table. */
export function resultOfQualification(answer: VerificationAnswer, q: VerifiedQualification, o: BodyOptions): OqsNode {
  const day = coveredDay(q, o.asOf);
  const seventy = elderlyFrom(q.birthDate);
  const seventyFive = lateElderlyFrom(q.birthDate);
  const elderly = day >= seventy && day < seventyFive && q.burdenRatio !== null;
  const lost75 = answer.reasons.some((r) => r.code === 'AGE_75_TRANSFERRED');
  const lostOn = q.lostOn ?? (lost75 ? seventyFive : null);
  const newer = answer.reasons.some((r) => r.code === 'NEWER_QUALIFICATION_EXISTS');
  const { postNumber, address } = o.extra.address
    ? splitPostalCode(o.extra.address)
    : { postNumber: undefined, address: undefined };
  const consTime = jstTimestamp(o.consentAt);

  const node: OqsNode = {
    InsuredCardClassification: INSURED_CARD_GENERAL,
    InsurerNumber: q.insurerNumber,
    InsurerName: q.insurerName,
    InsuredCardSymbol: q.symbol,
    InsuredIdentificationNumber: q.number,
    InsuredBranchNumber: q.branch,
    PersonalFamilyClassification: q.relationship === 'insured' ? PERSONAL_FAMILY.insured : PERSONAL_FAMILY.dependent,
    InsuredName: o.extra.insuredName ?? (q.relationship === 'insured' ? q.name : undefined),
    Name: q.name,
    NameKana: toHalfWidthKana(q.nameKana),
    Sex1: q.sex === 'male' ? SEX.male : SEX.female,
    Birthdate: toOqsDate(q.birthDate),
    Address: address || undefined,
    PostNumber: postNumber,
    QualificationDate: toOqsDate(q.acquiredOn),
    DisqualificationDate: lostOn === null ? undefined : toOqsDate(lostOn),
    PreschoolClassification: isPreschool(q.birthDate, day) ? PRESCHOOL : undefined,
    ReasonOfLoss: lostOn === null ? undefined : lost75 || newer ? REASON_OF_LOSS.otherInsurance : REASON_OF_LOSS.other,
  };
  if (elderly) {
    node.ElderlyRecipientCertificateInfo = {
      ElderlyRecipientValidStartDate: toOqsDate(maxDate(seventy, q.acquiredOn)),
      ElderlyRecipientValidEndDate: toOqsDate(lastCoveredDay(q, addDays(seventyFive, -1))),
      ElderlyRecipientContributionRatio: String(q.burdenRatio).padStart(3, '0'),
    };
  }
  node.LimitApplicationCertificateRelatedConsFlg = o.limitConsent ? CONSENT.yes : CONSENT.no;
  if (o.limitConsent) {
    node.LimitApplicationCertificateRelatedConsTime = consTime;
    if (q.limitCategory !== null) {
      const b = ELDERLY_CATEGORIES.has(q.limitCategory);
      const from = b ? maxDate(seventy, q.acquiredOn) : q.acquiredOn;
      // Under 70 the category holds until the remuneration changes: no end unless the cover ends.
      const until = b
        ? lastCoveredDay(q, addDays(seventyFive, -1))
        : q.lostOn === null
          ? null
          : lastCoveredDay(q, addDays(seventy, -1));
      node.LimitApplicationCertificateRelatedInfo = {
        LimitApplicationCertificateClassification: LOW_INCOME.has(q.limitCategory)
          ? LIMIT_CERTIFICATE_CLASSIFICATION.limitAndReducedMeal
          : LIMIT_CERTIFICATE_CLASSIFICATION.limit,
        LimitApplicationCertificateClassificationFlag: LIMIT_CATEGORY_OQS_CODES[q.limitCategory],
        LimitApplicationCertificateValidStartDate: toOqsDate(from),
        LimitApplicationCertificateValidEndDate: until === null ? undefined : toOqsDate(until),
      };
    }
  }
  node.SpecificDiseasesCertificateRelatedConsFlg = o.diseaseConsent ? CONSENT.yes : CONSENT.no;
  if (o.diseaseConsent) {
    node.SpecificDiseasesCertificateRelatedConsTime = consTime;
    const list = q.specificDisease
      .filter((d) => d.category in SPECIFIC_DISEASE_OQS_CODES)
      .map((d) => ({
        SpecificDiseasesCertificateInfo: {
          SpecificDiseasesDiseaseCategory:
            SPECIFIC_DISEASE_OQS_CODES[d.category as keyof typeof SPECIFIC_DISEASE_OQS_CODES],
          SpecificDiseasesValidStartDate: toOqsDate(d.validFrom),
          SpecificDiseasesValidEndDate: d.validUntil === null ? undefined : toOqsDate(d.validUntil),
          SpecificDiseasesSelfPay: String(d.monthlyLimitYen),
        },
      }));
    if (list.length > 0) node.SpecificDiseasesCertificateList = list;
  }
  return node;
}

/** Reasons worth a ProcessingResultCode: warnings on an eligible answer, the causes otherwise. */
function noticeOf(answer: VerificationAnswer): { code: string; message: string } | null {
  const reasons = answer.reasons.filter((r) => r.code !== 'CONSENT_NOT_GIVEN');
  const first = reasons[0];
  if (!first) return null;
  return { code: first.code, message: reasons.map((r) => r.ja).join('／') };
}

/** The MessageBody of an answered query (ProcessingResultStatus 1 whatever the validity). */
export function answerBody(answer: VerificationAnswer, o: BodyOptions): OqsNode {
  const notice = noticeOf(answer);
  const q = answer.qualification;
  return {
    ProcessingResultStatus: PROCESSING_RESULT_STATUS.normal,
    ProcessingResultCode: notice?.code,
    ProcessingResultMessage: notice?.message,
    QualificationValidity: qualificationValidity(answer),
    QualificationConfirmSearchInfo: o.echo,
    ResultList: q ? [{ ResultOfQualificationConfirmation: resultOfQualification(answer, q, o) }] : undefined,
  };
}
