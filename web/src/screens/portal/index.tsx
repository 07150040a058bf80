import { useState } from 'preact/hooks';
import type { PortalSession } from '../../answers.js';
import { t } from '../../i18n.js';
import { Shell } from '../../ui.js';
import { Home } from './home.js';
import { Login } from './login.js';
import { M } from './messages.js';
import { forgetSession, type StoredSession, storedSession, storeSession } from './portal-session.js';

/** The member portal: log in with the My Number card, then see and use one's eligibility. */
export function PortalScreen() {
  const [session, setSession] = useState<StoredSession | null>(storedSession);
  const [notice, setNotice] = useState<string | null>(null);
  const logout = (message: string | null = null) => {
    forgetSession();
    setSession(null);
    setNotice(message);
  };
  const login = (answer: PortalSession) => {
    const s = storeSession(answer);
    setNotice(null);
    setSession(s);
  };
  return (
    <Shell title={t(M.title)} kind="portal" onLogout={session ? () => logout() : undefined}>
      {session ? (
        <Home session={session} onExpired={() => logout(t(M.expired))} />
      ) : (
        <Login onLogin={login} notice={notice} />
      )}
    </Shell>
  );
}
