/**
 * Each association's own legacy-card transition policy, as dated data (RULES.md §2; seeds 000 and
 * 002 differ): whether, and from when, holders of a valid legacy 健康保険証 with no usable マイナ保険証 get
 * a 資格確認書 ex officio before their card ends. Stored per association (insurers.transition_policy);
 * none stored means `DEFAULT_TRANSITION_POLICY`, which is the behaviour before issue #16.
 */
import { ShikakuError } from './codes.js';
import { addDays, type IsoDate, isIsoDate } from './dates.js';
import { CERTIFICATE_FIRST_ISSUE_DATE, type ExOfficioOptions, LEGACY_TRANSITION_ISSUE_FROM } from './issuance.js';
import { LEGACY_CARD_LAST_USE_DATE } from './proofs.js';

/** The policy in force from `validFrom` (inclusive) until the next period's `validFrom`. */
export interface TransitionPolicyPeriod {
  validFrom: IsoDate;
  /**
   * First day a holder of a valid legacy card with no usable マイナ保険証 is issued a 資格確認書 ex
   * officio (seed 002: so that it arrives by 2025-12-01). Null: not before the legacy card ends — the
   * holder gets one from 2025-12-02, as every member without a usable マイナ保険証 (seed 000).
   */
  legacyHolderCertificateFrom: IsoDate | null;
}

const DEFAULT_POLICY_PERIOD: TransitionPolicyPeriod = {
  validFrom: CERTIFICATE_FIRST_ISSUE_DATE,
  legacyHolderCertificateFrom: LEGACY_TRANSITION_ISSUE_FROM,
};

/** Today's behaviour: legacy-card holders are issued one from 2025-07-01 (`LEGACY_TRANSITION_ISSUE_FROM`). */
export const DEFAULT_TRANSITION_POLICY: readonly TransitionPolicyPeriod[] = [DEFAULT_POLICY_PERIOD];

/** Seed 000's association: nothing while the legacy card is valid. */
export const NO_EARLY_ISSUE_POLICY: readonly TransitionPolicyPeriod[] = [
  { validFrom: CERTIFICATE_FIRST_ISSUE_DATE, legacyHolderCertificateFrom: null },
];

function invalid(detail: Record<string, unknown>, ja: string, en: string): ShikakuError {
  return new ShikakuError('VALIDATION_FAILED', detail, { ja, en });
}

/**
 * Checks a stored or submitted policy: at least one period, ISO dates, `validFrom` strictly increasing.
 * Returns it typed; throws `VALIDATION_FAILED` otherwise.
 */
export function parseTransitionPolicy(value: unknown): TransitionPolicyPeriod[] {
  if (!Array.isArray(value) || value.length === 0) {
    throw invalid({ field: 'transitionPolicy' }, '移行方針は1件以上の期間で指定してください', 'at least one period');
  }
  const periods: TransitionPolicyPeriod[] = [];
  for (const p of value as Array<Record<string, unknown>>) {
    const validFrom = p?.validFrom;
    const from = p?.legacyHolderCertificateFrom;
    if (
      typeof validFrom !== 'string' ||
      !isIsoDate(validFrom) ||
      !(from === null || (typeof from === 'string' && isIsoDate(from)))
    ) {
      throw invalid(
        { field: 'transitionPolicy', period: p },
        '移行方針の日付が不正です',
        'a period has an invalid date',
      );
    }
    const previous = periods.at(-1);
    if (previous !== undefined && validFrom <= previous.validFrom) {
      throw invalid(
        { field: 'transitionPolicy', validFrom },
        '期間は開始日の昇順で指定してください',
        'periods must be in increasing order',
      );
    }
    periods.push({ validFrom, legacyHolderCertificateFrom: from });
  }
  return periods;
}

/** The period in force on `asOf`: the last one starting on or before it (the first one before any). */
export function transitionPolicyOn(periods: readonly TransitionPolicyPeriod[], asOf: IsoDate): TransitionPolicyPeriod {
  const [first = DEFAULT_POLICY_PERIOD, ...rest] = periods;
  let current = first;
  for (const p of rest) if (p.validFrom <= asOf) current = p;
  return current;
}

/**
 * The options of `decideExOfficio` / `decideCertificateApplication` for an association on `asOf`
 * (null/undefined policy: the default). A null `legacyHolderCertificateFrom` becomes 2025-12-02, the
 * first day no legacy card is valid, so the legacy-card skip holds for the card's whole life.
 */
export function exOfficioOptionsOn(
  periods: readonly TransitionPolicyPeriod[] | null | undefined,
  asOf: IsoDate,
): Required<ExOfficioOptions> {
  const policy = transitionPolicyOn(periods ?? DEFAULT_TRANSITION_POLICY, asOf);
  return { legacyTransitionFrom: policy.legacyHolderCertificateFrom ?? addDays(LEGACY_CARD_LAST_USE_DATE, 1) };
}
