// Content scripts are registered for exactly the hosts that have an account.
import type { BackgroundDeps } from '../handlers/handler';

export function syncContentScripts(deps: Pick<BackgroundDeps, 'accounts' | 'contentScripts'>): Promise<void> {
  // The accounts are listed when the registry is ready for them, so the last sync sees the last change.
  return deps.contentScripts.sync(async () => (await deps.accounts.list()).map((account) => account.realmUrl));
}
