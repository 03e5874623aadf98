// The popup closed while a sign-in is under way (Log in, a pasted key, a development login), by
// Escape, a click elsewhere or Chrome giving the focus to something else: the background finishes
// it and the next popup shows how it ended. The real popup (happy-dom) through the real background
// to the fake Zulip server; the background's side is in src/background/accounts/sign-in-outcomes.test.ts.
import { afterEach, beforeEach, expect, it } from 'vitest';
import browser from 'webextension-polyfill';
import { DRAFT_KEY } from '../../src/shared/popup-draft';
import { createDemoRealm, IAGO } from '../fake-zulip/demo-realm';
import { startFakeZulip, type FakeZulipServer } from '../fake-zulip/fake-zulip-server';
import { grantHost } from './background-deps';
import { holdAnswer, type HeldAnswer } from '../fake-zulip/held-answer';
import { popupOpener, startBackground, type PopupDom } from './popup-dom';

const FETCH_API_KEY = '/api/v1/fetch_api_key';
const WRONG_PASSWORD = 'not-iagos-password-7d2e';

let server: FakeZulipServer;
const { reopen, close: closePopup } = popupOpener();

/** Holds the sign-in at the server until the returned function is called. */
const holdSignIn = () => holdAnswer(server, FETCH_API_KEY).release;

/** Adds the realm, types the email and `password`, presses Log in and waits until the server has the request. */
async function logInAndClose(password: string): Promise<void> {
  const opened = await reopen();
  await opened.click('Add account');
  await opened.fill('Server URL', server.url);
  await opened.click('Continue');
  await opened.fill('Email', IAGO.email);
  await opened.fill('Password', password);
  await opened.click('Log in');
  await opened.waitFor(() => server.requests.some((request) => request.path === FETCH_API_KEY), 'the sign-in at the server');
  await closePopup();
}

const session = () => browser.storage.session.get(null) as Promise<Record<string, unknown>>;

/** Until the background has kept the outcome of the sign-in. */
async function outcomeKept(): Promise<void> {
  const deadline = performance.now() + 5_000;
  while (!('signInOutcome' in (await session()))) {
    if (performance.now() > deadline) throw new Error('the background kept no outcome');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** Closes the popup once `held` has reached the server, then lets the server answer it; resolves once the outcome is kept. */
async function closeWhileUnderWay(opened: PopupDom, held: HeldAnswer): Promise<void> {
  await opened.waitFor(() => held.arrived(), 'the request at the server');
  await closePopup();
  held.release();
  await outcomeKept();
}

/** The next popup, once it says Iago is signed in. */
async function announced(): Promise<PopupDom> {
  const next = await reopen();
  await next.waitFor(() => next.text().includes(`Signed in to Zulip Dev as ${IAGO.email}.`), 'the announcement');
  return next;
}

beforeEach(async () => {
  server = await startFakeZulip({ realm: createDemoRealm() });
  startBackground();
  grantHost(server.url);
});
afterEach(async () => {
  await closePopup();
  await server.close();
});

it('a sign-in that succeeds after the popup closed is announced by the next popup, with the account listed', async () => {
  const release = holdSignIn();
  await logInAndClose(IAGO.password);
  release();
  await outcomeKept();

  const next = await announced();
  expect(next.text()).toContain('Your accounts');
  expect(next.button(`Remove`)).not.toBeNull();
  expect((await session())[DRAFT_KEY]).toBeUndefined();

  // Shown once: the popup after that just lists the account.
  const after = await reopen();
  await after.waitFor(() => after.button('Add account'), 'the list');
  expect(after.text()).not.toContain('Signed in to');
  expect(after.text()).toContain(IAGO.email);
});

it('a refused sign-in is shown on the sign-in form by the next popup, with the email kept and no password anywhere', async () => {
  const release = holdSignIn();
  await logInAndClose(WRONG_PASSWORD);
  release();
  await outcomeKept();

  const next = await reopen();
  const alert = await next.waitFor(() => next.alert(), 'the alert');
  expect(alert).toMatch(/password/i);
  expect(next.field('Email')?.value).toBe(IAGO.email);
  expect(next.passwordValues()).toEqual(['']);
  expect(JSON.stringify(await session())).not.toContain(WRONG_PASSWORD);

  // Shown once: reopened again, the form is back without the old alert.
  const after = await reopen();
  await after.waitFor(() => after.field('Email'), 'the sign-in form');
  expect(after.alert()).toBeNull();
});

it('a popup opened while the sign-in is still under way shows its outcome once it ends', async () => {
  const release = holdSignIn();
  await logInAndClose(IAGO.password);

  const next = await reopen();
  // Nothing to show yet: the popup waits for the background rather than offering the form again.
  await new Promise((resolve) => setTimeout(resolve, 50));
  expect(next.field('Password')).toBeNull();
  release();
  await next.waitFor(() => next.text().includes(`Signed in to Zulip Dev as ${IAGO.email}.`), 'the announcement');
});

it('a sign-in whose outcome was lost (the background stopped) sends the person back to the form with the reason', async () => {
  const release = holdSignIn();
  await logInAndClose(IAGO.password);
  release();
  await outcomeKept();
  // What a background stopped mid-request leaves: the draft's mark, and no outcome.
  await browser.storage.session.remove('signInOutcome');

  const next = await reopen();
  const alert = await next.waitFor(() => next.alert(), 'the alert');
  expect(alert).toBe('The popup was closed while you were logging in to Zulip Dev, and the sign-in did not finish. Log in again.');
  expect(next.field('Email')?.value).toBe(IAGO.email);
});

it('a pasted key still being checked when the popup closes: the next popup announces the account', async () => {
  const check = holdAnswer(server, '/api/v1/users/me');
  const opened = await reopen();
  await opened.click('Add account');
  await opened.fill('Server URL', server.url);
  await opened.click('Continue');
  await opened.click('Use an API key instead');
  await opened.fill('Email', IAGO.email);
  await opened.fill('API key', IAGO.apiKey);
  await opened.click('Add account');
  await closeWhileUnderWay(opened, check);
  await announced();
  expect(JSON.stringify(await session())).not.toContain(IAGO.apiKey);
});

it('a development login still under way when the popup closes: the next popup announces the account', async () => {
  await server.close();
  server = await startFakeZulip({ realm: createDemoRealm({ devAuthEnabled: true }) });
  grantHost(server.url);
  const login = holdAnswer(server, '/api/v1/dev_fetch_api_key');
  const opened = await reopen();
  await opened.click('Add account');
  await opened.fill('Server URL', server.url);
  await opened.click('Continue');
  await opened.click(`Log in as ${IAGO.email}`);
  await closeWhileUnderWay(opened, login);
  await announced();
});

it('a refusal shown by the open popup is not shown again by the next one', async () => {
  const opened = await reopen();
  await opened.click('Add account');
  await opened.fill('Server URL', server.url);
  await opened.click('Continue');
  await opened.fill('Email', IAGO.email);
  await opened.fill('Password', WRONG_PASSWORD);
  await opened.click('Log in');
  await opened.waitFor(() => opened.alert(), 'the refusal');

  const next = await reopen();
  await next.waitFor(() => next.field('Email'), 'the sign-in form');
  expect(next.alert()).toBeNull();
  expect(next.field('Email')?.value).toBe(IAGO.email);
});
