// Zulip's sign-in rate limit as the person meets it in the popup: the real popup (happy-dom)
// through the real background to the fake Zulip server. The background's side is in
// src/background/accounts/sign-in-backoff.test.ts.
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { createDemoRealm, DESDEMONA, IAGO } from '../fake-zulip/demo-realm';
import { startFakeZulip, type FakeZulipServer } from '../fake-zulip/fake-zulip-server';
import { popupOpener, startBackground, type PopupDom } from './popup-dom';

const FETCH_API_KEY = '/api/v1/fetch_api_key';
const LOCKED = 'Too many sign-in attempts for this account. The server accepts the next one at 2:32:29 PM.';

let server: FakeZulipServer;
const apiKeyRequests = () => server.requests.filter((request) => request.path === FETCH_API_KEY).length;

/** Zulip's answer over the limit, once; the server is fine afterwards. */
function rateLimitOnce(retryAfter: number) {
  server.override(FETCH_API_KEY, (_req, res) => {
    server.override(FETCH_API_KEY, null);
    res.writeHead(429, { 'Content-Type': 'application/json', 'Retry-After': String(retryAfter) });
    res.end(`{"code":"RATE_LIMIT_HIT","msg":"API usage exceeded rate limit","result":"error","retry-after":${retryAfter}}`);
  });
}

const { reopen, close: closePopup } = popupOpener();

/** Adds the realm and tries a password, ending on the sign-in form with the 429's sentence. */
async function hitTheLimit(): Promise<PopupDom> {
  const first = await reopen();
  await first.click('Add account');
  await first.fill('Server URL', server.url);
  await first.click('Continue');
  await first.fill('Email', IAGO.email);
  await first.fill('Password', IAGO.password);
  await first.click('Log in');
  await first.waitFor(() => first.alert(), 'the alert');
  return first;
}

// The background is started by each test, after the clock is set: it reads the time through Date.now.
beforeEach(async () => {
  server = await startFakeZulip({ realm: createDemoRealm() });
});
afterEach(async () => {
  await closePopup();
  vi.useRealTimers();
  await server.close();
});

it('a reopened popup shows the lock, keeps Log in disabled and sends nothing until the time', async () => {
  vi.useFakeTimers({ toFake: ['Date'], now: new Date(2026, 0, 15, 14, 32, 0) });
  startBackground();
  rateLimitOnce(28.706807374954224);
  expect((await hitTheLimit()).alert()).toBe(LOCKED);

  const again = await reopen();
  expect(await again.waitFor(() => again.alert(), 'the lock')).toBe(LOCKED);
  expect(again.field('Email')?.value).toBe(IAGO.email);
  expect(again.button('Log in')?.disabled).toBe(true);
  await again.fill('Password', IAGO.password);
  again.submitFrom('Password');
  await new Promise((resolve) => setTimeout(resolve, 100));
  expect(apiKeyRequests()).toBe(1);
});

it('once the time has passed, a reopened popup offers Log in again', async () => {
  vi.useFakeTimers({ toFake: ['Date'], now: new Date(2026, 0, 15, 14, 32, 0) });
  startBackground();
  rateLimitOnce(28.706807374954224);
  await hitTheLimit();
  vi.setSystemTime(new Date(2026, 0, 15, 14, 32, 29));

  const again = await reopen();
  await again.fill('Password', IAGO.password);
  await again.click('Log in');
  await again.waitFor(() => again.text().includes(`Signed in to Zulip Dev as ${IAGO.email}.`), 'the account list');
  expect(again.alert()).toBeNull();
  expect(apiKeyRequests()).toBe(2);
});

it('an open popup enables Log in again when the time comes', async () => {
  startBackground();
  rateLimitOnce(1);
  const open = await hitTheLimit();
  expect(open.alert()).toMatch(/^Too many sign-in attempts for this account\. The server accepts the next one at \d{1,2}:\d{2}:\d{2} [AP]M\.$/);
  expect(open.button('Log in')?.disabled).toBe(true);
  await open.waitFor(() => open.button('Log in')?.disabled === false, 'Log in to be enabled', 3_000);
  await open.fill('Password', IAGO.password);
  await open.click('Log in');
  await open.waitFor(() => open.text().includes(`Signed in to Zulip Dev as ${IAGO.email}.`), 'the account list');
});

it('the lock holds for the locked username only: another one may log in, typing the locked one back disables Log in again', async () => {
  vi.useFakeTimers({ toFake: ['Date'], now: new Date(2026, 0, 15, 14, 32, 0) });
  startBackground();
  rateLimitOnce(28.706807374954224);
  const open = await hitTheLimit();
  expect(open.button('Log in')?.disabled).toBe(true);

  await open.fill('Email', DESDEMONA.email);
  await open.waitFor(() => open.button('Log in')?.disabled === false, 'Log in to be enabled for another username');
  expect(open.alert()).toBeNull();

  await open.fill('Email', ` ${IAGO.email}`);
  expect(await open.waitFor(() => open.button('Log in')?.disabled && open.alert(), 'the lock again')).toBe(LOCKED);

  // A reopened popup asks about the username its draft kept.
  await open.fill('Email', DESDEMONA.email);
  const again = await reopen();
  await again.waitFor(() => again.field('Email')?.value === DESDEMONA.email && again.field('Password'), 'the sign-in form');
  await new Promise((resolve) => setTimeout(resolve, 100));
  expect(again.alert()).toBeNull();
  expect(again.button('Log in')?.disabled).toBe(false);
  await again.fill('Password', DESDEMONA.password);
  await again.click('Log in');
  await again.waitFor(() => again.text().includes(`Signed in to Zulip Dev as ${DESDEMONA.email}.`), 'the account list');
  expect(apiKeyRequests()).toBe(2);
});
