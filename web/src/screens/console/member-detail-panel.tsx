import { useEffect, useState } from 'preact/hooks';
import type { MemberView, TimelineEvent } from '../../answers.js';
import { call } from '../../api.js';
import { DateSetting } from '../../components/date-setting.js';
import { symbolNumberText } from '../../components/symbol-number.js';
import { COMMON, dateText, fieldText, hubStatusText, relationshipText, sexText, t } from '../../i18n.js';
import { navigate } from '../../router.js';
import { ErrorBox, useFocusOnChange } from '../../ui.js';
import { MemberDocuments } from './member-documents.js';
import { MemberLegacyCards } from './member-legacy-cards.js';
import { MemberButton, memberLink } from './member-link.js';
import { MemberTimeline } from './member-timeline.js';
import { M } from './messages.js';

/** One member's page: the facts on the chosen day, the documents issued, and the whole timeline. */
export function MemberDetailPanel(props: {
  token: string;
  memberId: string;
  asOf: string;
  setAsOf: (d: string) => void;
  today: string;
}) {
  const [member, setMember] = useState<MemberView | null>(null);
  const [events, setEvents] = useState<TimelineEvent[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  // Bumped after recording on a legacy card, so the member is read again.
  const [version, setVersion] = useState(0);
  const heading = useFocusOnChange<HTMLHeadingElement>(props.memberId);
  useEffect(() => {
    let live = true;
    void (async () => {
      try {
        const [m, tl] = await Promise.all([
          call('GET /api/v1/members/{memberId}', {
            token: props.token,
            params: { memberId: props.memberId },
            query: { asOf: props.asOf },
          }),
          call('GET /api/v1/members/{memberId}/timeline', { token: props.token, params: { memberId: props.memberId } }),
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
  }, [props.memberId, props.asOf, version]);

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
              {member.insurerNumber} · {symbolNumberText(member)} · {relationshipText(member.relationship)}
            </p>
          </div>
          <div class="stack">
            <span class={`pill ${statusTone}`} data-status={member.status}>
              {t(M[`status_${member.status}`])} ({dateText(member.asOf)})
            </span>
            <DateSetting
              label={t(M.asOfPicker)}
              value={props.asOf}
              fallback={props.today}
              onChange={props.setAsOf}
              describedBy="member-asof-hint"
            />
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
                  {symbolNumberText(member.insured)}
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
            <MemberLegacyCards
              token={props.token}
              cards={member.legacyCards}
              asOf={props.asOf}
              onChanged={() => setVersion((v) => v + 1)}
              setError={setError}
            />
            <MemberDocuments token={props.token} memberId={props.memberId} events={events} setError={setError} />
          </div>
          <div>
            <MemberTimeline events={events} asOf={props.asOf} />
          </div>
        </div>
      </section>
    </>
  );
}
