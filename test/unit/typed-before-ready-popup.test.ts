// A person, or a password manager, may type as soon as the popup shows a field, while the popup is
// still busy with what it does on opening (carrying on a lookup after a permission prompt,
// checking the stored keys) or with a sign-in: what they type is never overwritten nor dropped
// when those answers arrive. The real popup (happy-dom) through the real background to the fake
// Zulip server, whose answers are held until the typing is done.
import { afterEach, beforeEach, expect, it } from 'vitest';
import browser from 'webextension-polyfill';
import { createDraftStore, DRAFT_KEY } from '../../src/shared/popup-draft';
import { createDemoRealm, IAGO } from '../fake-zulip/demo-realm';
import { startFakeZulip, type FakeZulipServer } from '../fake-zulip/fake-zulip-server';
import { grantHost } from './background-deps';
import { holdAnswer } from '../fake-zulip/held-answer';
import { popupOpener, startBackground } from './popup-dom';

const OTHER_SERVER = 'chat.example.org';

let server: FakeZulipServer;
let clock: number;

const { reopen, close: closePopup } = popupOpener();

const hold = (path: string) => holdAnswer(server, path);

const savedDraft = async () => (await browser.storage.session.get(DRAFT_KEY))[DRAFT_KEY] as Record<string, unknown> | undefined;
/** Lets the popup handle what has just arrived. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 50));

beforeEach(async () => {
  clock = Date.now();
  server = await startFakeZulip({ realm: createDemoRealm() });
  startBackground({ now: () => clock });
  grantHost(server.url);
});
afterEach(async () => {
  await closePopup();
  await server.close();
});

it('typed over the lookup a reopened popup carries on by itself: the typed server stays, and the answer for the old one is dropped', async () => {
  // Where the permission prompt left it: the grant is held, so the popup looks the server up on opening.
  await createDraftStore(browser.storage.session).save({ step: 'server', serverUrl: server.url, awaitingPermission: server.url });
  const lookup = hold('/api/v1/server_settings');
  const opened = await reopen();
  await opened.waitFor(() => opened.button('Connecting…'), 'the lookup under way');
  await opened.fill('Server URL', OTHER_SERVER);
  lookup.release();
  await opened.waitFor(() => lookup.answered(), 'the answer');
  await settle();

  expect(opened.field('Server URL')?.value).toBe(OTHER_SERVER);
  expect(opened.field('Email')).toBeNull();
  expect(opened.button('Continue')?.disabled).toBe(false);
  expect(await savedDraft()).toEqual({ step: 'server', serverUrl: OTHER_SERVER });
});

it('typed while the popup still checks the stored keys on opening: the field and the draft keep it', async () => {
  await browser.runtime.sendMessage({ type: 'account.signIn', realmUrl: server.url, username: IAGO.email, password: IAGO.password });
  // Two hours on, the key is due for its quiet check when the popup opens.
  clock += 2 * 60 * 60 * 1000;
  const check = hold('/api/v1/users/me');
  const opened = await reopen();
  await opened.click('Add account');
  await opened.fill('Server URL', OTHER_SERVER);
  check.release();
  await opened.waitFor(() => check.answered(), 'the check');
  await settle();

  expect(opened.field('Server URL')?.value).toBe(OTHER_SERVER);
  expect(await savedDraft()).toEqual({ step: 'server', serverUrl: OTHER_SERVER });
});

it('typed while Log in is under way: the new email and a new password survive the refusal', async () => {
  const opened = await reopen();
  await opened.click('Add account');
  await opened.fill('Server URL', server.url);
  await opened.click('Continue');
  await opened.fill('Email', IAGO.email);
  await opened.fill('Password', 'a wrong guess');
  const signIn = hold('/api/v1/fetch_api_key');
  await opened.click('Log in');
  await opened.waitFor(() => opened.button('Logging in…'), 'the sign-in under way');
  await opened.fill('Email', 'desdemona@zulip.com');
  await opened.fill('Password', 'the next guess');
  signIn.release();
  await opened.waitFor(() => opened.alert(), 'the refusal');

  expect(opened.field('Email')?.value).toBe('desdemona@zulip.com');
  expect(opened.passwordValues()).toEqual(['the next guess']);
  expect(await savedDraft()).toMatchObject({ step: 'signin', username: 'desdemona@zulip.com' });
  expect(JSON.stringify(await savedDraft())).not.toContain('guess');
});

it('typed before the popup has a field at all: the keys go to the field its first view focuses', async () => {
  // Where the person left it: the server step, with a server typed and no prompt pending.
  await createDraftStore(browser.storage.session).save({ step: 'server', serverUrl: '' });
  const opened = await reopen();
  expect(opened.field('Server URL')).toBeNull();
  opened.typeKeys('chat.example.org');
  await opened.waitFor(() => opened.field('Server URL'), 'the server step');
  expect(opened.field('Server URL')?.value).toBe('chat.example.org');
  expect(opened.focused()).toBe(opened.field('Server URL'));
  await opened.waitFor(async () => (await savedDraft())?.['serverUrl'] === 'chat.example.org', 'the draft');
});
