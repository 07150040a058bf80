/**
 * Our code systems as FHIR CodeSystem resources, built from the one catalogue (src/domain/codes.ts,
 * limits.ts), so a FHIR client can look a code up at /fhir/R4/CodeSystem/{id}. Display is English,
 * with a Japanese designation; limit categories are displayed by their Japanese name (ア, 現役並みⅢ …),
 * which is what they are called.
 */
import type { CodeableConcept, CodeSystem, CodeSystemConcept, Coding } from '@medplum/fhirtypes';
import { type CodedMessage, ERRORS, FALLBACKS, REASONS } from '../domain/codes.js';
import { LIMIT_CATEGORY_OQS_CODES, type LimitCategory, SPECIFIC_DISEASE_OQS_CODES } from '../domain/limits.js';
import type { Outcome } from '../domain/verification.js';
import { AUDIT_ACTION_SYSTEM, AUDIT_ACTIONS } from './audit-event.js';
import { CS } from './systems.js';

/** Our outcome, the OQS validity code it stands for, and its words (anchors-and-style.md A.3). */
export const OUTCOMES: Readonly<Record<Outcome, { ja: string; en: string }>> = {
  eligible: { ja: '資格有効', en: 'Eligible' },
  ineligible: { ja: '資格無効', en: 'Not eligible' },
  not_found: { ja: '該当資格なし', en: 'No matching qualification' },
  ambiguous: { ja: '複数該当', en: 'Several matching qualifications' },
};

/** 特定疾病 (OQSCD013), in the words of the 特定疾病療養受療証. */
const SPECIFIC_DISEASES: Readonly<Record<keyof typeof SPECIFIC_DISEASE_OQS_CODES, { ja: string; en: string }>> = {
  dialysis: { ja: '人工透析を実施している慢性腎不全', en: 'Chronic renal failure with dialysis' },
  hemophilia: {
    ja: '先天性血液凝固第Ⅷ因子障害又は先天性血液凝固第Ⅸ因子障害',
    en: 'Congenital coagulation factor VIII or IX disorder',
  },
  hiv: { ja: '血液製剤に起因するHIV感染症', en: 'HIV infection caused by blood products' },
};

function concept(code: string, en: string, ja: string): CodeSystemConcept {
  return { code, display: en, designation: [{ language: 'ja', value: ja }] };
}

function codeSystem(
  id: string,
  url: string,
  name: string,
  title: string,
  concepts: CodeSystemConcept[],
  content: CodeSystem['content'] = 'complete',
): CodeSystem {
  return {
    resourceType: 'CodeSystem',
    id,
    url,
    name,
    title,
    status: 'active',
    experimental: false,
    publisher: 'Shikaku',
    caseSensitive: true,
    content,
    ...(content === 'complete' ? { count: concepts.length } : {}),
    concept: concepts,
  };
}

/** Every code system we define, by id. */
export function codeSystems(): CodeSystem[] {
  const entries = <T extends { ja: string; en: string }>(table: Record<string, T>) =>
    Object.entries(table).map(([code, m]) => concept(code, m.en, m.ja));
  return [
    codeSystem(
      'verification-reason',
      CS.reason,
      'ShikakuVerificationReason',
      '資格確認の理由 / Verification reasons',
      entries(REASONS),
    ),
    codeSystem(
      'verification-fallback',
      CS.fallback,
      'ShikakuVerificationFallback',
      '窓口での代替手段 / Fallbacks for the reception',
      entries(FALLBACKS),
    ),
    codeSystem(
      'verification-outcome',
      CS.outcome,
      'ShikakuVerificationOutcome',
      '資格確認の結果 / Verification outcomes',
      entries(OUTCOMES),
    ),
    codeSystem('error', CS.error, 'ShikakuError', 'リクエストエラー / Request errors', entries(ERRORS)),
    codeSystem(
      'limit-category',
      CS.limitCategory,
      'ShikakuLimitCategory',
      '限度額適用区分 (OQSCD012) / High-cost care limit categories',
      Object.entries(LIMIT_CATEGORY_OQS_CODES).map(([name, code]) => ({ code, display: name })),
    ),
    codeSystem(
      'specific-disease',
      CS.specificDisease,
      'ShikakuSpecificDisease',
      '特定疾病 (OQSCD013) / Specific diseases',
      Object.entries(SPECIFIC_DISEASE_OQS_CODES).map(([key, code]) => {
        const m = SPECIFIC_DISEASES[key as keyof typeof SPECIFIC_DISEASES];
        return concept(code, m.en, m.ja);
      }),
    ),
    codeSystem(
      'audit-action',
      AUDIT_ACTION_SYSTEM,
      'ShikakuAuditAction',
      '監査記録の操作 / Audit actions',
      entries(AUDIT_ACTIONS),
      'fragment',
    ),
  ];
}

/**
 * A reason or fallback of an answer as a CodeableConcept: the code, the catalogue's English display,
 * and the answer's Japanese message as text (with any detail the answer added, e.g. a date).
 */
export function codedConcept(system: typeof CS.reason | typeof CS.fallback, message: CodedMessage): CodeableConcept {
  const table: Record<string, { en: string }> = system === CS.reason ? REASONS : FALLBACKS;
  const display = table[message.code]?.en ?? message.en;
  return { coding: [{ system, code: message.code, display }], text: message.ja };
}

/** The limit category as a Coding (code = the OQS code, display = its name). */
export function limitCategoryCoding(category: LimitCategory): Coding {
  return { system: CS.limitCategory, code: LIMIT_CATEGORY_OQS_CODES[category], display: category };
}

/** The 特定疾病 as a CodeableConcept; an unknown category keeps its text only. */
export function specificDiseaseConcept(category: string): CodeableConcept {
  if (category in SPECIFIC_DISEASE_OQS_CODES) {
    const key = category as keyof typeof SPECIFIC_DISEASE_OQS_CODES;
    const m = SPECIFIC_DISEASES[key];
    return {
      coding: [{ system: CS.specificDisease, code: SPECIFIC_DISEASE_OQS_CODES[key], display: m.en }],
      text: m.ja,
    };
  }
  return { text: category };
}
