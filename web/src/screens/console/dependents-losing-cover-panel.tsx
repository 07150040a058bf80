import { useEffect, useState } from 'preact/hooks';
import type { DependentCoverLoss, DependentsLosingCover } from '../../answers.js';
import { call } from '../../api.js';
import { DateSetting } from '../../components/date-setting.js';
import { MemberTable } from '../../components/member-table.js';
import { PanelTitle } from '../../components/panel-title.js';
import { symbolNumberText } from '../../components/symbol-number.js';
import { dateText, t } from '../../i18n.js';
import { ErrorBox } from '../../ui.js';
import { MemberWithNote } from './member-link.js';
import { M } from './messages.js';

const CAUSE = {
  insured_75: M.cause_insured_75,
  insured_death: M.cause_insured_death,
  insured_loss: M.cause_insured_loss,
} as const;

/**
 * The dependents whose cover ends with their insured's in a window (issue #16 point 2): each must be
 * told to join 国保 or another insurer. An empty end of the window is the server's (three months).
 */
export function DependentsLosingCoverPanel(props: { token: string; insurer: string; today: string }) {
  const [from, setFrom] = useState(props.today);
  const [until, setUntil] = useState('');
  const [answer, setAnswer] = useState<DependentsLosingCover | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    let current = true;
    call('GET /api/v1/insurers/{insurerNumber}/dependents-losing-cover', {
      token: props.token,
      params: { insurerNumber: props.insurer },
      query: { asOf: from, ...(until ? { until } : {}) },
    }).then(
      (a) => {
        if (!current) return;
        setAnswer(a);
        setError(null);
      },
      (e: unknown) => current && setError(e),
    );
    // A slower answer for an older window must not overwrite the newer one.
    return () => {
      current = false;
    };
  }, [from, until]);
  return (
    <section class="card">
      <PanelTitle focusKey="losing" title={t(M.losingTitle)} intro={t(M.losingIntro)} />
      <div class="row">
        <DateSetting label={t(M.losingFrom)} value={from} fallback={props.today} onChange={setFrom} />
        <DateSetting label={t(M.losingUntil)} value={until} fallback="" onChange={setUntil} />
      </div>
      <ErrorBox error={error} />
      {answer && (
        <>
          <p class="hint">{t(M.losingWindow, { from: dateText(answer.asOf), until: dateText(answer.until) })}</p>
          {answer.dependents.length === 0 ? <p>{t(M.losingNone)}</p> : <LosingTable rows={answer.dependents} />}
        </>
      )}
    </section>
  );
}

function LosingTable({ rows }: { rows: DependentCoverLoss[] }) {
  return (
    <MemberTable
      rows={rows}
      rowAttributes={(r) => ({ 'data-cause': r.cause })}
      columns={[
        {
          heading: t(M.dependent),
          cell: (r) => <MemberWithNote member={r} note={r.nameKana} />,
        },
        {
          heading: t(M.insured),
          cell: (r) => <MemberWithNote member={r.insured} note={symbolNumberText(r.insured)} mono />,
        },
        { heading: t(M.endsOn), cell: (r) => dateText(r.endsOn), class: 'nowrap' },
        { heading: t(M.cause), cell: (r) => t(CAUSE[r.cause]) },
        { heading: t(M.toCollect), cell: (r) => r.certificatesToCollect.length },
      ]}
    />
  );
}
