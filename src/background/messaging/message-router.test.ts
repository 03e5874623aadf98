import { beforeEach, describe, expect, it } from 'vitest';
import { EXTENSION_ID, EXTENSION_ORIGIN, type FakeSender } from '../../../test/unit/fake-browser';
import { createTestDeps, POPUP_SENDER as popup } from '../../../test/unit/background-deps';
import type { BackgroundDeps } from '../deps';
import { createMessageRouter } from './message-router';

const REALM_A = 'https://a.example.com';
const REALM_B = 'http://127.0.0.1:9991';
const KEY_A = 'gjA04ZYcqXKalvYMA8OeXSfzUOLrtbZv';
const KEY_B = 'Zx9Yw8Vu7Ts6Rq5Po4Nm3Lk2Jh1Gf0Ed';
const KEY_C = 'JTZZobwSnLzGkoMCGYyyiXcmslWzgzIP';

let deps: BackgroundDeps;
let route: ReturnType<typeof createMessageRouter>;

beforeEach(async () => {
  deps = createTestDeps();
  route = createMessageRouter(deps, { id: EXTENSION_ID, baseUrl: `${EXTENSION_ORIGIN}/` });
  for (const [realmUrl, apiKey, userId] of [[REALM_A, KEY_A, 5], [REALM_B, KEY_B, 6]] as const) {
    await deps.accounts.put({ realmUrl, realmName: realmUrl, realmIconUrl: null, email: `u${userId}@zulip.com`, userId, zulipVersion: '10.0', featureLevel: 371, apiKey });
  }
});

const popupInTab: FakeSender = { ...popup, tab: { id: 3 }, frameId: 0 };
const contentScript = (url: string, frameId = 0, extra: Partial<FakeSender> = {}): FakeSender => ({ id: EXTENSION_ID, url, tab: { id: 7, url }, frameId, ...extra });

type Outcome = 'A' | 'B' | 'FORBIDDEN' | 'NOT_FOUND' | 'INVALID_REQUEST';

// Each sender kind × each realm asked for; the expected outcome is the policy, written out by hand.
const matrix: Array<[string, FakeSender, Record<'none' | 'A' | 'B' | 'unknown', Outcome>]> = [
  ['extension popup', popup, { none: 'INVALID_REQUEST', A: 'A', B: 'B', unknown: 'NOT_FOUND' }],
  ['extension page opened in a tab', popupInTab, { none: 'INVALID_REQUEST', A: 'A', B: 'B', unknown: 'NOT_FOUND' }],
  ['content script, top frame of realm A', contentScript(`${REALM_A}/#narrow/stream/1`), { none: 'A', A: 'A', B: 'FORBIDDEN', unknown: 'FORBIDDEN' }],
  ['content script, top frame of realm B (Firefox: no sender.origin)', contentScript(`${REALM_B}/`), { none: 'B', A: 'FORBIDDEN', B: 'B', unknown: 'FORBIDDEN' }],
  ['content script, top frame of realm B (Chromium: with sender.origin)', contentScript(`${REALM_B}/`, 0, { origin: REALM_B }), { none: 'B', A: 'FORBIDDEN', B: 'B', unknown: 'FORBIDDEN' }],
  ['content script, sub-frame of realm A', contentScript(`${REALM_A}/embed`, 4), { none: 'FORBIDDEN', A: 'FORBIDDEN', B: 'FORBIDDEN', unknown: 'FORBIDDEN' }],
  ['content script on realm B host with another port', contentScript('http://127.0.0.1:9992/'), { none: 'NOT_FOUND', A: 'FORBIDDEN', B: 'FORBIDDEN', unknown: 'FORBIDDEN' }],
  ['content script on realm A host over http', contentScript('http://a.example.com/'), { none: 'NOT_FOUND', A: 'FORBIDDEN', B: 'FORBIDDEN', unknown: 'FORBIDDEN' }],
  ['content script whose sender.origin disagrees with its URL', contentScript(`${REALM_A}/`, 0, { origin: 'https://evil.example' }), { none: 'FORBIDDEN', A: 'FORBIDDEN', B: 'FORBIDDEN', unknown: 'FORBIDDEN' }],
  ['content script in an about:blank top frame', contentScript('about:blank'), { none: 'FORBIDDEN', A: 'FORBIDDEN', B: 'FORBIDDEN', unknown: 'FORBIDDEN' }],
  ['another extension', { ...popup, id: 'someotherextension' }, { none: 'FORBIDDEN', A: 'FORBIDDEN', B: 'FORBIDDEN', unknown: 'FORBIDDEN' }],
  ['another extension claiming our URL', { id: 'someotherextension', url: `${EXTENSION_ORIGIN}/x.html` }, { none: 'FORBIDDEN', A: 'FORBIDDEN', B: 'FORBIDDEN', unknown: 'FORBIDDEN' }],
  ['a sender without URL', { id: EXTENSION_ID, tab: { id: 1 }, frameId: 0 }, { none: 'FORBIDDEN', A: 'FORBIDDEN', B: 'FORBIDDEN', unknown: 'FORBIDDEN' }],
  ['a web page-like sender without a tab', { id: EXTENSION_ID, url: `${REALM_A}/` }, { none: 'FORBIDDEN', A: 'FORBIDDEN', B: 'FORBIDDEN', unknown: 'FORBIDDEN' }],
];

