import type { ComponentChildren } from 'preact';
import type { Role } from '../answers.js';
import { type Session, TokenGate } from '../ui.js';

/** What a staff screen's body is given once its token is checked. */
export interface StaffSession {
  session: Session;
  logout: () => void;
}

/** A staff screen behind its token gate: the token is kept under the screen's kind, the body shown once the role fits. */
export function StaffScreen(props: {
  kind: 'reception' | 'console' | 'employer';
  roles: Role[];
  title: string;
  intro: string;
  children: (staff: StaffSession) => ComponentChildren;
}) {
  return (
    <TokenGate screen={props.kind} roles={props.roles} title={props.title} kind={props.kind} intro={props.intro}>
      {(session, logout) => props.children({ session, logout })}
    </TokenGate>
  );
}
