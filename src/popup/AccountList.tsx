import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { AccountSummary } from '../shared/reply-values';
import { checkFailedAnnouncement, refusalReason } from './account-check';
import type { Send } from './add-account';
import { t } from './i18n';
import { ApiKeyView, ConfirmRemoveView } from './later-views';
import { openZuliprcPage } from './open-zuliprc-page';
import { RealmIcon } from './RealmIcon';

type Work = 'checking' | 'making-default' | 'opening' | 'revealing';

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
  /** `account` is now its organization's default; resolves once the list shows it. */
  onMadeDefault(account: AccountSummary): Promise<void>;
  /** From the click: opens the sign-in form for the account, or resolves to why it could not. */
  onSignInAgain(account: AccountSummary): Promise<string | null>;
  /** Opens the settings (absent when the lock's state could not be read). */
  onSettings: (() => void) | undefined;
}

/** An account's identity in the list's per-account state: the same email may be signed in on two organizations. */
const accountKey = ({ realmUrl, userId }: AccountSummary) => `${realmUrl} ${userId}`;

/** The list as the background sorts it (by organization, each one's default first), cut into organizations. */
function byOrganization(accounts: AccountSummary[]): AccountSummary[][] {
  const groups: AccountSummary[][] = [];
  for (const account of accounts) {
    const last = groups.at(-1);
    if (last?.[0]?.realmUrl === account.realmUrl) last.push(account);
    else groups.push([account]);
  }
  return groups;
}

