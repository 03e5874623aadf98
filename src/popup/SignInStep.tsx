import { useEffect, useId, useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { AccountSummary, SsoFlowSummary } from '../shared/reply-values';
import type { RealmInfo } from '../shared/zulip/realm-info';
import type { FlowDeps } from './add-account';
import { realmHostAsksFor, signIn, signInLock, usernameAsSent } from './sign-in';
import type { HostPermissions } from './host-permission';
import { t } from './i18n';
import { RealmIcon } from './RealmIcon';
import { SsoButtons } from './SsoButtons';
import { ApiKeyForm } from './ApiKeyForm';
import { DevSignIn } from './DevSignIn';
import { FormAlert } from './FormAlert';
import { PermissionNote } from './PermissionNote';
import { UsernameField } from './UsernameField';
import './forms.css';
import './sign-in.css';

interface Props {
  deps: FlowDeps & { hostPermissions: Pick<HostPermissions, 'isGranted' | 'promptClosesPopup'> };
  realm: RealmInfo;
  /** The origin typed in the first step. */
  origin: string;
  initialUsername: string;
  initialError: string | null;
  /** How the last single sign-on for this organization failed, shown by its buttons. */
  ssoError: string | null;
  /** The username is known (signing in again): the password is what is left to type. */
  focusPassword: boolean;
  onUsernameChange(username: string): void;
  onBeforePrompt(origin: string): void;
  /** A sign-in is under way: the draft must say so, in case the popup closes before it ends. */
  onSending(): void;
  /** It ended without an account, and its form shows why: the draft's mark goes. */
  onSettled(): void;
  onSignedIn(account: AccountSummary, replaced: AccountSummary | null): void;
  onSsoStarted(flow: SsoFlowSummary): void;
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
  const sso = realm.externalMethods.length > 0;
  const [withKey, setWithKey] = useState(false);
  // Shared by the password form and the API key form, so that switching keeps what was typed.
  const [username, setUsername] = useState(props.initialUsername);
  const keyButtonRef = useRef<HTMLButtonElement>(null);
  const focusKeyButton = useRef(false);
  useLayoutEffect(() => {
    if (!withKey && focusKeyButton.current) keyButtonRef.current?.focus();
    focusKeyButton.current = false;
  }, [withKey]);
  const onUsernameChange = (typed: string) => {
    setUsername(typed);
    props.onUsernameChange(typed);
  };
  // A realm that names another host than the one typed as its own: the person is told before the click, as at Continue.
  const askingRealmHost = realmHostAsksFor(realm, props.origin, props.deps.hostPermissions);
  const noteId = useId();
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
      {askingRealmHost !== null && (
        <PermissionNote id={noteId} asking={t('popup_permission_note', askingRealmHost)} promptClosesPopup={props.deps.hostPermissions.promptClosesPopup} />
      )}
      {withKey ? (
        <ApiKeyForm
          deps={props.deps}
          realm={realm}
          origin={props.origin}
          initialEmail={username}
          onEmailChange={onUsernameChange}
          onBeforePrompt={props.onBeforePrompt}
          onSending={props.onSending}
          onSignedIn={props.onSignedIn}
          onOtherWays={() => {
            focusKeyButton.current = true;
            setWithKey(false);
          }}
          onBack={props.onBack}
        />
      ) : (
        <>
          {realm.devAuth && (
            <DevSignIn
              deps={props.deps}
              realm={realm}
              origin={props.origin}
              onBeforePrompt={props.onBeforePrompt}
              onSending={props.onSending}
              onSettled={props.onSettled}
              onSignedIn={props.onSignedIn}
            />
          )}
          {sso && (
            <SsoButtons
              deps={props.deps}
              realm={realm}
              focusFirst={!realm.passwordAuth && !props.focusPassword}
              initialError={props.ssoError}
              onBeforePrompt={props.onBeforePrompt}
              onStarted={props.onSsoStarted}
            />
          )}
          {realm.passwordAuth && (sso || realm.devAuth) && <h2 class="divider">{t('popup_sso_or_password')}</h2>}
          {realm.passwordAuth ? (
            <PasswordForm {...props} initialUsername={username} onUsernameChange={onUsernameChange} />
          ) : (
            <OnlyBack realm={realm} sso={sso} onBack={props.onBack} />
          )}
          <p class="other-way">
            <button type="button" class="link" ref={keyButtonRef} onClick={() => setWithKey(true)}>
              {t('popup_use_api_key')}
            </button>
          </p>
        </>
      )}
    </section>
  );
}

/** No password form: the Back button, and when there is no way in at all, why. */
function OnlyBack({ realm, sso, onBack }: { realm: RealmInfo; sso: boolean; onBack(): void }) {
  const backRef = useRef<HTMLButtonElement>(null);
  useLayoutEffect(() => {
    if (!sso) backRef.current?.focus();
  }, []);
  return (
    <>
      {!sso && <p class="notice">{t('popup_no_password_auth', realm.name)}</p>}
      <div class="actions">
        <button type="button" ref={backRef} onClick={onBack}>
          {t('popup_back')}
        </button>
      </div>
    </>
  );
}

function PasswordForm({ deps, realm, origin, initialUsername, initialError, focusPassword, onUsernameChange, onBeforePrompt, onSending, onSignedIn, onBack }: Props) {
  const [username, setUsername] = useState(initialUsername);
  // What the field holds now, for the answer that arrives after the person typed on.
  const typedUsername = useRef(initialUsername);
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
    void signIn({ realm, origin, username, password }, deps, onBeforePrompt, onSending).then((outcome) => {
      busyRef.current = false;
      // The password lives no longer than the one request that needs it; one typed since is kept.
      if (passwordRef.current?.value === password) {
        setPassword('');
        passwordRef.current.value = '';
      }
      setBusy(false);
      if (outcome.ok) {
        onSignedIn(outcome.account, outcome.replaced);
        return;
      }
      // Re-saving drops the draft's marks: the prompt, if any, has been answered, and the sign-in has ended.
      onUsernameChange(typedUsername.current);
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
      <UsernameField
        id={usernameId}
        inputRef={usernameRef}
        isEmail={usernameIsEmail}
        value={username}
        invalid={alert?.missing === true && alert.field === 'username'}
        describedBy={describedBy('username')}
        onChange={(value) => {
          typedUsername.current = value;
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
      <FormAlert id={errorId} error={alert?.message} />
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
