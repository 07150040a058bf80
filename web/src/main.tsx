import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { lang, onLangChange } from './i18n.js';
import { usePath } from './router.js';
import { ConsoleScreen } from './screens/console/index.js';
import { EmployerScreen } from './screens/employer/index.js';
import { Landing } from './screens/landing.js';
import { PortalScreen } from './screens/portal/index.js';
import { ReceptionScreen } from './screens/reception/index.js';
import './styles.css';

function App() {
  const path = usePath();
  // The whole tree re-renders on a language switch, so `t` may read the current language directly.
  const [, setLangState] = useState(lang());
  useEffect(() => onLangChange(setLangState), []);
  useEffect(() => {
    document.documentElement.lang = lang();
  }, []);
  const section = path.split('/')[1] ?? '';
  switch (section) {
    case 'reception':
      return <ReceptionScreen />;
    case 'console':
      return <ConsoleScreen path={path} />;
    case 'portal':
      return <PortalScreen />;
    case 'employer':
      return <EmployerScreen />;
    default:
      return <Landing />;
  }
}

const root = document.getElementById('app');
if (root) render(<App />, root);
