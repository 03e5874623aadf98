// An account's API key is sealed (key-sealer.ts) bound to the realm and user it belongs to, so
// that a sealed key copied into another account's record opens nowhere.
import type { KeySealer } from '../keys/key-sealer';
import type { StoredAccount, StoredRealm } from './stored-realm';

export function sealBinding(realmUrl: string, userId: number): string {
  return `${realmUrl}\n${userId}`;
}

/**
 * The realm with every account's key opened and sealed again with the sealer's current key.
 * A key no sealing key opens (altered, or bound to another account) never will: it stays unreadable.
 */
export async function resealedRealm(realm: StoredRealm, sealer: KeySealer): Promise<StoredRealm> {
  const accounts: StoredAccount[] = [];
  for (const account of realm.accounts) {
    const binding = sealBinding(account.realmUrl, account.userId);
    let apiKey: string;
    try {
      apiKey = await sealer.open(account.sealedApiKey, binding);
    } catch (error) {
      if (error instanceof DOMException && error.name === 'OperationError') {
        accounts.push(account);
        continue;
      }
      throw error;
    }
    accounts.push({ ...account, sealedApiKey: await sealer.seal(apiKey, binding) });
  }
  return { ...realm, accounts };
}
