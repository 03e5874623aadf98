// The last step of every way in (password or single sign-on): store the account, then give its
// realm's pages the content script.
import type { AccountStore, NewAccount } from './account-store';
import { syncContentScripts, type ContentScriptDeps } from './sync-content-scripts';

export async function saveAccount(account: NewAccount, deps: ContentScriptDeps & { accounts: Pick<AccountStore, 'put'> }) {
  const result = await deps.accounts.put(account);
  await syncContentScripts(deps);
  return result;
}
