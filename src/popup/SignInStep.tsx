import { useEffect, useId, useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { AccountSummary } from '../shared/messages';
import type { RealmInfo } from '../shared/zulip/api-client';
import { signIn, signInLock, type FlowDeps } from './add-account';
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
  const [lockedUntil, setLockedUntil] = useState<number | null>(null);
  const busyRef = useRef(false);
  const lockedRef = useRef(false);
  const usernameRef = useRef<HTMLInputElement>(null);
  const passwordRef = useRef<HTMLInputElement>(null);
  const usernameId = useId();
  const passwordId = useId();
  const errorId = useId();

  useLayoutEffect(() => (focusPassword ? passwordRef : usernameRef).current?.focus(), []);

  // A form shown again (a reopened popup, a restored draft) learns of a rate limit from the background.
  useEffect(() => {
    void signInLock(realm, deps).then((lock) => {
      if (lock === null || lock.retryAt <= Date.now()) return;
      setError({ message: lock.message, field: null });
      lockedRef.current = true;
      setLockedUntil(lock.retryAt);
    });
  }, []);

  // The server refuses every attempt until retryAt anyway; a disabled button says so honestly.
  useEffect(() => {
    if (lockedUntil === null) return;
    lockedRef.current = true;
    const timer = setTimeout(
      () => {
        lockedRef.current = false;
        setLockedUntil(null);
      },
      Math.max(0, lockedUntil - Date.now()),
    );
    return () => clearTimeout(timer);
  }, [lockedUntil]);

  const submit = (event: Event) => {
    event.preventDefault();
    if (busyRef.current || lockedRef.current) return;
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
      setError(outcome);
      if (outcome.retryAt !== undefined && outcome.retryAt > Date.now()) {
        lockedRef.current = true;
        setLockedUntil(outcome.retryAt);
      }
      (outcome.field === 'username' ? usernameRef : passwordRef).current?.focus();
    });
  };

  const usernameIsEmail = realm.usernameIsEmail;
  const describedBy = (field: 'username' | 'password') =>
    error && (error.field === field || error.field === null) ? errorId : undefined;
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
        aria-invalid={error?.missing === true && error.field === 'username'}
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
        aria-invalid={error?.missing === true && error.field === 'password'}
        aria-describedby={describedBy('password')}
        onInput={(event) => setPassword(event.currentTarget.value)}
      />
      {error && (
        <p id={errorId} class="error" role="alert">
          {error.message}
        </p>
      )}
      <div class="actions">
        <button type="submit" class="primary" disabled={busy || lockedUntil !== null} aria-busy={busy}>
          {busy ? t('popup_logging_in') : t('popup_log_in')}
        </button>
        <button type="button" disabled={busy} onClick={onBack}>
          {t('popup_back')}
        </button>
      </div>
    </form>
  );
}
