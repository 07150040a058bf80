import type { NotificationResult } from '../../answers.js';
import { symbolNumberText } from '../../components/symbol-number.js';
import { HubResult } from '../../csv-upload.js';
import { dateText, t } from '../../i18n.js';
import { mismatchFixText, notificationKindText } from '../../labels.js';
import { M } from './messages.js';
import type { NotificationKind } from './notification-kind.js';

/**
 * What the association registered for a notification, whether a 資格確認書 was asked for, and what
 * to fix when the hub refused it.
 */
export function Submitted(props: {
  kind: NotificationKind;
  result: NotificationResult;
  certificateRequested: boolean;
}) {
  const { kind, result } = props;
  const needsFix = result.hubStatus !== 'registered';
  return (
    <div class={`alert ${needsFix ? 'warn' : 'good'}`} role="status">
      <strong>{t(M.submitted, { kind: notificationKindText(kind) })}</strong>
      <dl class="facts top-gap">
        <div>
          <dt>{t(M.assigned)}</dt>
          <dd class="mono big">{symbolNumberText(result)}</dd>
        </div>
        <div>
          <dt>{t(M.status)}</dt>
          <dd>
            <HubResult result={result} />
          </dd>
        </div>
        <div>
          <dt>{t(M.hubAvailable)}</dt>
          <dd>{dateText(result.hubAvailableOn)}</dd>
        </div>
        {props.certificateRequested && (
          <div>
            <dt>{t(M.certificate)}</dt>
            <dd>{t(M.certificateWillIssue)}</dd>
          </div>
        )}
      </dl>
      {needsFix && (
        <div class="top-gap">
          <strong>{t(M.fixTitle)}</strong>
          <ul>
            {result.hubStatus === 'no_my_number' && <li>{t(M.fixNoMyNumber)}</li>}
            {(result.mismatch?.fields ?? []).map((field) => (
              <li key={field}>{mismatchFixText(field)}</li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}
