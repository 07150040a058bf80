import type { TargetedSubmitEvent } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { normalizeDigitInput } from '../../../src/domain/digits.js';
import { isValidMyNumber } from '../../../src/domain/mynumber.js';
import { api } from '../api.js';
import { CsvUpload, HubResult, type NotificationResult } from '../csv-upload.js';
import { COMMON, dateText, fieldText, hubStatusText, messages, relationshipText, t } from '../i18n.js';
import { mismatchFixText, notificationKindText } from '../labels.js';
import { ErrorBox, Field, Select, type Session, Shell, TabPanel, Tabs, TokenGate } from '../ui.js';

const M = messages({
  title: ['事業主窓口', 'Employer desk'],
  intro: [
    '事業所の人事・総務担当者用です。事業主（employer）のトークンでログインしてください。',
    'For HR clerks. Log in with an employer token.',
  ],
  tabs: ['メニュー', 'Menu'],
  form: ['届出', 'Notify'],
  csv: ['CSVで届出', 'CSV'],
  status: ['登録状況', 'Status'],
  kind: ['届出の種類', 'Notification'],
  office: ['事業所記号 {symbol}', 'Office symbol {symbol}'],
  insuredNumber: ['被保険者の番号', "The insured's number"],
  numberOptional: ['番号（空欄なら自動採番）', 'Number (empty: assigned)'],
  dependentBranch: ['被扶養者の枝番', "The dependent's branch"],
  acquiredOn: ['資格取得日（認定日）', 'Acquired on'],
  lostOn: ['資格喪失日（喪失した日の翌日）', 'Lost on (the day after the last day)'],
  remuneration: ['標準報酬月額（円）', 'Standard monthly remuneration (yen)'],
  myNumberOptional: ['個人番号（マイナンバー）', 'My Number'],
  myNumberHint: [
    '12桁。届け出ないとマイナ保険証で資格確認できません。',
    '12 digits. Without it the card cannot find the member.',
  ],
  myNumberBad: [
    '検査用数字が合いません。入力を確かめてください。',
    'The check digit does not match. Check the number.',
  ],
  myNumberOk: ['個人番号の形式は正しいです', 'The My Number is well-formed'],
  recordedOn: ['届出日（空欄なら本日）', 'Recorded on (empty: today)'],
  addressHint: ['住民票どおりに（番地まで）', 'As on the resident record'],
  nameHint: ['住民票どおりの字体で（髙・﨑など）', 'As on the resident record, variant kanji included (髙, 﨑)'],
  submit: ['届け出る', 'Submit'],
  submitted: ['{kind}を受け付けました', '{kind} received'],
  assigned: ['記号・番号・枝番', 'Symbol · number · branch'],
  hubAvailable: ['医療機関で照会できる日', 'Clinics can check from'],
  fixTitle: ['修正が必要です', 'Needs a correction'],
  fixNoMyNumber: [
    '個人番号が未届のため、マイナ保険証で資格確認できません。変更届で個人番号を届け出てください。',
    'Without a My Number the card cannot find this member: send a change with the My Number.',
  ],
  listTitle: ['従業員とその家族', 'Employees and their families'],
  refresh: ['更新', 'Refresh'],
  details: ['詳細', 'Details'],
  pendingUntil: ['登録処理中（{date}から照会可能）', 'pending (queryable from {date})'],
  registeredSince: ['登録済み（{date}から照会可能）', 'registered (queryable from {date})'],
  noEmployees: ['まだ届出がありません', 'Nothing notified yet'],
  state: ['資格', 'Qualification'],
  covered: ['加入中', 'covered'],
  lostState: ['喪失 {date}', 'lost {date}'],
  kind_acquisition: ['資格取得届（本人）', 'Acquisition (employee)'],
  kind_dependent_add: ['被扶養者の追加', 'Add a dependent'],
  kind_loss: ['資格喪失届（本人）', 'Loss (employee)'],
  kind_dependent_remove: ['被扶養者の削除', 'Remove a dependent'],
});

type Kind = 'acquisition' | 'dependent_add' | 'loss' | 'dependent_remove';
type Tab = 'form' | 'csv' | 'status';

export function EmployerScreen() {
  return (
    <TokenGate screen="employer" roles={['employer']} title={t(M.title)} kind="employer" intro={t(M.intro)}>
      {(session, logout) => <Desk session={session} logout={logout} />}
    </TokenGate>
  );
}

