// The passphrase lock as a person meets it in the popup (happy-dom), through the real background:
// turning it on from Settings (warned first), Lock now, the unlock form, changing and removing it.
// The background's side is in src/background/keys/passphrase-lock.test.ts.
import { afterEach, beforeEach, expect, it } from 'vitest';
import browser from 'webextension-polyfill';
import { popupOpener, startBackground, type PopupDom } from './popup-dom';
import type { BackgroundDeps } from '../../src/background/deps';
import { createSsoFlowStore } from '../../src/background/sso/sso-flow-store';

const REALM = 'https://chat.example.com';
const KEY = 'gjA04ZYcqXKalvYMA8OeXSfzUOLrtbZv';
const PASSPHRASE = 'correct horse battery';
const WARNING = 'If you forget the passphrase, nobody can recover it: you will have to remove your accounts and sign in to each again.';

let deps: BackgroundDeps;
const { reopen, close: closePopup } = popupOpener();

const key = async () => {
  const reply = await browser.runtime.sendMessage({ type: 'credentials.get', realm: REALM }) as { ok: boolean; credentials?: { apiKey: string }; error?: { code: string } };
  return reply.ok ? reply.credentials?.apiKey : reply.error?.code;
};

beforeEach(async () => {
  deps = startBackground();
  await deps.accounts.put({ realmUrl: REALM, realmName: 'Chat', realmIconUrl: null, email: 'iago@zulip.com', userId: 5, zulipVersion: '10.0', featureLevel: 371, apiKey: KEY });
});
afterEach(async () => {
  await closePopup();
});

async function turnOn(view: PopupDom) {
  await view.click('Settings');
  await view.fill('Passphrase', PASSPHRASE);
  await view.fill('Confirm passphrase', PASSPHRASE);
  await view.click('Require a passphrase');
  await view.waitFor(() => view.text().includes('A passphrase is now required.'), 'the lock to be on');
}

it('warns before the lock is turned on, checks the two passphrases, then requires one', async () => {
  const view = await reopen();
  await view.click('Settings');
  await view.waitFor(() => view.text().includes(WARNING), 'the warning');
  expect(view.button('Require a passphrase')).not.toBeNull();
  await view.fill('Passphrase', 'short');
  await view.fill('Confirm passphrase', 'short');
  await view.click('Require a passphrase');
  expect(view.alert()).toBe('Use a passphrase of at least 8 characters.');
  await view.fill('Passphrase', PASSPHRASE);
  await view.fill('Confirm passphrase', `${PASSPHRASE}!`);
  await view.click('Require a passphrase');
  expect(view.alert()).toBe('The two passphrases are not the same.');
  expect((await deps.lock.status()).enabled).toBe(false);
  await view.fill('Confirm passphrase', PASSPHRASE);
  await view.click('Require a passphrase');
  await view.waitFor(() => view.button('Lock now'), 'Lock now');
  expect(await deps.lock.status()).toEqual({ enabled: true, locked: false, idleMinutes: 15, retryAt: null });
  expect(view.button('Change passphrase')).not.toBeNull();
  expect(view.button('Remove passphrase')).not.toBeNull();
  expect(await key()).toBe(KEY);
});

it('Lock now shows the unlock form instead of the accounts, also when reopened; the passphrase unlocks', async () => {
  let view = await reopen();
  await turnOn(view);
  await view.click('Lock now');
  await view.waitFor(() => view.button('Unlock'), 'the unlock form');
  expect(view.text()).not.toContain('iago@zulip.com');
  expect(await key()).toBe('LOCKED');

  view = await reopen();
  await view.waitFor(() => view.button('Unlock'), 'the unlock form');
  expect(view.text()).not.toContain('iago@zulip.com');
  expect(view.focused()).toBe(view.field('Passphrase'));
  await view.fill('Passphrase', 'not the passphrase');
  await view.click('Unlock');
  await view.waitFor(() => view.alert(), 'the alert');
  expect(view.alert()).toBe('That passphrase is not correct.');
  expect(view.field('Passphrase')?.value).toBe('');
  await view.fill('Passphrase', PASSPHRASE);
  view.submitFrom('Passphrase');
  await view.waitFor(() => view.text().includes('iago@zulip.com'), 'the account list');
  expect(view.button('Unlock')).toBeNull();
  expect(await key()).toBe(KEY);
});

