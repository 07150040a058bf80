import { useEffect, useState } from 'preact/hooks';
import type { MemberSummary, MemberView } from '../../answers.js';
import { call } from '../../api.js';
import { HubStatusPill } from '../../components/hub-status-pill.js';
import { MemberTable } from '../../components/member-table.js';
import { COMMON, dateText, fieldText, relationshipText, t } from '../../i18n.js';
import { mismatchFixText } from '../../labels.js';
import { ErrorBox, type Session } from '../../ui.js';
import { M } from './messages.js';

/** The employees and their families with their hub registration, and what to fix where it failed. */
export function StatusList({ session }: { session: Session }) {
  const [items, setItems] = useState<MemberSummary[] | null>(null);
  const [details, setDetails] = useState<Record<string, MemberView>>({});
  const [error, setError] = useState<unknown>(null);
  const load = async () => {
    try {
      const page = await call('GET /api/v1/members', { token: session.token, query: { limit: '200' } });
      setItems(page.items);
      // What to fix is in the member's record: fetch it for the registrations that need attention.
      const attention = page.items.filter((m) => m.hubStatus !== 'registered').slice(0, 20);
      const loaded = await Promise.all(
        attention.map((m) =>
          call('GET /api/v1/members/{memberId}', { token: session.token, params: { memberId: m.memberId } }),
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
  const detail = async (m: MemberSummary) => {
    try {
      const d = await call('GET /api/v1/members/{memberId}', {
        token: session.token,
        params: { memberId: m.memberId },
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
        <MemberTable
          rows={items}
          rowAttributes={(m) => ({ class: m.hubStatus === 'mismatch' ? 'row-bad' : '', 'data-member': m.memberId })}
          columns={[
            {
              heading: t(COMMON.name),
              cell: (m) => (
                <>
                  {m.name}
                  <br />
                  <span class="small">{m.nameKana}</span>
                </>
              ),
            },
            { heading: t(COMMON.relationship), cell: (m) => relationshipText(m.relationship) },
            {
              heading: t(M.state),
              class: 'nowrap',
              cell: (m) => (m.lostOn ? t(M.lostState, { date: dateText(m.lostOn) }) : t(M.covered)),
            },
            {
              heading: t(M.status),
              cell: (m) => (
                <RegistrationStatus
                  member={m}
                  detail={details[m.memberId]}
                  today={session.who.today}
                  onDetail={() => void detail(m)}
                />
              ),
            },
          ]}
        />
      )}
    </section>
  );
}

/** One registration's hub status, and once its record is loaded, since when clinics can query it or what to fix. */
function RegistrationStatus(props: {
  member: MemberSummary;
  detail: MemberView | undefined;
  today: string;
  onDetail: () => void;
}) {
  const { member: m, detail: d } = props;
  const pending = d && d.hubAvailableOn > props.today;
  return (
    <>
      <HubStatusPill status={m.hubStatus} pending={pending} />
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
        <button type="button" class="link-button small gap-left" onClick={props.onDetail}>
          {t(M.details)}
          <span class="sr-only"> {m.name}</span>
        </button>
      )}
    </>
  );
}
