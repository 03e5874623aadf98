// The last step of every way in (password or single sign-on): store the account, then give its
// realm's pages the content script.
import type { NewAccount } from './account-store';
import type { BackgroundDeps } from '../handlers/handler';
import { syncContentScripts } from './sync-content-scripts';

export async function saveAccount(account: NewAccount, deps: Pick<BackgroundDeps, 'accounts' | 'contentScripts'>) {
  const result = await deps.accounts.put(account);
  await syncContentScripts(deps);
  return result;
}
