import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { AccountSummary } from '../shared/messages';
import { checkFailedAnnouncement, refusalReason } from './account-check';
import type { Send } from './add-account';
import { ApiKeyPanel } from './ApiKeyPanel';
import { ConfirmRemove } from './ConfirmRemove';
import { t } from './i18n';
import { openZuliprcPage } from './open-zuliprc-page';
import { RealmIcon } from './RealmIcon';

interface Props {
  accounts: AccountSummary[];
  /** Why the list could not be read, if it could not. */
  loadError: string | null;
  send: Send;
  /** Changes whenever the heading should take focus (after signing in or removing). */
  focusHeading: number;
  onAdd(): void;
  onRetry(): void;
  onRemoved(account: AccountSummary): void;
  /** A check found what the realm thinks of the key; `account` is as stored afterwards. */
  onChecked(account: AccountSummary): void;
  /** From the click: opens the sign-in form for the account, or resolves to why it could not. */
  onSignInAgain(account: AccountSummary): Promise<string | null>;
}

export function AccountList({ accounts, loadError, send, focusHeading, onAdd, onRetry, onRemoved, onChecked, onSignInAgain }: Props) {
  const headingRef = useRef<HTMLHeadingElement>(null);
  const removeButtons = useRef(new Map<string, HTMLButtonElement>());
  const [confirming, setConfirming] = useState<string | null>(null);
  const [removing, setRemoving] = useState(false);
  const [removeError, setRemoveError] = useState<string | null>(null);
  const removingRef = useRef(false);
  // Per account: what is under way (a check, or the lookup before the sign-in form), and the last
  // failure of either, shown under the account. Busy buttons stay enabled, so that focus stays on
  // them; busyRef turns away a second press.
  const [busy, setBusy] = useState<Record<string, 'checking' | 'opening' | 'revealing'>>({});
  const busyRef = useRef(new Set<string>());
  const [rowErrors, setRowErrors] = useState<Record<string, string>>({});
  // The one key shown (Show API key), until Hide; nothing else in the popup holds a key.
  const [revealed, setRevealed] = useState<{ realmUrl: string; userId: number; apiKey: string } | null>(null);
  const showKeyButtons = useRef(new Map<string, HTMLButtonElement>());

  const setRowError = (realmUrl: string, message: string | null) =>
    setRowErrors(({ [realmUrl]: _old, ...others }) => (message === null ? others : { ...others, [realmUrl]: message }));

  const track = (account: AccountSummary, what: 'checking' | 'opening' | 'revealing', work: () => Promise<string | null>) => {
    const { realmUrl } = account;
    if (busyRef.current.has(realmUrl)) return;
    busyRef.current.add(realmUrl);
    setBusy((all) => ({ ...all, [realmUrl]: what }));
    setRowError(realmUrl, null);
    void work().then((message) => {
      busyRef.current.delete(realmUrl);
      setBusy(({ [realmUrl]: _done, ...others }) => others);
      setRowError(realmUrl, message);
    });
  };

  const check = (account: AccountSummary) =>
    track(account, 'checking', async () => {
      const reply = await send({ type: 'account.check', realmUrl: account.realmUrl });
      if (!reply.ok) return checkFailedAnnouncement(account, reply.error.message, t);
      onChecked(reply.account);
      return null;
    });

  const isRevealed = (account: AccountSummary) => revealed?.realmUrl === account.realmUrl && revealed.userId === account.userId;

  const hideKey = (realmUrl: string) => {
    setRevealed(null);
    showKeyButtons.current.get(realmUrl)?.focus();
  };

  // A disclosure: pressed again, it hides the key.
  const toggleKey = (account: AccountSummary) => {
    if (isRevealed(account)) {
      hideKey(account.realmUrl);
      return;
    }
    track(account, 'revealing', async () => {
      const { realmUrl, userId } = account;
      const reply = await send({ type: 'account.revealKey', realmUrl, userId });
      if (!reply.ok) return reply.error.message;
      setRevealed({ realmUrl, userId, apiKey: reply.apiKey });
      return null;
    });
  };

  const downloadZuliprc = (account: AccountSummary) => {
    setRowError(account.realmUrl, null);
    openZuliprcPage(account).catch(() => setRowError(account.realmUrl, t('error_internal')));
  };

  // Synchronously inside the click: onSignInAgain may have to ask for the host permission.
  const signInAgain = (account: AccountSummary) => track(account, 'opening', () => onSignInAgain(account));

  useLayoutEffect(() => {
    if (focusHeading > 0) headingRef.current?.focus();
  }, [focusHeading]);

  const cancel = (realmUrl: string) => {
    setConfirming(null);
    setRemoveError(null);
    removeButtons.current.get(realmUrl)?.focus();
  };

  const remove = async (account: AccountSummary) => {
    if (removingRef.current) return;
    removingRef.current = true;
    setRemoving(true);
    setRemoveError(null);
    const reply = await send({ type: 'account.remove', realmUrl: account.realmUrl });
    removingRef.current = false;
    setRemoving(false);
    if (!reply.ok) {
      setRemoveError(reply.error.message);
      return;
    }
    setConfirming(null);
    if (isRevealed(account)) setRevealed(null);
    // removed: false means it was gone already (another window); the list is refreshed either way.
    onRemoved(account);
  };

  const empty = accounts.length === 0 && loadError === null;
  return (
    <section class="view" aria-labelledby="accounts-heading">
      <h1 id="accounts-heading" ref={headingRef} tabIndex={-1}>
        {empty ? t('extensionName') : t('popup_accounts_heading')}
      </h1>
      {loadError !== null && (
        <div class="error-block">
          <p class="error" role="alert">
            {loadError}
          </p>
          <button type="button" onClick={onRetry}>
            {t('popup_retry')}
          </button>
        </div>
      )}
      {empty && <p class="intro">{t('popup_intro')}</p>}
      {accounts.length > 0 && (
        <ul class="accounts" aria-labelledby="accounts-heading">
          {accounts.map((account) => (
            <li key={account.realmUrl} class={account.credentialStatus === 'valid' ? 'account' : 'account refused'}>
              <div class="account-row">
                <RealmIcon iconUrl={account.realmIconUrl} realmUrl={account.realmUrl} name={account.realmName} />
                <div class="account-text">
                  <span class="org">{account.realmName}</span>
                  <span class="email">{account.email}</span>
                  <span class="muted">{displayHost(account.realmUrl)}</span>
                </div>
                <button
                  type="button"
                  class="small"
                  aria-label={t('popup_check_label', account.email, account.realmName)}
                  aria-busy={busy[account.realmUrl] === 'checking'}
                  onClick={() => check(account)}
                >
                  {busy[account.realmUrl] === 'checking' ? t('popup_checking') : t('popup_check')}
                </button>
                <button
                  type="button"
                  class="small"
                  ref={(element) => {
                    if (element) removeButtons.current.set(account.realmUrl, element);
                    else removeButtons.current.delete(account.realmUrl);
                  }}
                  aria-label={t('popup_remove_label', account.email, account.realmName)}
                  aria-expanded={confirming === account.realmUrl}
                  disabled={removing}
                  onClick={() => {
                    setRemoveError(null);
                    setConfirming(confirming === account.realmUrl ? null : account.realmUrl);
                  }}
                >
                  {t('popup_remove')}
                </button>
              </div>
              <div class="account-tools">
                <button
                  type="button"
                  class="small"
                  aria-label={t('popup_download_zuliprc_label', account.email, account.realmName)}
                  onClick={() => downloadZuliprc(account)}
                >
                  {t('popup_download_zuliprc')}
                </button>
                <button
                  type="button"
                  class="small"
                  ref={(element) => {
                    if (element) showKeyButtons.current.set(account.realmUrl, element);
                    else showKeyButtons.current.delete(account.realmUrl);
                  }}
                  aria-label={t('popup_show_api_key_label', account.email, account.realmName)}
                  aria-expanded={isRevealed(account)}
                  aria-busy={busy[account.realmUrl] === 'revealing'}
                  onClick={() => toggleKey(account)}
                >
                  {t('popup_show_api_key')}
                </button>
              </div>
              {revealed !== null && isRevealed(account) && <ApiKeyPanel apiKey={revealed.apiKey} onHide={() => hideKey(account.realmUrl)} />}
              {account.credentialStatus !== 'valid' && (
                <div class="refusal">
                  <p>{refusalReason(account.credentialStatus, t)}</p>
                  <button
                    type="button"
                    class="primary small"
                    aria-label={t('popup_sign_in_again_label', account.email, account.realmName)}
                    aria-busy={busy[account.realmUrl] === 'opening'}
                    onClick={() => signInAgain(account)}
                  >
                    {t('popup_sign_in_again')}
                  </button>
                </div>
              )}
              {rowErrors[account.realmUrl] !== undefined && (
                <p class="error" role="alert">
                  {rowErrors[account.realmUrl]}
                </p>
              )}
              {confirming === account.realmUrl && (
                <ConfirmRemove
                  account={account}
                  busy={removing}
                  error={removeError}
                  onConfirm={() => void remove(account)}
                  onCancel={() => cancel(account.realmUrl)}
                />
              )}
            </li>
          ))}
        </ul>
      )}
      <div class="actions">
        <button type="button" class="primary" onClick={onAdd}>
          {t('popup_add_account')}
        </button>
      </div>
    </section>
  );
}

function displayHost(realmUrl: string): string {
  try {
    return new URL(realmUrl).host;
  } catch {
    return realmUrl;
  }
}
