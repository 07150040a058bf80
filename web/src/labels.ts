/** Labels for codes the screens show (reasons, kinds, states), both languages. */
import { type Msg, t } from './i18n.js';

function label(table: Record<string, Msg>, code: string | null | undefined): string {
  if (!code) return '—';
  const m = table[code];
  return m ? t(m) : code;
}

/** 資格確認書 reasons: the 8 application reasons and the ex-officio ones (CODES.md). */
const CERTIFICATE_REASONS: Record<string, Msg> = {
  card_lost: ['マイナンバーカードを紛失', 'My Number card lost'],
  card_renewing: ['カード更新中', 'card being renewed'],
  cert_expired: ['電子証明書の有効期限切れ', 'user certificate expired'],
  not_registered: ['カードはあるが利用登録していない', 'card not registered for health insurance'],
  no_card: ['カードを取得していない', 'no My Number card'],
  card_returned: ['カードを返納', 'card returned'],
  needs_assistance: ['介助者等の支援が必要（要配慮者）', 'needs assistance from a third party'],
  certificate_lost: ['資格確認書の滅失・き損（再交付）', 'certificate lost or damaged (reissue)'],
  registration_cancelled: ['利用登録の解除', 'registration cancelled'],
  name_change: ['氏名の変更', 'name changed'],
};

export const APPLICATION_REASONS = [
  'card_lost',
  'card_renewing',
  'cert_expired',
  'not_registered',
  'no_card',
  'card_returned',
  'needs_assistance',
  'certificate_lost',
] as const;

export function certificateReasonText(code: string | null | undefined): string {
  return label(CERTIFICATE_REASONS, code);
}

const SKIP_REASONS: Record<string, Msg> = {
  usable_myna_card: ['マイナ保険証を利用できる', 'can use a My Number insurance card'],
  valid_legacy_card: ['有効な健康保険証がある', 'holds a valid legacy card'],
  already_has_certificate: ['有効な資格確認書を交付済み', 'already holds a valid certificate'],
  not_eligible: ['資格がない', 'not eligible'],
  on_application_policy: ['申請による交付の保険者', 'the association issues on application'],
};

export function skipReasonText(code: string): string {
  return label(SKIP_REASONS, code);
}

const NOTIFICATION_KINDS: Record<string, Msg> = {
  acquisition: ['資格取得届', 'acquisition'],
  dependent_add: ['被扶養者（異動）届・追加', 'dependent added'],
  loss: ['資格喪失届', 'loss'],
  dependent_remove: ['被扶養者（異動）届・削除', 'dependent removed'],
  change: ['変更届', 'change'],
};

export function notificationKindText(code: string | null | undefined): string {
  return label(NOTIFICATION_KINDS, code);
}

const APPLICATION_KINDS: Record<string, Msg> = {
  certificate: ['資格確認書', 'eligibility certificate'],
  limit_certification: ['限度額適用認定', 'limit certification'],
  reduced_limit_certification: ['限度額適用・標準負担額減額認定', 'reduced limit certification'],
  specific_disease: ['特定疾病', 'specific disease'],
  registration_cancellation: ['利用登録解除', 'registration cancellation'],
  notice_reissue: ['資格情報のお知らせの再交付', 'notice reissue'],
  elderly_recipient_certificate: ['高齢受給者証の交付申請', 'elderly recipient certificate'],
};

export function applicationKindText(code: string | null | undefined): string {
  return label(APPLICATION_KINDS, code);
}

const PAPER_CERTIFICATE_KINDS: Record<string, Msg> = {
  elderly_recipient: ['高齢受給者証', 'elderly recipient certificate'],
  limit_certification: ['限度額適用認定証', 'limit certificate'],
  reduced_limit_certification: ['限度額適用・標準負担額減額認定証', 'reduced limit certificate'],
  specific_disease: ['特定疾病療養受療証', 'specific disease certificate'],
};

/** The paper of a 資格確認書 holder (高齢受給者証, 限度額適用認定証 …). */
export function paperCertificateKindText(code: string): string {
  return label(PAPER_CERTIFICATE_KINDS, code);
}

const APPLICATION_STATES: Record<string, Msg> = {
  received: ['受付中', 'received'],
  approved: ['承認', 'approved'],
  refused: ['却下', 'refused'],
};

export function applicationStateText(code: string): string {
  return label(APPLICATION_STATES, code);
}

const NOTICE_REASONS: Record<string, Msg> = {
  acquisition: ['資格取得', 'new member'],
  initial: ['一斉交付', 'initial issue'],
  reissue: ['再交付', 'reissue'],
};

export function noticeReasonText(code: string | null | undefined): string {
  return label(NOTICE_REASONS, code);
}

const COLLECTION_REASONS: Record<string, Msg> = {
  loss: ['資格喪失', 'qualification lost'],
  dependent_remove: ['被扶養者の削除', 'dependent removed'],
  name_change: ['氏名変更', 'name changed'],
  number_change: ['記号・番号の変更', 'numbers changed'],
  superseded: ['再交付による差し替え', 'replaced by a reissue'],
  returned: ['返納', 'returned'],
};

export function collectionReasonText(code: string | null | undefined): string {
  return label(COLLECTION_REASONS, code);
}

const CHANNELS: Record<string, Msg> = {
  reader: ['カードリーダー', 'card reader'],
  portal: ['マイナポータル', 'portal'],
  atm: ['ATM', 'ATM'],
};

export function channelText(code: string | null | undefined): string {
  return label(CHANNELS, code);
}

const OUTCOMES: Record<string, Msg> = {
  eligible: ['資格あり', 'eligible'],
  ineligible: ['資格なし', 'not eligible'],
  not_found: ['該当なし', 'not found'],
  ambiguous: ['複数該当', 'ambiguous'],
};

export function outcomeText(code: string): string {
  return label(OUTCOMES, code);
}

const EXPIRY: Record<string, Msg> = {
  valid: ['有効', 'valid'],
  expiring_soon: ['まもなく期限', 'expiring soon'],
  grace: ['期限切れ（猶予期間中）', 'expired (grace period)'],
  expired: ['期限切れ', 'expired'],
};

export function expiryText(code: string): string {
  return label(EXPIRY, code);
}

/** The mismatch advice for the staff: what to check for each differing field. */
const MISMATCH_FIX: Record<string, Msg> = {
  name: [
    '氏名の字体（髙・﨑など）を住民票と同じにして変更届を出してください',
    'Submit a change with the name written exactly as on the resident record (variant kanji such as 髙, 﨑)',
  ],
  nameKana: [
    'フリガナを住民票と同じにして変更届を出してください',
    'Submit a change with the kana as on the resident record',
  ],
  birthDate: ['生年月日を確認して変更届を出してください', 'Check the date of birth and submit a change'],
  sex: ['性別を確認して変更届を出してください', 'Check the sex and submit a change'],
  address: [
    '住所を住民票どおりに変更届で届け出てください',
    'Submit a change with the address as on the resident record',
  ],
  residentRecord: [
    '個人番号に対応する住民記録がありません。個人番号を確認してください',
    'No resident record for this My Number: check the number',
  ],
};

export function mismatchFixText(field: string): string {
  return label(MISMATCH_FIX, field);
}
