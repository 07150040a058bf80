import type { Dashboard } from '../../answers.js';
import { dateText, t } from '../../i18n.js';
import { navigate } from '../../router.js';
import { useFocusOnChange } from '../../ui.js';
import { MemberRefTable } from './member-ref-table.js';
import { M } from './messages.js';
import { WithoutMyNumber } from './without-my-number.js';

function Stat(props: { label: string; value: number; tone?: 'warn' | 'bad' }) {
  return (
    <div class={`stat ${props.value > 0 && props.tone ? props.tone : ''}`}>
      <span class="stat-value">{props.value.toLocaleString()}</span>
      <span class="stat-label">{props.label}</span>
    </div>
  );
}

/** The overview: counts on the day, and the members who need attention. */
export function DashboardPanel({ d }: { d: Dashboard }) {
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
            <MemberRefTable
              rows={d.certificatesExpiring}
              extra={{ label: t(M.validUntil), value: (r) => dateText(r.validUntil) }}
            />
          </>
        )}
        {d.withoutMyNumber.length > 0 && <WithoutMyNumber rows={d.withoutMyNumber} Heading="h3" />}
      </section>
    </>
  );
}
