import { useEffect, useId, useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { AccountSummary } from '../shared/messages';
import type { RealmInfo } from '../shared/zulip/api-client';
import { signIn, signInLock, usernameAsSent, type FlowDeps } from './add-account';
import { t } from './i18n';
import { RealmIcon } from './RealmIcon';

interface Props {
  deps: FlowDeps;
  realm: RealmInfo;
  /** The origin typed in the first step. */
  origin: string;
  initialUsername: string;
  initialError: string | null;
  /** The username is known (signing in again): the password is what is left to type. */
  focusPassword: boolean;
  onUsernameChange(username: string): void;
  onBeforePrompt(origin: string): void;
  onSignedIn(account: AccountSummary, replaced: AccountSummary | null): void;
  onBack(): void;
}

/** A rate limit the server set on one username, as the background or a 429 reported it. */
interface Lock {
  /** As sent to the server. */
  username: string;
  message: string;
  retryAt: number;
}

export function SignInStep(props: Props) {
  const { realm } = props;
  return (
    <section class="view" aria-labelledby="realm-heading">
      <div class="realm-card">
        <RealmIcon iconUrl={realm.iconUrl} realmUrl={realm.realmUrl} name={realm.name} />
        <div class="account-text">
          <h1 id="realm-heading" class="org">
            {realm.name}
          </h1>
          <span class="muted">{t('popup_zulip_version', realm.zulipVersion)}</span>
          <span class="muted url">{realm.realmUrl}</span>
        </div>
      </div>
      {realm.passwordAuth ? <PasswordForm {...props} /> : <NoPasswordAuth realm={realm} onBack={props.onBack} />}
    </section>
  );
}

function NoPasswordAuth({ realm, onBack }: { realm: RealmInfo; onBack(): void }) {
  const backRef = useRef<HTMLButtonElement>(null);
  useLayoutEffect(() => backRef.current?.focus(), []);
  const methods = realm.externalMethods.join(', ');
  return (
    <>
      <p class="notice">
        {methods ? t('popup_no_password_auth_methods', realm.name, methods) : t('popup_no_password_auth', realm.name)}
      </p>
      <div class="actions">
        <button type="button" ref={backRef} onClick={onBack}>
          {t('popup_back')}
        </button>
      </div>
    </>
  );
}

function PasswordForm({ deps, realm, origin, initialUsername, initialError, focusPassword, onUsernameChange, onBeforePrompt, onSignedIn, onBack }: Props) {
  const [username, setUsername] = useState(initialUsername);
  const [password, setPassword] = useState('');
  const [error, setError] = useState<{ message: string; field: 'username' | 'password' | null; missing?: true } | null>(
    initialError === null ? null : { message: initialError, field: null },
  );
  const [busy, setBusy] = useState(false);
  const [lock, setLock] = useState<Lock | null>(null);
  const busyRef = useRef(false);
  const lockRef = useRef<Lock | null>(null);
  const usernameRef = useRef<HTMLInputElement>(null);
  const passwordRef = useRef<HTMLInputElement>(null);
  const usernameId = useId();
  const passwordId = useId();
  const errorId = useId();

  useLayoutEffect(() => (focusPassword ? passwordRef : usernameRef).current?.focus(), []);

  const applyLock = (next: Lock | null) => {
    lockRef.current = next;
    setLock(next);
  };
  // Zulip limits each username on its own, so a lock holds only while its username is typed.
  const lockOn = (typed: string, current: Lock | null) => (current?.username === usernameAsSent(typed) ? current : null);
  const locked = lockOn(username, lock);

  // A form shown again (a reopened popup, a restored draft) or a username typed learns of a rate
  // limit from the background. An answer only ever adds a lock, never lifts one (the timer does):
  // a "none" asked for before a 429 came back must not undo it; an answer for a username no
  // longer typed is dropped.
  useEffect(() => {
    let current = true;
    void signInLock(realm, username, deps).then((found) => {
      if (current && found !== null && found.retryAt > Date.now()) applyLock({ username: usernameAsSent(username), ...found });
    });
    return () => {
      current = false;
    };
  }, [username]);

  // The server refuses every attempt until retryAt anyway; a disabled button says so honestly.
  useEffect(() => {
    if (lock === null) return;
    const timer = setTimeout(() => applyLock(null), Math.max(0, lock.retryAt - Date.now()));
    return () => clearTimeout(timer);
  }, [lock]);

  const submit = (event: Event) => {
    event.preventDefault();
    if (busyRef.current || lockOn(username, lockRef.current)) return;
    busyRef.current = true;
    setBusy(true);
    setError(null);
    // Synchronously inside the submit event: signIn asks for any permission before it awaits.
    void signIn({ realm, origin, username, password }, deps, onBeforePrompt).then((outcome) => {
      busyRef.current = false;
      // The password lives no longer than the one request that needs it.
      setPassword('');
      if (passwordRef.current) passwordRef.current.value = '';
      setBusy(false);
      if (outcome.ok) {
        onSignedIn(outcome.account, outcome.replaced);
        return;
      }
      // Re-saving drops the draft's awaitingPermission mark: the prompt, if any, has been answered.
      onUsernameChange(username);
      // A lock's sentence is shown by the lock, so that it goes when another username is typed.
      if (outcome.retryAt !== undefined && outcome.retryAt > Date.now()) {
        applyLock({ username: usernameAsSent(username), message: outcome.message, retryAt: outcome.retryAt });
      } else {
        setError(outcome);
      }
      (outcome.field === 'username' ? usernameRef : passwordRef).current?.focus();
    });
  };

  const usernameIsEmail = realm.usernameIsEmail;
  const alert = locked ? { message: locked.message, field: null, missing: undefined } : error;
  const describedBy = (field: 'username' | 'password') =>
    alert && (alert.field === field || alert.field === null) ? errorId : undefined;
  return (
    <form onSubmit={submit} noValidate>
      <label for={usernameId}>{usernameIsEmail ? t('popup_email_label') : t('popup_username_label')}</label>
      <input
        id={usernameId}
        ref={usernameRef}
        {...(usernameIsEmail ? ({ type: 'email' } as const) : ({ type: 'text' } as const))}
        autocomplete="username"
        autocapitalize="off"
        spellcheck={false}
        value={username}
        aria-invalid={alert?.missing === true && alert.field === 'username'}
        aria-describedby={describedBy('username')}
        onInput={(event) => {
          const value = event.currentTarget.value;
          setUsername(value);
          onUsernameChange(value);
        }}
      />
      <label for={passwordId}>{t('popup_password_label')}</label>
      <input
        id={passwordId}
        ref={passwordRef}
        type="password"
        autocomplete="current-password"
        value={password}
        aria-invalid={alert?.missing === true && alert.field === 'password'}
        aria-describedby={describedBy('password')}
        onInput={(event) => setPassword(event.currentTarget.value)}
      />
      {alert && (
        <p id={errorId} class="error" role="alert">
          {alert.message}
        </p>
      )}
      <div class="actions">
        <button type="submit" class="primary" disabled={busy || locked !== null} aria-busy={busy}>
          {busy ? t('popup_logging_in') : t('popup_log_in')}
        </button>
        <button type="button" disabled={busy} onClick={onBack}>
          {t('popup_back')}
        </button>
      </div>
    </form>
  );
}
