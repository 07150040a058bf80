import type { Dashboard } from '../../answers.js';
import { MemberTable } from '../../components/member-table.js';
import { PanelTitle } from '../../components/panel-title.js';
import { COMMON, fieldText, t } from '../../i18n.js';
import { mismatchFixText } from '../../labels.js';
import { MemberWithNote } from './member-link.js';
import { M } from './messages.js';
import { WithoutMyNumber } from './without-my-number.js';

/** The registrations the hub refused (住民票 mismatch), with what differs and what to do, and those without My Number. */
export function RegistrationErrorsPanel({ d }: { d: Dashboard }) {
  return (
    <>
      <section class="card">
        <PanelTitle focusKey="errors" title={t(M.mismatchTitle)} intro={t(M.mismatchIntro)} />
        {d.mismatches.length === 0 ? (
          <p>{t(M.noWarnings)}</p>
        ) : (
          <MemberTable
            rows={d.mismatches}
            rowAttributes={() => ({ class: 'row-bad' })}
            columns={[
              {
                heading: t(COMMON.name),
                cell: (m) => <MemberWithNote member={m} note={m.nameKana} />,
              },
              { heading: t(M.differs), cell: (m) => m.fields.map(fieldText).join('・') },
              {
                heading: t(M.hint),
                cell: (m) => (
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
                ),
              },
              {
                heading: t(M.whatToDo),
                cell: (m) => (
                  <ul class="plain small">
                    {m.fields.map((f) => (
                      <li key={f}>{mismatchFixText(f)}</li>
                    ))}
                  </ul>
                ),
              },
            ]}
          />
        )}
      </section>
      {d.withoutMyNumber.length > 0 && (
        <section class="card">
          <WithoutMyNumber rows={d.withoutMyNumber} Heading="h2" />
        </section>
      )}
    </>
  );
}