export function AccountList({ accounts, loadError, send, focusHeading, onAdd, onRetry, onRemoved, onChecked, onMadeDefault, onSignInAgain, onSettings }: Props) {
  const headingRef = useRef<HTMLHeadingElement>(null);
  const organizationHeadings = useRef(new Map<string, HTMLHeadingElement>());
  const removeButtons = useRef(new Map<string, HTMLButtonElement>());
  const [confirming, setConfirming] = useState<string | null>(null);
  const [removing, setRemoving] = useState(false);
  const [removeError, setRemoveError] = useState<string | null>(null);
  const removingRef = useRef(false);
  // Per account: what is under way (a check, making it the default, or the lookup before the
  // sign-in form), and the last failure of any, shown under the account. Busy buttons stay
  // enabled, so that focus stays on them; busyRef turns away a second press.
  const [busy, setBusy] = useState<Record<string, Work>>({});
  const busyRef = useRef(new Set<string>());
  const [rowErrors, setRowErrors] = useState<Record<string, string>>({});
  // The one key shown (Show API key), until Hide; nothing else in the popup holds a key.
  const [revealed, setRevealed] = useState<{ realmUrl: string; userId: number; apiKey: string } | null>(null);
  const showKeyButtons = useRef(new Map<string, HTMLButtonElement>());

  const setRowError = (key: string, message: string | null) =>
    setRowErrors(({ [key]: _old, ...others }) => (message === null ? others : { ...others, [key]: message }));

  const track = (account: AccountSummary, what: Work, work: () => Promise<string | null>) => {
    const key = accountKey(account);
    if (busyRef.current.has(key)) return;
    busyRef.current.add(key);
    setBusy((all) => ({ ...all, [key]: what }));
    setRowError(key, null);
    void work().then((message) => {
      busyRef.current.delete(key);
      setBusy(({ [key]: _done, ...others }) => others);
      setRowError(key, message);
    });
  };

  const check = (account: AccountSummary) =>
    track(account, 'checking', async () => {
      const reply = await send({ type: 'account.check', realmUrl: account.realmUrl, userId: account.userId });
      if (!reply.ok) return checkFailedAnnouncement(account, reply.error.message, t);
      onChecked(reply.account);
      return null;
    });

  const makeDefault = (account: AccountSummary) =>
    track(account, 'making-default', async () => {
      const reply = await send({ type: 'account.makeDefault', realmUrl: account.realmUrl, userId: account.userId });
      if (!reply.ok) return reply.error.message;
      await onMadeDefault(reply.account);
      // The button is gone with the change: focus goes to the organization the change was made in.
      organizationHeadings.current.get(account.realmUrl)?.focus();
      return null;
    });

  const isRevealed = (account: AccountSummary) => revealed?.realmUrl === account.realmUrl && revealed.userId === account.userId;

  const hideKey = (account: AccountSummary) => {
    setRevealed(null);
    showKeyButtons.current.get(accountKey(account))?.focus();
  };

  // A disclosure: pressed again, it hides the key.
  const toggleKey = (account: AccountSummary) => {
    if (isRevealed(account)) {
      hideKey(account);
      return;
    }
    track(account, 'revealing', async () => {
      const { realmUrl, userId } = account;
      const [reply] = await Promise.all([send({ type: 'account.revealKey', realmUrl, userId }), ApiKeyView.load()]);
      if (!reply.ok) return reply.error.message;
      setRevealed({ realmUrl, userId, apiKey: reply.apiKey });
      return null;
    });
  };

  const downloadZuliprc = (account: AccountSummary) => {
    setRowError(accountKey(account), null);
    openZuliprcPage(account).catch(() => setRowError(accountKey(account), t('error_internal')));
  };

  // Synchronously inside the click: onSignInAgain may have to ask for the host permission.
  const signInAgain = (account: AccountSummary) => track(account, 'opening', () => onSignInAgain(account));

  useLayoutEffect(() => {
    if (focusHeading > 0) headingRef.current?.focus();
  }, [focusHeading]);

  const cancel = (key: string) => {
    setConfirming(null);
    setRemoveError(null);
    removeButtons.current.get(key)?.focus();
  };

  const remove = async (account: AccountSummary) => {
    if (removingRef.current) return;
    removingRef.current = true;
    setRemoving(true);
    setRemoveError(null);
    const reply = await send({ type: 'account.remove', realmUrl: account.realmUrl, userId: account.userId });
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

  const accountItem = (account: AccountSummary) => {
    const key = accountKey(account);
    return (
      <li key={key} class={account.credentialStatus === 'valid' ? 'account' : 'account refused'}>
        <div class="account-row">
          <div class="account-text">
            <span class="email">{account.email}</span>
            {account.isDefault && <span class="default-mark">{t('popup_default')}</span>}
          </div>
          {!account.isDefault && (
            <button
              type="button"
              class="small"
              aria-label={t('popup_make_default_label', account.email, account.realmName)}
              aria-busy={busy[key] === 'making-default'}
              onClick={() => makeDefault(account)}
            >
              {t('popup_make_default')}
            </button>
          )}
          <button
            type="button"
            class="small"
            aria-label={t('popup_check_label', account.email, account.realmName)}
            aria-busy={busy[key] === 'checking'}
            onClick={() => check(account)}
          >
            {busy[key] === 'checking' ? t('popup_checking') : t('popup_check')}
          </button>
          <button
            type="button"
            class="small"
            ref={(element) => {
              if (element) removeButtons.current.set(key, element);
              else removeButtons.current.delete(key);
            }}
            aria-label={t('popup_remove_label', account.email, account.realmName)}
            aria-expanded={confirming === key}
            disabled={removing}
            onClick={() => {
              setRemoveError(null);
              // Shown once its code is in, so that it takes the focus as it appears.
              if (confirming === key) setConfirming(null);
              else void ConfirmRemoveView.load().then(() => setConfirming(key));
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
              if (element) showKeyButtons.current.set(key, element);
              else showKeyButtons.current.delete(key);
            }}
            aria-label={t('popup_show_api_key_label', account.email, account.realmName)}
            aria-expanded={isRevealed(account)}
            aria-busy={busy[key] === 'revealing'}
            onClick={() => toggleKey(account)}
          >
            {t('popup_show_api_key')}
          </button>
        </div>
        {revealed !== null && isRevealed(account) && <ApiKeyView.View apiKey={revealed.apiKey} onHide={() => hideKey(account)} />}
        {account.credentialStatus !== 'valid' && (
          <div class="refusal">
            <p>{refusalReason(account.credentialStatus, t)}</p>
            <button
              type="button"
              class="primary small"
              aria-label={t('popup_sign_in_again_label', account.email, account.realmName)}
              aria-busy={busy[key] === 'opening'}
              onClick={() => signInAgain(account)}
            >
              {t('popup_sign_in_again')}
            </button>
          </div>
        )}
        {rowErrors[key] !== undefined && (
          <p class="error" role="alert">
            {rowErrors[key]}
          </p>
        )}
        {confirming === key && (
          <ConfirmRemoveView.View
            account={account}
            busy={removing}
            error={removeError}
            onConfirm={() => void remove(account)}
            onCancel={() => cancel(key)}
          />
        )}
      </li>
    );
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
      {byOrganization(accounts).map((group) => {
        const [first] = group;
        if (!first) return null;
        return (
          <section key={first.realmUrl} class="organization">
            <h2
              class="organization-heading"
              tabIndex={-1}
              ref={(element) => {
                if (element) organizationHeadings.current.set(first.realmUrl, element);
                else organizationHeadings.current.delete(first.realmUrl);
              }}
            >
              <RealmIcon iconUrl={first.realmIconUrl} realmUrl={first.realmUrl} name={first.realmName} />
              <span class="account-text">
                <span class="org">{first.realmName}</span>
                <span class="muted">{displayHost(first.realmUrl)}</span>
              </span>
            </h2>
            <ul class="accounts" aria-label={t('popup_organization_accounts', first.realmName)}>
              {group.map(accountItem)}
            </ul>
          </section>
        );
      })}
      <div class="actions list-actions">
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
