// Where the keys that seal API keys live: the extension origin's IndexedDB, which content scripts
// cannot open (it belongs to the extension's origin, not the page's). Its records:
//   'sealing-key'      without a passphrase: a non-extractable AES-GCM CryptoKey (the extension can
//                      use it, never read it; the browser keeps its bytes in the profile's files)
//   'wrapped-key'      with a passphrase: the sealing key, encrypted under a key derived from the
//                      passphrase (passphrase-key.ts), and the lock's settings
//   'migration'        the lock is being turned on or off (see key-move.ts)
//   'unlock-failures'  wrong passphrases so far, and when the next attempt is allowed
// Every change is one IndexedDB transaction: it commits whole or not at all.
import type { WrappedKey } from './passphrase-key';

const DB_NAME = 'keyring-for-zulip';
const STORE = 'keys';

export type Migration = 'to-passphrase' | 'to-plain';

export interface UnlockFailures {
  count: number;
  /** When the next attempt is allowed (epoch ms); 0 when at once. */
  retryAt: number;
}

export interface VaultRecords {
  'sealing-key': CryptoKey;
  'wrapped-key': WrappedKey;
  migration: Migration;
  'unlock-failures': UnlockFailures;
}
type Name = keyof VaultRecords;
const NAMES: Name[] = ['sealing-key', 'wrapped-key', 'migration', 'unlock-failures'];

function promisify<T>(request: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error ?? new Error('IndexedDB request failed'));
  });
}

function completion(transaction: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    transaction.oncomplete = () => resolve();
    transaction.onerror = () => reject(transaction.error ?? new Error('IndexedDB transaction failed'));
    transaction.onabort = () => reject(transaction.error ?? new Error('IndexedDB transaction aborted'));
  });
}

function openDatabase(factory: IDBFactory): Promise<IDBDatabase> {
  const request = factory.open(DB_NAME, 1);
  request.onupgradeneeded = () => request.result.createObjectStore(STORE);
  return promisify(request);
}

function generatePlainKey(): Promise<CryptoKey> {
  return crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt']);
}

export function createKeyVault(factory: () => IDBFactory = () => indexedDB) {
  async function withDatabase<T>(work: (db: IDBDatabase) => Promise<T>): Promise<T> {
    const db = await openDatabase(factory());
    try {
      return await work(db);
    } finally {
      db.close();
    }
  }

  async function readAll(store: IDBObjectStore): Promise<Partial<VaultRecords>> {
    const values = await Promise.all(NAMES.map((name) => promisify(store.get(name))));
    const records: Partial<Record<Name, unknown>> = {};
    NAMES.forEach((name, index) => {
      if (values[index] !== undefined) records[name] = values[index];
    });
    return records as Partial<VaultRecords>;
  }

  return {
    read(): Promise<Partial<VaultRecords>> {
      return withDatabase((db) => readAll(db.transaction(STORE, 'readonly').objectStore(STORE)));
    },

    /**
     * The records, with a sealing key created first if there is neither a key nor a passphrase (a
     * fresh install). Checked and created in one transaction: concurrent first calls, or one
     * racing the lock being turned on, never leave two keys or a key beside a passphrase.
     */
    async readOrCreate(): Promise<Partial<VaultRecords>> {
      const existing = await this.read();
      if (existing['sealing-key'] || existing['wrapped-key']) return existing;
      // Generated outside the transaction: an IndexedDB transaction commits once nothing is pending.
      const created = await generatePlainKey();
      return withDatabase(async (db) => {
        const transaction = db.transaction(STORE, 'readwrite');
        const store = transaction.objectStore(STORE);
        const records = await readAll(store);
        if (!records['sealing-key'] && !records['wrapped-key']) {
          store.add(created, 'sealing-key');
          records['sealing-key'] = created;
        }
        await completion(transaction);
        return records;
      });
    },

    /** Writes and removes records in one transaction. */
    write(put: Partial<VaultRecords>, remove: Name[] = []): Promise<void> {
      return withDatabase(async (db) => {
        const transaction = db.transaction(STORE, 'readwrite');
        const store = transaction.objectStore(STORE);
        for (const [name, value] of Object.entries(put)) store.put(value, name);
        for (const name of remove) store.delete(name);
        await completion(transaction);
      });
    },

    generatePlainKey,
  };
}
export type KeyVault = ReturnType<typeof createKeyVault>;
