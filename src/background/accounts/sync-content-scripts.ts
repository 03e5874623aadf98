// Content scripts are registered for exactly the hosts that have an account.
import type { AccountStore } from './account-store';
import type { ContentScriptRegistry } from './content-script-registry';

/** What keeping the content scripts in step with the accounts takes. */
export interface ContentScriptDeps {
  accounts: Pick<AccountStore, 'list'>;
  contentScripts: ContentScriptRegistry;
}

export function syncContentScripts(deps: ContentScriptDeps): Promise<void> {
  // The accounts are listed when the registry is ready for them, so the last sync sees the last change.
  return deps.contentScripts.sync(async () => (await deps.accounts.list()).map((account) => account.realmUrl));
}
