import { messages } from '../../i18n.js';

/** The member portal's texts. */
export const M = messages({
  title: ['加入者ポータル', 'Member portal'],
  loginTitle: ['マイナンバーカードでログイン', 'Log in with your My Number card'],
  loginIntro: [
    'カードをスマートフォンまたはカードリーダーで読み取り、利用者証明用電子証明書の暗証番号（数字4桁）を入力します。',
    'Read your card with a smartphone or a card reader, then enter the PIN of its user certificate (4 digits).',
  ],
  cardId: ['カードID（読み取り装置の代わり）', 'Card id (stands in for the reader)'],
  cardIdHint: [
    'デモでは `npm start` が表示するカードIDを入力します。',
    'In the demo, type a card id printed by `npm start`.',
  ],
  readCard: ['カードを読み取る', 'Read the card'],
  pinTitle: ['暗証番号（数字4桁）', 'PIN (4 digits)'],
  pinHint: [
    '利用者証明用電子証明書の暗証番号です。3回間違えるとロックされます。',
    'The PIN of the user certificate. Three wrong tries lock it.',
  ],
  login: ['ログイン', 'Log in'],
  loggingIn: ['確認しています…', 'Checking…'],
  pinWrong: ['暗証番号が違います。あと{n}回間違えるとロックされます。', 'Wrong PIN. {n} more wrong tries lock it.'],
  pinLast: ['暗証番号が違います。次に間違えるとロックされます。', 'Wrong PIN. The next wrong try locks it.'],
  otherCard: ['別のカードにする', 'Use another card'],
  hello: ['{name} さん', 'Hello, {name}'],
  sessionUntil: ['{time} まで有効', 'Session until {time}'],
  certExpiringSoon: [
    '電子証明書の有効期限（{date}）が近づいています。お住まいの市区町村で更新してください。',
    'Your certificate expires on {date}. Renew it at your municipal office.',
  ],
  certGrace: [
    '電子証明書の有効期限（{date}）が過ぎています。猶予期間中はマイナ保険証を使えますが、早めに市区町村で更新してください。',
    'Your certificate expired on {date}. It still works as an insurance card during the grace period: renew it soon at your municipal office.',
  ],
  cardExpiringSoon: [
    'マイナンバーカードの有効期限（{date}）が近づいています。',
    'Your My Number card expires on {date}.',
  ],
  cardGrace: [
    'マイナンバーカードの有効期限（{date}）が過ぎています（猶予期間中）。',
    'Your My Number card expired on {date} (grace period).',
  ],
  notRegistered: [
    'このカードは健康保険証として利用登録されていません。医療機関のカードリーダーで登録できます。',
    'This card is not registered as a health insurance card. Register it at a clinic’s card reader.',
  ],
  eligibility: ['資格情報', 'Your eligibility'],
  eligibilityIntro: [
    '「資格情報のお知らせ」と同じ内容です。マイナ保険証と一緒に医療機関で提示できます。',
    'The same as the qualification notice: show it with your My Number card at a clinic.',
  ],
  asOf: ['{date} 現在', 'As of {date}'],
  who: ['表示する人', 'Person'],
  downloadPdf: ['PDFで保存', 'Save as PDF'],
  pdfSaved: ['PDFを保存しました', 'The PDF was saved'],
  certificate: ['資格確認書', 'Eligibility certificate'],
  certificateUntil: ['交付済み（{date}まで有効）', 'issued (valid until {date})'],
  none: ['なし', 'none'],
  myNumberHeld: ['個人番号（下4桁）', 'My Number (last 4)'],
  applyTitle: ['資格確認書の申請', 'Apply for an eligibility certificate'],
  applyIntro: [
    'マイナ保険証を使えない方は、資格確認書の交付を申請できます。',
    'If you cannot use a My Number insurance card, you can apply for an eligibility certificate.',
  ],
  applyFor: ['対象者', 'For'],
  reason: ['申請理由', 'Reason'],
  reasonChoose: ['選択してください', 'Choose one'],
  reasonMissing: ['申請理由を選んでください', 'Choose a reason for the application'],
  apply: ['申請する', 'Apply'],
  applied: ['資格確認書を交付しました（{date}まで有効）。', 'A certificate was issued (valid until {date}).'],
  appliedFee: ['再交付手数料 {fee}円', 'Reissue fee ¥{fee}'],
  noticeTitle: ['資格情報のお知らせの再交付', 'Reissue of the qualification notice'],
  noticeIntro: [
    'マイナポータルで資格情報を確認できない方に、お知らせを再交付します。',
    'The notice is reissued to those who cannot see their eligibility in the portal.',
  ],
  cannotUsePortal: [
    'スマートフォン等でマイナポータルを利用できない',
    'I cannot use the portal on a smartphone or computer',
  ],
  requestNotice: ['再交付を申請する', 'Request a reissue'],
  noticeRequested: ['受け付けました（受付番号 {id}）', 'Received (application {id})'],
  logout: ['ログアウト', 'Log out'],
  warnings: ['カードについてのお知らせ', 'About your card'],
  expired: [
    'ログインの有効期限が切れました。もう一度ログインしてください。',
    'Your session ended. Please log in again.',
  ],
});
