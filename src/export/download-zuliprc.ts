// What the zuliprc tab does, free of the DOM: find the account it was opened for, get the file from
// the background, and hand it to `save`.
import type { AccountSummary } from '../shared/reply-values';
import type { ZuliprcTarget } from '../shared/zuliprc-page';
import type { Send } from '../shared/message-client';
import type { Translate } from '../shared/i18n';

export interface ZuliprcDeps {
  send: Send;
  t: Translate;
  save(filename: string, text: string): void;
}

/** The account the tab names, as the popup lists it, or the sentence that says why there is none. */
export async function accountOfPage(target: ZuliprcTarget | null, deps: ZuliprcDeps): Promise<{ account: AccountSummary } | { message: string }> {
  if (target === null) return { message: deps.t('export_no_account') };
  const reply = await deps.send({ type: 'accounts.list' });
  if (!reply.ok) return { message: reply.error.message };
  const account = reply.accounts.find((listed) => listed.realmUrl === target.realmUrl && listed.userId === target.userId);
  return account ? { account } : { message: deps.t('error_not_found') };
}

/** Saves the account's zuliprc; the sentence to show, and whether it is good news. */
export async function saveZuliprc(account: AccountSummary, deps: ZuliprcDeps): Promise<{ ok: boolean; message: string }> {
  const reply = await deps.send({ type: 'account.zuliprc', realmUrl: account.realmUrl, userId: account.userId });
  if (!reply.ok) return { ok: false, message: reply.error.message };
  deps.save(reply.filename, reply.text);
  return { ok: true, message: deps.t('export_saved', reply.filename) };
}