const asked = { none: undefined, A: `${REALM_A}/some/path`, B: REALM_B, unknown: 'https://unknown.example.com' } as const;

describe('credentials.get authorization matrix', () => {
  for (const [name, sender, expectations] of matrix) {
    for (const [which, outcome] of Object.entries(expectations) as Array<[keyof typeof asked, Outcome]>) {
      it(`${name}, asking for ${which === 'none' ? 'no realm' : `realm ${which}`} → ${outcome}`, async () => {
        const realm = asked[which];
        const reply = await route(realm === undefined ? { type: 'credentials.get' } : { type: 'credentials.get', realm }, sender);
        if (outcome === 'A' || outcome === 'B') {
          expect(reply).toEqual({
            ok: true,
            credentials: outcome === 'A'
              ? { realm: REALM_A, email: 'u5@zulip.com', apiKey: KEY_A, userId: 5 }
              : { realm: REALM_B, email: 'u6@zulip.com', apiKey: KEY_B, userId: 6 },
          });
        } else {
          expect(reply).toMatchObject({ ok: false, error: { code: outcome } });
          expect(JSON.stringify(reply)).not.toMatch(new RegExp(`${KEY_A}|${KEY_B}`));
        }
      });
    }
  }
});

describe('credentials.get for one of several accounts of an organization', () => {
  const realmPage = contentScript(`${REALM_A}/`);
  const U5 = { realm: REALM_A, email: 'u5@zulip.com', apiKey: KEY_A, userId: 5 };
  const U7 = { realm: REALM_A, email: 'u7@zulip.com', apiKey: KEY_C, userId: 7 };

  beforeEach(async () => {
    await deps.accounts.put({ realmUrl: REALM_A, realmName: REALM_A, realmIconUrl: null, email: U7.email, userId: 7, zulipVersion: '10.0', featureLevel: 371, apiKey: KEY_C });
  });

  it('answers the default (the first signed in) without email or userId, the one named by either otherwise', async () => {
    expect(await route({ type: 'credentials.get' }, realmPage)).toEqual({ ok: true, credentials: U5 });
    expect(await route({ type: 'credentials.get', email: 'U7@Zulip.com' }, realmPage)).toEqual({ ok: true, credentials: U7 });
    expect(await route({ type: 'credentials.get', userId: 7 }, realmPage)).toEqual({ ok: true, credentials: U7 });
    expect(await route({ type: 'credentials.get', realm: REALM_A, userId: 5 }, realmPage)).toEqual({ ok: true, credentials: U5 });
    expect(await route({ type: 'credentials.get', realm: REALM_A, email: U7.email }, popup)).toEqual({ ok: true, credentials: U7 });
  });

  it('answers NOT_FOUND for an account the organization does not have, even one of another organization', async () => {
    for (const message of [
      { type: 'credentials.get', userId: 6 },
      { type: 'credentials.get', email: 'u6@zulip.com' },
      { type: 'credentials.get', email: 'nobody@zulip.com' },
    ]) {
      const reply = await route(message, realmPage);
      expect(reply).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
      expect(JSON.stringify(reply)).not.toMatch(new RegExp(`${KEY_A}|${KEY_B}|${KEY_C}`));
    }
  });

  it('a page asking for another organization\'s account by id is refused before anything is looked up', async () => {
    expect(await route({ type: 'credentials.get', realm: REALM_B, userId: 6 }, realmPage)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  });

  it('account.makeDefault from the popup changes what a page gets by default, and refuses an unknown account', async () => {
    expect(await route({ type: 'account.makeDefault', realmUrl: `${REALM_A}/`, userId: 7 }, popup)).toMatchObject({ ok: true, account: { userId: 7, isDefault: true } });
    expect(await route({ type: 'credentials.get' }, realmPage)).toEqual({ ok: true, credentials: U7 });
    expect(await route({ type: 'account.makeDefault', realmUrl: REALM_A, userId: 6 }, popup)).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(await route({ type: 'account.makeDefault', realmUrl: 'not a url', userId: 7 }, popup)).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST' } });
    expect((await deps.accounts.get(REALM_A))?.userId).toBe(7);
  });

  it('account.remove removes the account it names; removing the default hands the default to the next', async () => {
    expect(await route({ type: 'account.remove', realmUrl: REALM_A, userId: 5 }, popup)).toEqual({ ok: true, removed: true });
    expect(await route({ type: 'credentials.get' }, realmPage)).toEqual({ ok: true, credentials: U7 });
    expect(await route({ type: 'account.remove', realmUrl: REALM_A, userId: 5 }, popup)).toEqual({ ok: true, removed: false });
    expect(await route({ type: 'credentials.get', userId: 5 }, realmPage)).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });
});

describe('message validation and the popup-only requests', () => {
  const realmPage = contentScript(`${REALM_A}/`);

  it.each([
    ['not an object', 'credentials.get'],
    ['no type', {}],
    ['unknown type', { type: 'credentials.steal' }],
    ['extra field', { type: 'credentials.get', realm: REALM_A, all: true }],
    ['realm of the wrong type', { type: 'credentials.get', realm: 42 }],
    ['realm that is not a URL', { type: 'credentials.get', realm: 'not a url' }],
    ['prototype pollution key', JSON.parse('{"type":"credentials.get","__proto__":{"admin":true}}')],
    ['huge realm', { type: 'credentials.get', realm: `https://${'a'.repeat(5000)}.com` }],
    ['both email and userId', { type: 'credentials.get', email: 'u5@zulip.com', userId: 5 }],
    ['userId that is not an integer', { type: 'credentials.get', userId: 5.5 }],
    ['userId as a string', { type: 'credentials.get', userId: '5' }],
    ['email of the wrong type', { type: 'credentials.get', email: 5 }],
    ['empty email', { type: 'credentials.get', email: '' }],
    ['account.remove without userId', { type: 'account.remove', realmUrl: REALM_A }],
  ])('%s → INVALID_REQUEST', async (_name, message) => {
    expect(await route(message, realmPage)).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST' } });
  });

  it.each([
    { type: 'accounts.list' },
    { type: 'account.remove', realmUrl: REALM_A, userId: 5 },
    { type: 'account.check', realmUrl: REALM_A, userId: 5 },
    { type: 'account.makeDefault', realmUrl: REALM_A, userId: 7 },
    { type: 'realm.lookup', serverUrl: REALM_A },
    { type: 'account.signIn', realmUrl: REALM_A, username: 'u5@zulip.com', password: 'x' },
  ])('a content script may not send $type', async (message) => {
    await deps.accounts.put({ realmUrl: REALM_A, realmName: REALM_A, realmIconUrl: null, email: 'u7@zulip.com', userId: 7, zulipVersion: '10.0', featureLevel: 371, apiKey: KEY_C });
    expect(await route(message, realmPage)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect((await deps.accounts.list()).map((account) => [account.userId, account.isDefault])).toEqual([
      [6, true],
      [5, true],
      [7, false],
    ]);
  });

  it('the popup lists accounts without their keys', async () => {
    const reply = await route({ type: 'accounts.list' }, popup);
    expect(reply.ok).toBe(true);
    expect(JSON.stringify(reply)).not.toMatch(new RegExp(`${KEY_A}|${KEY_B}|sealed`));
  });

  it('answers INTERNAL, without throwing, when a stored key cannot be opened', async () => {
    indexedDB.deleteDatabase('keyring-for-zulip');
    const fresh = createTestDeps();
    const freshRoute = createMessageRouter(fresh, { id: EXTENSION_ID, baseUrl: `${EXTENSION_ORIGIN}/` });
    expect(await freshRoute({ type: 'credentials.get' }, realmPage)).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
  });
});

describe('the per-tab limit on content scripts', () => {
  const START = 1_700_000_000_000;
  let clock: number;
  let reads: number;
  let limited: ReturnType<typeof createMessageRouter>;
  const inTab = (tabId: number): FakeSender => ({ id: EXTENSION_ID, url: `${REALM_A}/`, tab: { id: tabId }, frameId: 0 });
  const ask = (sender: FakeSender) => limited({ type: 'credentials.get' }, sender);

  beforeEach(() => {
    clock = START;
    reads = 0;
    const accounts = { ...deps.accounts, getWithKey: (realmUrl: string) => (reads++, deps.accounts.getWithKey(realmUrl)) };
    limited = createMessageRouter({ ...deps, accounts, now: () => clock }, { id: EXTENSION_ID, baseUrl: `${EXTENSION_ORIGIN}/` });
  });

  async function exhaust(sender: FakeSender): Promise<void> {
    for (let request = 1; request <= 60; request++) {
      expect(await ask(sender), `request ${request}`).toMatchObject({ ok: true, credentials: { apiKey: KEY_A } });
      clock += 100;
    }
  }

  it('answers 60 requests from a tab, and refuses the 61st before reading storage, saying when to ask again', async () => {
    await exhaust(inTab(7));
    const readsBefore = reads;
    const reply = await ask(inTab(7));
    expect(reply).toEqual({
      ok: false,
      error: {
        code: 'RATE_LIMITED',
        message: 'This tab asked for credentials more than 60 times in a minute. It may ask again in 54 seconds.',
        retryAt: START + 60_000,
      },
    });
    expect(reads).toBe(readsBefore);
  });

  it('counts each tab on its own', async () => {
    await exhaust(inTab(7));
    expect(await ask(inTab(7))).toMatchObject({ ok: false, error: { code: 'RATE_LIMITED' } });
    expect(await ask(inTab(8))).toMatchObject({ ok: true, credentials: { apiKey: KEY_A } });
  });

  it('counts refused requests of the tab too: sub-frames and other realms share its budget', async () => {
    for (let request = 0; request < 30; request++) await limited({ type: 'credentials.get' }, { ...inTab(7), frameId: 3 });
    for (let request = 0; request < 30; request++) await limited({ type: 'credentials.get', realm: REALM_B }, inTab(7));
    expect(await ask(inTab(7))).toMatchObject({ ok: false, error: { code: 'RATE_LIMITED' } });
  });

  it('does not limit the extension\'s own pages', async () => {
    for (let request = 0; request < 100; request++) {
      expect(await limited({ type: 'credentials.get', realm: REALM_A }, popupInTab)).toMatchObject({ ok: true });
    }
  });

  it('slides: one place frees when the oldest request is a minute old, a whole minute frees them all', async () => {
    await exhaust(inTab(7));
    clock = START + 60_000 - 1;
    expect(await ask(inTab(7))).toMatchObject({ ok: false, error: { code: 'RATE_LIMITED', retryAt: START + 60_000 } });
    clock = START + 60_000;
    expect(await ask(inTab(7))).toMatchObject({ ok: true });
    expect(await ask(inTab(7))).toMatchObject({ ok: false, error: { code: 'RATE_LIMITED', retryAt: START + 60_100 } });
    clock = START + 60_000 + 60_000;
    await exhaust(inTab(7));
  });

  it('refuses a content script that names no tab, rather than counting it nowhere', async () => {
    for (const tab of [undefined, {}, { id: -1 }, { id: 1.5 }, { id: '7' }]) {
      expect(await limited({ type: 'credentials.get' }, { ...inTab(7), tab } as FakeSender)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    }
  });
});
