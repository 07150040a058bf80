import type { TimelineEvent } from '../../answers.js';
import { dateText, fieldText, hubStatusText, t } from '../../i18n.js';
import {
  certificateReasonText,
  channelText,
  collectionReasonText,
  noticeReasonText,
  notificationKindText,
  outcomeText,
} from '../../labels.js';
import { M } from './messages.js';

/** Every fact of a member in words, newest first; facts recorded after the chosen day are dimmed. */
export function MemberTimeline(props: { events: TimelineEvent[]; asOf: string }) {
  const ordered = [...props.events].reverse();
  return (
    <>
      <h2>{t(M.timeline)}</h2>
      <ol class="timeline">
        {ordered.map((e, i) => {
          const future = e.recordedOn > props.asOf;
          return (
            <li key={`${e.kind}-${e.on}-${i}`} class={future ? 'future' : ''} data-kind={e.kind}>
              <span class="when">{dateText(e.on)}</span>
              {eventText(e)}
              <br />
              <span class="known">
                {t(M.recordedOn, { date: dateText(e.recordedOn) })}
                {future && ` · ${t(M.notKnownYet)}`}
              </span>
            </li>
          );
        })}
      </ol>
    </>
  );
}

function eventText(e: TimelineEvent): string {
  const d = e.detail;
  const s = (k: string) => (d[k] === null || d[k] === undefined ? '' : String(d[k]));
  switch (e.kind) {
    case 'acquired':
      return t(M.ev_acquired);
    case 'lost':
      return t(M.ev_lost);
    case 'notification':
      return t(M.ev_notification, { kind: notificationKindText(s('notification')), version: s('version') });
    case 'hub': {
      const fields = Array.isArray(d.mismatchFields) ? d.mismatchFields : [];
      return (
        t(M.ev_hub, { status: hubStatusText(s('hubStatus')) }) +
        (fields.length > 0 ? t(M.ev_hubFields, { fields: fields.map(fieldText).join('・') }) : '')
      );
    }
    case 'legacy_card':
      return t(M.ev_legacy_card);
    case 'card':
      return (
        t(M.ev_card, {
          kind: s('cardKind') === 'smartphone' ? t(M.smartphone) : t(M.card),
          date: dateText(s('expiresOn')),
        }) + (d.endedOn ? t(M.ev_cardEnded, { date: dateText(s('endedOn')) }) : '')
      );
    case 'card_registration':
      return s('registration') === 'cancelled'
        ? t(M.ev_card_cancel)
        : t(M.ev_card_registration, { channel: channelText(s('channel')) });
    case 'certificate':
      if (d.event === 'collected') return t(M.ev_certificate_collected, { reason: collectionReasonText(s('reason')) });
      if (d.event === 'reported_lost') return t(M.ev_certificate_lost);
      return (
        t(M.ev_certificate, { reason: certificateReasonText(s('reason')), date: dateText(s('validUntil')) }) +
        (Number(d.feeYen ?? 0) > 0 ? t(M.ev_certificateFee, { fee: s('feeYen') }) : '')
      );
    case 'notice':
      return t(M.ev_notice, { reason: noticeReasonText(s('reason')) });
    case 'verification':
      return t(M.ev_verification, {
        method: s('method') === 'card' ? t(M.byCard) : t(M.byNumber),
        outcome: outcomeText(s('outcome')),
      });
    default:
      return e.kind;
  }
}
