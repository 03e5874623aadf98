// Everything the extension can persist, read from one of its own pages, for test/e2e/harness/secret-scan.ts:
// the storage areas, every IndexedDB database of the extension's origin (every object store, every record),
// the registered content scripts, the origin's localStorage, cookies, Cache Storage and private file system.
import type { ExtensionBrowser } from './extension-browser';

export interface IndexedDbRecord {
  key: unknown;
  value: unknown;
}

export interface PersistedState {
  storageLocal: Record<string, unknown>;
  storageSession: Record<string, unknown>;
  storageSync: Record<string, unknown>;
  indexedDb: { name: string; version: number; stores: { name: string; records: IndexedDbRecord[] }[] }[];
  registeredContentScripts: unknown[];
  localStorage: Record<string, string>;
  cookies: string;
  cacheStorage: { cache: string; entries: { url: string; body: unknown }[] }[];
  privateFiles: { path: string; content: unknown }[];
  /** Places this browser does not offer to extension pages, with its reason: the extension cannot persist there either. */
  unavailable: Record<string, string>;
}

/**
 * Runs in the extension page (sent as source text: self-contained). Values that JSON cannot carry are described:
 * bytes (ArrayBuffer, typed arrays, Blobs) as `{ $bytes: hex, $utf8: text }` so that both forms can be scanned,
 * and a CryptoKey as `{ $cryptoKey: {type, extractable, algorithm, usages, raw} }`, where `raw` is the exported key
 * as hex if the browser lets it out, or the name of the refusal for a non-extractable key (the sealing key).
 */
export const collectPersistedStateInPage = async (): Promise<PersistedState> => {
  interface Api {
    storage: Record<'local' | 'session' | 'sync', { get(keys: null): Promise<Record<string, unknown>> }>;
    scripting: { getRegisteredContentScripts(): Promise<unknown[]> };
  }
  const world = globalThis as unknown as { browser?: Api; chrome: Api };
  const api = world.browser ?? world.chrome;
  const unavailable: Record<string, string> = {};
  const reason = (error: unknown) => (error instanceof Error ? `${error.name}: ${error.message}` : String(error));

  const bytes = (data: ArrayBuffer | ArrayBufferView) => {
    const view = data instanceof ArrayBuffer ? new Uint8Array(data) : new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    return {
      $bytes: Array.from(view, (b) => b.toString(16).padStart(2, '0')).join(''),
      $utf8: new TextDecoder().decode(view),
    };
  };
  const describe = async (value: unknown): Promise<unknown> => {
    if (value === null || typeof value !== 'object') return typeof value === 'bigint' ? String(value) : value;
    if (value instanceof CryptoKey) {
      let raw: string;
      try {
        raw = bytes(await crypto.subtle.exportKey('raw', value)).$bytes;
      } catch (error) {
        raw = `export refused (${error instanceof Error ? error.name : String(error)})`;
      }
      return { $cryptoKey: { type: value.type, extractable: value.extractable, algorithm: value.algorithm, usages: value.usages, raw } };
    }
    if (value instanceof ArrayBuffer || ArrayBuffer.isView(value)) return bytes(value);
    if (value instanceof Blob) return bytes(await value.arrayBuffer());
    if (value instanceof Date) return value.toISOString();
    if (value instanceof Map) return describe([...value.entries()]);
    if (value instanceof Set) return describe([...value.values()]);
    if (Array.isArray(value)) return Promise.all(value.map(describe));
    const out: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(value)) out[key] = await describe(inner);
    return out;
  };
  const request = <T,>(req: IDBRequest<T>) =>
    new Promise<T>((resolve, reject) => {
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });

  const area = async (name: 'local' | 'session' | 'sync') => {
    try {
      return (await describe(await api.storage[name].get(null))) as Record<string, unknown>;
    } catch (error) {
      unavailable[`storage.${name}`] = reason(error);
      return {};
    }
  };

  const indexedDb: PersistedState['indexedDb'] = [];
  try {
    for (const info of await indexedDB.databases()) {
      if (!info.name) continue;
      const db = await request(indexedDB.open(info.name));
      try {
        const stores = [];
        for (const storeName of Array.from(db.objectStoreNames)) {
          const store = db.transaction(storeName, 'readonly').objectStore(storeName);
          const [keys, values] = await Promise.all([request(store.getAllKeys()), request(store.getAll())]);
          const records = [];
          for (let i = 0; i < keys.length; i++) records.push({ key: await describe(keys[i]), value: await describe(values[i]) });
          stores.push({ name: storeName, records });
        }
        indexedDb.push({ name: info.name, version: db.version, stores });
      } finally {
        db.close();
      }
    }
  } catch (error) {
    unavailable.indexedDB = reason(error);
  }

  const localStorageCopy: Record<string, string> = {};
  for (let i = 0; i < localStorage.length; i++) {
    const key = localStorage.key(i);
    if (key !== null) localStorageCopy[key] = localStorage.getItem(key) ?? '';
  }

  const cacheStorage: PersistedState['cacheStorage'] = [];
  try {
    for (const name of await caches.keys()) {
      const cache = await caches.open(name);
      const entries = [];
      for (const req of await cache.keys()) {
        const response = await cache.match(req);
        entries.push({ url: req.url, body: response ? bytes(await response.arrayBuffer()) : null });
      }
      cacheStorage.push({ cache: name, entries });
    }
  } catch (error) {
    unavailable.cacheStorage = reason(error);
  }

  const privateFiles: PersistedState['privateFiles'] = [];
  try {
    type Dir = FileSystemDirectoryHandle & { entries(): AsyncIterable<[string, FileSystemHandle]> };
    const walk = async (dir: Dir, prefix: string): Promise<void> => {
      for await (const [name, handle] of dir.entries()) {
        if (handle.kind === 'directory') await walk(handle as Dir, `${prefix}${name}/`);
        else privateFiles.push({ path: prefix + name, content: bytes(await (await (handle as FileSystemFileHandle).getFile()).arrayBuffer()) });
      }
    };
    await walk((await navigator.storage.getDirectory()) as Dir, '/');
  } catch (error) {
    unavailable.privateFiles = reason(error);
  }

  let registeredContentScripts: unknown[] = [];
  try {
    registeredContentScripts = await api.scripting.getRegisteredContentScripts();
  } catch (error) {
    unavailable.registeredContentScripts = reason(error);
  }

  return {
    storageLocal: await area('local'),
    storageSession: await area('session'),
    storageSync: await area('sync'),
    indexedDb,
    registeredContentScripts,
    localStorage: localStorageCopy,
    cookies: document.cookie,
    cacheStorage,
    privateFiles,
    unavailable,
  };
};

export function readPersistedState(browser: ExtensionBrowser): Promise<PersistedState> {
  return browser.evaluateInExtensionPage(collectPersistedStateInPage);
}

/** One scan source per place, named so that a finding says where it is. */
export function persistedSources(state: PersistedState): Record<string, string> {
  const sources: Record<string, string> = {
    'storage.local': JSON.stringify(state.storageLocal),
    'storage.session': JSON.stringify(state.storageSession),
    'storage.sync': JSON.stringify(state.storageSync),
    'registered content scripts': JSON.stringify(state.registeredContentScripts),
    localStorage: JSON.stringify(state.localStorage),
    cookies: state.cookies,
    'Cache Storage': JSON.stringify(state.cacheStorage),
    'private file system': JSON.stringify(state.privateFiles),
  };
  for (const db of state.indexedDb) {
    for (const store of db.stores) sources[`IndexedDB ${db.name}/${store.name}`] = JSON.stringify(store.records);
  }
  return sources;
}
