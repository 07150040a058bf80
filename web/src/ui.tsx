import type { ComponentChildren, TargetedSubmitEvent } from 'preact';
import { useEffect, useId, useRef, useState } from 'preact/hooks';
import type { Role, WhoAmI } from './answers.js';
import { ApiError, call, OfflineError, storedToken, storeToken } from './api.js';
import { COMMON, lang, messages, pick, setLang, t } from './i18n.js';
import { linkClick } from './router.js';

export function Link(props: { href: string; class?: string; children: ComponentChildren; 'aria-current'?: 'page' }) {
  return (
    <a
      href={props.href}
      class={props.class}
      aria-current={props['aria-current']}
      onClick={(e) => linkClick(e, props.href)}
    >
      {props.children}
    </a>
  );
}

export function LangSwitch() {
  return (
    <button
      type="button"
      class="lang"
      lang={lang() === 'ja' ? 'en' : 'ja'}
      aria-label={t(COMMON.switchLangLabel)}
      onClick={() => setLang(lang() === 'ja' ? 'en' : 'ja')}
    >
      {t(COMMON.switchLang)}
    </button>
  );
}

/** The frame of every screen: a header with the screen's name, the language switch, and log out. */
export function Shell(props: {
  title: string;
  kind: 'reception' | 'console' | 'portal' | 'employer' | 'home';
  onLogout?: (() => void) | undefined;
  status?: ComponentChildren;
  children: ComponentChildren;
}) {
  return (
    <div class={`shell shell-${props.kind}`}>
      <header class="top">
        <Link href="/" class="brand">
          <span aria-hidden="true" class="logo">
            資
          </span>
          <span>{t(COMMON.appName)}</span>
        </Link>
        <span class="screen-name">{props.title}</span>
        <span class="top-status">{props.status}</span>
        <span class="top-actions">
          <LangSwitch />
          {props.onLogout && (
            <button type="button" class="ghost" onClick={props.onLogout}>
              {t(COMMON.logout)}
            </button>
          )}
        </span>
      </header>
      <main id="main">{props.children}</main>
    </div>
  );
}

/** A labelled input with its hint and error wired for screen readers. */
export function Field(props: {
  label: string;
  value: string;
  onInput: (value: string) => void;
  type?: 'text' | 'password' | 'date' | 'search' | 'email' | 'tel';
  hint?: string | undefined;
  error?: string | null | undefined;
  ok?: string | null | undefined;
  required?: boolean;
  inputMode?: 'numeric' | 'text' | 'tel';
  autoComplete?: string;
  maxLength?: number;
  pattern?: string;
  name?: string;
  placeholder?: string;
  class?: string;
}) {
  const id = useId();
  const hintId = `${id}-hint`;
  const msgId = `${id}-msg`;
  const described = [props.hint ? hintId : '', props.error || props.ok ? msgId : ''].filter(Boolean).join(' ');
  return (
    <div class={`field ${props.class ?? ''}`}>
      <label for={id}>
        {props.label}
        {props.required && (
          <span class="req" aria-hidden="true">
            {' '}
            *
          </span>
        )}
      </label>
      <input
        id={id}
        name={props.name}
        // One input for several types: preact's per-type attribute union needs a single literal here.
        type={(props.type ?? 'text') as 'text'}
        value={props.value}
        required={props.required}
        inputMode={props.inputMode}
        autoComplete={props.autoComplete ?? 'off'}
        maxLength={props.maxLength}
        placeholder={props.placeholder}
        aria-invalid={props.error ? 'true' : undefined}
        aria-describedby={described || undefined}
        onInput={(e) => props.onInput((e.currentTarget as HTMLInputElement).value)}
      />
      {props.hint && (
        <p class="hint" id={hintId}>
          {props.hint}
        </p>
      )}
      <p class={props.error ? 'msg bad' : props.ok ? 'msg good' : 'msg'} id={msgId} aria-live="polite">
        {props.error ?? props.ok ?? ''}
      </p>
    </div>
  );
}

