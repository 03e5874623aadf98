// The AES-GCM key that seals API keys at rest. It lives in the extension origin's IndexedDB as a
// non-extractable CryptoKey: content scripts cannot open that database (it belongs to the
// extension's origin, not the page's), and even the extension can only use the key, never read it.
const DB_NAME = 'keyring-for-zulip';
const STORE = 'keys';
const KEY_ID = 'sealing-key';

function promisify<T>(request: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error ?? new Error('IndexedDB request failed'));
  });
}

function openDatabase(factory: IDBFactory): Promise<IDBDatabase> {
  const request = factory.open(DB_NAME, 1);
  request.onupgradeneeded = () => request.result.createObjectStore(STORE);
  return promisify(request);
}

function generateKey(): Promise<CryptoKey> {
  return crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt']);
}

/** Loads the sealing key, creating it the first time. Concurrent first calls share one key. */
export function createSealingKeySource(factory: () => IDBFactory = () => indexedDB) {
  let pending: Promise<CryptoKey> | null = null;

  async function loadOrCreate(): Promise<CryptoKey> {
    const db = await openDatabase(factory());
    try {
      const existing = await promisify(db.transaction(STORE, 'readonly').objectStore(STORE).get(KEY_ID));
      if (existing instanceof CryptoKey) return existing;
      const created = await generateKey();
      // `add` fails if another context stored a key meanwhile; then that one wins and is used.
      const store = db.transaction(STORE, 'readwrite').objectStore(STORE);
      try {
        await promisify(store.add(created, KEY_ID));
        return created;
      } catch {
        const winner = await promisify(db.transaction(STORE, 'readonly').objectStore(STORE).get(KEY_ID));
        if (winner instanceof CryptoKey) return winner;
        throw new Error('The sealing key could not be stored');
      }
    } finally {
      db.close();
    }
  }

  return function getSealingKey(): Promise<CryptoKey> {
    pending ??= loadOrCreate().catch((error: unknown) => {
      pending = null;
      throw error;
    });
    return pending;
  };
}
