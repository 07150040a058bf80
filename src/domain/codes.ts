/**
 * The catalogue of stable codes (shared/domain/CODES.md). Clients branch on these: a code is never
 * renamed or reused. Each carries a Japanese and an English message.
 */
export interface Message {
  readonly ja: string;
  readonly en: string;
}

/** Verification reasons (`reasons[].code`). */
export const REASONS = {
  HUB_NOT_REGISTERED: {
    ja: '資格情報が登録されていません（事業主の届出未了、またはマイナンバー未登録）',
    en: 'The hub holds no qualification for this person (not notified, or My Number not registered)',
  },
  HUB_REGISTRATION_PENDING: {
    ja: '資格情報は登録処理中です（翌々営業日から照会できます）',
    en: 'The registration is pending: the hub answers from the 2nd business day after registration',
  },
  RESIDENT_RECORD_MISMATCH: {
    ja: '住民票の基本4情報と一致しないため、資格情報を照会できません',
    en: 'Registration failed: name, birth date, sex or address differ from the resident record',
  },
  QUALIFICATION_NOT_STARTED: {
    ja: '資格取得日より前の日付です',
    en: 'The qualification starts after the day of the query',
  },
  QUALIFICATION_LOST: {
    ja: '資格を喪失しています',
    en: 'The qualification was lost on or before the day of the query',
  },
  AGE_75_TRANSFERRED: {
    ja: '75歳到達により後期高齢者医療制度に移行しています',
    en: 'The person turned 75 and moved to the late-stage elderly medical care system',
  },
  INSURED_COVER_ENDED: {
    ja: '被保険者の資格喪失（75歳到達・死亡・退職等）により、被扶養者の資格も喪失しています',
    en: "The dependent's cover ended with the insured's (75th birthday, death or any loss)",
  },
  BIRTH_DATE_MISMATCH: { ja: '生年月日が一致しません', en: 'The birth date given does not match' },
  MULTIPLE_QUALIFICATIONS: {
    ja: '有効な資格が複数あります',
    en: 'More than one valid qualification on that day',
  },
  CARD_NOT_REGISTERED: {
    ja: 'マイナンバーカードの健康保険証利用登録がされていません',
    en: 'The card was never registered for health-insurance use',
  },
  CARD_REGISTRATION_CANCELLED: {
    ja: '健康保険証利用登録が解除されています',
    en: 'The health-insurance registration of the card was cancelled or has lapsed',
  },
  CARD_EXPIRED: { ja: 'マイナンバーカードの有効期限が切れています', en: 'The card is past its expiry' },
  CARD_EXPIRED_GRACE: {
    ja: 'マイナンバーカードの有効期限切れ後の猶予期間中です（薬剤情報等は提供されません）',
    en: 'The card has expired but is within the grace period (no medication or check-up data)',
  },
  CARD_RETURNED: { ja: 'マイナンバーカードは返納されています', en: 'The card was returned' },
  CARD_INVALIDATED: { ja: 'マイナンバーカードは失効しています', en: 'The card was invalidated' },
  CARD_PIN_LOCKED: {
    ja: '暗証番号がロックされています（市区町村窓口で初期化してください）',
    en: 'The PIN is locked after 3 wrong tries (reset at the municipal office)',
  },
  CERT_EXPIRED: {
    ja: '利用者証明用電子証明書の有効期限が切れています',
    en: 'The user certificate is past its expiry',
  },
  CERT_EXPIRED_GRACE: {
    ja: '電子証明書の有効期限切れ後の猶予期間中です（薬剤情報等は提供されません）',
    en: 'The user certificate has expired but is within the grace period (no medication or check-up data)',
  },
  CERT_EXPIRING_SOON: {
    ja: '電子証明書の有効期限が3か月以内に到来します。更新してください',
    en: 'The user certificate expires within 3 months: renew it',
  },
  CERT_REVOKED: { ja: '電子証明書は失効しています', en: 'The user certificate was revoked' },
  CERT_UNTRUSTED: {
    ja: '電子証明書の発行元を確認できません',
    en: 'The user certificate was not issued by the trusted authority',
  },
  SIGNATURE_INVALID: { ja: 'カードの署名を検証できません', en: "The card's signature does not verify" },
  CHALLENGE_INVALID: {
    ja: '照会用のチャレンジが無効です（不明・使用済み・期限切れ）',
    en: 'The challenge is unknown, already used or stale',
  },
  LEGACY_CARD_EXPIRED: {
    ja: '従来の健康保険証は使用できません（2025年12月1日で有効期限終了）',
    en: 'The legacy health insurance card can no longer be used',
  },
  LEGACY_CARD_TEMPORARY_MEASURE: {
    ja: '有効期限切れの健康保険証ですが、暫定措置により資格を確認しました',
    en: 'An expired legacy card was accepted under a dated temporary measure',
  },
  LEGACY_CARD_REPORTED_LOST: {
    ja: 'この健康保険証は滅失・き損の届出がされています',
    en: 'This health insurance card was reported lost or damaged',
  },
  LEGACY_CARD_RETURNED: {
    ja: 'この健康保険証は返却（回収）または廃棄されています',
    en: 'This health insurance card was handed back or destroyed',
  },
  LEGACY_CARD_NOT_ISSUED: {
    ja: 'この健康保険証は交付されていません',
    en: 'No such legacy card was issued to this member',
  },
  CERTIFICATE_EXPIRED: {
    ja: '資格確認書の有効期限が切れています',
    en: 'The eligibility certificate is past its validity',
  },
  CERTIFICATE_COLLECTED: { ja: '資格確認書は回収済みです', en: 'The eligibility certificate was collected' },
  CERTIFICATE_REPORTED_LOST: {
    ja: '資格確認書は紛失届が出されています',
    en: 'The eligibility certificate was reported lost',
  },
  CERTIFICATE_NOT_ISSUED: {
    ja: 'この資格確認書は交付されていません',
    en: 'No such eligibility certificate was issued',
  },
  CONSENT_NOT_GIVEN: {
    ja: '同意がないため限度額情報等は提供されません',
    en: 'Extra information withheld for lack of consent',
  },
  SEPARATE_CERTIFICATES_REQUIRED: {
    ja: '資格確認書での受診時は、高齢受給者証・限度額適用認定証等を別途提示してください',
    en: 'With an eligibility certificate, the separate elderly or limit certificates must still be shown',
  },
  NEWER_QUALIFICATION_EXISTS: {
    ja: '新しい資格が登録されています（転職等）',
    en: 'A newer qualification exists at another association',
  },
  IDENTITY_CHECK_NOT_ALLOWED: {
    ja: '汎用カードリーダーでは顔認証による本人確認はできません（暗証番号または目視で確認してください）',
    en: 'A generic card reader cannot check the face: use the PIN or a visual check',
  },
  CERT_NOT_YET_VALID: {
    ja: '照会日には電子証明書がまだ発行されていません',
    en: 'The user certificate was not yet issued on the day of the query',
  },
  NO_MATCHING_QUALIFICATION: {
    ja: '記号・番号と生年月日に一致する資格情報がありません（入力内容を確認してください）',
    en: 'No qualification matches the 記号・番号 and birth date given (check what was typed)',
  },
} as const satisfies Record<string, Message>;
export type ReasonCode = keyof typeof REASONS;