function Desk({ session, logout }: { session: Session; logout: () => void }) {
  const [tab, setTab] = useState<Tab>('form');
  const status = (
    <span class="pill info">
      {session.who.insurerName} · {t(M.office, { symbol: session.who.employerSymbol ?? '' })}
    </span>
  );
  return (
    <Shell title={t(M.title)} kind="employer" onLogout={logout} status={status}>
      <Tabs
        label={t(M.tabs)}
        current={tab}
        onSelect={setTab}
        tabs={[
          { key: 'form', label: t(M.form) },
          { key: 'csv', label: t(M.csv) },
          { key: 'status', label: t(M.status) },
        ]}
      />
      <TabPanel tab={tab}>
        {tab === 'form' && <NotificationForm session={session} />}
        {tab === 'csv' && <CsvUpload token={session.token} />}
        {tab === 'status' && <StatusList session={session} />}
      </TabPanel>
    </Shell>
  );
}

const EMPTY = {
  number: '',
  branch: '',
  acquiredOn: '',
  lostOn: '',
  remuneration: '',
  name: '',
  nameKana: '',
  birthDate: '',
  sex: 'male',
  address: '',
  myNumber: '',
  recordedOn: '',
};

function NotificationForm({ session }: { session: Session }) {
  const [kind, setKind] = useState<Kind>('acquisition');
  const [f, setF] = useState({ ...EMPTY });
  const [result, setResult] = useState<{ kind: Kind; result: NotificationResult } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const set = (key: keyof typeof EMPTY) => (value: string) => setF((o) => ({ ...o, [key]: value }));
  const symbol = session.who.employerSymbol ?? '';
  const person = kind === 'acquisition' || kind === 'dependent_add';
  const myNumber = normalizeDigitInput(f.myNumber);
  const myNumberError =
    myNumber.length === 12 && !isValidMyNumber(myNumber)
      ? t(M.myNumberBad)
      : myNumber.length > 12
        ? t(M.myNumberBad)
        : null;
  const myNumberOk = myNumber.length === 12 && isValidMyNumber(myNumber) ? `✓ ${t(M.myNumberOk)}` : null;

  const body = (): Record<string, unknown> => {
    const base: Record<string, unknown> = {
      kind,
      insurerNumber: session.who.insurerNumber,
      ...(f.recordedOn ? { recordedOn: f.recordedOn } : {}),
    };
    const who = {
      ...(myNumber ? { myNumber } : {}),
      name: f.name,
      nameKana: f.nameKana,
      birthDate: f.birthDate,
      sex: f.sex,
      address: f.address,
    };
    switch (kind) {
      case 'acquisition':
        return {
          ...base,
          symbol,
          ...(f.number.trim() ? { number: f.number.trim() } : {}),
          acquiredOn: f.acquiredOn,
          standardMonthlyRemuneration: Number(normalizeDigitInput(f.remuneration).replace(/[,，円]/g, '')),
          person: who,
        };
      case 'dependent_add':
        return { ...base, insured: { symbol, number: f.number.trim() }, acquiredOn: f.acquiredOn, person: who };
      case 'loss':
        return {
          ...base,
          symbol,
          number: f.number.trim(),
          ...(f.branch ? { branch: f.branch } : {}),
          lostOn: f.lostOn,
        };
      case 'dependent_remove':
        return { ...base, symbol, number: f.number.trim(), branch: f.branch, lostOn: f.lostOn };
    }
  };

  const submit = async (e: TargetedSubmitEvent<HTMLFormElement>) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    setResult(null);
    try {
      const answer = await api<NotificationResult>('/api/v1/notifications', { token: session.token, body: body() });
      setResult({ kind, result: answer });
      setF({ ...EMPTY });
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="card">
      <h1>{t(M.form)}</h1>
      <form class="form-grid" onSubmit={submit}>
        <div class="wide">
          <Select
            label={t(M.kind)}
            value={kind}
            onChange={(v) => {
              setKind(v as Kind);
              setResult(null);
              setError(null);
            }}
            options={(['acquisition', 'dependent_add', 'loss', 'dependent_remove'] as const).map((k) => ({
              value: k,
              label: t(M[`kind_${k}`]),
            }))}
          />
        </div>
        <p class="wide hint">{t(M.office, { symbol })}</p>
        {kind === 'acquisition' && (
          <Field label={t(M.numberOptional)} value={f.number} onInput={set('number')} name="number" />
        )}
        {kind !== 'acquisition' && (
          <Field
            label={kind === 'dependent_add' || kind === 'dependent_remove' ? t(M.insuredNumber) : t(COMMON.number)}
            value={f.number}
            onInput={set('number')}
            required
            name="number"
          />
        )}
        {(kind === 'loss' || kind === 'dependent_remove') && (
          <Field
            label={kind === 'dependent_remove' ? t(M.dependentBranch) : t(COMMON.branch)}
            value={f.branch}
            onInput={(v) => set('branch')(normalizeDigitInput(v))}
            inputMode="numeric"
            maxLength={2}
            required={kind === 'dependent_remove'}
            name="branch"
          />
        )}
        {person && (
          <Field
            label={t(M.acquiredOn)}
            value={f.acquiredOn}
            onInput={set('acquiredOn')}
            type="date"
            required
            name="acquiredOn"
          />
        )}
        {!person && (
          <Field label={t(M.lostOn)} value={f.lostOn} onInput={set('lostOn')} type="date" required name="lostOn" />
        )}
        {kind === 'acquisition' && (
          <Field
            label={t(M.remuneration)}
            value={f.remuneration}
            onInput={set('remuneration')}
            inputMode="numeric"
            required
            name="remuneration"
          />
        )}
        {person && (
          <>
            <Field
              label={t(COMMON.name)}
              value={f.name}
              onInput={set('name')}
              required
              name="name"
              hint={t(M.nameHint)}
            />
            <Field label={t(COMMON.nameKana)} value={f.nameKana} onInput={set('nameKana')} required name="nameKana" />
            <Field
              label={t(COMMON.birthDate)}
              value={f.birthDate}
              onInput={set('birthDate')}
              type="date"
              required
              name="birthDate"
            />
            <Select
              label={t(COMMON.sex)}
              value={f.sex}
              onChange={set('sex')}
              options={[
                { value: 'male', label: t(COMMON.male) },
                { value: 'female', label: t(COMMON.female) },
              ]}
            />
            <Field
              label={t(COMMON.address)}
              value={f.address}
              onInput={set('address')}
              required
              name="address"
              hint={t(M.addressHint)}
              class="wide"
            />
            <Field
              label={t(M.myNumberOptional)}
              value={f.myNumber}
              onInput={set('myNumber')}
              inputMode="numeric"
              name="myNumber"
              hint={t(M.myNumberHint)}
              error={myNumberError}
              ok={myNumberOk}
            />
          </>
        )}
        <Field label={t(M.recordedOn)} value={f.recordedOn} onInput={set('recordedOn')} type="date" name="recordedOn" />
        <div class="wide row">
          <button type="submit" class="primary" disabled={busy || myNumberError !== null}>
            {t(M.submit)}
          </button>
        </div>
      </form>
      <ErrorBox error={error} />
      {result && <Submitted kind={result.kind} result={result.result} />}
    </section>
  );
}