it('changes the passphrase: the current one is checked, the new one unlocks', async () => {
  const view = await reopen();
  await turnOn(view);
  await view.click('Change passphrase');
  await view.fill('Current passphrase', 'wrong passphrase');
  await view.fill('New passphrase', 'the new passphrase');
  await view.fill('Confirm new passphrase', 'the new passphrase');
  await view.click('Change passphrase');
  await view.waitFor(() => view.alert() === 'That passphrase is not correct.', 'the refusal');
  await view.fill('Current passphrase', PASSPHRASE);
  await view.click('Change passphrase');
  await view.waitFor(() => view.text().includes('The passphrase was changed.'), 'the news');
  await deps.lock.lockNow();
  expect(await deps.lock.unlock(PASSPHRASE)).toEqual({ ok: false, code: 'WRONG_PASSPHRASE' });
  expect(await deps.lock.unlock('the new passphrase')).toEqual({ ok: true });
});

it('removes the passphrase: the keys open without one afterwards', async () => {
  const view = await reopen();
  await turnOn(view);
  await view.click('Remove passphrase');
  await view.fill('Passphrase', PASSPHRASE);
  await view.click('Remove passphrase');
  await view.waitFor(() => view.text().includes('The passphrase was removed.'), 'the news');
  await view.waitFor(() => view.button('Require a passphrase'), 'the offer to turn it on again');
  expect(await deps.lock.status()).toMatchObject({ enabled: false, locked: false });
  await view.click('Back');
  await view.waitFor(() => view.text().includes('iago@zulip.com'), 'the account list');
  expect(await key()).toBe(KEY);
});

it("a single sign-on's outcome that arrives while locked waits for the unlock, even through a popup closed in between", async () => {
  const view = await reopen();
  await turnOn(view);
  await view.click('Lock now');
  await view.waitFor(() => view.field('Passphrase'), 'the unlock form');
  const message = 'The sign-in tab was closed before Chat sent your account back, so nothing was saved.';
  await createSsoFlowStore(browser.storage.session).end({ ok: false, realmUrl: REALM, error: { code: 'SSO_TAB_CLOSED', message } });

  const locked = await reopen();
  await locked.waitFor(() => locked.field('Passphrase'), 'the unlock form');
  expect(locked.text()).not.toContain(message);
  const again = await reopen();
  await again.fill('Passphrase', PASSPHRASE);
  await again.click('Unlock');
  await again.waitFor(() => again.text().includes(message), 'the outcome after the unlock');
});

it('a passphrase typed before the unlock form exists (the popup still asking whether it is locked) unlocks it with Enter', async () => {
  let view = await reopen();
  await turnOn(view);
  await view.click('Lock now');
  await view.waitFor(() => view.button('Unlock'), 'the unlock form');

  view = await reopen();
  // Typed at once: the popup has not had the lock's state back yet, so it shows no field.
  expect(view.field('Passphrase')).toBeNull();
  view.typeKeys(`${PASSPHRASE}\n`);
  await view.waitFor(() => view.text().includes('iago@zulip.com'), 'the account list');
  expect(await key()).toBe(KEY);
});

it('keys typed before the first view, with no field for them in it, go nowhere', async () => {
  const view = await reopen();
  view.typeKeys('stray keys\n');
  await view.waitFor(() => view.button('Add account'), 'the account list');
  expect(view.text()).not.toContain('stray keys');
  await view.click('Add account');
  expect(view.field('Server URL')?.value).toBe('');
});
