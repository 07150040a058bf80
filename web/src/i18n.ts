/**
 * A tiny i18n layer: every user-facing text is a pair [日本語, English]; Japanese first. The language
 * lives in localStorage and the root re-renders on a switch, so `t` can read a module variable.
 */
export type Lang = 'ja' | 'en';
export type Msg = readonly [ja: string, en: string];

const KEY = 'shikaku.lang';
let current: Lang = readLang();
const listeners = new Set<(lang: Lang) => void>();

function readLang(): Lang {
  try {
    return localStorage.getItem(KEY) === 'en' ? 'en' : 'ja';
  } catch {
    return 'ja';
  }
}

export function lang(): Lang {
  return current;
}

export function setLang(next: Lang): void {
  current = next;
  try {
    localStorage.setItem(KEY, next);
  } catch {
    // private mode: the switch still works for this page
  }
  document.documentElement.lang = next;
  for (const listener of listeners) listener(next);
}

export function onLangChange(listener: (lang: Lang) => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** The text of a message in the current language, with `{name}` placeholders filled. */
export function t(message: Msg, vars: Record<string, string | number> = {}): string {
  const text = current === 'ja' ? message[0] : message[1];
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole));
}

/** A coded message from the API (`{ code, ja, en }`) in the current language. */
export function pick(message: { ja: string; en: string }): string {
  return current === 'ja' ? message.ja : message.en;
}

/** Declares a screen's messages (keeps the keys typed). */
export function messages<T extends Record<string, Msg>>(m: T): T {
  return m;
}

/** Messages every screen shares. */
export const COMMON = messages({
  appName: ['Shikaku 資格確認', 'Shikaku eligibility'],
  home: ['トップ', 'Home'],
  switchLang: ['English', '日本語'],
  switchLangLabel: ['Switch to English', '日本語に切り替え'],
  logout: ['ログアウト', 'Log out'],
  token: ['アクセストークン', 'Access token'],
  tokenHint: [
    '`shikaku serve --demo` が表示するトークン、または `shikaku token create` で作成したトークンを貼り付けてください。',
    'Paste a token printed by `shikaku serve --demo` or made with `shikaku token create`.',
  ],
  start: ['開始', 'Start'],
  wrongRole: [
    'このトークンは{role}用です。この画面には{want}のトークンが必要です。',
    'This token is for {role}; this screen needs a {want} token.',
  ],
  badToken: ['トークンが無効か期限切れです。', 'The token is unknown, revoked or expired.'],
  offline: ['サーバーに接続できません', 'Cannot reach the server'],
  loading: ['読み込み中…', 'Loading…'],
  error: ['エラー', 'Error'],
  yes: ['はい', 'Yes'],
  no: ['いいえ', 'No'],
  back: ['戻る', 'Back'],
  next: ['次へ', 'Next'],
  cancel: ['中止', 'Cancel'],
  close: ['閉じる', 'Close'],
  search: ['検索', 'Search'],
  asOf: ['基準日', 'As of'],
  none: ['なし', 'none'],
  insured: ['本人', 'Insured'],
  dependent: ['家族', 'Dependent'],
  male: ['男', 'Male'],
  female: ['女', 'Female'],
  role_admin: ['保険者職員', 'association staff'],
  role_employer: ['事業主', 'employer'],
  role_provider: ['医療機関', 'provider'],
  role_member: ['加入者', 'member'],
  role_operator: ['運用者', 'operator'],
  symbol: ['記号', 'Symbol'],
  number: ['番号', 'Number'],
  branch: ['枝番', 'Branch'],
  insurerNumber: ['保険者番号', 'Insurer number'],
  insurerName: ['保険者名', 'Insurer'],
  name: ['氏名', 'Name'],
  nameKana: ['フリガナ', 'Name (kana)'],
  birthDate: ['生年月日', 'Date of birth'],
  sex: ['性別', 'Sex'],
  address: ['住所', 'Address'],
  acquiredOn: ['資格取得日', 'Acquired on'],
  lostOn: ['資格喪失日', 'Lost on'],
  burdenRatio: ['一部負担金の割合', 'Co-payment'],
  limitCategory: ['限度額適用区分', 'Limit category'],
  relationship: ['本人・家族の別', 'Relationship'],
  ratio: ['{n}割', '{p}%'],
  myNumber: ['個人番号', 'My Number'],
  hubStatus_registered: ['登録済み', 'registered'],
  hubStatus_mismatch: ['住民票と不一致', 'resident-record mismatch'],
  hubStatus_no_my_number: ['マイナンバー未提出', 'no My Number'],
  hubStatus_pending: ['登録処理中', 'pending'],
  field_name: ['氏名', 'name'],
  field_nameKana: ['フリガナ', 'kana'],
  field_birthDate: ['生年月日', 'date of birth'],
  field_sex: ['性別', 'sex'],
  field_address: ['住所', 'address'],
  field_residentRecord: ['住民記録なし', 'no resident record'],
  download: ['ダウンロード', 'Download'],
  date: ['日付', 'Date'],
});

/** 30 → "3割" / "30%". */
export function ratioText(percent: number | null | undefined): string {
  if (percent === null || percent === undefined) return '—';
  return t(COMMON.ratio, { n: percent / 10, p: percent });
}

/** 2026-11-23 → "2026年11月23日" / "2026-11-23". */
export function dateText(iso: string | null | undefined): string {
  if (!iso) return '—';
  if (current === 'en') return iso;
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  return m ? `${m[1]}年${Number(m[2])}月${Number(m[3])}日` : iso;
}

export function sexText(sex: string): string {
  return sex === 'male' ? t(COMMON.male) : sex === 'female' ? t(COMMON.female) : sex;
}

export function relationshipText(r: string): string {
  return r === 'insured' ? t(COMMON.insured) : r === 'dependent' ? t(COMMON.dependent) : r;
}

export function fieldText(field: string): string {
  const m = (COMMON as Record<string, Msg>)[`field_${field}`];
  return m ? t(m) : field;
}

export function hubStatusText(status: string): string {
  const m = (COMMON as Record<string, Msg>)[`hubStatus_${status}`];
  return m ? t(m) : status;
}
