/**
 * Line icons as inline SVG: the terminals in clinics often lack an emoji font (emoji rendered as tofu
 * in the first screenshots), and SVG scales with the text. Decorative: hidden from screen readers.
 */
import type { JSX } from 'preact';

export type IconName =
  | 'card'
  | 'phone'
  | 'document'
  | 'legacy'
  | 'face'
  | 'keypad'
  | 'eye'
  | 'lock'
  | 'check'
  | 'cross'
  | 'question'
  | 'bang'
  | 'plug'
  | 'clinic'
  | 'folder'
  | 'building';

const PATHS: Record<IconName, JSX.Element> = {
  card: (
    <>
      <rect x="2.5" y="5.5" width="19" height="13" rx="2" />
      <rect x="5" y="9" width="4" height="3.2" rx="0.6" />
      <path d="M12 10h6M12 13h4M5 15.5h13" />
    </>
  ),
  phone: (
    <>
      <rect x="6.5" y="2.5" width="11" height="19" rx="2" />
      <path d="M10.5 18.5h3" />
    </>
  ),
  document: (
    <>
      <path d="M6 2.5h8l4 4v15H6z" />
      <path d="M14 2.5v4h4M8.5 11h7M8.5 14h7M8.5 17h4" />
    </>
  ),
  legacy: (
    <>
      <rect x="2.5" y="5.5" width="19" height="13" rx="2" />
      <path d="M5 9h8M5 12h10M5 15h6" />
      <circle cx="17.5" cy="14" r="2" />
    </>
  ),
  face: (
    <>
      <circle cx="12" cy="12" r="9" />
      <path d="M8.5 14.5c1.8 2 5.2 2 7 0M9 9.5h.01M15 9.5h.01" />
    </>
  ),
  keypad: (
    <>
      <rect x="4.5" y="2.5" width="15" height="19" rx="2" />
      <path d="M8 7h.01M12 7h.01M16 7h.01M8 11h.01M12 11h.01M16 11h.01M8 15h.01M12 15h.01M16 15h.01M12 18.5h.01" />
    </>
  ),
  eye: (
    <>
      <path d="M2 12s3.6-6.5 10-6.5S22 12 22 12s-3.6 6.5-10 6.5S2 12 2 12z" />
      <circle cx="12" cy="12" r="3" />
    </>
  ),
  lock: (
    <>
      <rect x="5" y="10.5" width="14" height="10" rx="2" />
      <path d="M8 10.5V7.5a4 4 0 0 1 8 0v3" />
    </>
  ),
  check: <path d="M5 12.5l4.5 4.5L19 7.5" />,
  cross: <path d="M6.5 6.5l11 11M17.5 6.5l-11 11" />,
  question: (
    <>
      <path d="M9 9a3 3 0 1 1 4.2 2.8c-.8.4-1.2 1-1.2 1.9v.8" />
      <path d="M12 18h.01" />
    </>
  ),
  bang: <path d="M12 5v9M12 18.5h.01" />,
  plug: (
    <>
      <path d="M9 3v5M15 3v5M6.5 8h11v3a5.5 5.5 0 0 1-11 0z" />
      <path d="M12 16.5V21M4 4l16 16" />
    </>
  ),
  clinic: (
    <>
      <path d="M4 21V7l8-4 8 4v14z" />
      <path d="M12 9v6M9 12h6M9.5 21v-3h5v3" />
    </>
  ),
  folder: (
    <>
      <path d="M3 6.5a2 2 0 0 1 2-2h4l2 2.5h8a2 2 0 0 1 2 2V18a2 2 0 0 1-2 2H5a2 2 0 0 1-2-2z" />
      <path d="M7 12h10M7 15.5h6" />
    </>
  ),
  building: (
    <>
      <path d="M5 21V4h10v17M15 9h4v12M3 21h18" />
      <path d="M8 7.5h4M8 11h4M8 14.5h4" />
    </>
  ),
};

export function Icon(props: { name: IconName; size?: number; class?: string }) {
  const size = props.size ?? 24;
  return (
    <svg
      class={`icon ${props.class ?? ''}`}
      width={size}
      height={size}
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      stroke-width="1.8"
      stroke-linecap="round"
      stroke-linejoin="round"
      aria-hidden="true"
      focusable="false"
    >
      {PATHS[props.name]}
    </svg>
  );
}
