// An in-memory stand-in for webextension-polyfill, covering only the APIs the extension uses.
// It follows the real browsers where they agree (values are structured-cloned, a Promise-returning
// onMessage listener is the reply, registering a duplicate content-script id throws), and the
// end-to-end tests in real Chromium and Firefox keep it honest.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

type Listener<A extends unknown[]> = (...args: A) => unknown;

class FakeEvent<A extends unknown[]> {
  readonly listeners = new Set<Listener<A>>();
  addListener(listener: Listener<A>): void {
    this.listeners.add(listener);
  }
  removeListener(listener: Listener<A>): void {
    this.listeners.delete(listener);
  }
  hasListener(listener: Listener<A>): boolean {
    return this.listeners.has(listener);
  }
}

type StorageChanges = Record<string, { oldValue?: unknown; newValue?: unknown }>;

/** Like the browsers, tells its onChanged listeners after the write, never during it. */
class FakeStorageArea {
  private data = new Map<string, unknown>();
  readonly onChanged = new FakeEvent<[StorageChanges]>();
  private changed(keys: Iterable<string>, write: () => void): void {
    const changes: StorageChanges = {};
    for (const key of keys) changes[key] = { oldValue: structuredClone(this.data.get(key)) };
    write();
    for (const [key, change] of Object.entries(changes)) {
      if (this.data.has(key)) change.newValue = structuredClone(this.data.get(key));
    }
    if (Object.keys(changes).length === 0) return;
    queueMicrotask(() => {
      for (const listener of this.onChanged.listeners) listener(changes);
    });
  }
  async get(keys?: string | string[] | Record<string, unknown> | null): Promise<Record<string, unknown>> {
    const result: Record<string, unknown> = {};
    const wanted =
      keys === null || keys === undefined
        ? [...this.data.keys()]
        : typeof keys === 'string'
          ? [keys]
          : Array.isArray(keys)
            ? keys
            : Object.keys(keys);
    for (const key of wanted) {
      if (this.data.has(key)) result[key] = structuredClone(this.data.get(key));
      else if (keys && typeof keys === 'object' && !Array.isArray(keys)) result[key] = keys[key];
    }
    return result;
  }
  async set(items: Record<string, unknown>): Promise<void> {
    this.changed(Object.keys(items), () => {
      for (const [key, value] of Object.entries(items)) this.data.set(key, structuredClone(value));
    });
  }
  async remove(keys: string | string[]): Promise<void> {
    const removed = (typeof keys === 'string' ? [keys] : keys).filter((key) => this.data.has(key));
    this.changed(removed, () => {
      for (const key of removed) this.data.delete(key);
    });
  }
  async clear(): Promise<void> {
    this.changed([...this.data.keys()], () => this.data.clear());
  }
  snapshot(): Record<string, unknown> {
    return Object.fromEntries([...this.data].map(([key, value]) => [key, structuredClone(value)]));
  }
}

interface LocaleMessage {
  message: string;
  placeholders?: Record<string, { content: string }>;
}
const localeFile = fileURLToPath(new URL('../../public/_locales/en/messages.json', import.meta.url));
const locale = JSON.parse(readFileSync(localeFile, 'utf8')) as Record<string, LocaleMessage>;

/** chrome.i18n.getMessage's rules: named $PLACEHOLDER$s resolve to their content, then $1..$9 to substitutions. */
function getMessage(name: string, substitutions?: string | string[]): string {
  const entry = locale[name];
  if (!entry) return '';
  const subs = substitutions === undefined ? [] : Array.isArray(substitutions) ? substitutions : [substitutions];
  const placeholders = Object.fromEntries(
    Object.entries(entry.placeholders ?? {}).map(([key, value]) => [key.toLowerCase(), value.content]),
  );
  return entry.message
    .replace(/\$([A-Za-z0-9_@]+)\$/g, (match, key: string) => placeholders[key.toLowerCase()] ?? match)
    .replace(/\$(\d)/g, (_, index: string) => subs[Number(index) - 1] ?? '')
    .replace(/\$\$/g, '$');
}

export interface RegisteredScript {
  id: string;
  matches?: string[];
  js?: string[];
  runAt?: string;
  allFrames?: boolean;
  persistAcrossSessions?: boolean;
}

export interface FakeSender {
  id?: string;
  url?: string;
  origin?: string;
  tab?: { id: number; url?: string };
  frameId?: number;
}

export const EXTENSION_ID = 'fakeextensionid';
export const EXTENSION_ORIGIN = `chrome-extension://${EXTENSION_ID}`;

