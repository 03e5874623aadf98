// The sign-in step's form for an API key pasted by hand (Zulip: Personal settings › Account &
// privacy). The key field is a password field with autocomplete off: the key is as good as a
// password to anyone who sees it, a masked field keeps it off the screen and out of screenshots,
// and autocomplete="off" keeps browsers from saving it in their form history or offering it as a
// password. Like the password, the key lives only in this form's state, and only until the one
// request that needs it has been answered (use-secret.ts).
import { useId } from 'preact/hooks';
import type { AccountSummary } from '../shared/reply-values';
import type { RealmInfo } from '../shared/zulip/realm-info';
import type { FlowDeps } from './add-account';
import { addWithApiKey, type ApiKeyField } from './api-key';
import { t } from '../shared/i18n';
import { FormAlert } from './FormAlert';
import { SideButton, SubmitRow } from './FormActions';
import { SecretField } from './SecretField';
import { UsernameField } from './UsernameField';
import { useSignInForm, type FieldError } from './use-sign-in-form';

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
  const form = useSignInForm<ApiKeyField, FieldError<ApiKeyField> & { invalid?: true }>({
    initialUsername: initialEmail,
    focusSecret: initialEmail.trim() !== '',
    usernameField: 'email',
    onUsernameChange: onEmailChange,
    onSignedIn,
  });
  const { error, busy } = form;
  const hintId = useId();

  // Synchronously inside the submit event: addWithApiKey asks for any permission before it awaits.
  const submit = (event: Event) => form.submit(event, (apiKey) => addWithApiKey({ realm, origin, email: form.username, apiKey }, deps, onBeforePrompt, onSending));

  return (
    <form onSubmit={submit} noValidate>
      <UsernameField
        id={form.usernameId}
        inputRef={form.usernameRef}
        isEmail
        value={form.username}
        invalid={error?.invalid === true && error.field === 'email'}
        describedBy={form.describedBy('email')}
        onChange={form.changeUsername}
      />
      <SecretField
        label={t('popup_api_key_label')}
        secret={form.secret}
        autocomplete="off"
        autocapitalize="off"
        spellcheck={false}
        aria-invalid={error?.invalid === true && error.field === 'apiKey'}
        aria-describedby={[hintId, form.describedBy('apiKey') ?? ''].join(' ').trim()}
      />
      <p id={hintId} class="hint">
        {t('popup_api_key_hint')}
      </p>
      <FormAlert id={form.errorId} error={error?.message} />
      <SubmitRow busy={busy} label={t('popup_add_with_key')} busyLabel={t('popup_checking_key')}>
        <SideButton label={realm.passwordAuth ? t('popup_use_password') : t('popup_other_ways')} busy={busy} onClick={onOtherWays} />
        <SideButton busy={busy} onClick={onBack} />
      </SubmitRow>
    </form>
  );
}
