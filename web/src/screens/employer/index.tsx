import { useState } from 'preact/hooks';
import { type StaffSession, staffScreen } from '../../components/staff-screen.js';
import { CsvUpload } from '../../csv-upload.js';
import { t } from '../../i18n.js';
import { Shell, TabPanel, Tabs } from '../../ui.js';
import { M } from './messages.js';
import { NotificationForm } from './notification-form.js';
import { StatusList } from './status-list.js';

type Tab = 'form' | 'csv' | 'status';

/** The employer desk (employer token): notify by form or CSV, and follow the registrations. */
export const EmployerScreen = staffScreen('employer', ['employer'], M, Desk);

function Desk({ session, logout }: StaffSession) {
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
