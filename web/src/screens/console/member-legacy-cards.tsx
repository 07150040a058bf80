import { useState } from 'preact/hooks';
import { LEGACY_CARD_LAST_USE_DATE } from '../../../../src/domain/proofs.js';
import type { LegacyCardLife } from '../../answers.js';
import { call } from '../../api.js';
import { dateText, t } from '../../i18n.js';
import { M } from './messages.js';

type Action = 'return' | 'dispose' | 'report-lost';

const BODY: Record<
  Action,
  (on: string) => { returnedOn: string } | { disposedOn: string } | { reportedLostOn: string }
> = {
  return: (on) => ({ returnedOn: on }),
  dispose: (on) => ({ disposedOn: on }),
  'report-lost': (on) => ({ reportedLostOn: on }),
};
const LABEL = { return: M.legacyReturn, dispose: M.legacyDispose, 'report-lost': M.legacyReportLost } as const;

/**
 * The member's legacy 健康保険証, each with its state and dates on the chosen day, and buttons to record
 * its return (up to 2025-12-01, or later while it is still to be handed back), self-disposal (from
 * 2025-12-02) or loss, dated the chosen day. The API checks the rule again.
 */
export function MemberLegacyCards(props: {
  token: string;
  cards: LegacyCardLife[];
  asOf: string;
  onChanged: () => void;
  setError: (e: unknown) => void;
}) {
  const [message, setMessage] = useState<string | null>(null);
  if (props.cards.length === 0) return null;
  const record = async (card: LegacyCardLife, action: Action) => {
    try {
      await call('POST /api/v1/legacy-cards/{legacyCardId}:{action}', {
        token: props.token,
        params: { legacyCardId: card.legacyCardId, action },
        body: BODY[action](props.asOf),
      });
      setMessage(t(M.legacyRecorded, { date: dateText(props.asOf) }));
      props.onChanged();
    } catch (e) {
      props.setError(e);
    }
  };
  return (
    <>
      <h2>{t(M.legacyCards)}</h2>
      {message && (
        <p role="status" class="hint">
          {message}
        </p>
      )}
      <ul class="plain stack">
        {props.cards.map((card) => {
          const open = card.reportedLostOn === null && card.returnedOn === null && card.disposedOn === null;
          const actions: Action[] = !open
            ? []
            : [
                ...(props.asOf <= LEGACY_CARD_LAST_USE_DATE || card.pending === 'return' ? (['return'] as const) : []),
                ...(props.asOf > LEGACY_CARD_LAST_USE_DATE ? (['dispose'] as const) : []),
                'report-lost' as const,
              ];
          const recorded = card.reportedLostOn ?? card.returnedOn ?? card.disposedOn;
          return (
            <li key={card.legacyCardId} class="stack" data-legacy-state={card.state}>
              <span>
                {t(M.legacyIssued)} {dateText(card.issuedOn)}
                {card.expiresOn && ` · ${t(M.legacyExpires)} ${dateText(card.expiresOn)}`} ·{' '}
                <strong>{t(M[`legacy_${card.state}`])}</strong>
                {recorded && `（${dateText(recorded)}）`}
              </span>
              <span class="hint">
                {t(M.legacyLastUsable)} {dateText(card.lastUsableOn)}
                {card.pending !== 'none' && ` · ${t(M[`legacyPending_${card.pending}`])}`}
              </span>
              {actions.length > 0 && (
                <span class="row">
                  {actions.map((action) => (
                    <button key={action} type="button" class="secondary" onClick={() => void record(card, action)}>
                      {t(LABEL[action])}
                    </button>
                  ))}
                </span>
              )}
            </li>
          );
        })}
      </ul>
    </>
  );
}
