// One account in the list, with what can be done to it: make it the default, check its key, remove
// it, download its zuliprc, show its key, sign in again once its key is refused.
import type { Ref } from 'preact';
import { useRef } from 'preact/hooks';
import type { AccountSummary } from '../shared/reply-values';
import type { Send } from '../shared/message-client';
import { t, type MessageKey } from '../shared/i18n';
import { checkFailedAnnouncement, refusalReason } from './account-check';
import { ApiKeyView, ConfirmRemoveView } from './later-views';
import { openZuliprcPage } from './open-zuliprc-page';
import { useRequest } from './use-request';

interface Props {
  account: AccountSummary;
  send: Send;
  /** The account's key while it is shown (Show API key), else null. */
  apiKey: string | null;
  onRevealed(apiKey: string | null): void;
  /** A removal is under way, of this account or another. */
  removing: boolean;
  /** Asking whether to remove this account: the question's state, else null. */
  confirm: { error: string | null; onConfirm(): void; onCancel(): void } | null;
  onRemove(): void;
  onChecked(account: AccountSummary): void;
  onMadeDefault(account: AccountSummary): Promise<void>;
  onSignInAgain(account: AccountSummary): Promise<string | null>;
}

export function AccountRow({ account, send, apiKey, onRevealed, removing, confirm, onRemove, onChecked, onMadeDefault, onSignInAgain }: Props) {
  // What is under way (a check, making it the default, showing the key, or the lookup before the
  // sign-in form), and the last failure of any, shown under the account. Busy buttons stay
  // enabled, so that focus stays on them; the hook turns away a second press.
  const { working, error, setError, run } = useRequest();
  const showKeyButton = useRef<HTMLButtonElement>(null);
  const removeButton = useRef<HTMLButtonElement>(null);
  const { realmUrl, userId } = account;
  const track = (what: string, work: () => Promise<string | null>) => run(work, setError, what);

  const check = () =>
    track('checking', async () => {
      const reply = await send({ type: 'account.check', realmUrl, userId });
      if (!reply.ok) return checkFailedAnnouncement(account, reply.error.message, t);
      onChecked(reply.account);
      return null;
    });

  const makeDefault = () =>
    track('making-default', async () => {
      const reply = await send({ type: 'account.makeDefault', realmUrl, userId });
      if (!reply.ok) return reply.error.message;
      await onMadeDefault(reply.account);
      return null;
    });

  // A disclosure: pressed again, it hides the key.
  const toggleKey = () => {
    if (apiKey !== null) {
      onRevealed(null);
      showKeyButton.current?.focus();
      return;
    }
    track('revealing', async () => {
      const [reply] = await Promise.all([send({ type: 'account.revealKey', realmUrl, userId }), ApiKeyView.load()]);
      if (!reply.ok) return reply.error.message;
      onRevealed(reply.apiKey);
      return null;
    });
  };

  const downloadZuliprc = () => {
    setError(null);
    openZuliprcPage(account).catch(() => setError(t('error_internal')));
  };

  return (
    <li class={account.credentialStatus === 'valid' ? 'account' : 'account refused'}>
      <div class="account-row">
        <div class="account-text">
          <span class="email">{account.email}</span>
          {account.isDefault && <span class="default-mark">{t('popup_default')}</span>}
        </div>
        {!account.isDefault && (
          <RowButton label="popup_make_default_label" account={account} busy={working === 'making-default'} onClick={makeDefault}>
            {t('popup_make_default')}
          </RowButton>
        )}
        <RowButton label="popup_check_label" account={account} busy={working === 'checking'} onClick={check}>
          {working === 'checking' ? t('popup_checking') : t('popup_check')}
        </RowButton>
        <RowButton label="popup_remove_label" account={account} buttonRef={removeButton} expanded={confirm !== null} disabled={removing} onClick={onRemove}>
          {t('popup_remove')}
        </RowButton>
      </div>
      <div class="account-tools">
        <RowButton label="popup_download_zuliprc_label" account={account} onClick={downloadZuliprc}>
          {t('popup_download_zuliprc')}
        </RowButton>
        <RowButton label="popup_show_api_key_label" account={account} buttonRef={showKeyButton} expanded={apiKey !== null} busy={working === 'revealing'} onClick={toggleKey}>
          {t('popup_show_api_key')}
        </RowButton>
      </div>
      {apiKey !== null && <ApiKeyView.View apiKey={apiKey} onHide={toggleKey} />}
      {account.credentialStatus !== 'valid' && (
        <div class="refusal">
          <p>{refusalReason(account.credentialStatus, t)}</p>
          {/* Synchronously inside the click: onSignInAgain may have to ask for the host permission. */}
          <RowButton label="popup_sign_in_again_label" account={account} primary busy={working === 'opening'} onClick={() => track('opening', () => onSignInAgain(account))}>
            {t('popup_sign_in_again')}
          </RowButton>
        </div>
      )}
      {error !== null && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      {confirm && (
        <ConfirmRemoveView.View
          account={account}
          busy={removing}
          error={confirm.error}
          onConfirm={confirm.onConfirm}
          onCancel={() => {
            confirm.onCancel();
            removeButton.current?.focus();
          }}
        />
      )}
    </li>
  );
}

interface RowButtonProps {
  /** The accessible name, which says which account the button acts on. */
  label: MessageKey;
  account: AccountSummary;
  primary?: boolean;
  busy?: boolean;
  /** For a disclosure: whether what it shows is shown. */
  expanded?: boolean;
  disabled?: boolean;
  buttonRef?: Ref<HTMLButtonElement>;
  onClick(): void;
  children: string;
}

function RowButton({ label, account, primary, busy, expanded, disabled, buttonRef, onClick, children }: RowButtonProps) {
  return (
    <button
      type="button"
      class={primary ? 'primary small' : 'small'}
      ref={buttonRef}
      aria-label={t(label, account.email, account.realmName)}
      aria-expanded={expanded}
      aria-busy={busy}
      disabled={disabled}
      onClick={onClick}
    >
      {children}
    </button>
  );
}