/** Fallbacks: advice to the reception clerk (`fallbacks[].code`). */
export const FALLBACKS = {
  SHOW_PORTAL_SCREEN: {
    ja: 'マイナ保険証とマイナポータルの資格情報画面（またはそのPDF）で確認してください',
    en: 'Check the My Number card with the eligibility screen of the portal (or its PDF)',
  },
  SHOW_NOTICE_WITH_CARD: {
    ja: 'マイナ保険証と資格情報のお知らせで確認してください',
    en: 'Check the My Number card with the qualification notice',
  },
  SHOW_CERTIFICATE: { ja: '資格確認書の提示を受けてください', en: 'Ask for the eligibility certificate' },
  IDENTIFY_BY_PIN_OR_VISUAL: {
    ja: '暗証番号の入力、または職員による目視で本人確認してください',
    en: 'Identify the person by PIN or by a staff visual check',
  },
  APPLY_CERTIFICATE: {
    ja: '加入する保険者に資格確認書の交付を申請するよう案内してください',
    en: 'The member should apply to the association for an eligibility certificate',
  },
  RENEW_AT_MUNICIPALITY: {
    ja: '市区町村窓口でカードまたは電子証明書を更新するよう案内してください',
    en: 'Renew the card or certificate at the municipal office',
  },
  CONTACT_INSURER: {
    ja: '保険者に登録内容の確認・訂正を依頼するよう案内してください',
    en: "The association must register or correct the member's data",
  },
  FULL_PAYMENT_AND_CLAIM: {
    ja: 'いったん10割負担とし、後日保険者に療養費を請求するよう案内してください',
    en: 'Pay in full now and claim the benefit from the association later',
  },
  IDENTIFY_BY_FACE_OR_VISUAL: {
    ja: '暗証番号の代わりに顔認証、または職員の目視で本人確認をしてください',
    en: 'Identify the person by face recognition or a staff visual check instead of the PIN',
  },
  IDENTIFY_BY_VISUAL: {
    ja: '暗証番号の代わりに職員の目視で本人確認をしてください（汎用カードリーダーでは顔認証はできません）',
    en: 'Identify the person by a staff visual check instead of the PIN (a generic reader cannot do face recognition)',
  },
} as const satisfies Record<string, Message>;
export type FallbackCode = keyof typeof FALLBACKS;

