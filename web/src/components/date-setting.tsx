/** A labelled date input that falls back to a given day when cleared (the day a screen shows). */
export function DateSetting(props: {
  label: string;
  value: string;
  fallback: string;
  onChange: (day: string) => void;
  describedBy?: string;
}) {
  return (
    <label class="inline">
      {props.label}
      <input
        type="date"
        value={props.value}
        aria-describedby={props.describedBy}
        onInput={(e) => props.onChange((e.currentTarget as HTMLInputElement).value || props.fallback)}
      />
    </label>
  );
}
