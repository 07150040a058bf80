import type { ComponentChildren } from 'preact';
import { Icon, type IconName } from '../../icons.js';
import type { HeadingRef } from './steps.js';

/** A step's coloured banner: an icon, the step's heading and a line under it. */
export function Banner(props: {
  tone: 'good' | 'bad' | 'warn';
  role: 'status' | 'alert';
  icon: IconName;
  iconSize: number;
  heading: HeadingRef;
  title: string;
  children: ComponentChildren;
  outcome?: string;
}) {
  return (
    <div class={`banner ${props.tone}`} role={props.role} data-outcome={props.outcome}>
      <span class="banner-icon" aria-hidden="true">
        <Icon name={props.icon} size={props.iconSize} />
      </span>
      <div>
        <h1 tabIndex={-1} ref={props.heading}>
          {props.title}
        </h1>
        <p>{props.children}</p>
      </div>
    </div>
  );
}
