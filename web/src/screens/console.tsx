import { useEffect, useState } from 'preact/hooks';
import { ApiError, api, apiBlob, saveBlob } from '../api.js';
import { CsvUpload } from '../csv-upload.js';
import { COMMON, dateText, fieldText, hubStatusText, messages, relationshipText, sexText, t } from '../i18n.js';
import {
  applicationKindText,
  applicationStateText,
  certificateReasonText,
  channelText,
  collectionReasonText,
  mismatchFixText,
  noticeReasonText,
  notificationKindText,
  outcomeText,
  skipReasonText,
} from '../labels.js';
import { navigate } from '../router.js';
import { ErrorBox, Field, type Session, Shell, TabPanel, Tabs, TokenGate, useFocusOnChange } from '../ui.js';

const M = messages({
  title: ['保険者コンソール', 'Association console'],
  intro: [
    '健康保険組合の職員用です。保険者（admin）のトークンでログインしてください。',
    'For association staff. Log in with an admin token.',
  ],
  tabs: ['メニュー', 'Menu'],
  dashboard: ['概要', 'Overview'],
  members: ['加入者検索', 'Members'],
  upload: ['CSV取込', 'CSV upload'],
  errors: ['登録エラー', 'Registration errors'],
  exOfficio: ['職権交付', 'Ex-officio issuance'],
  applications: ['申請', 'Applications'],
  covered: ['資格のある加入者', 'Covered members'],
  insuredCount: ['被保険者', 'Insured'],
  dependentsCount: ['被扶養者', 'Dependents'],
  registered: ['中間サーバー登録済み', 'Registered at the hub'],
  pending: ['登録処理中（照会前）', 'Pending at the hub'],
  mismatch: ['住民票と不一致', 'Resident-record mismatch'],
  noMyNumber: ['マイナンバー未提出', 'Without My Number'],
  expiring: ['3か月以内に期限切れの資格確認書', 'Certificates ending within 3 months'],
  pendingApplications: ['未処理の申請', 'Applications to decide'],
  warnings: ['注意が必要なこと', 'Needs attention'],
  noWarnings: ['注意事項はありません', 'Nothing needs attention'],
  expiringTitle: ['期限が近い資格確認書', 'Certificates ending soon'],
  validUntil: ['有効期限', 'Valid until'],
  noMyNumberTitle: ['マイナンバー未提出の加入者', 'Members without My Number'],
  noMyNumberFix: [
    '個人番号が届け出られるまで、マイナ保険証で資格を確認できません。事業主に変更届（個人番号）を依頼してください。',
    'Until the My Number is notified, the card cannot find these members: ask the employer for a change notification with it.',
  ],
  mismatchTitle: ['住民票の基本4情報と一致しない登録', 'Registrations that differ from the resident record'],
  mismatchIntro: [
    '中間サーバーへの登録ができていません。マイナ保険証では「資格情報なし」と表示されます。',
    'These registrations failed at the hub: a card check answers "not found".',
  ],
  differs: ['異なる項目', 'Differs'],
  hint: ['ヒント', 'Hint'],
  whatToDo: ['対応', 'What to do'],
  nearMatch: [
    '{field} {n}文字目: 届出「{given}」/ 住民票「{recorded}」（異体字の可能性）',
    '{field} character {n}: given “{given}”, recorded “{recorded}” (variant character?)',
  ],
  open: ['開く', 'Open'],
  searchTitle: ['加入者を探す', 'Find a member'],
  kana: ['フリガナ（前方一致）', 'Kana (prefix)'],
  noResults: ['該当する加入者はいません', 'No member matches'],
  more: ['さらに表示', 'Show more'],
  state: ['状態', 'State'],
  status_eligible: ['資格あり', 'covered'],
  status_lost: ['喪失', 'lost'],
  status_not_started: ['取得前', 'not started'],
  backToList: ['一覧に戻る', 'Back to the list'],
  asOfPicker: ['この日の状態を表示', 'Show the state on'],
  asOfHint: [
    'その日に判明していた事実だけを濃く表示します（後から届いた届出は薄く表示）。',
    'Facts known on that day are shown in full; facts recorded later are dimmed.',
  ],
  hubOnAsOf: ['その日のオンライン資格確認の回答', 'What the hub answered that day'],
  hubUnknown: ['まだ届出がありません', 'not yet notified'],
  hubPendingUntil: ['登録処理中（{date}から照会可能）', 'pending (queryable from {date})'],
  facts: ['登録内容', 'Registered facts'],
  remuneration: ['標準報酬月額', 'Standard monthly remuneration'],
  yen: ['{n}円', '¥{n}'],
  insuredOf: ['被保険者', 'Insured'],
  dependentsOf: ['被扶養者', 'Dependents'],
  timeline: ['経過（すべての事実）', 'Timeline (every fact)'],
  recordedOn: ['記録 {date}', 'recorded {date}'],
  notKnownYet: ['この日には未判明', 'not yet known on that day'],
  ev_acquired: ['資格取得', 'Qualification acquired'],
  ev_lost: ['資格喪失', 'Qualification lost'],
  ev_notification: ['届出: {kind}（第{version}版）', 'Notification: {kind} (version {version})'],
  ev_hub: ['中間サーバー: {status}', 'Hub: {status}'],
  ev_hubFields: ['（{fields}）', ' ({fields})'],
  ev_legacy_card: ['健康保険証を交付', 'Legacy card issued'],
  ev_card: ['{kind}を交付（有効期限 {date}）', '{kind} issued (valid until {date})'],
  ev_cardEnded: ['、{date} 終了', ', ended {date}'],
  ev_card_registration: ['健康保険証利用登録（{channel}）', 'Registered for health insurance ({channel})'],
  ev_card_cancel: ['利用登録の解除', 'Registration cancelled'],
  ev_certificate: ['資格確認書を交付（{reason}、{date}まで）', 'Certificate issued ({reason}, until {date})'],
  ev_certificateFee: ['・手数料 {fee}円', ', fee ¥{fee}'],
  ev_certificate_collected: ['資格確認書を回収（{reason}）', 'Certificate collected ({reason})'],
  ev_certificate_lost: ['資格確認書の紛失届', 'Certificate reported lost'],
  ev_notice: ['資格情報のお知らせを交付（{reason}）', 'Qualification notice issued ({reason})'],
  ev_verification: ['資格確認（{method}）: {outcome}', 'Verification ({method}): {outcome}'],
  card: ['マイナンバーカード', 'My Number card'],
  smartphone: ['スマホ用電子証明書', 'smartphone credential'],
  byCard: ['カード', 'card'],
  byNumber: ['記号・番号', 'number'],
  pdf: ['PDF', 'PDF'],
  documents: ['資格確認書・お知らせ', 'Certificates and notices'],
  noDocuments: ['交付した書類はありません', 'No document issued'],
  certificate: ['資格確認書', 'Eligibility certificate'],
  notice: ['資格情報のお知らせ', 'Qualification notice'],
  exTitle: ['資格確認書の職権交付', 'Ex-officio issuance of eligibility certificates'],
  exIntro: [
    'マイナ保険証を利用できない加入者に資格確認書を職権で交付します。まず試行（書き込みなし）で対象を確認してください。',
    'Issues certificates to the members who cannot use a My Number insurance card. Preview first: the dry run writes nothing.',
  ],
  exAsOf: ['交付日', 'Issue date'],
  dryRun: ['試行（書き込みなし）', 'Dry run (writes nothing)'],
  run: ['交付を実行', 'Issue'],
  running: ['実行中…', 'Running…'],
  exIssued: ['交付 {n}件', '{n} issued'],
  exSkipped: ['対象外 {n}件', '{n} skipped'],
  exPreview: ['試行の結果（まだ交付していません）', 'Dry run result (nothing issued yet)'],
  exDone: ['交付しました', 'Issued'],
  reason: ['理由', 'Reason'],
  count: ['件数', 'Count'],
  member: ['加入者', 'Member'],
  notAvailable: ['この機能のAPIはまだありません', 'The API for this is not available yet'],
  appTitle: ['受付中の申請', 'Applications received'],
  noApplications: ['受付中の申請はありません', 'No application waiting'],
  kind: ['種類', 'Kind'],
  receivedOn: ['受付日', 'Received'],
  approve: ['承認', 'Approve'],
  refuse: ['却下', 'Refuse'],
  decided: ['{state}しました', '{state}'],
  asOfToday: ['基準日 {date}', 'As of {date}'],
});

