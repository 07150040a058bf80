import { useEffect, useState } from 'preact/hooks';
import type { Dashboard } from '../../answers.js';
import { call } from '../../api.js';
import { DateSetting } from '../../components/date-setting.js';
import { StaffScreen, type StaffSession } from '../../components/staff-screen.js';
import { CsvUpload } from '../../csv-upload.js';
import { COMMON, t } from '../../i18n.js';
import { navigate } from '../../router.js';
import { ErrorBox, Shell, TabPanel, Tabs } from '../../ui.js';
import { ApplicationsPanel } from './applications-panel.js';
import { DashboardPanel } from './dashboard-panel.js';
import { DependentsLosingCoverPanel } from './dependents-losing-cover-panel.js';
import { ExOfficioPanel } from './ex-officio-panel.js';
import { MemberDetailPanel } from './member-detail-panel.js';
import { MemberSearchPanel } from './member-search-panel.js';
import { M } from './messages.js';
import { RegistrationErrorsPanel } from './registration-errors-panel.js';

type Tab = 'dashboard' | 'members' | 'upload' | 'errors' | 'losing' | 'exofficio' | 'applications';
const TABS: Tab[] = ['dashboard', 'members', 'upload', 'errors', 'losing', 'exofficio', 'applications'];

/** The association console (admin token): one tab per panel, the member pages under Members. */
export function ConsoleScreen({ path }: { path: string }) {
  return (
    <StaffScreen kind="console" roles={['admin']} text={M}>
      {(staff) => <Console {...staff} path={path} />}
    </StaffScreen>
  );
}

function Console({ session, logout, path }: StaffSession & { path: string }) {
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
        await call('GET /api/v1/insurers/{insurerNumber}/dashboard', {
          token: session.token,
          params: { insurerNumber: insurer },
          query: { asOf },
        }),
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
    { key: 'losing' as const, label: t(M.losingCover) },
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
        <DateSetting label={t(COMMON.asOf)} value={asOf} fallback={session.who.today} onChange={setAsOf} />
      </div>
      <Tabs
        label={t(M.tabs)}
        tabs={tabs}
        current={tab}
        onSelect={(k) => navigate(k === 'dashboard' ? '/console' : `/console/${k}`)}
      />
      <TabPanel tab={tab}>
        <ErrorBox error={error} />
        {tab === 'dashboard' && dashboard && <DashboardPanel d={dashboard} />}
        {tab === 'members' && !memberId && <MemberSearchPanel token={session.token} />}
        {tab === 'members' && memberId && (
          <MemberDetailPanel
            token={session.token}
            memberId={memberId}
            asOf={asOf}
            setAsOf={setAsOf}
            today={session.who.today}
          />
        )}
        {tab === 'upload' && <CsvUpload token={session.token} onDone={() => void load()} />}
        {tab === 'errors' && dashboard && <RegistrationErrorsPanel d={dashboard} />}
        {tab === 'losing' && (
          <DependentsLosingCoverPanel token={session.token} insurer={insurer} today={session.who.today} />
        )}
        {tab === 'exofficio' && (
          <ExOfficioPanel
            token={session.token}
            insurer={insurer}
            today={session.who.today}
            onDone={() => void load()}
          />
        )}
        {tab === 'applications' && <ApplicationsPanel token={session.token} onDone={() => void load()} />}
      </TabPanel>
    </Shell>
  );
}
