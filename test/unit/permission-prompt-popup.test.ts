// Chromium closes the toolbar popup as its host-permission prompt appears: permissions.request
// never resolves in the popup. What the person types is kept, the grant brings the popup back (the
// background's part, src/background/popup-return/popup-return.ts), and the popup carries on without another
// click; where it cannot be brought back, opening it by hand does the same. The real popup in
// happy-dom, through the real background, to the fake Zulip server.
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import browser from 'webextension-polyfill';
import { createPopupReturner } from '../../src/background/popup-return/popup-return';
import { createDraftStore, DRAFT_KEY } from '../../src/shared/popup-draft';
import { originPermissionPattern } from '../../src/shared/realm-url';
import { createDemoRealm } from '../fake-zulip/demo-realm';
import { startFakeZulip, type FakeZulipServer } from '../fake-zulip/fake-zulip-server';
import { fake } from './fake-browser';
import { popupOpener, startBackground } from './popup-dom';

let server: FakeZulipServer;

const { reopen, close: closePopup, open: openedPopup } = popupOpener();

/** The prompt as Chromium shows it: the popup goes away and its request never settles. */
function promptClosesThePopup() {
  vi.spyOn(fake.browser.permissions, 'request').mockImplementation(({ origins = [] }) => {
    fake.state.permissionRequests.push(origins);
    return new Promise<boolean>(() => {});
  });
}

/** Types the server URL and presses Continue; the prompt comes up and closes the popup. */
async function continueIntoThePrompt(): Promise<void> {
  const opened = await reopen();
  await opened.click('Add account');
  await opened.fill('Server URL', server.url);
  await opened.click('Continue');
  expect(fake.state.permissionRequests).toEqual([[originPermissionPattern(server.url)]]);
  await closePopup();
}

const lookups = () => server.requests.filter((request) => request.path === '/api/v1/server_settings').length;

/** The person presses Allow: the grant, and the event the background hears. */
const allow = () => {
  fake.granted.add(originPermissionPattern(server.url));
  return [originPermissionPattern(server.url)];
};

beforeEach(async () => {
  server = await startFakeZulip({ realm: createDemoRealm() });
  startBackground();
});
afterEach(async () => {
  vi.restoreAllMocks();
  await closePopup();
  await server.close();
});

it('says before Continue that the browser will ask for the host and that the popup closes meanwhile; not for a host already held', async () => {
  const opened = await reopen();
  await opened.click('Add account');
  await opened.fill('Server URL', server.url);
  const host = new URL(server.url).host;
  expect(opened.text()).toContain(`Your browser will ask to let this extension reach ${host}.`);
  expect(opened.text()).toContain('The popup closes while it asks and comes back where you were once you allow it; if it does not, open it again.');
  // Read out with the field.
  const field = opened.field('Server URL')!;
  const descriptions = field.getAttribute('aria-describedby')!.split(' ').map((id) => field.ownerDocument.getElementById(id)?.textContent ?? '');
  expect(descriptions.some((text) => text.includes(`reach ${host}`))).toBe(true);

  fake.granted.add(originPermissionPattern(server.url));
  // Reopened at the draft: the server step with the URL typed.
  const again = await reopen();
  await again.fill('Server URL', server.url);
  expect(again.text()).not.toContain('Your browser will ask');
});

it('the prompt closes the popup: the URL is kept, the grant brings the popup back, and it shows the organization without another click', async () => {
  promptClosesThePopup();
  await continueIntoThePrompt();
  expect((await browser.storage.session.get(DRAFT_KEY))[DRAFT_KEY]).toEqual({ step: 'server', serverUrl: server.url, awaitingPermission: server.url });
  expect(lookups()).toBe(0);

  const popupReturn = createPopupReturner({
    drafts: createDraftStore(browser.storage.session),
    popupPageOpen: async () => openedPopup() !== undefined,
    openPopup: async () => void (await reopen()),
    windowFocused: async () => false,
  });
  expect(await popupReturn.granted(allow())).toBe('reopened');
  const back = openedPopup()!;
  await back.waitFor(() => back.field('Email'), 'the sign-in form');
  expect(back.text()).toContain('Zulip Dev');
  expect(lookups()).toBe(1);
  expect(fake.state.permissionRequests).toHaveLength(1);
});

it('where the browser will not reopen it, the popup opened by hand carries on the same way', async () => {
  promptClosesThePopup();
  await continueIntoThePrompt();
  const popupReturn = createPopupReturner({
    drafts: createDraftStore(browser.storage.session),
    popupPageOpen: async () => openedPopup() !== undefined,
    openPopup: () => Promise.reject(new Error('Could not find an active browser window.')),
    windowFocused: async () => false,
  });
  expect(await popupReturn.granted(allow())).toBe('left-for-next-open');

  const opened = await reopen();
  await opened.waitFor(() => opened.field('Email'), 'the sign-in form');
  expect(opened.text()).toContain('Zulip Dev');
});

it('denied (or the prompt dismissed): the popup opened again keeps the URL and says access was not given', async () => {
  promptClosesThePopup();
  await continueIntoThePrompt();
  const opened = await reopen();
  const alert = await opened.waitFor(() => opened.alert(), 'the alert');
  expect(alert).toContain(server.url);
  expect(opened.field('Server URL')?.value).toBe(server.url);
  expect(lookups()).toBe(0);
});

it('an organization that names another host as its own: its sign-in step says the browser will ask for that host too', async () => {
  await server.close();
  server = await startFakeZulip({ realm: createDemoRealm(), realmUrl: 'http://localhost:9' });
  fake.granted.add(originPermissionPattern(server.url));
  const opened = await reopen();
  await opened.click('Add account');
  await opened.fill('Server URL', server.url);
  await opened.click('Continue');
  await opened.waitFor(() => opened.field('Email'), 'the sign-in form');
  expect(opened.text()).toContain('Your browser will ask to let this extension reach localhost:9. The popup closes while it asks');
});