type Tab = 'dashboard' | 'members' | 'upload' | 'errors' | 'exofficio' | 'applications';
const TABS: Tab[] = ['dashboard', 'members', 'upload', 'errors', 'exofficio', 'applications'];

export function ConsoleScreen({ path }: { path: string }) {
  return (
    <TokenGate screen="console" roles={['admin']} title={t(M.title)} kind="console" intro={t(M.intro)}>
      {(session, logout) => <Console session={session} logout={logout} path={path} />}
    </TokenGate>
  );
}

interface MemberRef {
  memberId: string;
  symbol: string;
  number: string;
  branch: string;
  name: string;
  nameKana: string;
}

interface Dashboard {
  insurerNumber: string;
  insurerName: string;
  asOf: string;
  members: { covered: number; insured: number; dependents: number; lost: number; notStarted: number };
  hub: { registered: number; pending: number; mismatch: number; noMyNumber: number };
  withoutMyNumber: MemberRef[];
  mismatches: Array<
    MemberRef & {
      fields: string[];
      nearMatch: Array<{ field: string; index: number; given: string; recorded: string }>;
      recordedOn: string;
    }
  >;
  certificatesExpiring: Array<MemberRef & { certificateId: string; validUntil: string }>;
  applicationsPending: number;
}

function Console({ session, logout, path }: { session: Session; logout: () => void; path: string }) {
  const parts = path.split('/').filter(Boolean);
  const memberId = parts[1] === 'members' && parts[2] ? decodeURIComponent(parts[2]) : null;
  const tab: Tab = TABS.includes(parts[1] as Tab) ? (parts[1] as Tab) : memberId ? 'members' : 'dashboard';
  const [asOf, setAsOf] = useState(session.who.today);
  const [dashboard, setDashboard] = useState<Dashboard | null>(null);
  const [error, setError] = useState<unknown>(null);
  const insurer = session.who.insurerNumber ?? '';

  const load = async () => {
    try {
      setDashboard(
        await api<Dashboard>(`/api/v1/insurers/${insurer}/dashboard?asOf=${asOf}`, { token: session.token }),
      );
      setError(null);
    } catch (e) {
      setError(e);
    }
  };
  useEffect(() => {
    void load();
  }, [asOf]);

  const tabs = [
    { key: 'dashboard' as const, label: t(M.dashboard) },
    { key: 'members' as const, label: t(M.members) },
    { key: 'upload' as const, label: t(M.upload) },
    { key: 'errors' as const, label: t(M.errors), badge: dashboard?.hub.mismatch },
    { key: 'exofficio' as const, label: t(M.exOfficio) },
    { key: 'applications' as const, label: t(M.applications), badge: dashboard?.applicationsPending },
  ];
  const status = (
    <span class="pill info">
      {session.who.insurerName} ({insurer})
    </span>
  );
  return (
    <Shell title={t(M.title)} kind="console" onLogout={logout} status={status}>
      <div class="toolbar">
        <label class="inline">
          {t(COMMON.asOf)}
          <input
            type="date"
            value={asOf}
            onInput={(e) => setAsOf((e.currentTarget as HTMLInputElement).value || session.who.today)}
          />
        </label>
      </div>
      <Tabs
        label={t(M.tabs)}
        tabs={tabs}
        current={tab}
        onSelect={(k) => navigate(k === 'dashboard' ? '/console' : `/console/${k}`)}
      />
      <TabPanel tab={tab}>
        <ErrorBox error={error} />
        {tab === 'dashboard' && dashboard && <DashboardView d={dashboard} />}
        {tab === 'members' && !memberId && <MemberSearch token={session.token} />}
        {tab === 'members' && memberId && (
          <MemberPage
            token={session.token}
            memberId={memberId}
            asOf={asOf}
            setAsOf={setAsOf}
            today={session.who.today}
          />
        )}
        {tab === 'upload' && <CsvUpload token={session.token} onDone={() => void load()} />}
        {tab === 'errors' && dashboard && <RegistrationErrors d={dashboard} />}
        {tab === 'exofficio' && (
          <ExOfficio token={session.token} insurer={insurer} today={session.who.today} onDone={() => void load()} />
        )}
        {tab === 'applications' && <Applications token={session.token} onDone={() => void load()} />}
      </TabPanel>
    </Shell>
  );
}

