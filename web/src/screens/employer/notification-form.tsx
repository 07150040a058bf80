import type { TargetedSubmitEvent } from 'preact';
import { useState } from 'preact/hooks';
import { normalizeDigitInput } from '../../../../src/domain/digits.js';
import type { NotificationResult } from '../../answers.js';
import { call } from '../../api.js';
import { fieldBinder } from '../../components/bind-field.js';
import { useSubmission } from '../../components/use-submission.js';
import { COMMON, t } from '../../i18n.js';
import { ErrorBox, Field, Select, type Session } from '../../ui.js';
import { M } from './messages.js';
import { myNumberFeedback } from './my-number-feedback.js';
import type { NotificationKind } from './notification-kind.js';
import { EMPTY_FIELDS, type NotificationFields, notificationRequest } from './notification-request.js';
import { Submitted } from './submitted.js';

/** One notification typed by hand: the fields follow the kind chosen. */
export function NotificationForm({ session }: { session: Session }) {
  const [kind, setKind] = useState<NotificationKind>('acquisition');
  const [f, setF] = useState<NotificationFields>({ ...EMPTY_FIELDS });
  const [certificateRequested, setCertificateRequested] = useState(false);
  const { busy, error, setError, result, setResult, run } = useSubmission<{
    kind: NotificationKind;
    result: NotificationResult;
    certificateRequested: boolean;
  }>();
  const set = (key: keyof NotificationFields) => (value: string) => setF((o) => ({ ...o, [key]: value }));
  const bind = fieldBinder(f, set);
  const symbol = session.who.employerSymbol ?? '';
  const person = kind === 'acquisition' || kind === 'dependent_add';
  const myNumber = myNumberFeedback(f.myNumber);

  const submit = async (e: TargetedSubmitEvent<HTMLFormElement>) => {
    e.preventDefault();
    await run(
      async () => {
        const office = { insurerNumber: session.who.insurerNumber, symbol };
        const requested = person && certificateRequested;
        const body = notificationRequest(kind, f, office, requested);
        const sent = await call('POST /api/v1/notifications', { token: session.token, body });
        return { kind, result: sent, certificateRequested: requested };
      },
      () => {
        setF({ ...EMPTY_FIELDS });
        setCertificateRequested(false);
      },
    );
  };

  return (
    <section class="card">
      <h1>{t(M.form)}</h1>
      <form class="form-grid" onSubmit={submit}>
        <div class="wide">
          <Select
            label={t(M.kind)}
            value={kind}
            onChange={(v) => {
              setKind(v as NotificationKind);
              setResult(null);
              setError(null);
            }}
            options={(['acquisition', 'dependent_add', 'loss', 'dependent_remove'] as const).map((k) => ({
              value: k,
              label: t(M[`kind_${k}`]),
            }))}
          />
        </div>
        <p class="wide hint">{t(M.office, { symbol })}</p>
        {kind === 'acquisition' && <Field label={t(M.numberOptional)} {...bind('number')} />}
        {kind !== 'acquisition' && (
          <Field
            label={kind === 'dependent_add' || kind === 'dependent_remove' ? t(M.insuredNumber) : t(COMMON.number)}
            {...bind('number')}
            required
          />
        )}
        {(kind === 'loss' || kind === 'dependent_remove') && (
          <Field
            label={kind === 'dependent_remove' ? t(M.dependentBranch) : t(COMMON.branch)}
            value={f.branch}
            onInput={(v) => set('branch')(normalizeDigitInput(v))}
            inputMode="numeric"
            maxLength={2}
            required={kind === 'dependent_remove'}
            name="branch"
          />
        )}
        {person && <Field label={t(M.acquiredOn)} {...bind('acquiredOn')} type="date" required />}
        {!person && <Field label={t(M.lostOn)} {...bind('lostOn')} type="date" required />}
        {kind === 'acquisition' && (
          <Field label={t(M.remuneration)} {...bind('remuneration')} inputMode="numeric" required />
        )}
        {person && (
          <>
            <Field label={t(COMMON.name)} {...bind('name')} required hint={t(M.nameHint)} />
            <Field label={t(COMMON.nameKana)} {...bind('nameKana')} required />
            <Field label={t(COMMON.birthDate)} {...bind('birthDate')} type="date" required />
            <Select
              label={t(COMMON.sex)}
              value={f.sex}
              onChange={set('sex')}
              options={[
                { value: 'male', label: t(COMMON.male) },
                { value: 'female', label: t(COMMON.female) },
              ]}
            />
            <Field label={t(COMMON.address)} {...bind('address')} required hint={t(M.addressHint)} class="wide" />
            <Field
              label={t(M.myNumberOptional)}
              {...bind('myNumber')}
              inputMode="numeric"
              hint={t(M.myNumberHint)}
              error={myNumber.error}
              ok={myNumber.ok}
            />
            <label class="radio wide">
              <input
                type="checkbox"
                name="certificateRequested"
                checked={certificateRequested}
                onChange={(e) => setCertificateRequested((e.currentTarget as HTMLInputElement).checked)}
              />
              {t(M.certificateRequested)}
            </label>
          </>
        )}
        <Field label={t(M.recordedOn)} {...bind('recordedOn')} type="date" />
        <div class="wide row">
          <button type="submit" class="primary" disabled={busy || myNumber.error !== null}>
            {t(M.submit)}
          </button>
        </div>
      </form>
      <ErrorBox error={error} />
      {result && (
        <Submitted kind={result.kind} result={result.result} certificateRequested={result.certificateRequested} />
      )}
    </section>
  );
}
