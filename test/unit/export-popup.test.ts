// Download zuliprc and Show / Copy / Hide API key in the real popup (happy-dom), through the real
// background, with a fake clipboard.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { send } from '../../src/shared/message-client';
import { createDemoRealm, IAGO } from '../fake-zulip/demo-realm';
import { startFakeZulip, type FakeZulipServer } from '../fake-zulip/fake-zulip-server';
import { grantHost } from './background-deps';
import { EXTENSION_ORIGIN, fake } from './fake-browser';
import { openPopup, startBackground, type PopupDom } from './popup-dom';

let server: FakeZulipServer;
let popup: PopupDom;
const writeText = vi.fn<(text: string) => Promise<void>>();

/** Wherever a key could show: text, field values, attributes. */
const keyInPage = (page: PopupDom) => page.text().includes(IAGO.apiKey) || page.field('API key') !== null || page.passwordValues().includes(IAGO.apiKey);

beforeEach(async () => {
  server = await startFakeZulip({ realm: createDemoRealm() });
  startBackground();
  grantHost(server.url);
  expect(await send({ type: 'account.signIn', realmUrl: server.url, username: IAGO.email, password: IAGO.password })).toMatchObject({ ok: true });
  writeText.mockReset().mockResolvedValue(undefined);
  vi.stubGlobal('navigator', { clipboard: { writeText } });
  popup = await openPopup();
  await popup.waitFor(() => popup.button('Show API key'), 'Show API key');
});
afterEach(async () => {
  await popup.close();
  vi.unstubAllGlobals();
  await server.close();
});

describe('Show API key', () => {
  it('names the account in each button\'s accessible name', () => {
    expect(popup.button('Show API key')?.getAttribute('aria-label')).toBe('Show API key for iago@zulip.com on Zulip Dev');
    expect(popup.button('Download zuliprc')?.getAttribute('aria-label')).toBe('Download zuliprc for iago@zulip.com on Zulip Dev');
  });

  it('shows the key only after the click, in a focused read-only field, and copies nothing by itself', async () => {
    expect(keyInPage(popup)).toBe(false);
    expect(popup.button('Show API key')?.getAttribute('aria-expanded')).toBe('false');
    await popup.click('Show API key');
    const field = await popup.waitFor(() => popup.field('API key'), 'the API key field');
    expect(field.value).toBe(IAGO.apiKey);
    expect(field.readOnly).toBe(true);
    expect(popup.focused()).toBe(field);
    expect(popup.button('Show API key')?.getAttribute('aria-expanded')).toBe('true');
    expect(writeText).not.toHaveBeenCalled();
  });

  it('Copy API key puts the key on the clipboard and says so', async () => {
    await popup.click('Show API key');
    await popup.click('Copy API key');
    expect(writeText.mock.calls).toEqual([[IAGO.apiKey]]);
    await popup.waitFor(() => popup.text().includes('Copied the API key to the clipboard.'), 'the announcement');
    expect(popup.alert()).toBeNull();
  });

  it('says when the browser refuses the clipboard', async () => {
    writeText.mockRejectedValue(new DOMException('Document is not focused.', 'NotAllowedError'));
    await popup.click('Show API key');
    await popup.click('Copy API key');
    expect(await popup.waitFor(() => popup.alert(), 'the alert')).toBe('The browser did not let the extension copy the key. Select it in the field and copy it yourself.');
    expect(popup.text()).not.toContain('Copied');
  });

  it.each([
    ['Hide API key', (page: PopupDom) => page.click('Hide API key')],
    ['Show API key pressed again', (page: PopupDom) => page.click('Show API key')],
  ])('%s takes the key out of the page and gives focus back to Show API key', async (_, hide) => {
    await popup.click('Show API key');
    await popup.waitFor(() => popup.field('API key'), 'the API key field');
    await hide(popup);
    expect(keyInPage(popup)).toBe(false);
    expect(popup.focused()).toBe(popup.button('Show API key'));
    expect(popup.button('Show API key')?.getAttribute('aria-expanded')).toBe('false');
  });

  it('Escape hides the key', async () => {
    await popup.click('Show API key');
    const field = await popup.waitFor(() => popup.field('API key'), 'the API key field');
    field.dispatchEvent(new (field.ownerDocument.defaultView as unknown as typeof globalThis).KeyboardEvent('keydown', { key: 'Escape', bubbles: true }));
    await popup.waitFor(() => !keyInPage(popup), 'the key to go');
  });

  it('says why when the account is gone meanwhile, and shows nothing', async () => {
    await send({ type: 'account.remove', realmUrl: server.url, userId: IAGO.userId });
    await popup.click('Show API key');
    expect(await popup.waitFor(() => popup.alert(), 'the alert')).toBe('There is no saved account for this organization.');
    expect(keyInPage(popup)).toBe(false);
  });
});

describe('Download zuliprc', () => {
  it('opens the extension\'s zuliprc tab for the account, with no key in its URL', async () => {
    await popup.click('Download zuliprc');
    await popup.waitFor(() => fake.tabs.size === 1, 'a tab');
    const [tab] = [...fake.tabs.values()];
    const [page, query] = tab!.url.split('?');
    expect(page).toBe(`${EXTENSION_ORIGIN}/src/export/zuliprc.html`);
    expect(Object.fromEntries(new URLSearchParams(query))).toEqual({ realm: server.url, user: String(IAGO.userId) });
    expect(tab!.url).not.toContain(IAGO.apiKey);
    expect(keyInPage(popup)).toBe(false);
  });
});
