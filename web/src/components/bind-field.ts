/**
 * The value, input handler and name a form field takes from its key: `<Field {...bind('symbol')} …/>`,
 * so the key is written once and the three cannot drift apart.
 */
export function fieldBinder<F extends { [K in keyof F]: string }>(
  form: F,
  set: (key: keyof F) => (value: string) => void,
) {
  return (key: keyof F & string): { value: string; onInput: (value: string) => void; name: string } => ({
    value: form[key],
    onInput: set(key),
    name: key,
  });
}
