import { COMMON, t } from '../i18n.js';
import { Field } from '../ui.js';
import { fieldBinder } from './bind-field.js';

/** The numbers printed on a 資格確認書 or 健康保険証, as typed at the counter. */
export interface NumberForm {
  insurerNumber: string;
  symbol: string;
  number: string;
  branch: string;
  birthDate: string;
}

export const EMPTY_NUMBER_FORM: NumberForm = { insurerNumber: '', symbol: '', number: '', branch: '', birthDate: '' };

/** The 保険者番号, 記号・番号・枝番 and birth date fields of a proof, with the checks the caller makes. */
export function NumberFields(props: {
  form: NumberForm;
  set: (key: keyof NumberForm) => (value: string) => void;
  insurer: { error: string | null; ok: string | null; hint?: string; maxLength?: number };
  branch?: { hint: string; error: string | null };
}) {
  const bind = fieldBinder(props.form, props.set);
  return (
    <>
      <Field
        label={t(COMMON.insurerNumber)}
        {...bind('insurerNumber')}
        inputMode="numeric"
        maxLength={props.insurer.maxLength}
        required
        hint={props.insurer.hint}
        error={props.insurer.error}
        ok={props.insurer.ok}
        class="wide"
      />
      <Field label={t(COMMON.symbol)} {...bind('symbol')} required />
      <Field label={t(COMMON.number)} {...bind('number')} required />
      <Field
        label={t(COMMON.branch)}
        {...bind('branch')}
        inputMode="numeric"
        maxLength={2}
        hint={props.branch?.hint}
        error={props.branch?.error}
      />
      <Field label={t(COMMON.birthDate)} {...bind('birthDate')} type="date" required />
    </>
  );
}

/** Whether the fields a proof always carries are filled (the insurer number and branch are checked apart). */
export function numbersFilled(form: NumberForm): boolean {
  return Boolean(form.symbol.trim() && form.number.trim() && form.birthDate);
}
