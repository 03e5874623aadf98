import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { AccountSummary } from '../shared/reply-values';
import type { Send } from '../shared/message-client';
import { t } from '../shared/i18n';
import { AccountRow } from './AccountRow';
import { ConfirmRemoveView } from './later-views';
import { RealmIcon } from './RealmIcon';
import type { AccountsHandle } from './use-accounts';
import { useRequest } from './use-request';

interface Props {
  /** The list, or why it could not be read, and what it is told of checks and new defaults. */
  list: Pick<AccountsHandle, 'accounts' | 'loadError' | 'load' | 'checked' | 'madeDefault'>;
  send: Send;
  /** Changes whenever the heading should take focus (after signing in or removing). */
  focusHeading: number;
  onAdd(): void;
  onRemoved(account: AccountSummary): void;
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

export function AccountList({ list, send, focusHeading, onAdd, onRemoved, onSignInAgain, onSettings }: Props) {
  const { accounts, loadError } = list;
  const headingRef = useRef<HTMLHeadingElement>(null);
  const organizationHeadings = useRef(new Map<string, HTMLHeadingElement>());
  // The one account whose removal is being asked about, and the removal itself.
  const [confirming, setConfirming] = useState<string | null>(null);
  const removal = useRequest();
  // The one key shown (Show API key), until Hide; nothing else in the popup holds a key.
  const [revealed, setRevealed] = useState<{ key: string; apiKey: string } | null>(null);

  useLayoutEffect(() => {
    if (focusHeading > 0) headingRef.current?.focus();
  }, [focusHeading]);

  const remove = (account: AccountSummary) =>
    removal.run(
      () => send({ type: 'account.remove', realmUrl: account.realmUrl, userId: account.userId }),
      (reply) => {
        if (!reply.ok) {
          removal.setError(reply.error.message);
          return;
        }
        setConfirming(null);
        if (revealed?.key === accountKey(account)) setRevealed(null);
        // removed: false means it was gone already (another window); the list is refreshed either way.
        onRemoved(account);
      },
    );

  const accountRow = (account: AccountSummary) => {
    const key = accountKey(account);
    return (
      <AccountRow
        key={key}
        account={account}
        send={send}
        apiKey={revealed?.key === key ? revealed.apiKey : null}
        onRevealed={(apiKey) => setRevealed(apiKey === null ? null : { key, apiKey })}
        removing={removal.busy}
        confirm={
          confirming === key
            ? {
                error: removal.error,
                onConfirm: () => remove(account),
                onCancel: () => {
                  setConfirming(null);
                  removal.setError(null);
                },
              }
            : null
        }
        onRemove={() => {
          removal.setError(null);
          // Shown once its code is in, so that it takes the focus as it appears.
          if (confirming === key) setConfirming(null);
          else void ConfirmRemoveView.load().then(() => setConfirming(key));
        }}
        onChecked={list.checked}
        onMadeDefault={async (made) => {
          await list.madeDefault(made);
          // The button is gone with the change: focus goes to the organization the change was made in.
          organizationHeadings.current.get(account.realmUrl)?.focus();
        }}
        onSignInAgain={onSignInAgain}
      />
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
          <button type="button" onClick={() => void list.load()}>
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
              {group.map(accountRow)}
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
