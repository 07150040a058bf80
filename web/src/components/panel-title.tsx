import { useFocusOnChange } from '../ui.js';

/** A panel's heading, focused when the panel opens (screen readers announce it), and its intro. */
export function PanelTitle(props: { focusKey: string; title: string; intro: string }) {
  const heading = useFocusOnChange<HTMLHeadingElement>(props.focusKey);
  return (
    <>
      <h1 tabIndex={-1} ref={heading}>
        {props.title}
      </h1>
      <p>{props.intro}</p>
    </>
  );
}
