// The sign-in step's form for an API key pasted by hand (Zulip: Personal settings › Account &
// privacy). The key field is a password field with autocomplete off: the key is as good as a
// password to anyone who sees it, a masked field keeps it off the screen and out of screenshots,
// and autocomplete="off" keeps browsers from saving it in their form history or offering it as a
// password. Like the password, the key lives only in this form's state, and only until the one
// request that needs it has been answered.
import { useId, useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { AccountSummary } from '../shared/reply-values';
import type { RealmInfo } from '../shared/zulip/realm-info';
import type { FlowDeps } from './add-account';
import { addWithApiKey, type ApiKeyField } from './api-key';
import { t } from './i18n';
import { FormAlert } from './FormAlert';
import { UsernameField } from './UsernameField';

interface Props {
  deps: FlowDeps;
  realm: RealmInfo;
  /** The origin typed in the first step. */
  origin: string;
  initialEmail: string;
  onEmailChange(email: string): void;
  onBeforePrompt(origin: string): void;
  /** The key is on its way to the background: as SignInStep's onSending. */
  onSending(): void;
  onSignedIn(account: AccountSummary, replaced: AccountSummary | null): void;
  /** Back to the password form or the organization's other ways in. */
  onOtherWays(): void;
  onBack(): void;
}

export function ApiKeyForm({ deps, realm, origin, initialEmail, onEmailChange, onBeforePrompt, onSending, onSignedIn, onOtherWays, onBack }: Props) {
  const [email, setEmail] = useState(initialEmail);
  // What the field holds now, for the answer that arrives after the person typed on.
  const typedEmail = useRef(initialEmail);
  const [apiKey, setApiKey] = useState('');
  const [error, setError] = useState<{ message: string; field: ApiKeyField | null; invalid?: true } | null>(null);
  const [busy, setBusy] = useState(false);
  const busyRef = useRef(false);
  const emailRef = useRef<HTMLInputElement>(null);
  const keyRef = useRef<HTMLInputElement>(null);
  const emailId = useId();
  const keyId = useId();
  const hintId = useId();
  const errorId = useId();

  useLayoutEffect(() => (initialEmail.trim() === '' ? emailRef : keyRef).current?.focus(), []);

  const submit = (event: Event) => {
    event.preventDefault();
    if (busyRef.current) return;
    busyRef.current = true;
    setBusy(true);
    setError(null);
    // Synchronously inside the submit event: addWithApiKey asks for any permission before it awaits.
    void addWithApiKey({ realm, origin, email, apiKey }, deps, onBeforePrompt, onSending).then((outcome) => {
      busyRef.current = false;
      // The key lives no longer than the one request that needs it; one typed since is kept.
      if (keyRef.current?.value === apiKey) {
        setApiKey('');
        keyRef.current.value = '';
      }
      setBusy(false);
      if (outcome.ok) {
        onSignedIn(outcome.account, outcome.replaced);
        return;
      }
      // Re-saving drops the draft's marks: the prompt, if any, has been answered, and the request has ended.
      onEmailChange(typedEmail.current);
      setError(outcome);
      (outcome.field === 'email' ? emailRef : keyRef).current?.focus();
    });
  };

  const describedBy = (field: ApiKeyField) => (error && (error.field === field || error.field === null) ? errorId : undefined);
  return (
    <form onSubmit={submit} noValidate>
      <UsernameField
        id={emailId}
        inputRef={emailRef}
        isEmail
        value={email}
        invalid={error?.invalid === true && error.field === 'email'}
        describedBy={describedBy('email')}
        onChange={(value) => {
          typedEmail.current = value;
          setEmail(value);
          onEmailChange(value);
        }}
      />
      <label for={keyId}>{t('popup_api_key_label')}</label>
      <input
        id={keyId}
        ref={keyRef}
        type="password"
        autocomplete="off"
        autocapitalize="off"
        spellcheck={false}
        value={apiKey}
        aria-invalid={error?.invalid === true && error.field === 'apiKey'}
        aria-describedby={[hintId, describedBy('apiKey') ?? ''].join(' ').trim()}
        onInput={(event) => setApiKey(event.currentTarget.value)}
      />
      <p id={hintId} class="hint">
        {t('popup_api_key_hint')}
      </p>
      <FormAlert id={errorId} error={error?.message} />
      <div class="actions">
        <button type="submit" class="primary" disabled={busy} aria-busy={busy}>
          {busy ? t('popup_checking_key') : t('popup_add_with_key')}
        </button>
        <button type="button" disabled={busy} onClick={onOtherWays}>
          {realm.passwordAuth ? t('popup_use_password') : t('popup_other_ways')}
        </button>
        <button type="button" disabled={busy} onClick={onBack}>
          {t('popup_back')}
        </button>
      </div>
    </form>
  );
}
