// The development sign-in as the person meets it in the popup: the real popup (happy-dom) through the
// real background to the fake Zulip server playing a development server.
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { BackgroundDeps } from '../../src/background/deps';
import { originPermissionPattern } from '../../src/shared/realm-url';
import { createDemoRealm, DESDEMONA, IAGO } from '../fake-zulip/demo-realm';
import { startFakeZulip, type FakeZulipServer } from '../fake-zulip/fake-zulip-server';
import { fake } from './fake-browser';
import { openPopup, startBackground, type PopupDom } from './popup-dom';

const OTHELLO = { email: 'othello@zulip.com', password: 'pw', apiKey: 'O'.repeat(32), userId: 12, fullName: 'Othello' };

let server: FakeZulipServer;
let background: BackgroundDeps;
let popup: PopupDom | undefined;

async function toOrganization(): Promise<PopupDom> {
  popup = await openPopup();
  await popup.click('Add account');
  await popup.fill('Server URL', server.url);
  await popup.click('Continue');
  await popup.waitFor(() => popup!.field('Password'), 'the sign-in step');
  return popup;
}

beforeEach(async () => {
  server = await startFakeZulip({ realm: createDemoRealm({ devAuthEnabled: true, users: [{ ...IAGO }, { ...DESDEMONA }, { ...OTHELLO }] }) });
  background = startBackground();
  fake.granted.add(originPermissionPattern(server.url));
});
afterEach(async () => {
  await popup?.close();
  popup = undefined;
  await server.close();
});

it("lists a development server's users, administrators and users apart, above the password form", async () => {
  const opened = await toOrganization();
  await opened.waitFor(() => opened.button('Log in as othello@zulip.com'), 'the users');
  const text = opened.text();
  expect(text).toContain('Development sign-in');
  expect(text).toContain('Zulip Dev is a Zulip development server: sign in as any of its users without a password.');
  const order = ['Administrators', 'Log in as desdemona@zulip.com', 'Log in as iago@zulip.com', 'Users', 'Log in as othello@zulip.com', 'Password'].map((part) => text.indexOf(part));
  expect(order.every((position) => position >= 0)).toBe(true);
  expect([...order].sort((a, b) => a - b)).toEqual(order);
});

it('signs in as a listed user without a password, and the list shows the account', async () => {
  const opened = await toOrganization();
  await opened.click('Log in as iago@zulip.com');
  await opened.waitFor(() => opened.text().includes('Signed in to Zulip Dev as iago@zulip.com.'), 'the signed-in status');
  await opened.waitFor(() => opened.button('Remove'), 'the account in the list');
  expect(await background.accounts.list()).toMatchObject([{ email: IAGO.email, userId: IAGO.userId, realmUrl: server.url }]);
  expect(server.requests.some((request) => request.path === '/api/v1/fetch_api_key')).toBe(false);
});

it('shows why a user could not sign in, and stays on the list', async () => {
  const opened = await toOrganization();
  await opened.waitFor(() => opened.button('Log in as othello@zulip.com'), 'the users');
  server.realm!.users = server.realm!.users.filter((user) => user.email !== OTHELLO.email);
  await opened.click('Log in as othello@zulip.com');
  await opened.waitFor(() => opened.alert() === 'Zulip Dev has no account for othello@zulip.com any more. Choose another user.', 'the message');
  expect(opened.button('Log in as iago@zulip.com')!.disabled).toBe(false);
  expect(await background.accounts.list()).toEqual([]);
});

it('says why the list is missing when the server refuses it', async () => {
  server.realm!.production = true;
  const opened = await toOrganization();
  await opened.waitFor(() => opened.alert() === `${server.url} is a production server: it does not offer the development sign-in. Log in another way.`, 'the message');
  expect(opened.button('Log in as iago@zulip.com')).toBeNull();
  // The other ways in are still there.
  expect(opened.field('Password')).not.toBeNull();
});

it('offers nothing of the kind on a server that is not a development server', async () => {
  server.realm!.devAuthEnabled = false;
  const opened = await toOrganization();
  expect(opened.text()).not.toContain('Development sign-in');
  expect(server.requests.some((request) => request.path === '/api/v1/dev_list_users')).toBe(false);
});
