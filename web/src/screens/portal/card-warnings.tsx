import type { PortalSession } from '../../answers.js';
import { dateText, t } from '../../i18n.js';
import { M } from './messages.js';

/** What the member should know about their card: expiry, grace period, registration. */
export function CardWarnings({ session }: { session: PortalSession }) {
  const c = session.card;
  const items: Array<{ tone: 'warn' | 'bad' | 'info'; text: string }> = [];
  if (c.certificateState === 'expiring_soon')
    items.push({ tone: 'warn', text: t(M.certExpiringSoon, { date: dateText(c.certificateExpiresOn) }) });
  if (c.certificateState === 'grace')
    items.push({ tone: 'bad', text: t(M.certGrace, { date: dateText(c.certificateExpiresOn) }) });
  if (c.state === 'expiring_soon')
    items.push({ tone: 'warn', text: t(M.cardExpiringSoon, { date: dateText(c.expiresOn) }) });
  if (c.state === 'grace') items.push({ tone: 'bad', text: t(M.cardGrace, { date: dateText(c.expiresOn) }) });
  if (c.registration !== 'active') items.push({ tone: 'info', text: t(M.notRegistered) });
  if (items.length === 0) return null;
  return (
    <section class="stack" aria-label={t(M.warnings)}>
      {items.map((item) => (
        <p key={item.text} class={`alert ${item.tone}`}>
          {item.text}
        </p>
      ))}
    </section>
  );
}
