import { beforeEach, describe, expect, it } from 'vitest';
import { EXTENSION_ID, EXTENSION_ORIGIN, type FakeSender } from '../../test/unit/fake-browser';
import { createTestDeps } from '../../test/unit/background-deps';
import type { BackgroundDeps } from './handlers/handler';
import { createMessageRouter } from './message-router';

const REALM_A = 'https://a.example.com';
const REALM_B = 'http://127.0.0.1:9991';
const KEY_A = 'gjA04ZYcqXKalvYMA8OeXSfzUOLrtbZv';
const KEY_B = 'Zx9Yw8Vu7Ts6Rq5Po4Nm3Lk2Jh1Gf0Ed';

let deps: BackgroundDeps;
let route: ReturnType<typeof createMessageRouter>;

beforeEach(async () => {
  deps = createTestDeps();
  route = createMessageRouter(deps, { id: EXTENSION_ID, baseUrl: `${EXTENSION_ORIGIN}/` });
  for (const [realmUrl, apiKey, userId] of [[REALM_A, KEY_A, 5], [REALM_B, KEY_B, 6]] as const) {
    await deps.accounts.put({ realmUrl, realmName: realmUrl, realmIconUrl: null, email: `u${userId}@zulip.com`, userId, zulipVersion: '10.0', featureLevel: 371, apiKey });
  }
});

const popup: FakeSender = { id: EXTENSION_ID, url: `${EXTENSION_ORIGIN}/src/popup/popup.html`, origin: EXTENSION_ORIGIN };
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
  ])('%s → INVALID_REQUEST', async (_name, message) => {
    expect(await route(message, realmPage)).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST' } });
  });

  it.each([
    { type: 'accounts.list' },
    { type: 'account.remove', realmUrl: REALM_A },
    { type: 'realm.lookup', serverUrl: REALM_A },
    { type: 'account.signIn', realmUrl: REALM_A, username: 'u5@zulip.com', password: 'x' },
  ])('a content script may not send $type', async (message) => {
    expect(await route(message, realmPage)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await deps.accounts.list()).toHaveLength(2);
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