function Submitted({ kind, result }: { kind: Kind; result: NotificationResult }) {
  const needsFix = result.hubStatus !== 'registered';
  return (
    <div class={`alert ${needsFix ? 'warn' : 'good'}`} role="status">
      <strong>{t(M.submitted, { kind: notificationKindText(kind) })}</strong>
      <dl class="facts top-gap">
        <div>
          <dt>{t(M.assigned)}</dt>
          <dd class="mono big">
            {result.symbol}・{result.number}・{result.branch}
          </dd>
        </div>
        <div>
          <dt>{t(M.status)}</dt>
          <dd>
            <HubResult result={result} />
          </dd>
        </div>
        <div>
          <dt>{t(M.hubAvailable)}</dt>
          <dd>{dateText(result.hubAvailableOn)}</dd>
        </div>
      </dl>
      {needsFix && (
        <div class="top-gap">
          <strong>{t(M.fixTitle)}</strong>
          <ul>
            {result.hubStatus === 'no_my_number' && <li>{t(M.fixNoMyNumber)}</li>}
            {(result.mismatch?.fields ?? []).map((field) => (
              <li key={field}>{mismatchFixText(field)}</li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}

interface Employee {
  memberId: string;
  symbol: string;
  number: string;
  branch: string;
  relationship: 'insured' | 'dependent';
  name: string;
  nameKana: string;
  acquiredOn: string;
  lostOn: string | null;
  hubStatus: 'registered' | 'mismatch' | 'no_my_number';
}

interface EmployeeDetail extends Employee {
  hubAvailableOn: string;
  mismatchFields: string[];
}

function StatusList({ session }: { session: Session }) {
  const [items, setItems] = useState<Employee[] | null>(null);
  const [details, setDetails] = useState<Record<string, EmployeeDetail>>({});
  const [error, setError] = useState<unknown>(null);
  const load = async () => {
    try {
      const page = await api<{ items: Employee[] }>('/api/v1/members?limit=200', { token: session.token });
      setItems(page.items);
      // What to fix is in the member's record: fetch it for the registrations that need attention.
      const attention = page.items.filter((m) => m.hubStatus !== 'registered').slice(0, 20);
      const loaded = await Promise.all(
        attention.map((m) =>
          api<EmployeeDetail>(`/api/v1/members/${encodeURIComponent(m.memberId)}`, { token: session.token }),
        ),
      );
      setDetails(Object.fromEntries(loaded.map((d) => [d.memberId, d])));
      setError(null);
    } catch (e) {
      setError(e);
    }
  };
  useEffect(() => {
    void load();
  }, []);
  const detail = async (m: Employee) => {
    try {
      const d = await api<EmployeeDetail>(`/api/v1/members/${encodeURIComponent(m.memberId)}`, {
        token: session.token,
      });
      setDetails((o) => ({ ...o, [d.memberId]: d }));
    } catch (e) {
      setError(e);
    }
  };
  return (
    <section class="card">
      <div class="row spread">
        <h1>{t(M.listTitle)}</h1>
        <button type="button" class="secondary" onClick={() => void load()}>
          {t(M.refresh)}
        </button>
      </div>
      <ErrorBox error={error} />
      {items && items.length === 0 && <p>{t(M.noEmployees)}</p>}
      {items && items.length > 0 && (
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">
                  {t(COMMON.symbol)}・{t(COMMON.number)}・{t(COMMON.branch)}
                </th>
                <th scope="col">{t(COMMON.name)}</th>
                <th scope="col">{t(COMMON.relationship)}</th>
                <th scope="col">{t(M.state)}</th>
                <th scope="col">{t(M.status)}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((m) => {
                const d = details[m.memberId];
                const pending = d && d.hubAvailableOn > session.who.today;
                return (
                  <tr key={m.memberId} class={m.hubStatus === 'mismatch' ? 'row-bad' : ''} data-member={m.memberId}>
                    <td class="mono">
                      {m.symbol}・{m.number}・{m.branch}
                    </td>
                    <td>
                      {m.name}
                      <br />
                      <span class="small">{m.nameKana}</span>
                    </td>
                    <td>{relationshipText(m.relationship)}</td>
                    <td class="nowrap">{m.lostOn ? t(M.lostState, { date: dateText(m.lostOn) }) : t(M.covered)}</td>
                    <td>
                      <span
                        class={`pill ${m.hubStatus === 'registered' ? (pending ? 'warn' : 'good') : m.hubStatus === 'mismatch' ? 'bad' : 'warn'}`}
                      >
                        {hubStatusText(m.hubStatus)}
                      </span>
                      {d && (
                        <ul class="plain small">
                          <li>
                            {pending
                              ? t(M.pendingUntil, { date: dateText(d.hubAvailableOn) })
                              : m.hubStatus === 'registered'
                                ? t(M.registeredSince, { date: dateText(d.hubAvailableOn) })
                                : null}
                          </li>
                          {d.mismatchFields.map((field) => (
                            <li key={field}>
                              {fieldText(field)}: {mismatchFixText(field)}
                            </li>
                          ))}
                          {m.hubStatus === 'no_my_number' && <li>{t(M.fixNoMyNumber)}</li>}
                        </ul>
                      )}
                      {!d && (
                        <button type="button" class="link-button small gap-left" onClick={() => void detail(m)}>
                          {t(M.details)}
                          <span class="sr-only"> {m.name}</span>
                        </button>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
