import type { StorageAreaLike } from './storage-area';
import { describe, expect, it } from 'vitest';
import type { RealmInfo } from '../shared/zulip/realm-info';
import { createDraftStore, DRAFT_KEY, parseDraft, type Draft } from './popup-draft';

const realm: RealmInfo = {
  realmUrl: 'https://chat.example.com',
  name: 'Example',
  iconUrl: 'https://chat.example.com/icon.png',
  zulipVersion: '10.1',
  featureLevel: 360,
  passwordAuth: true,
  usernameIsEmail: true,
  externalMethods: [{ name: 'google', displayName: 'Google', iconUrl: 'https://chat.example.com/static/google.png', loginUrl: '/accounts/login/social/google', completionOrigin: null }],
  devAuth: true,
};

function memoryArea() {
  const data = new Map<string, unknown>();
  const area: StorageAreaLike = {
    // The draft store reads and removes one key at a time.
    async get(key: string) {
      return data.has(key) ? { [key]: structuredClone(data.get(key)) } : {};
    },
    async set(items) {
      for (const [key, value] of Object.entries(items)) data.set(key, structuredClone(value));
    },
    async remove(key: string) {
      data.delete(key);
    },
  };
  return { area, data };
}

describe('draft store', () => {
  it('saves and restores each step', async () => {
    const { area } = memoryArea();
    const store = createDraftStore(area);
    const server: Draft = { step: 'server', serverUrl: 'chat.example.com', awaitingPermission: 'https://chat.example.com' };
    await store.save(server);
    await expect(store.load()).resolves.toEqual(server);
    const signin: Draft = { step: 'signin', serverUrl: 'chat.example.com', origin: 'https://chat.example.com', realm, username: 'iago@zulip.com' };
    await store.save(signin);
    await expect(store.load()).resolves.toEqual(signin);
    await store.clear();
    await expect(store.load()).resolves.toBeNull();
  });

  it('never writes a password, even one smuggled into the draft object', async () => {
    const { area, data } = memoryArea();
    const store = createDraftStore(area);
    const draft = {
      step: 'signin',
      serverUrl: 'chat.example.com',
      origin: 'https://chat.example.com',
      realm: { ...realm, password: 'hunter2' },
      username: 'iago@zulip.com',
      password: 'hunter2',
    } as Draft;
    await store.save(draft);
    expect(JSON.stringify(data.get(DRAFT_KEY))).not.toContain('hunter2');
    expect(Object.keys(data.get(DRAFT_KEY) as object).sort()).toEqual(['origin', 'realm', 'serverUrl', 'step', 'username']);
  });

  it.each([
    ['https://me:hunter2@chat.example.com/path', 'https://chat.example.com/path'],
    ['me:hunter2@chat.example.com', 'chat.example.com'],
    ['https://me:p@ss:hunter2@chat.example.com', 'https://chat.example.com'],
    ['https://me:hunter2@chat.example.com\\x@y', 'https://chat.example.com\\x@y'],
  ])('drops the password typed into the server URL %s', async (typed, kept) => {
    const { area, data } = memoryArea();
    await createDraftStore(area).save({ step: 'server', serverUrl: typed });
    expect(data.get(DRAFT_KEY)).toEqual({ step: 'server', serverUrl: kept });
  });

  it.each(['me@example.com', 'https://me@chat.example.com', 'localhost:9991', 'chat.example.com/a:b@c'])('keeps %s as typed: no password in it', async (typed) => {
    const { area, data } = memoryArea();
    await createDraftStore(area).save({ step: 'server', serverUrl: typed });
    expect(data.get(DRAFT_KEY)).toEqual({ step: 'server', serverUrl: typed });
  });

  it('does nothing without storage.session', async () => {
    const store = createDraftStore(undefined);
    await store.save({ step: 'server', serverUrl: 'x' });
    await expect(store.load()).resolves.toBeNull();
    await store.clear();
  });

  it('swallows storage failures', async () => {
    const failing: StorageAreaLike = {
      get: () => Promise.reject(new Error('quota')),
      set: () => Promise.reject(new Error('quota')),
      remove: () => Promise.reject(new Error('quota')),
    };
    const store = createDraftStore(failing);
    await expect(store.save({ step: 'server', serverUrl: 'x' })).resolves.toBeUndefined();
    await expect(store.load()).resolves.toBeNull();
    await expect(store.clear()).resolves.toBeUndefined();
  });
});

describe('parseDraft', () => {
  it('rejects what the popup did not write', () => {
    expect(parseDraft(undefined)).toBeNull();
    expect(parseDraft({ step: 'server' })).toBeNull();
    expect(parseDraft({ step: 'elsewhere', serverUrl: 'x' })).toBeNull();
    expect(parseDraft({ step: 'signin', serverUrl: 'x', origin: 'https://chat.example.com', username: 'a' })).toBeNull();
    expect(
      parseDraft({ step: 'signin', serverUrl: 'x', origin: 'https://chat.example.com', username: 'a', realm: { ...realm, realmUrl: 'javascript:alert(1)' } }),
    ).toBeNull();
    expect(parseDraft({ step: 'signin', serverUrl: 'x', origin: 'not an origin', username: 'a', realm })).toBeNull();
  });

  it('reads a realm saved without devAuth (before development servers were recognised) as not one, and refuses a devAuth that is not a boolean', () => {
    const { devAuth: _, ...older } = realm;
    const signin = { step: 'signin', serverUrl: 'x', origin: 'https://chat.example.com', username: 'a' };
    expect(parseDraft({ ...signin, realm: older })).toEqual({ ...signin, realm: { ...realm, devAuth: false } });
    expect(parseDraft({ ...signin, realm: { ...realm, devAuth: 'yes' } })).toBeNull();
  });

  it('drops an awaitingPermission that is not an origin', () => {
    expect(parseDraft({ step: 'server', serverUrl: 'x', awaitingPermission: 'https://a.example/path' })).toEqual({ step: 'server', serverUrl: 'x' });
  });
});

describe('draft store on the browser’s storage.session', () => {
  it('keeps the draft under popupDraft', async () => {
    const { default: browser } = await import('webextension-polyfill');
    const store = createDraftStore(browser.storage.session);
    await store.save({ step: 'server', serverUrl: 'chat.example.com' });
    await expect(browser.storage.session.get(DRAFT_KEY)).resolves.toEqual({ popupDraft: { step: 'server', serverUrl: 'chat.example.com' } });
    await expect(store.load()).resolves.toEqual({ step: 'server', serverUrl: 'chat.example.com' });
  });
});
