import { DateSetting } from '../../components/date-setting.js';
import { type StaffSession, staffScreen } from '../../components/staff-screen.js';
import { COMMON, t } from '../../i18n.js';
import { Shell } from '../../ui.js';
import { M } from './messages.js';
import { QueuePanel } from './queue-panel.js';
import { ReaderSelect } from './reader-select.js';
import { StepView } from './step-view.js';
import { useTerminal } from './use-terminal.js';

/** The reception terminal of a clinic or pharmacy (provider token). */
export const ReceptionScreen = staffScreen('reception', ['provider'], M, Terminal);

function Terminal({ session, logout }: StaffSession) {
  const { step, notice, actions, offline, asOf, setAsOf, reader, setReader } = useTerminal(
    session.token,
    session.who.today,
  );
  const { online, queue } = offline;
  const pending = queue.filter((e) => e.status === 'pending').length;
  const status = (
    <span class={online ? 'pill good' : 'pill bad'} role="status">
      <span aria-hidden="true">{online ? '●' : '▲'}</span> {online ? t(M.online) : t(M.offlineStatus)}
      {pending > 0 && <> · {t(M.queued, { n: pending })}</>}
    </span>
  );

  return (
    <Shell title={t(M.title)} kind="reception" onLogout={logout} status={status}>
      <div class="toolbar">
        <DateSetting
          label={t(COMMON.asOf)}
          value={asOf}
          fallback={session.who.today}
          onChange={setAsOf}
          describedBy="asof-hint"
        />
        <span id="asof-hint" class="hint">
          {t(M.asOfHint)}
        </span>
        <ReaderSelect value={reader} onChange={setReader} />
      </div>
      {notice && step.kind === 'choose' && (
        <p class="alert good" role="status">
          {notice}
        </p>
      )}
      <div class="terminal">
        <StepView step={step} asOf={asOf} reader={reader} actions={actions} />
      </div>
      <QueuePanel queue={queue} onRecheck={() => void offline.recheck()} onClear={offline.clearConfirmed} />
    </Shell>
  );
}
