import type { ComponentChildren, ComponentType } from 'preact';
import type { Role } from '../answers.js';
import { type Msg, t } from '../i18n.js';
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
  text: { title: Msg; intro: Msg };
  children: (staff: StaffSession) => ComponentChildren;
}) {
  const { kind, text } = props;
  return (
    <TokenGate screen={kind} roles={props.roles} title={t(text.title)} kind={kind} intro={t(text.intro)}>
      {(session, logout) => props.children({ session, logout })}
    </TokenGate>
  );
}

/** The component of a staff screen whose body needs nothing but the session. */
export function staffScreen(
  kind: 'reception' | 'employer',
  roles: Role[],
  text: { title: Msg; intro: Msg },
  Body: ComponentType<StaffSession>,
) {
  return () => (
    <StaffScreen kind={kind} roles={roles} text={text}>
      {(staff) => <Body {...staff} />}
    </StaffScreen>
  );
}