function memberLink(ref: { memberId: string }) {
  return `/console/members/${encodeURIComponent(ref.memberId)}`;
}

function MemberButton({ member }: { member: MemberRef }) {
  return (
    <button type="button" class="link-button" onClick={() => navigate(memberLink(member))}>
      {member.name}
    </button>
  );
}

function Stat(props: { label: string; value: number; tone?: 'warn' | 'bad' }) {
  return (
    <div class={`stat ${props.value > 0 && props.tone ? props.tone : ''}`}>
      <span class="stat-value">{props.value.toLocaleString()}</span>
      <span class="stat-label">{props.label}</span>
    </div>
  );
}

function DashboardView({ d }: { d: Dashboard }) {
  const heading = useFocusOnChange<HTMLHeadingElement>('dashboard');
  const nothing = d.certificatesExpiring.length === 0 && d.withoutMyNumber.length === 0 && d.mismatches.length === 0;
  return (
    <>
      <h1 tabIndex={-1} ref={heading}>
        {d.insurerName} — {t(M.asOfToday, { date: dateText(d.asOf) })}
      </h1>
      <div class="stats">
        <Stat label={t(M.covered)} value={d.members.covered} />
        <Stat label={t(M.insuredCount)} value={d.members.insured} />
        <Stat label={t(M.dependentsCount)} value={d.members.dependents} />
        <Stat label={t(M.registered)} value={d.hub.registered} />
        <Stat label={t(M.pending)} value={d.hub.pending} tone="warn" />
        <Stat label={t(M.mismatch)} value={d.hub.mismatch} tone="bad" />
        <Stat label={t(M.noMyNumber)} value={d.hub.noMyNumber} tone="warn" />
        <Stat label={t(M.expiring)} value={d.certificatesExpiring.length} tone="warn" />
        <Stat label={t(M.pendingApplications)} value={d.applicationsPending} tone="warn" />
      </div>
      <section class="card">
        <h2>{t(M.warnings)}</h2>
        {nothing && <p>{t(M.noWarnings)}</p>}
        {d.mismatches.length > 0 && (
          <p class="alert bad">
            {t(M.mismatch)}: {d.mismatches.length} —{' '}
            <button type="button" class="link-button" onClick={() => navigate('/console/errors')}>
              {t(M.errors)}
            </button>
          </p>
        )}
        {d.certificatesExpiring.length > 0 && (
          <>
            <h3>{t(M.expiringTitle)}</h3>
            <RefTable
              rows={d.certificatesExpiring}
              extra={{ label: t(M.validUntil), value: (r) => dateText(r.validUntil) }}
            />
          </>
        )}
        {d.withoutMyNumber.length > 0 && (
          <>
            <h3>{t(M.noMyNumberTitle)}</h3>
            <p class="hint">{t(M.noMyNumberFix)}</p>
            <RefTable rows={d.withoutMyNumber} />
          </>
        )}
      </section>
    </>
  );
}

