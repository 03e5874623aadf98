import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { AccountSummary } from '../shared/messages';
import { checkFailedAnnouncement, refusalReason } from './account-check';
import type { Send } from './add-account';
import { ConfirmRemove } from './ConfirmRemove';
import { t } from './i18n';
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
  /** Opens the settings (absent when the lock's state could not be read). */
  onSettings: (() => void) | undefined;
}

export function AccountList({ accounts, loadError, send, focusHeading, onAdd, onRetry, onRemoved, onChecked, onSignInAgain, onSettings }: Props) {
  const headingRef = useRef<HTMLHeadingElement>(null);
  const removeButtons = useRef(new Map<string, HTMLButtonElement>());
  const [confirming, setConfirming] = useState<string | null>(null);
  const [removing, setRemoving] = useState(false);
  const [removeError, setRemoveError] = useState<string | null>(null);
  const removingRef = useRef(false);
  // Per account: what is under way (a check, or the lookup before the sign-in form), and the last
  // failure of either, shown under the account. Busy buttons stay enabled, so that focus stays on
  // them; busyRef turns away a second press.
  const [busy, setBusy] = useState<Record<string, 'checking' | 'opening'>>({});
  const busyRef = useRef(new Set<string>());
  const [rowErrors, setRowErrors] = useState<Record<string, string>>({});

  const setRowError = (realmUrl: string, message: string | null) =>
    setRowErrors(({ [realmUrl]: _old, ...others }) => (message === null ? others : { ...others, [realmUrl]: message }));

  const track = (account: AccountSummary, what: 'checking' | 'opening', work: () => Promise<string | null>) => {
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
        {onSettings && (
          <button type="button" onClick={onSettings}>
            {t('popup_settings')}
          </button>
        )}
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
