import { useEffect, useState } from 'preact/hooks';
import type { MemberSummary } from '../../answers.js';
import { call } from '../../api.js';
import { HubStatusPill } from '../../components/hub-status-pill.js';
import { MemberTable } from '../../components/member-table.js';
import { COMMON, dateText, relationshipText, t } from '../../i18n.js';
import { ErrorBox, Field } from '../../ui.js';
import { MemberButton } from './member-link.js';
import { M } from './messages.js';

const SEARCH_KEY = 'shikaku.console.search';

/** Find members by kana, numbers or birth date; the last search is kept for the way back from a member. */
export function MemberSearchPanel({ token }: { token: string }) {
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
    const query: Record<string, string> = {};
    for (const [k, v] of Object.entries(q)) if (v.trim()) query[k] = v.trim();
    query.limit = '50';
    if (more && cursor) query.cursor = cursor;
    try {
      const page = await call('GET /api/v1/members', { token, query });
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
        <MemberTable
          rows={items}
          columns={[
            { heading: t(COMMON.name), cell: (m) => <MemberButton member={m} /> },
            { heading: t(COMMON.nameKana), cell: (m) => m.nameKana },
            { heading: t(COMMON.birthDate), cell: (m) => dateText(m.birthDate) },
            { heading: t(COMMON.relationship), cell: (m) => relationshipText(m.relationship) },
            {
              heading: t(M.state),
              cell: (m) =>
                m.lostOn ? (
                  <span class="pill muted">
                    {t(M.status_lost)} {m.lostOn}
                  </span>
                ) : (
                  <span class="pill good">{t(M.status_eligible)}</span>
                ),
            },
            { heading: t(M.hubOnAsOf), cell: (m) => <HubStatusPill status={m.hubStatus} /> },
          ]}
        />
      )}
      {cursor && (
        <button type="button" class="secondary" onClick={() => void search(true)}>
          {t(M.more)}
        </button>
      )}
    </section>
  );
}
