// The background's memory of a realm's sign-in rate limit on a username, through the router,
// against the fake Zulip server over real HTTP, with an injected clock.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDemoRealm, DESDEMONA, IAGO } from '../../../test/fake-zulip/demo-realm';
import { startFakeZulip, type FakeZulipServer } from '../../../test/fake-zulip/fake-zulip-server';
import { createTestDeps, grantHost, POPUP_SENDER as popup } from '../../../test/unit/background-deps';
import { EXTENSION_ID, EXTENSION_ORIGIN, fake } from '../../../test/unit/fake-browser';
import { createMessageRouter } from '../messaging/message-router';
import { createSignInBackoff, signInBackoffKey } from './sign-in-backoff';

const START = Date.UTC(2026, 0, 1, 12, 0, 0);

let server: FakeZulipServer;
let clock: number;
let route: ReturnType<typeof createMessageRouter>;

/** A background as a fresh worker would build it: nothing carried over but storage. */
const startBackground = () => createMessageRouter(createTestDeps({ now: () => clock }), { id: EXTENSION_ID, baseUrl: `${EXTENSION_ORIGIN}/` });
const signIn = (password: string = IAGO.password, realmUrl = server.url, username: string = IAGO.email) => route({ type: 'account.signIn', realmUrl, username, password }, popup);
const lockOf = (realmUrl = server.url, username: string = IAGO.email) => route({ type: 'account.signInLock', realmUrl, username }, popup);
const apiKeyRequests = () => server.requests.filter((request) => request.path === '/api/v1/fetch_api_key').length;

/** What Zulip answers over the limit: the spec's own example, a float retry-after of 28.7 s. */
function rateLimitOnce(retryAfter = 28.706807374954224) {
  server.override('/api/v1/fetch_api_key', (_req, res) => {
    server.override('/api/v1/fetch_api_key', null);
    res.writeHead(429, { 'Content-Type': 'application/json', 'Retry-After': String(retryAfter) });
    res.end(`{"code":"RATE_LIMIT_HIT","msg":"API usage exceeded rate limit","result":"error","retry-after":${retryAfter}}`);
  });
}

beforeEach(async () => {
  server = await startFakeZulip({ realm: createDemoRealm() });
  grantHost(server.url);
  clock = START;
  route = startBackground();
});
afterEach(() => server.close());

