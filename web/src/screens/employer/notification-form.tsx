import type { TargetedSubmitEvent } from 'preact';
import { useState } from 'preact/hooks';
import { normalizeDigitInput } from '../../../../src/domain/digits.js';
import type { NotificationResult } from '../../answers.js';
import { call } from '../../api.js';
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
  const { busy, error, setError, result, setResult, run } = useSubmission<{
    kind: NotificationKind;
    result: NotificationResult;
  }>();
  const set = (key: keyof NotificationFields) => (value: string) => setF((o) => ({ ...o, [key]: value }));
  const symbol = session.who.employerSymbol ?? '';
  const person = kind === 'acquisition' || kind === 'dependent_add';
  const myNumber = myNumberFeedback(f.myNumber);

  const submit = async (e: TargetedSubmitEvent<HTMLFormElement>) => {
    e.preventDefault();
    await run(
      async () => {
        const body = notificationRequest(kind, f, { insurerNumber: session.who.insurerNumber, symbol });
        return { kind, result: await call('POST /api/v1/notifications', { token: session.token, body }) };
      },
      () => setF({ ...EMPTY_FIELDS }),
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
        {kind === 'acquisition' && (
          <Field label={t(M.numberOptional)} value={f.number} onInput={set('number')} name="number" />
        )}
        {kind !== 'acquisition' && (
          <Field
            label={kind === 'dependent_add' || kind === 'dependent_remove' ? t(M.insuredNumber) : t(COMMON.number)}
            value={f.number}
            onInput={set('number')}
            required
            name="number"
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
        {person && (
          <Field
            label={t(M.acquiredOn)}
            value={f.acquiredOn}
            onInput={set('acquiredOn')}
            type="date"
            required
            name="acquiredOn"
          />
        )}
        {!person && (
          <Field label={t(M.lostOn)} value={f.lostOn} onInput={set('lostOn')} type="date" required name="lostOn" />
        )}
        {kind === 'acquisition' && (
          <Field
            label={t(M.remuneration)}
            value={f.remuneration}
            onInput={set('remuneration')}
            inputMode="numeric"
            required
            name="remuneration"
          />
        )}
        {person && (
          <>
            <Field
              label={t(COMMON.name)}
              value={f.name}
              onInput={set('name')}
              required
              name="name"
              hint={t(M.nameHint)}
            />
            <Field label={t(COMMON.nameKana)} value={f.nameKana} onInput={set('nameKana')} required name="nameKana" />
            <Field
              label={t(COMMON.birthDate)}
              value={f.birthDate}
              onInput={set('birthDate')}
              type="date"
              required
              name="birthDate"
            />
            <Select
              label={t(COMMON.sex)}
              value={f.sex}
              onChange={set('sex')}
              options={[
                { value: 'male', label: t(COMMON.male) },
                { value: 'female', label: t(COMMON.female) },
              ]}
            />
            <Field
              label={t(COMMON.address)}
              value={f.address}
              onInput={set('address')}
              required
              name="address"
              hint={t(M.addressHint)}
              class="wide"
            />
            <Field
              label={t(M.myNumberOptional)}
              value={f.myNumber}
              onInput={set('myNumber')}
              inputMode="numeric"
              name="myNumber"
              hint={t(M.myNumberHint)}
              error={myNumber.error}
              ok={myNumber.ok}
            />
          </>
        )}
        <Field label={t(M.recordedOn)} value={f.recordedOn} onInput={set('recordedOn')} type="date" name="recordedOn" />
        <div class="wide row">
          <button type="submit" class="primary" disabled={busy || myNumber.error !== null}>
            {t(M.submit)}
          </button>
        </div>
      </form>
      <ErrorBox error={error} />
      {result && <Submitted kind={result.kind} result={result.result} />}
    </section>
  );
}