export function Select(props: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  options: Array<{ value: string; label: string }>;
  required?: boolean;
  /** The text of an empty first option, for a choice nobody should be made to take by default. */
  placeholder?: string;
  error?: string | null | undefined;
  name?: string;
}) {
  const id = useId();
  const msgId = `${id}-msg`;
  return (
    <div class="field">
      <label for={id}>{props.label}</label>
      <select
        id={id}
        name={props.name}
        value={props.value}
        required={props.required}
        aria-invalid={props.error ? 'true' : undefined}
        aria-describedby={props.error ? msgId : undefined}
        onChange={(e) => props.onChange((e.currentTarget as HTMLSelectElement).value)}
      >
        {props.placeholder !== undefined && <option value="">{props.placeholder}</option>}
        {props.options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      {props.error !== undefined && (
        <p class={props.error ? 'msg bad' : 'msg'} id={msgId} aria-live="polite">
          {props.error ?? ''}
        </p>
      )}
    </div>
  );
}

const ERR = messages({
  fieldErrors: ['項目ごとの誤り', 'Field errors'],
});

/** An error from the API (or the network) in plain words, both languages through `pick`. */
export function ErrorBox(props: { error: unknown }) {
  const e = props.error;
  if (!e) return null;
  let title = t(COMMON.error);
  let body: ComponentChildren = null;
  if (e instanceof OfflineError) {
    title = t(COMMON.offline);
  } else if (e instanceof ApiError) {
    title = pick(e.problem);
    const fieldErrors = e.problem.errors ?? [];
    if (fieldErrors.length > 0) {
      body = (
        <details>
          <summary>{t(ERR.fieldErrors)}</summary>
          <ul>
            {fieldErrors.map((f) => (
              <li key={f.path}>
                <code>{f.path}</code> {f.message}
              </li>
            ))}
          </ul>
        </details>
      );
    }
  } else if (e instanceof Error) {
    title = e.message;
  }
  return (
    <div class="alert bad" role="alert">
      <strong>{title}</strong>
      {body}
    </div>
  );
}

/** A tab strip whose panels the caller renders; arrow keys move between tabs. */
export function Tabs<K extends string>(props: {
  label: string;
  tabs: Array<{ key: K; label: string; badge?: number | undefined }>;
  current: K;
  onSelect: (key: K) => void;
}) {
  const refs = useRef<Array<HTMLButtonElement | null>>([]);
  const index = props.tabs.findIndex((tab) => tab.key === props.current);
  const onKey = (e: KeyboardEvent) => {
    const delta = e.key === 'ArrowRight' ? 1 : e.key === 'ArrowLeft' ? -1 : 0;
    if (!delta) return;
    const next = (index + delta + props.tabs.length) % props.tabs.length;
    const tab = props.tabs[next];
    if (tab) {
      props.onSelect(tab.key);
      refs.current[next]?.focus();
    }
  };
  return (
    <div class="tabs" role="tablist" aria-label={props.label} onKeyDown={onKey}>
      {props.tabs.map((tab, i) => (
        <button
          key={tab.key}
          ref={(el) => {
            refs.current[i] = el;
          }}
          type="button"
          role="tab"
          id={`tab-${tab.key}`}
          aria-selected={tab.key === props.current}
          aria-controls="tabpanel"
          tabIndex={tab.key === props.current ? 0 : -1}
          onClick={() => props.onSelect(tab.key)}
        >
          {tab.label}
          {tab.badge ? <span class="badge">{tab.badge}</span> : null}
        </button>
      ))}
    </div>
  );
}

export function TabPanel(props: { tab: string; children: ComponentChildren }) {
  return (
    <section role="tabpanel" id="tabpanel" aria-labelledby={`tab-${props.tab}`} class="tabpanel">
      {props.children}
    </section>
  );
}

/** Moves focus to a step's heading when the step changes (screen readers announce it). */
export function useFocusOnChange<T extends HTMLElement>(key: unknown) {
  const ref = useRef<T>(null);
  useEffect(() => {
    ref.current?.focus();
  }, [key]);
  return ref;
}

export interface Session {
  token: string;
  who: WhoAmI;
}

const GATE = messages({
  title: ['ログイン', 'Log in'],
});

/**
 * Asks for a bearer token (kept in sessionStorage for this screen), checks it with GET /api/v1/whoami,
 * and renders the screen once the role fits.
 */
export function TokenGate(props: {
  screen: string;
  roles: Role[];
  title: string;
  kind: 'reception' | 'console' | 'employer';
  intro: string;
  children: (session: Session, logout: () => void) => ComponentChildren;
}) {
  const [token, setToken] = useState<string | null>(() => storedToken(props.screen));
  const [who, setWho] = useState<WhoAmI | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [draft, setDraft] = useState('');
  const [busy, setBusy] = useState(false);

  const check = async (candidate: string) => {
    setBusy(true);
    setError(null);
    try {
      const answer = await call('GET /api/v1/whoami', { token: candidate });
      if (!props.roles.includes(answer.role)) {
        setError(
          new Error(
            t(COMMON.wrongRole, {
              role: t(COMMON[`role_${answer.role}`]),
              want: props.roles.map((r) => t(COMMON[`role_${r}`])).join(' / '),
            }),
          ),
        );
        storeToken(props.screen, null);
        setToken(null);
        return;
      }
      storeToken(props.screen, candidate);
      setToken(candidate);
      setWho(answer);
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) {
        storeToken(props.screen, null);
        setToken(null);
        setError(new Error(t(COMMON.badToken)));
      } else {
        setError(e);
      }
    } finally {
      setBusy(false);
    }
  };

  useEffect(() => {
    if (token && !who) void check(token);
  }, []);

  const logout = () => {
    storeToken(props.screen, null);
    setToken(null);
    setWho(null);
    setDraft('');
  };

  if (token && who) return <>{props.children({ token, who }, logout)}</>;
  const onSubmit = (e: TargetedSubmitEvent<HTMLFormElement>) => {
    e.preventDefault();
    const value = draft.trim();
    if (value) void check(value);
  };
  return (
    <Shell title={props.title} kind={props.kind}>
      <section class="card narrow">
        <h1>
          {props.title} — {t(GATE.title)}
        </h1>
        <p>{props.intro}</p>
        <form onSubmit={onSubmit} class="stack">
          <Field
            label={t(COMMON.token)}
            value={draft}
            onInput={setDraft}
            type="password"
            hint={t(COMMON.tokenHint)}
            required
            name="token"
            autoComplete="off"
          />
          <ErrorBox error={error} />
          <button type="submit" class="primary" disabled={busy}>
            {busy ? t(COMMON.loading) : t(COMMON.start)}
          </button>
        </form>
      </section>
    </Shell>
  );
}
