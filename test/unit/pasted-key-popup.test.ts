// An API key pasted by hand, as the person meets it in the popup: the real popup (happy-dom) through
// the real background to the fake Zulip server.
import { afterEach, beforeEach, expect, it } from 'vitest';
import browser from 'webextension-polyfill';
import type { BackgroundDeps } from '../../src/background/deps';
import { originPermissionPattern } from '../../src/shared/realm-url';
import { createDemoRealm, DESDEMONA, HAMLET, IAGO } from '../fake-zulip/demo-realm';
import { startFakeZulip, type FakeZulipServer } from '../fake-zulip/fake-zulip-server';
import { fake } from './fake-browser';
import { openPopup, startBackground, type PopupDom } from './popup-dom';

const MALFORMED = 'That is not a Zulip API key: a key is 32 letters and digits. Copy it again from Personal settings › Account & privacy in Zulip.';

let server: FakeZulipServer;
let background: BackgroundDeps;
let popup: PopupDom | undefined;

async function toKeyForm(): Promise<PopupDom> {
  popup = await openPopup();
  await popup.click('Add account');
  await popup.fill('Server URL', server.url);
  await popup.click('Continue');
  await popup.click('Use an API key instead');
  await popup.waitFor(() => popup!.field('API key'), 'the API key field');
  return popup;
}
const usersMeRequests = () => server.requests.filter((request) => request.path === '/api/v1/users/me').length;

beforeEach(async () => {
  server = await startFakeZulip({ realm: createDemoRealm() });
  background = startBackground();
  fake.granted.add(originPermissionPattern(server.url));
});
afterEach(async () => {
  await popup?.close();
  popup = undefined;
  await server.close();
});

it('offers the key form from the sign-in step: Email, a masked API key field that is not remembered, and Add account', async () => {
  const opened = await toKeyForm();
  expect(opened.field('Email')).not.toBeNull();
  const key = opened.field('API key')!;
  expect(key.type).toBe('password');
  expect(key.getAttribute('autocomplete')).toBe('off');
  expect(opened.field('Password')).toBeNull();
  expect(opened.text()).toContain('Personal settings › Account & privacy › API key');
  expect(opened.button('Add account')).not.toBeNull();
  expect(opened.focused()).toBe(opened.field('Email'));
});

it('adds the account with a pasted key, and the list shows it', async () => {
  const opened = await toKeyForm();
  await opened.fill('Email', IAGO.email);
  await opened.fill('API key', ` ${IAGO.apiKey} `);
  await opened.click('Add account');
  await opened.waitFor(() => opened.text().includes('Signed in to Zulip Dev as iago@zulip.com.'), 'the signed-in status');
  await opened.waitFor(() => opened.button('Remove'), 'the account in the list');
  expect(await background.accounts.list()).toMatchObject([{ email: IAGO.email, realmUrl: server.url, userId: IAGO.userId }]);
  expect(server.requests.some((request) => request.path === '/api/v1/fetch_api_key')).toBe(false);
});

it.each([
  ['an empty email', '', IAGO.apiKey, 'Please enter your email.', 'Email'],
  ['an empty key', IAGO.email, '', 'Please enter the API key.', 'API key'],
  ['a key that is not 32 letters and digits', IAGO.email, 'gjA04ZYcqXKalvYMA8OeXSfz', MALFORMED, 'API key'],
])('explains %s without sending anything, and marks the field', async (_name, email, apiKey, message, label) => {
  const opened = await toKeyForm();
  const before = server.requests.length;
  await opened.fill('Email', email);
  await opened.fill('API key', apiKey);
  await opened.click('Add account');
  await opened.waitFor(() => opened.alert() === message, `the message "${message}"`);
  expect(opened.field(label)!.getAttribute('aria-invalid')).toBe('true');
  expect(opened.focused()).toBe(opened.field(label));
  expect(server.requests.length).toBe(before);
});

it.each([
  ['a wrong key', IAGO.email, DESDEMONA.apiKey, 'Zulip Dev does not accept this API key for iago@zulip.com.'],
  ['a deactivated account', HAMLET.email, HAMLET.apiKey, 'Your account in this organization has been deactivated.'],
])('shows the message for %s, keeps the email, empties the key and stores nothing', async (_name, email, apiKey, message) => {
  const opened = await toKeyForm();
  await opened.fill('Email', email);
  await opened.fill('API key', apiKey);
  await opened.click('Add account');
  await opened.waitFor(() => opened.alert()?.includes(message), `the message "${message}"`);
  expect(usersMeRequests()).toBe(1);
  expect(opened.field('Email')!.value).toBe(email);
  expect(opened.field('API key')!.value).toBe('');
  expect(opened.focused()).toBe(opened.field(email === HAMLET.email ? 'Email' : 'API key'));
  expect(await background.accounts.list()).toEqual([]);
});

it('never puts the key in the saved draft, and the email typed in either form follows to the other', async () => {
  const opened = await popupAtOrganization();
  await opened.fill('Email', IAGO.email);
  await opened.click('Use an API key instead');
  await opened.waitFor(() => opened.field('API key'), 'the API key field');
  expect(opened.field('Email')!.value).toBe(IAGO.email);
  expect(opened.focused()).toBe(opened.field('API key'));
  await opened.fill('API key', IAGO.apiKey);
  expect(JSON.stringify(await browser.storage.session.get(null))).not.toContain(IAGO.apiKey);
  await opened.fill('Email', DESDEMONA.email);
  await opened.click('Use a password instead');
  await opened.waitFor(() => opened.field('Password'), 'the password form');
  expect(opened.field('Email')!.value).toBe(DESDEMONA.email);
  expect(opened.focused()).toBe(opened.button('Use an API key instead'));
  // The key typed before going back is gone with its form.
  await opened.click('Use an API key instead');
  await opened.waitFor(() => opened.field('API key'), 'the API key field again');
  expect(opened.field('API key')!.value).toBe('');
});

it('is offered where the organization has no way in the extension can automate', async () => {
  server.realm!.emailAuthEnabled = false;
  const opened = await popupAtOrganization(false);
  await opened.waitFor(() => opened.text().includes('You can still add your account with its API key.'), 'the notice');
  await opened.click('Use an API key instead');
  await opened.waitFor(() => opened.button('Other ways to sign in'), 'the way back');
  await opened.fill('Email', IAGO.email);
  await opened.fill('API key', IAGO.apiKey);
  await opened.click('Add account');
  await opened.waitFor(() => opened.button('Remove'), 'the account in the list');
});

async function popupAtOrganization(passwordForm = true): Promise<PopupDom> {
  popup = await openPopup();
  await popup.click('Add account');
  await popup.fill('Server URL', server.url);
  await popup.click('Continue');
  await popup.waitFor(() => (passwordForm ? popup!.field('Password') : popup!.button('Use an API key instead')), 'the sign-in step');
  return popup;
}