export interface ErrorDefinition extends Message {
  readonly status: number;
}

/** Request errors (`code` in application/problem+json). */
export const ERRORS = {
  VALIDATION_FAILED: { status: 400, ja: '入力内容に誤りがあります', en: 'The request is not valid' },
  VALIDATION_UNKNOWN_FIELD: { status: 400, ja: '未知の項目があります', en: 'The request has an unknown field' },
  VALIDATION_DATE: {
    ja: '日付はYYYY-MM-DD形式の実在する日付で指定してください',
    en: 'Dates must be real dates written YYYY-MM-DD',
    status: 400,
  },
  VALIDATION_CSV: { status: 400, ja: 'CSVの形式に誤りがあります', en: 'The CSV file is malformed' },
  // Issue #19 §2, §3, §5: hostile text, dates the rules cannot judge, repeated query keys.
  TEXT_FORBIDDEN_CHARACTER: {
    status: 400,
    ja: '制御文字・ゼロ幅文字・書字方向の制御文字は入力できません',
    en: 'Control, zero-width and bidi control characters are not accepted',
  },
  DATE_OUT_OF_RANGE: {
    status: 400,
    ja: '日付が判定できる範囲外です',
    en: 'The date is outside the range the rules can judge',
  },
  QUERY_PARAMETER_REPEATED: {
    status: 400,
    ja: '同じクエリパラメータが複数回指定されています',
    en: 'A query parameter is given more than once',
  },
  MYNUMBER_CHECK_DIGIT: {
    status: 400,
    ja: '個人番号（マイナンバー）の検査用数字が正しくありません',
    en: 'The My Number check digit is wrong',
  },
  INSURER_NUMBER_CHECK_DIGIT: {
    status: 400,
    ja: '保険者番号の検証番号が正しくありません',
    en: 'The insurer number check digit is wrong',
  },
  PROVIDER_CODE_INVALID: {
    status: 400,
    ja: '医療機関コードは10桁の数字で指定してください',
    en: 'The provider code must be 10 digits',
  },
  LEGACY_CARD_ISSUANCE_ENDED: {
    status: 422,
    ja: '2024年12月2日以降、健康保険証は新規発行・再発行できません',
    en: 'No legacy card can be issued on or after 2024-12-02',
  },
  LEGACY_CARD_RETURN_CLOSED: {
    status: 422,
    ja: '2025年12月2日以降、使用できる期間内に終了しなかった健康保険証は回収せず、ご本人が廃棄します',
    en: 'From 2025-12-02 a legacy card is destroyed by the member, not handed back (unless its use ended earlier)',
  },
  LEGACY_CARD_DISPOSAL_NOT_YET: {
    status: 422,
    ja: '健康保険証の自己廃棄は2025年12月2日以降です。それまでは保険者に返却（回収）してください',
    en: 'A legacy card is destroyed by the member from 2025-12-02 only; before that it is handed back',
  },
  LEGACY_CARD_EVENT_BEFORE_ISSUE: {
    status: 422,
    ja: '健康保険証の交付日より前の日付は記録できません',
    en: 'The date is before the legacy card was issued',
  },
  CERTIFICATE_NOT_NEEDED: {
    status: 422,
    ja: 'マイナ保険証を利用できるため、資格確認書の交付対象ではありません',
    en: 'The member can use a My Number insurance card: no eligibility certificate is needed',
  },
  CERTIFICATE_REASON_INVALID: {
    status: 400,
    ja: '資格確認書の申請理由が正しくありません',
    en: 'The application reason is not one of the accepted reasons',
  },
  INSURER_NOT_FOUND: { status: 404, ja: '保険者が見つかりません', en: 'No such insurer' },
  MEMBER_NOT_FOUND: { status: 404, ja: '加入者が見つかりません', en: 'No such member' },
  CARD_NOT_FOUND: { status: 404, ja: 'カードが見つかりません', en: 'No such card' },
  LEGACY_CARD_NOT_FOUND: { status: 404, ja: '健康保険証が見つかりません', en: 'No such legacy card' },
  RESIDENT_NOT_FOUND: { status: 404, ja: '住民記録が見つかりません', en: 'No such resident record' },
  NOT_FOUND: { status: 404, ja: '見つかりません', en: 'Not found' },
  CERTIFICATE_NOT_FOUND: { status: 404, ja: '資格確認書が見つかりません', en: 'No such eligibility certificate' },
  NOTICE_NOT_FOUND: { status: 404, ja: '資格情報のお知らせが見つかりません', en: 'No such qualification notice' },
  APPLICATION_NOT_FOUND: { status: 404, ja: '申請が見つかりません', en: 'No such application' },
  NOTIFICATION_JOB_NOT_FOUND: { status: 404, ja: '届出の一括処理が見つかりません', en: 'No such notification job' },
  ISSUANCE_RUN_NOT_FOUND: { status: 404, ja: '職権交付の処理が見つかりません', en: 'No such issuance run' },
  DUPLICATE_MEMBER: {
    status: 409,
    ja: '同じ記号・番号・枝番の加入者が既に存在します',
    en: 'A member with the same symbol, number and branch already exists',
  },
  CONFLICT_INSURER_EXISTS: { status: 409, ja: '保険者は既に登録されています', en: 'The insurer already exists' },
  CONFLICT_MEMBER_STATE: {
    status: 409,
    ja: '加入者の現在の状態ではこの操作はできません',
    en: "The operation does not fit the member's current state",
  },
  CONFLICT_IDEMPOTENCY_KEY: {
    status: 409,
    ja: 'この冪等キーは別の届出に使用されています',
    en: 'The idempotency key was already used for another notification',
  },
  CONFLICT_CARD_STATE: {
    status: 409,
    ja: 'カードの現在の状態ではこの操作はできません',
    en: "The operation does not fit the card's current state",
  },
  CONFLICT_LEGACY_CARD_STATE: {
    status: 409,
    ja: '健康保険証は既に紛失届・回収・廃棄のいずれかが記録されています',
    en: 'The legacy card already has a loss, return or disposal recorded',
  },
  CONFLICT_REGISTRATION_CERT_EXPIRING: {
    status: 409,
    ja: '電子証明書の有効期限まで5日以内のため、利用登録できません',
    en: 'The card cannot be registered: its certificate expires within 5 days',
  },
  CONFLICT_APPLICATION_STATE: {
    status: 409,
    ja: '申請の現在の状態ではこの操作はできません（受付中の申請のみ承認・却下できます）',
    en: "The operation does not fit the application's current state (only a received application can be decided)",
  },
  CONFLICT_CERTIFICATE_STATE: {
    status: 409,
    ja: '資格確認書の現在の状態ではこの操作はできません（回収済み・紛失届済み・有効期限切れ）',
    en: "The operation does not fit the eligibility certificate's current state (collected, reported lost or expired)",
  },
  INCOME_ABOVE_STANDARD: {
    status: 422,
    ja: '申告された年収が基準収入額（単身383万円、70〜74歳の世帯員がいる場合は合計520万円）以上のため、基準収入額適用の対象外です',
    en: 'The declared annual income is not under the standard income (3.83M yen alone, 5.2M with another 70–74 member)',
  },
  NOT_ELDERLY_RECIPIENT: {
    status: 422,
    ja: '高齢受給者証の有効期間（70歳到達月の翌月1日〜75歳誕生日の前日）に該当しないため、交付できません',
    en: 'The member is not in (or within a month of) the 70–74 band: no 高齢受給者証 can be issued',
  },
  PAPER_CERTIFICATE_NOT_NEEDED: {
    status: 422,
    ja: '紙の証は資格確認書をお持ちでマイナ保険証を利用できない方にのみ交付します',
    en: 'Paper certificates are issued only to 資格確認書 holders who cannot use a マイナ保険証',
  },
  NOTICE_REISSUE_NOT_NEEDED: {
    status: 422,
    ja: 'マイナポータルで資格情報を確認できるため、資格情報のお知らせは再交付しません',
    en: 'The member can see the qualification in the portal: the notice is not reissued',
  },
  CARD_PIN_WRONG: { status: 401, ja: '暗証番号が違います', en: 'Wrong PIN' },
  CARD_PIN_LOCKED: {
    status: 423,
    ja: '暗証番号がロックされています（市区町村窓口で初期化してください）',
    en: 'The PIN is locked after 3 wrong tries',
  },
  AUTH_REQUIRED: { status: 401, ja: '認証が必要です', en: 'Authentication required' },
  FORBIDDEN: { status: 403, ja: 'この操作の権限がありません', en: 'Not allowed' },
  RATE_LIMITED: { status: 429, ja: 'リクエストが多すぎます', en: 'Too many requests' },
  VERIFICATION_LOCKED: {
    status: 423,
    ja: 'この記号・番号の照会は一致しない照会が続いたため一時停止しています（しばらくしてから、または保険者へ確認してください）',
    en: 'Queries for this 記号・番号 are paused after repeated mismatches: try again later or contact the association',
  },
  BODY_TOO_LARGE: { status: 413, ja: 'リクエストの本文が大きすぎます', en: 'The request body is too large' },
  URI_TOO_LONG: { status: 414, ja: 'URLが長すぎます', en: 'The URL is too long' },
  HEADERS_TOO_LARGE: { status: 431, ja: 'リクエストヘッダーが大きすぎます', en: 'The request headers are too large' },
  BAD_REQUEST: { status: 400, ja: 'リクエストを解釈できません', en: 'The request cannot be read' },
  FORMAT_NOT_ACCEPTABLE: {
    status: 406,
    ja: 'JSON形式でのみ応答できます（_format=json または Accept: application/fhir+json）',
    en: 'Only JSON can be returned: use _format=json or Accept: application/fhir+json',
  },
  METHOD_NOT_ALLOWED: {
    status: 405,
    ja: 'このURLではこのメソッドを使えません（Allowヘッダーを参照）',
    en: 'This method is not allowed here (see the Allow header)',
  },
  MEDIA_TYPE_UNSUPPORTED: {
    status: 415,
    ja: 'JSON形式（application/fhir+json）のみ受け付けます',
    en: 'Only JSON bodies are accepted (application/fhir+json or application/json)',
  },
  INTERNAL: { status: 500, ja: 'システムエラーが発生しました', en: 'Internal error' },
} as const satisfies Record<string, ErrorDefinition>;
export type ErrorCode = keyof typeof ERRORS;

