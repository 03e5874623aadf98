import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { AccountSummary } from '../shared/messages';
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
}

export function AccountList({ accounts, loadError, send, focusHeading, onAdd, onRetry, onRemoved }: Props) {
  const headingRef = useRef<HTMLHeadingElement>(null);
  const removeButtons = useRef(new Map<string, HTMLButtonElement>());
  const [confirming, setConfirming] = useState<string | null>(null);
  const [removing, setRemoving] = useState(false);
  const [removeError, setRemoveError] = useState<string | null>(null);
  const removingRef = useRef(false);

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
            <li key={account.realmUrl} class="account">
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