describe('after a 429 the background refuses sign-ins for that realm and username until retry-after has passed', () => {
  it('answers with the same code, message and time, without sending anything', async () => {
    rateLimitOnce();
    const first = await signIn();
    const retryAt = START + 29_000;
    expect(first).toEqual({ ok: false, error: { code: 'RATE_LIMIT_HIT', message: expect.stringMatching(/^Too many sign-in attempts for this account\. The server accepts the next one at /), retryAt } });
    const seen = server.requests.length;

    clock = retryAt - 1;
    expect(await signIn()).toEqual(first);
    expect(await signIn('another guess')).toEqual(first);
    expect(server.requests).toHaveLength(seen);
    expect(await lockOf()).toEqual({ ok: true, lock: first.ok ? null : first.error });
  });

  it('lets the next attempt through once the time has come', async () => {
    rateLimitOnce();
    await signIn();
    clock = START + 29_000;
    expect(await lockOf()).toEqual({ ok: true, lock: null });
    expect(await signIn()).toMatchObject({ ok: true, account: { email: IAGO.email } });
    expect(apiKeyRequests()).toBe(2);
  });

  it('remembers across a restarted worker, in storage.session, with nothing secret beside it', async () => {
    rateLimitOnce();
    await signIn('a wrong guess');
    route = startBackground();
    clock = START + 10_000;
    expect(await signIn()).toMatchObject({ ok: false, error: { code: 'RATE_LIMIT_HIT', retryAt: START + 29_000 } });
    expect(apiKeyRequests()).toBe(1);
    // Beside it, until a popup takes it, only how the last sign-in ended (sign-in-outcomes.ts).
    const kept = await route({ type: 'account.signInOutcome' }, popup);
    expect(kept).toMatchObject({ ok: true, outcome: { ok: false, error: { code: 'RATE_LIMIT_HIT' } } });
    expect(JSON.stringify(kept)).not.toContain(IAGO.password);
    expect(fake.browser.storage.session.snapshot()).toEqual({ [`signInRetryAt:["${server.url}","${IAGO.email}"]`]: START + 29_000 });
    expect(Object.keys(fake.browser.storage.local.snapshot()).filter((key) => key.startsWith('account:'))).toEqual([]);
  });

  it('holds for that realm only', async () => {
    const other = await startFakeZulip({ realm: createDemoRealm({ name: 'Other' }) });
    try {
      grantHost(other.url);
      rateLimitOnce();
      await signIn();
      expect(await signIn(IAGO.password, other.url)).toMatchObject({ ok: true });
      expect(await lockOf(other.url)).toEqual({ ok: true, lock: null });
    } finally {
      await other.close();
    }
  });

  it('holds for that username only: another person on the same realm reaches the server and signs in', async () => {
    rateLimitOnce();
    await signIn();
    expect(await lockOf(server.url, DESDEMONA.email)).toEqual({ ok: true, lock: null });
    expect(await signIn(DESDEMONA.password, server.url, DESDEMONA.email)).toMatchObject({ ok: true, account: { email: DESDEMONA.email } });
    expect(apiKeyRequests()).toBe(2);
    expect(await signIn()).toMatchObject({ ok: false, error: { code: 'RATE_LIMIT_HIT', retryAt: START + 29_000 } });
    expect(apiKeyRequests()).toBe(2);
  });

  it('holds for the username exactly as sent, as Zulip counts it', async () => {
    rateLimitOnce();
    await signIn();
    const otherwiseSpelled = IAGO.email.toUpperCase();
    expect(await lockOf(server.url, otherwiseSpelled)).toEqual({ ok: true, lock: null });
    expect(await signIn(IAGO.password, server.url, otherwiseSpelled)).toMatchObject({ ok: true, account: { email: IAGO.email } });
    expect(apiKeyRequests()).toBe(2);
  });

  it('is lifted by a success for that username, as Zulip empties its bucket', async () => {
    // The 429 comes back while an earlier attempt with the right password is still on its way,
    // the only order in which a success can follow a remembered lock.
    let arrived!: () => void;
    const successArrived = new Promise<void>((resolve) => (arrived = resolve));
    let releaseSuccess!: () => void;
    const successHeld = new Promise<void>((resolve) => (releaseSuccess = resolve));
    server.override('/api/v1/fetch_api_key', async (_req, res, body) => {
      arrived();
      server.override('/api/v1/fetch_api_key', (_req, refused) => {
        server.override('/api/v1/fetch_api_key', null);
        refused.writeHead(429, { 'Content-Type': 'application/json', 'Retry-After': '28.7' });
        refused.end('{"code":"RATE_LIMIT_HIT","msg":"API usage exceeded rate limit","result":"error","retry-after":28.7}');
        releaseSuccess();
      });
      await successHeld;
      const accepted = await fetch(`${server.url}/api/v1/fetch_api_key`, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body });
      res.writeHead(accepted.status, { 'Content-Type': 'application/json' });
      res.end(await accepted.text());
    });
    const success = signIn();
    await successArrived;
    expect(await signIn('a wrong guess')).toMatchObject({ ok: false, error: { code: 'RATE_LIMIT_HIT' } });
    expect(await lockOf()).toMatchObject({ ok: true, lock: { code: 'RATE_LIMIT_HIT' } });
    expect(await success).toMatchObject({ ok: true, account: { email: IAGO.email } });
    expect(await lockOf()).toEqual({ ok: true, lock: null });
    // A popup closed meanwhile is told of the attempt made last, the one it would be waiting for.
    expect(await route({ type: 'account.signInOutcome' }, popup)).toMatchObject({ ok: true, outcome: { ok: false, error: { code: 'RATE_LIMIT_HIT' } } });
    expect(fake.browser.storage.session.snapshot()).toEqual({});
  });

  it('the real limiter: the sixth attempt is refused by the server, the seventh by the background; others sign in meanwhile', async () => {
    for (let attempt = 0; attempt < 5; attempt++) expect(await signIn('wrong')).toMatchObject({ ok: false, error: { code: 'AUTHENTICATION_FAILED' } });
    expect(await signIn()).toMatchObject({ ok: false, error: { code: 'RATE_LIMIT_HIT' } });
    expect(await signIn()).toMatchObject({ ok: false, error: { code: 'RATE_LIMIT_HIT' } });
    expect(apiKeyRequests()).toBe(6);
    expect(await signIn(DESDEMONA.password, server.url, DESDEMONA.email)).toMatchObject({ ok: true, account: { email: DESDEMONA.email } });
    expect(apiKeyRequests()).toBe(7);
  });
});

describe('what does not lock', () => {
  it('a 429 that does not say for how long', async () => {
    server.override('/api/v1/fetch_api_key', (_req, res) => {
      server.override('/api/v1/fetch_api_key', null);
      res.writeHead(429, { 'Content-Type': 'text/html' });
      res.end('<h1>Slow down</h1>');
    });
    expect(await signIn()).toMatchObject({ ok: false, error: { code: 'RATE_LIMIT_HIT', message: 'Too many sign-in attempts for this account. Wait a while before trying again.' } });
    expect(await lockOf()).toEqual({ ok: true, lock: null });
    expect(await signIn()).toMatchObject({ ok: true });
  });

  it('a stored value that is not a time, or a storage that fails', async () => {
    await fake.browser.storage.session.set({ [signInBackoffKey(server.url, IAGO.email)]: 'tomorrow' });
    expect(await signIn()).toMatchObject({ ok: true });
    const failing = { get: () => Promise.reject(new Error('gone')), set: () => Promise.reject(new Error('gone')), remove: () => Promise.reject(new Error('gone')) };
    const backoff = createSignInBackoff(failing, () => clock);
    await expect(backoff.remember(server.url, IAGO.email, START + 1000)).resolves.toBeUndefined();
    await expect(backoff.retryAt(server.url, IAGO.email)).resolves.toBeNull();
    await expect(backoff.forget(server.url, IAGO.email)).resolves.toBeUndefined();
  });
});
