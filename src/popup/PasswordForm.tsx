// The sign-in step's username and password form, which holds back while the server's rate limit
// on the username typed lasts.
import { useEffect, useRef, useState } from 'preact/hooks';
import type { AccountSummary } from '../shared/reply-values';
import type { RealmInfo } from '../shared/zulip/realm-info';
import type { FlowDeps } from './add-account';
import { signIn, signInLock, usernameAsSent, type SignInOutcome } from './sign-in';
import { t } from '../shared/i18n';
import { FormAlert } from './FormAlert';
import { SideButton, SubmitRow } from './FormActions';
import { SecretField } from './SecretField';
import { UsernameField } from './UsernameField';
import { useSignInForm } from './use-sign-in-form';

interface Props {
  deps: FlowDeps;
  realm: RealmInfo;
  origin: string;
  initialUsername: string;
  initialError: string | null;
  focusPassword: boolean;
  onUsernameChange(username: string): void;
  onBeforePrompt(origin: string): void;
  onSending(): void;
  onSignedIn(account: AccountSummary, replaced: AccountSummary | null): void;
  onBack(): void;
}

type Failure = Extract<SignInOutcome, { ok: false }>;

/** A rate limit the server set on one username, as the background or a 429 reported it. */
interface Lock {
  /** As sent to the server. */
  username: string;
  message: string;
  retryAt: number;
}

export function PasswordForm({ deps, realm, origin, initialUsername, initialError, focusPassword, onUsernameChange, onBeforePrompt, onSending, onSignedIn, onBack }: Props) {
  const form = useSignInForm<'username' | 'password', Omit<Failure, 'ok'>>({
    initialUsername,
    initialError: initialError === null ? null : { message: initialError, field: null },
    focusSecret: focusPassword,
    usernameField: 'username',
    onUsernameChange,
    onSignedIn,
  });
  const { username, busy } = form;
  const [lock, setLock] = useState<Lock | null>(null);
  const lockRef = useRef<Lock | null>(null);

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
    if (lockOn(username, lockRef.current)) {
      event.preventDefault();
      return;
    }
    // Synchronously inside the submit event: signIn asks for any permission before it awaits.
    form.submit(
      event,
      (password) => signIn({ realm, origin, username, password }, deps, onBeforePrompt, onSending),
      (outcome) => {
        // A lock's sentence is shown by the lock, so that it goes when another username is typed.
        if (outcome.retryAt !== undefined && outcome.retryAt > Date.now()) {
          applyLock({ username: usernameAsSent(username), message: outcome.message, retryAt: outcome.retryAt });
        } else {
          form.setError(outcome);
        }
      },
    );
  };

  const alert = locked ? { message: locked.message, field: null, missing: undefined } : form.error;
  return (
    <form onSubmit={submit} noValidate>
      <UsernameField
        id={form.usernameId}
        inputRef={form.usernameRef}
        isEmail={realm.usernameIsEmail}
        value={username}
        invalid={alert?.missing === true && alert.field === 'username'}
        describedBy={form.describedBy('username', alert)}
        onChange={form.changeUsername}
      />
      <SecretField
        label={t('popup_password_label')}
        secret={form.secret}
        autocomplete="current-password"
        aria-invalid={alert?.missing === true && alert.field === 'password'}
        aria-describedby={form.describedBy('password', alert)}
      />
      <FormAlert id={form.errorId} error={alert?.message} />
      <SubmitRow busy={busy} label={t('popup_log_in')} busyLabel={t('popup_logging_in')} blocked={locked !== null}>
        <SideButton busy={busy} onClick={onBack} />
      </SubmitRow>
    </form>
  );
}
