import type { PortalSession } from '../../answers.js';

/** The portal session as this browser keeps it in sessionStorage, until it ends by this browser's clock. */
export type StoredSession = PortalSession & {
  /** When this browser's session ends, by its own clock (set on receipt: the server's may differ). */
  endsAt: number;
};

const SESSION_KEY = 'shikaku.portal.session';

export function storedSession(): StoredSession | null {
  try {
    const value = JSON.parse(sessionStorage.getItem(SESSION_KEY) ?? 'null') as StoredSession | null;
    return value?.endsAt && value.endsAt > Date.now() ? value : null;
  } catch {
    return null;
  }
}

/** Keeps a new session, marking when it ends by this browser's clock. */
export function storeSession(answer: PortalSession): StoredSession {
  const session = { ...answer, endsAt: Date.now() + answer.expiresIn * 1000 };
  sessionStorage.setItem(SESSION_KEY, JSON.stringify(session));
  return session;
}

export function forgetSession(): void {
  sessionStorage.removeItem(SESSION_KEY);
}