function RefTable<R extends MemberRef>(props: { rows: R[]; extra?: { label: string; value: (r: R) => string } }) {
  return (
    <div class="table-wrap">
      <table>
        <thead>
          <tr>
            <th scope="col">
              {t(COMMON.symbol)}・{t(COMMON.number)}・{t(COMMON.branch)}
            </th>
            <th scope="col">{t(COMMON.name)}</th>
            <th scope="col">{t(COMMON.nameKana)}</th>
            {props.extra && <th scope="col">{props.extra.label}</th>}
          </tr>
        </thead>
        <tbody>
          {props.rows.map((r) => (
            <tr key={r.memberId}>
              <td class="mono">
                {r.symbol}・{r.number}・{r.branch}
              </td>
              <td>
                <MemberButton member={r} />
              </td>
              <td>{r.nameKana}</td>
              {props.extra && <td>{props.extra.value(r)}</td>}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function RegistrationErrors({ d }: { d: Dashboard }) {
  const heading = useFocusOnChange<HTMLHeadingElement>('errors');
  return (
    <>
      <section class="card">
        <h1 tabIndex={-1} ref={heading}>
          {t(M.mismatchTitle)}
        </h1>
        <p>{t(M.mismatchIntro)}</p>
        {d.mismatches.length === 0 ? (
          <p>{t(M.noWarnings)}</p>
        ) : (
          <div class="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">
                    {t(COMMON.symbol)}・{t(COMMON.number)}・{t(COMMON.branch)}
                  </th>
                  <th scope="col">{t(COMMON.name)}</th>
                  <th scope="col">{t(M.differs)}</th>
                  <th scope="col">{t(M.hint)}</th>
                  <th scope="col">{t(M.whatToDo)}</th>
                </tr>
              </thead>
              <tbody>
                {d.mismatches.map((m) => (
                  <tr key={m.memberId} class="row-bad">
                    <td class="mono">
                      {m.symbol}・{m.number}・{m.branch}
                    </td>
                    <td>
                      <MemberButton member={m} />
                      <br />
                      <span class="small">{m.nameKana}</span>
                    </td>
                    <td>{m.fields.map(fieldText).join('・')}</td>
                    <td>
                      <ul class="plain small">
                        {m.nearMatch.map((n) => (
                          <li key={`${n.field}-${n.index}`}>
                            {t(M.nearMatch, {
                              field: fieldText(n.field),
                              n: n.index + 1,
                              given: n.given,
                              recorded: n.recorded,
                            })}
                          </li>
                        ))}
                        {m.nearMatch.length === 0 && <li>—</li>}
                      </ul>
                    </td>
                    <td>
                      <ul class="plain small">
                        {m.fields.map((f) => (
                          <li key={f}>{mismatchFixText(f)}</li>
                        ))}
                      </ul>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      {d.withoutMyNumber.length > 0 && (
        <section class="card">
          <h2>{t(M.noMyNumberTitle)}</h2>
          <p class="hint">{t(M.noMyNumberFix)}</p>
          <RefTable rows={d.withoutMyNumber} />
        </section>
      )}
    </>
  );
}

interface MemberSummary {
  memberId: string;
  symbol: string;
  number: string;
  branch: string;
  relationship: 'insured' | 'dependent';
  name: string;
  nameKana: string;
  birthDate: string;
  sex: 'male' | 'female';
  acquiredOn: string;
  lostOn: string | null;
  hubStatus: string;
}

const SEARCH_KEY = 'shikaku.console.search';

function MemberSearch({ token }: { token: string }) {
  const saved = (() => {
    try {
      return JSON.parse(sessionStorage.getItem(SEARCH_KEY) ?? 'null') as Record<string, string> | null;
    } catch {
      return null;
    }
  })();
  const [q, setQ] = useState<Record<string, string>>(saved ?? { kana: '', symbol: '', number: '', birthDate: '' });
  const [items, setItems] = useState<MemberSummary[] | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const set = (key: string) => (value: string) => setQ((o) => ({ ...o, [key]: value }));

  const search = async (more = false) => {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(q)) if (v.trim()) params.set(k, v.trim());
    params.set('limit', '50');
    if (more && cursor) params.set('cursor', cursor);
    try {
      const page = await api<{ items: MemberSummary[]; nextCursor: string | null }>(`/api/v1/members?${params}`, {
        token,
      });
      setItems(more && items ? [...items, ...page.items] : page.items);
      setCursor(page.nextCursor);
      setError(null);
      sessionStorage.setItem(SEARCH_KEY, JSON.stringify(q));
    } catch (e) {
      setError(e);
    }
  };
  useEffect(() => {
    if (saved) void search();
  }, []);

  return (
    <section class="card">
      <h1>{t(M.searchTitle)}</h1>
      <form
        class="search-form"
        onSubmit={(e) => {
          e.preventDefault();
          void search();
        }}
      >
        <Field label={t(M.kana)} value={q.kana ?? ''} onInput={set('kana')} name="kana" />
        <Field label={t(COMMON.symbol)} value={q.symbol ?? ''} onInput={set('symbol')} name="symbol" />
        <Field label={t(COMMON.number)} value={q.number ?? ''} onInput={set('number')} name="number" />
        <Field
          label={t(COMMON.birthDate)}
          value={q.birthDate ?? ''}
          onInput={set('birthDate')}
          type="date"
          name="birthDate"
        />
        <div class="actions">
          <button type="submit" class="primary">
            {t(COMMON.search)}
          </button>
        </div>
      </form>
      <ErrorBox error={error} />
      {items && items.length === 0 && <p role="status">{t(M.noResults)}</p>}
      {items && items.length > 0 && (
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">
                  {t(COMMON.symbol)}・{t(COMMON.number)}・{t(COMMON.branch)}
                </th>
                <th scope="col">{t(COMMON.name)}</th>
                <th scope="col">{t(COMMON.nameKana)}</th>
                <th scope="col">{t(COMMON.birthDate)}</th>
                <th scope="col">{t(COMMON.relationship)}</th>
                <th scope="col">{t(M.state)}</th>
                <th scope="col">{t(M.hubOnAsOf)}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((m) => (
                <tr key={m.memberId}>
                  <td class="mono">
                    {m.symbol}・{m.number}・{m.branch}
                  </td>
                  <td>
                    <MemberButton member={m} />
                  </td>
                  <td>{m.nameKana}</td>
                  <td>{dateText(m.birthDate)}</td>
                  <td>{relationshipText(m.relationship)}</td>
                  <td>
                    {m.lostOn ? (
                      <span class="pill muted">
                        {t(M.status_lost)} {m.lostOn}
                      </span>
                    ) : (
                      <span class="pill good">{t(M.status_eligible)}</span>
                    )}
                  </td>
                  <td>
                    <span
                      class={`pill ${m.hubStatus === 'registered' ? 'good' : m.hubStatus === 'mismatch' ? 'bad' : 'warn'}`}
                    >
                      {hubStatusText(m.hubStatus)}
                    </span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {cursor && (
        <button type="button" class="secondary" onClick={() => void search(true)}>
          {t(M.more)}
        </button>
      )}
    </section>
  );
}

interface MemberView extends MemberSummary {
  insurerNumber: string;
  address: string | null;
  myNumber: string | null;
  standardMonthlyRemuneration: number | null;
  asOf: string;
  status: 'not_started' | 'eligible' | 'lost';
  hubOnAsOf:
    | { state: 'registered' | 'no_my_number' }
    | { state: 'pending'; hubAvailableOn: string }
    | { state: 'mismatch'; fields: string[] }
    | null;
  insured: { memberId: string; symbol: string; number: string; branch: string } | null;
  dependents: MemberSummary[];
}

interface TimelineEvent {
  on: string;
  recordedOn: string;
  kind: string;
  detail: Record<string, string | number | boolean | null | string[]>;
}

function eventText(e: TimelineEvent): string {
  const d = e.detail;
  const s = (k: string) => (d[k] === null || d[k] === undefined ? '' : String(d[k]));
  switch (e.kind) {
    case 'acquired':
      return t(M.ev_acquired);
    case 'lost':
      return t(M.ev_lost);
    case 'notification':
      return t(M.ev_notification, { kind: notificationKindText(s('notification')), version: s('version') });
    case 'hub': {
      const fields = Array.isArray(d.mismatchFields) ? d.mismatchFields : [];
      return (
        t(M.ev_hub, { status: hubStatusText(s('hubStatus')) }) +
        (fields.length > 0 ? t(M.ev_hubFields, { fields: fields.map(fieldText).join('・') }) : '')
      );
    }
    case 'legacy_card':
      return t(M.ev_legacy_card);
    case 'card':
      return (
        t(M.ev_card, {
          kind: s('cardKind') === 'smartphone' ? t(M.smartphone) : t(M.card),
          date: dateText(s('expiresOn')),
        }) + (d.endedOn ? t(M.ev_cardEnded, { date: dateText(s('endedOn')) }) : '')
      );
    case 'card_registration':
      return s('registration') === 'cancelled'
        ? t(M.ev_card_cancel)
        : t(M.ev_card_registration, { channel: channelText(s('channel')) });
    case 'certificate':
      if (d.event === 'collected') return t(M.ev_certificate_collected, { reason: collectionReasonText(s('reason')) });
      if (d.event === 'reported_lost') return t(M.ev_certificate_lost);
      return (
        t(M.ev_certificate, { reason: certificateReasonText(s('reason')), date: dateText(s('validUntil')) }) +
        (Number(d.feeYen ?? 0) > 0 ? t(M.ev_certificateFee, { fee: s('feeYen') }) : '')
      );
    case 'notice':
      return t(M.ev_notice, { reason: noticeReasonText(s('reason')) });
    case 'verification':
      return t(M.ev_verification, {
        method: s('method') === 'card' ? t(M.byCard) : t(M.byNumber),
        outcome: outcomeText(s('outcome')),
      });
    default:
      return e.kind;
  }
}

async function openPdf(token: string, path: string, filename: string, setError: (e: unknown) => void) {
  try {
    const { blob, filename: given } = await apiBlob(path, { token });
    saveBlob(blob, given ?? filename);
  } catch (e) {
    setError(e);
  }
}

function MemberPage(props: {
  token: string;
  memberId: string;
  asOf: string;
  setAsOf: (d: string) => void;
  today: string;
}) {
  const [member, setMember] = useState<MemberView | null>(null);
  const [events, setEvents] = useState<TimelineEvent[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const heading = useFocusOnChange<HTMLHeadingElement>(props.memberId);
  useEffect(() => {
    let live = true;
    void (async () => {
      try {
        const [m, tl] = await Promise.all([
          api<MemberView>(`/api/v1/members/${encodeURIComponent(props.memberId)}?asOf=${props.asOf}`, {
            token: props.token,
          }),
          api<{ events: TimelineEvent[] }>(`/api/v1/members/${encodeURIComponent(props.memberId)}/timeline`, {
            token: props.token,
          }),
        ]);
        if (!live) return;
        setMember(m);
        setEvents(tl.events);
        setError(null);
      } catch (e) {
        if (live) setError(e);
      }
    })();
    return () => {
      live = false;
    };
  }, [props.memberId, props.asOf]);

  if (error && !member) return <ErrorBox error={error} />;
  if (!member || !events) return <p aria-busy="true">{t(COMMON.loading)}</p>;
  const hub = member.hubOnAsOf;
  const hubText = !hub
    ? t(M.hubUnknown)
    : hub.state === 'pending'
      ? t(M.hubPendingUntil, { date: dateText(hub.hubAvailableOn) })
      : hub.state === 'mismatch'
        ? `${hubStatusText('mismatch')}（${hub.fields.map(fieldText).join('・')}）`
        : hubStatusText(hub.state);
  const statusTone = member.status === 'eligible' ? 'good' : member.status === 'lost' ? 'bad' : 'warn';
  const certificates = events.filter((e) => e.kind === 'certificate' && e.detail.event === 'issued');
  const notices = events.filter((e) => e.kind === 'notice');
  const ordered = [...events].reverse();
  return (
    <>
      <button type="button" class="ghost" onClick={() => navigate('/console/members')}>
        ← {t(M.backToList)}
      </button>
      <section class="card">
        <div class="member-head">
          <div class="who">
            <p class="kana">{member.nameKana}</p>
            <h1 class="person-name" tabIndex={-1} ref={heading}>
              {member.name}
            </h1>
            <p class="meta mono">
              {member.insurerNumber} · {member.symbol}・{member.number}・{member.branch} ·{' '}
              {relationshipText(member.relationship)}
            </p>
          </div>
          <div class="stack">
            <span class={`pill ${statusTone}`} data-status={member.status}>
              {t(M[`status_${member.status}`])} ({dateText(member.asOf)})
            </span>
            <label class="inline">
              {t(M.asOfPicker)}
              <input
                type="date"
                value={props.asOf}
                aria-describedby="member-asof-hint"
                onInput={(e) => props.setAsOf((e.currentTarget as HTMLInputElement).value || props.today)}
              />
            </label>
            <p class="hint" id="member-asof-hint">
              {t(M.asOfHint)}
            </p>
          </div>
        </div>
        <ErrorBox error={error} />
        <div class="two-col">
          <div>
            <h2>{t(M.facts)}</h2>
            <dl class="facts">
              <div>
                <dt>{t(COMMON.birthDate)}</dt>
                <dd>
                  {dateText(member.birthDate)} · {sexText(member.sex)}
                </dd>
              </div>
              <div>
                <dt>{t(COMMON.acquiredOn)}</dt>
                <dd>
                  {dateText(member.acquiredOn)}
                  {member.lostOn && ` → ${t(COMMON.lostOn)} ${dateText(member.lostOn)}`}
                </dd>
              </div>
              <div>
                <dt>{t(COMMON.address)}</dt>
                <dd>{member.address ?? '—'}</dd>
              </div>
              <div>
                <dt>{t(COMMON.myNumber)}</dt>
                <dd class="mono">{member.myNumber ?? t(COMMON.hubStatus_no_my_number)}</dd>
              </div>
              {member.standardMonthlyRemuneration !== null && (
                <div>
                  <dt>{t(M.remuneration)}</dt>
                  <dd>{t(M.yen, { n: member.standardMonthlyRemuneration.toLocaleString() })}</dd>
                </div>
              )}
              <div>
                <dt>{t(M.hubOnAsOf)}</dt>
                <dd>{hubText}</dd>
              </div>
            </dl>
            {member.insured && (
              <p>
                {t(M.insuredOf)}:{' '}
                <button type="button" class="link-button" onClick={() => navigate(memberLink(member.insured!))}>
                  {member.insured.symbol}・{member.insured.number}・{member.insured.branch}
                </button>
              </p>
            )}
            {member.dependents.length > 0 && (
              <>
                <h3>{t(M.dependentsOf)}</h3>
                <ul>
                  {member.dependents.map((dep) => (
                    <li key={dep.memberId}>
                      <MemberButton member={dep} /> ({dep.branch}, {dateText(dep.birthDate)})
                    </li>
                  ))}
                </ul>
              </>
            )}
            <h2>{t(M.documents)}</h2>
            {certificates.length === 0 && notices.length === 0 && <p>{t(M.noDocuments)}</p>}
            <ul class="plain stack">
              {certificates.map((c) => (
                <li key={String(c.detail.certificateId)} class="row">
                  <span>
                    {t(M.certificate)} {dateText(c.on)}（{certificateReasonText(String(c.detail.reason))}）
                  </span>
                  <button
                    type="button"
                    class="secondary"
                    onClick={() =>
                      void openPdf(
                        props.token,
                        `/api/v1/certificates/${c.detail.certificateId}.pdf`,
                        'certificate.pdf',
                        setError,
                      )
                    }
                  >
                    {t(M.pdf)}
                    <span class="sr-only">
                      {' '}
                      {t(M.certificate)} {c.on}
                    </span>
                  </button>
                </li>
              ))}
              {notices.map((n) => (
                <li key={String(n.detail.noticeId)} class="row">
                  <span>
                    {t(M.notice)} {dateText(n.on)}（{noticeReasonText(String(n.detail.reason))}）
                  </span>
                  <button
                    type="button"
                    class="secondary"
                    onClick={() =>
                      void openPdf(props.token, `/api/v1/notices/${n.detail.noticeId}.pdf`, 'notice.pdf', setError)
                    }
                  >
                    {t(M.pdf)}
                    <span class="sr-only">
                      {' '}
                      {t(M.notice)} {n.on}
                    </span>
                  </button>
                </li>
              ))}
            </ul>
          </div>
          <div>
            <h2>{t(M.timeline)}</h2>
            <ol class="timeline">
              {ordered.map((e, i) => {
                const future = e.recordedOn > props.asOf;
                return (
                  <li key={`${e.kind}-${e.on}-${i}`} class={future ? 'future' : ''} data-kind={e.kind}>
                    <span class="when">{dateText(e.on)}</span>
                    {eventText(e)}
                    <br />
                    <span class="known">
                      {t(M.recordedOn, { date: dateText(e.recordedOn) })}
                      {future && ` · ${t(M.notKnownYet)}`}
                    </span>
                  </li>
                );
              })}
            </ol>
          </div>
        </div>
      </section>
    </>
  );
}

interface RunResult {
  runId: string | null;
  dryRun: boolean;
  asOf: string;
  issued: Array<{ memberId: string; certificateId: string | null; reason: string; validUntil: string }>;
  skipped: Array<{ memberId: string; reason: string }>;
}

function countBy<T>(items: T[], key: (t: T) => string): Array<[string, number]> {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1]);
}

function ExOfficio(props: { token: string; insurer: string; today: string; onDone: () => void }) {
  const [asOf, setAsOf] = useState(props.today);
  const [busy, setBusy] = useState<'dry' | 'run' | null>(null);
  const [result, setResult] = useState<RunResult | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [elapsed, setElapsed] = useState(0);
  useEffect(() => {
    if (!busy) return;
    const started = Date.now();
    const timer = setInterval(() => setElapsed(Math.round((Date.now() - started) / 1000)), 500);
    return () => clearInterval(timer);
  }, [busy]);
  const run = async (dryRun: boolean) => {
    setBusy(dryRun ? 'dry' : 'run');
    setElapsed(0);
    setError(null);
    try {
      const answer = await api<RunResult>('/api/v1/certificates:issue-ex-officio', {
        token: props.token,
        body: { insurerNumber: props.insurer, asOf, ...(dryRun ? { dryRun: true } : {}) },
      });
      setResult({ ...answer, dryRun });
      if (!dryRun) props.onDone();
    } catch (e) {
      setError(e instanceof ApiError && e.status === 404 ? new Error(t(M.notAvailable)) : e);
    } finally {
      setBusy(null);
    }
  };
  return (
    <section class="card">
      <h1>{t(M.exTitle)}</h1>
      <p>{t(M.exIntro)}</p>
      <div class="row">
        <label class="inline">
          {t(M.exAsOf)}
          <input
            type="date"
            value={asOf}
            onInput={(e) => setAsOf((e.currentTarget as HTMLInputElement).value || props.today)}
          />
        </label>
        <button type="button" class="secondary" disabled={busy !== null} onClick={() => void run(true)}>
          {t(M.dryRun)}
        </button>
        <button
          type="button"
          class="primary"
          disabled={busy !== null || !result?.dryRun}
          onClick={() => void run(false)}
        >
          {t(M.run)}
        </button>
      </div>
      {busy && (
        <div class="stack" role="status">
          <progress aria-label={t(M.running)} />
          <span>
            {t(M.running)} {elapsed}s
          </span>
        </div>
      )}
      <ErrorBox error={error} />
      {result && (
        <div class="stack" aria-live="polite">
          <h2>{result.dryRun ? t(M.exPreview) : t(M.exDone)}</h2>
          <p>
            <span class="pill good">{t(M.exIssued, { n: result.issued.length })}</span>{' '}
            <span class="pill muted">{t(M.exSkipped, { n: result.skipped.length })}</span>
          </p>
          <div class="two-col">
            <table>
              <caption class="sr-only">{t(M.exIssued, { n: result.issued.length })}</caption>
              <thead>
                <tr>
                  <th scope="col">{t(M.reason)}</th>
                  <th scope="col">{t(M.count)}</th>
                </tr>
              </thead>
              <tbody>
                {result.issued.length === 0 && (
                  <tr>
                    <td colSpan={2}>{t(COMMON.none)}</td>
                  </tr>
                )}
                {countBy(result.issued, (i) => i.reason).map(([reason, n]) => (
                  <tr key={reason}>
                    <td>{certificateReasonText(reason)}</td>
                    <td>{n}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            <table>
              <caption class="sr-only">{t(M.exSkipped, { n: result.skipped.length })}</caption>
              <thead>
                <tr>
                  <th scope="col">{t(M.reason)}</th>
                  <th scope="col">{t(M.count)}</th>
                </tr>
              </thead>
              <tbody>
                {countBy(result.skipped, (s) => s.reason).map(([reason, n]) => (
                  <tr key={reason}>
                    <td>{skipReasonText(reason)}</td>
                    <td>{n}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </div>
      )}
    </section>
  );
}

interface ApplicationRow {
  applicationId: string;
  memberId: string;
  kind: string;
  reason: string | null;
  state: string;
  receivedOn: string;
  refusalCode?: string | null;
  member: MemberRef;
}

function Applications(props: { token: string; onDone: () => void }) {
  const [rows, setRows] = useState<ApplicationRow[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [message, setMessage] = useState<string | null>(null);
  const load = async () => {
    try {
      const answer = await api<{ items: ApplicationRow[] }>('/api/v1/applications?state=received', {
        token: props.token,
      });
      setRows(answer.items);
      setError(null);
    } catch (e) {
      setError(e instanceof ApiError && e.status === 404 && e.code === 'NOT_FOUND' ? new Error(t(M.notAvailable)) : e);
    }
  };
  useEffect(() => {
    void load();
  }, []);
  const decide = async (row: ApplicationRow, decision: 'approve' | 'refuse') => {
    try {
      await api(`/api/v1/applications/${encodeURIComponent(row.applicationId)}:${decision}`, {
        token: props.token,
        body: {},
      });
      setMessage(t(M.decided, { state: decision === 'approve' ? t(M.approve) : t(M.refuse) }));
      props.onDone();
      await load();
    } catch (e) {
      setError(e);
    }
  };
  return (
    <section class="card">
      <h1>{t(M.appTitle)}</h1>
      <ErrorBox error={error} />
      {message && (
        <p class="alert good" role="status">
          {message}
        </p>
      )}
      {rows && rows.length === 0 && <p>{t(M.noApplications)}</p>}
      {rows && rows.length > 0 && (
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{t(M.receivedOn)}</th>
                <th scope="col">{t(M.kind)}</th>
                <th scope="col">{t(M.reason)}</th>
                <th scope="col">{t(M.member)}</th>
                <th scope="col">{t(M.state)}</th>
                <th scope="col">
                  <span class="sr-only">{t(M.whatToDo)}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.applicationId}>
                  <td>{dateText(r.receivedOn)}</td>
                  <td>{applicationKindText(r.kind)}</td>
                  <td>{r.kind === 'certificate' ? certificateReasonText(r.reason) : (r.reason ?? '—')}</td>
                  <td>
                    <MemberButton member={r.member} />
                    <br />
                    <span class="small mono">
                      {r.member.symbol}・{r.member.number}・{r.member.branch}
                    </span>
                  </td>
                  <td>{applicationStateText(r.state)}</td>
                  <td>
                    <div class="row">
                      <button type="button" class="primary" onClick={() => void decide(r, 'approve')}>
                        {t(M.approve)}
                      </button>
                      <button type="button" class="danger" onClick={() => void decide(r, 'refuse')}>
                        {t(M.refuse)}
                      </button>
                    </div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {message === null && error === null && rows === null && <p aria-busy="true">{t(COMMON.loading)}</p>}
    </section>
  );
}
