// Content scripts are registered for exactly the hosts that have an account.
import type { BackgroundDeps } from './handlers/handler';

export async function syncContentScripts(deps: Pick<BackgroundDeps, 'accounts' | 'contentScripts'>): Promise<void> {
  const accounts = await deps.accounts.list();
  await deps.contentScripts.sync(accounts.map((account) => account.realmUrl));
}