/**
 * Orders validation codes so the most specific one names a failed request or row (a check digit or
 * a forbidden character over a generic shape). The HTTP edge and the batch/CSV rows use it alike.
 */
export const VALIDATION_SPECIFICITY: readonly ErrorCode[] = [
  'TEXT_FORBIDDEN_CHARACTER',
  'MYNUMBER_CHECK_DIGIT',
  'INSURER_NUMBER_CHECK_DIGIT',
  'PROVIDER_CODE_INVALID',
  'DATE_OUT_OF_RANGE',
  'VALIDATION_DATE',
  'QUERY_PARAMETER_REPEATED',
  'VALIDATION_UNKNOWN_FIELD',
  'VALIDATION_FAILED',
];

export interface CodedMessage extends Message {
  readonly code: string;
}

export function reason(code: ReasonCode): CodedMessage & { code: ReasonCode } {
  return { code, ...REASONS[code] };
}

export function fallback(code: FallbackCode): CodedMessage & { code: FallbackCode } {
  return { code, ...FALLBACKS[code] };
}

/**
 * A request error with a stable code. Thrown by rules and services, mapped to problem+json once,
 * at the HTTP edge (and to a row error in imports, an exit message in the CLI).
 */
export class ShikakuError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly ja: string;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, details?: Record<string, unknown>, detailMessage?: { ja: string; en: string }) {
    const def = ERRORS[code];
    const en = detailMessage ? `${def.en}: ${detailMessage.en}` : def.en;
    super(en);
    this.name = 'ShikakuError';
    this.code = code;
    this.status = def.status;
    this.ja = detailMessage ? `${def.ja}：${detailMessage.ja}` : def.ja;
    this.details = details;
  }
}
