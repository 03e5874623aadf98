// The account list as the popup last read it, or why it could not be read, and the news of the
// checks of its keys for the status line.
import { useState } from 'preact/hooks';
import type { Send } from '../shared/message-client';
import type { AccountSummary } from '../shared/reply-values';
import { t } from '../shared/i18n';
import { quietCheckAnnouncement, verdictAnnouncement } from './account-check';

export type AccountsHandle = ReturnType<typeof useAccounts>;

export function useAccounts(send: Send, setStatus: (text: string, problem?: boolean) => void) {
  const [accounts, setAccounts] = useState<AccountSummary[]>([]);
  const [loadError, setLoadError] = useState<string | null>(null);
  const loaded = (list: AccountSummary[]) => {
    setAccounts(list);
    setLoadError(null);
  };

  /** The list as read, or null when it could not be. */
  const load = async (): Promise<AccountSummary[] | null> => {
    const reply = await send({ type: 'accounts.list' });
    if (reply.ok) {
      loaded(reply.accounts);
      return reply.accounts;
    }
    setLoadError(reply.error.message);
    return null;
  };

  return {
    accounts,
    loadError,
    setLoadError,
    loaded,
    load,
    // Quietly: the background checks only the accounts not checked in the last hour, and the popup
    // speaks only of keys refused and checks that failed.
    async checkStale() {
      const reply = await send({ type: 'accounts.checkStale' });
      if (!reply.ok || (reply.checked.length === 0 && reply.failures.length === 0)) return;
      const list = await load();
      const announcement = quietCheckAnnouncement(reply, list ?? [], t);
      if (announcement) setStatus(announcement, true);
    },
    /** `account` is now its organization's default; resolves once the list shows it. */
    async madeDefault(account: AccountSummary) {
      await load();
      setStatus(t('popup_made_default', account.email, account.realmName));
    },
    /** A check found what the realm thinks of the key; `account` is as stored afterwards. */
    checked(account: AccountSummary) {
      setAccounts((list) => list.map((listed) => (listed.realmUrl === account.realmUrl && listed.userId === account.userId ? account : listed)));
      setStatus(verdictAnnouncement(account, t), account.credentialStatus !== 'valid');
    },
  };
}