function createFakeBrowser() {
  const granted = new Set<string>();
  const scripts = new Map<string, RegisteredScript>();
  const onMessage = new FakeEvent<[unknown, FakeSender]>();
  /** Open tabs by id, with the URL each was opened at. */
  const tabs = new Map<number, { url: string }>();
  let nextTabId = 1;
  const onTabRemoved = new FakeEvent<[number, unknown]>();
  /** Alarm names and when each fires (epoch ms); firing is the test's to do. */
  const alarms = new Map<string, number>();
  const state = {
    /** What the next permissions.request answers, as if the person pressed Allow or Deny. */
    permissionAnswer: true,
    permissionRequests: [] as string[][],
    /** Who sendMessage pretends to be; defaults to an extension page. */
    sender: { id: EXTENSION_ID, url: `${EXTENSION_ORIGIN}/src/popup/popup.html`, origin: EXTENSION_ORIGIN } as FakeSender,
  };

  const browser = {
    runtime: {
      id: EXTENSION_ID,
      getURL: (path: string) => `${EXTENSION_ORIGIN}/${path.replace(/^\//, '')}`,
      onMessage,
      onInstalled: new FakeEvent<[unknown]>(),
      onStartup: new FakeEvent<[]>(),
      async sendMessage(message: unknown): Promise<unknown> {
        const cloned = structuredClone(message);
        for (const listener of onMessage.listeners) {
          const reply = listener(cloned, structuredClone(state.sender));
          if (reply instanceof Promise) return structuredClone(await reply);
        }
        throw new Error('Could not establish connection. Receiving end does not exist.');
      },
    },
    storage: { local: new FakeStorageArea(), session: new FakeStorageArea() },
    tabs: {
      async create({ url }: { url: string; active?: boolean }): Promise<{ id: number }> {
        const id = nextTabId++;
        tabs.set(id, { url });
        return { id };
      },
      async remove(tabId: number): Promise<void> {
        if (!tabs.delete(tabId)) throw new Error(`No tab with id: ${tabId}.`);
        for (const listener of onTabRemoved.listeners) void listener(tabId, {});
      },
      onRemoved: onTabRemoved,
    },
    alarms: {
      create(name: string, { when }: { when: number }): Promise<void> {
        alarms.set(name, when);
        return Promise.resolve();
      },
      clear(name: string): Promise<boolean> {
        return Promise.resolve(alarms.delete(name));
      },
      onAlarm: new FakeEvent<[{ name: string }]>(),
    },
    i18n: { getMessage, getUILanguage: () => 'en' },
    permissions: {
      async getAll(): Promise<{ origins: string[]; permissions: string[] }> {
        return { origins: [...granted], permissions: [] };
      },
      async contains({ origins = [] }: { origins?: string[] }): Promise<boolean> {
        return origins.every((origin) => granted.has(origin));
      },
      async request({ origins = [] }: { origins?: string[] }): Promise<boolean> {
        state.permissionRequests.push(origins);
        if (state.permissionAnswer) for (const origin of origins) granted.add(origin);
        return state.permissionAnswer;
      },
      async remove({ origins = [] }: { origins?: string[] }): Promise<boolean> {
        for (const origin of origins) granted.delete(origin);
        return true;
      },
    },
    scripting: {
      async registerContentScripts(list: RegisteredScript[]): Promise<void> {
        for (const script of list) {
          if (scripts.has(script.id)) throw new Error(`Duplicate script ID '${script.id}'`);
        }
        for (const script of list) scripts.set(script.id, structuredClone(script));
      },
      async getRegisteredContentScripts(filter?: { ids?: string[] }): Promise<RegisteredScript[]> {
        return [...scripts.values()].filter((script) => !filter?.ids || filter.ids.includes(script.id)).map((s) => structuredClone(s));
      },
      async unregisterContentScripts(filter?: { ids?: string[] }): Promise<void> {
        const ids = filter?.ids ?? [...scripts.keys()];
        for (const id of ids) {
          if (!scripts.has(id)) throw new Error(`Nonexistent script ID '${id}'`);
        }
        for (const id of ids) scripts.delete(id);
      },
    },
  };

  function reset(): void {
    granted.clear();
    tabs.clear();
    alarms.clear();
    onTabRemoved.listeners.clear();
    browser.alarms.onAlarm.listeners.clear();
    scripts.clear();
    onMessage.listeners.clear();
    browser.runtime.onInstalled.listeners.clear();
    browser.runtime.onStartup.listeners.clear();
    void browser.storage.local.clear();
    void browser.storage.session.clear();
    browser.storage.local.onChanged.listeners.clear();
    browser.storage.session.onChanged.listeners.clear();
    state.permissionAnswer = true;
    state.permissionRequests = [];
    state.sender = { id: EXTENSION_ID, url: `${EXTENSION_ORIGIN}/src/popup/popup.html`, origin: EXTENSION_ORIGIN };
  }

  return { browser, state, granted, tabs, alarms, reset };
}

export const fake = createFakeBrowser();
export default fake.browser;
