// The floor's background: the least code that does each job ours does, with the bare browser API (no polyfill, no
// validation), its listener registered synchronously like ours so that a message wakes a stopped worker. It reads
// the records as account-store.ts stores them ("account:<realm origin>"), sealed as key-sealer.ts seals them, and the
// sealing key where sealing-key.ts keeps it; the bench writes them (bench/in-browser.ts, seedFloor). By message type:
//   'accounts.list'    the non-secret summaries of every stored account: what the popup lists
//   'credentials.get'  the sender's realm's record read, the sealing key opened, the default account's key decrypted
//   anything else      a constant: the physical floor of a round trip, and of a cold start that does no work
interface SealedAccount {
  realmUrl: string;
  userId: number;
  email: string;
  sealedApiKey: { iv: string; data: string };
}
interface StoredRealm {
  defaultUserId: number;
  accounts: SealedAccount[];
}
type Listener = (message: { type?: string }, sender: { url?: string }, sendResponse: (reply: unknown) => void) => boolean | void;
interface BareApi {
  runtime: { onMessage: { addListener(listener: Listener): void } };
  storage: { local: { get(keys: string | null): Promise<Record<string, unknown>> } };
}
const world = globalThis as unknown as { browser?: BareApi; chrome: BareApi };
const api = world.browser ?? world.chrome;

const bytes = (base64: string) => Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));

function sealingKey(): Promise<CryptoKey> {
  return new Promise((resolve, reject) => {
    const opening = indexedDB.open('keyring-for-zulip', 1);
    opening.onerror = () => reject(opening.error);
    opening.onsuccess = () => {
      const db = opening.result;
      const reading = db.transaction('keys').objectStore('keys').get('sealing-key');
      reading.onerror = () => reject(reading.error);
      reading.onsuccess = () => {
        db.close();
        resolve(reading.result as CryptoKey);
      };
    };
  });
}

async function listAccounts() {
  const stored = await api.storage.local.get(null);
  return Object.entries(stored)
    .filter(([key]) => key.startsWith('account:'))
    .flatMap(([, value]) => {
      const realm = value as StoredRealm;
      return realm.accounts.map(({ sealedApiKey: _sealed, ...summary }) => ({ ...summary, isDefault: summary.userId === realm.defaultUserId }));
    });
}

async function credentials(senderUrl: string) {
  const key = `account:${new URL(senderUrl).origin}`;
  const realm = (await api.storage.local.get(key))[key] as StoredRealm;
  const account = realm.accounts.find((a) => a.userId === realm.defaultUserId)!;
  const { iv, data } = account.sealedApiKey;
  const additionalData = new TextEncoder().encode(`${account.realmUrl}\n${account.userId}`);
  const opened = await crypto.subtle.decrypt({ name: 'AES-GCM', iv: bytes(iv), additionalData }, await sealingKey(), bytes(data));
  return { realmUrl: account.realmUrl, email: account.email, apiKey: new TextDecoder().decode(opened) };
}

api.runtime.onMessage.addListener((message, sender, sendResponse) => {
  const fail = (error: unknown) => sendResponse({ ok: false, error: String(error) });
  switch (message.type) {
    case 'accounts.list':
      listAccounts().then((accounts) => sendResponse({ ok: true, accounts }), fail);
      return true;
    case 'credentials.get':
      credentials(sender.url ?? '').then((found) => sendResponse({ ok: true, credentials: found }), fail);
      return true;
    default:
      sendResponse({ ok: true });
  }
});
