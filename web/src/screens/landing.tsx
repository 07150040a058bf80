import { messages, t } from '../i18n.js';
import { Icon } from '../icons.js';
import { Link, Shell } from '../ui.js';

const M = messages({
  title: ['健康保険の資格確認', 'Health-insurance eligibility'],
  lead: [
    'マイナ保険証の時代の健康保険組合のための資格管理・オンライン資格確認。使う人ごとの画面を選んでください。',
    'Eligibility registry and online verification for a health-insurance association in the My Number card era. Choose the screen for who you are.',
  ],
  reception: ['窓口（医療機関・薬局）', 'Reception (clinics, pharmacies)'],
  receptionText: [
    'カードリーダーでマイナ保険証を確認、資格確認書・健康保険証は記号・番号で確認。通信障害時の記録と再確認。',
    'Check a My Number card at the reader, or a certificate by its numbers; record and re-check when offline.',
  ],
  console: ['保険者コンソール', 'Association console'],
  consoleText: [
    '加入者の検索と履歴、届出CSVの取込、登録エラー、職権交付、申請、件数と警告。',
    'Search members and their history, import notifications, registration errors, ex-officio issuance, applications, counts and warnings.',
  ],
  portal: ['加入者ポータル', 'Member portal'],
  portalText: [
    'マイナンバーカードでログインして資格情報を確認・PDF保存、資格確認書の申請。',
    'Log in with your My Number card: see and download your eligibility, apply for a certificate.',
  ],
  employer: ['事業主窓口', 'Employer desk'],
  employerText: [
    '資格取得・喪失・被扶養者の届出（フォーム・CSV）と登録状況の確認。',
    'Submit acquisition, loss and dependent notifications (form or CSV) and follow their registration.',
  ],
  docs: ['API ドキュメント', 'API documentation'],
  demoHint: [
    'デモ: `npm start` が表示するトークンとカードIDを使います（暗証番号 1234）。',
    'Demo: use the tokens and card ids printed by `npm start` (PIN 1234).',
  ],
});

const SCREENS = [
  { href: '/reception', title: M.reception, text: M.receptionText, icon: 'clinic' },
  { href: '/console', title: M.console, text: M.consoleText, icon: 'folder' },
  { href: '/portal', title: M.portal, text: M.portalText, icon: 'phone' },
  { href: '/employer', title: M.employer, text: M.employerText, icon: 'building' },
] as const;

export function Landing() {
  return (
    <Shell title="" kind="home">
      <section class="hero">
        <h1>{t(M.title)}</h1>
        <p>{t(M.lead)}</p>
      </section>
      <ul class="screens">
        {SCREENS.map((s) => (
          <li key={s.href}>
            <Link href={s.href} class="screen-link">
              <span class="screen-icon" aria-hidden="true">
                <Icon name={s.icon} size={36} />
              </span>
              <span class="screen-title">{t(s.title)}</span>
              <span class="screen-text">{t(s.text)}</span>
            </Link>
          </li>
        ))}
      </ul>
      <p class="foot">
        {t(M.demoHint)} · <a href="/docs">{t(M.docs)}</a>
      </p>
    </Shell>
  );
}
