// Two people of one organization signed in through the real toolbar popup, in real Chromium and real Firefox:
// both listed under the organization, the first its default; pages get the default, or the account
// they ask for by email or user id; Make default (from the keyboard) switches what pages get.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDemoRealm, DESDEMONA, IAGO } from '../fake-zulip/demo-realm';
import { startFakeZulip, type FakeZulipServer } from '../fake-zulip/fake-zulip-server';
import { BROWSER_KINDS, launchExtensionBrowser, type ExtensionBrowser, type ToolbarPopupDriver } from './harness/extension-browser';

const SCREENSHOTS = join('artifacts', 'screenshots');
const MAKE_DESDEMONA_DEFAULT = 'Make desdemona@zulip.com the default for Zulip Dev';
const MAKE_IAGO_DEFAULT = 'Make iago@zulip.com the default for Zulip Dev';

// What the functions below find in the content script's isolated world (they run there, as source text).
type AccountChoice = { email: string } | { userId: number };
interface KeyringWorld {
  keyringForZulip: { getCredentials(realm?: string, account?: AccountChoice): Promise<unknown> };
}

interface DemoUser {
  email: string;
  password: string;
  apiKey: string;
  userId: number;
}

/** The account list as a person sees it: each organization's heading and, under it, its accounts. */
interface ListedOrganization {
  heading: string;
  accounts: Array<{ email: string; isDefault: boolean; buttons: string[] }>;
}

describe.each(BROWSER_KINDS)('%s', (kind) => {
  let browser: ExtensionBrowser;
  let realm: FakeZulipServer;
  let popup: ToolbarPopupDriver;
  const shot = (name: string) => popup.screenshot(join(SCREENSHOTS, kind, `${name}.png`), 'body');
  const credentials = (account?: AccountChoice) =>
    browser.runInContentScript(
      `${realm.url}/`,
      (choice: AccountChoice | null) => (globalThis as unknown as KeyringWorld).keyringForZulip.getCredentials(undefined, choice ?? undefined),
      account ?? null,
    );
  const credentialsOf = (user: DemoUser) => ({ ok: true, credentials: { realm: realm.url, email: user.email, apiKey: user.apiKey, userId: user.userId } });
  const listed = () =>
    popup.evaluate((): ListedOrganization[] =>
      [...document.querySelectorAll('.organization')].map((organization) => ({
        heading: (organization.querySelector('h2 .org')?.textContent ?? '').trim(),
        accounts: [...organization.querySelectorAll('.account')].map((account) => ({
          email: (account.querySelector('.email')?.textContent ?? '').trim(),
          isDefault: account.querySelector('.default-mark') !== null,
          buttons: [...account.querySelectorAll('button')].map((button) => button.getAttribute('aria-label') ?? button.textContent ?? ''),
        })),
      })),
    );

  async function signIn(user: DemoUser): Promise<void> {
    await popup.clickButton('Add account');
    await popup.fillByLabel('Server URL', realm.url);
    await popup.clickButton('Continue');
    await popup.waitForText('Zulip Dev');
    await popup.fillByLabel('Email', user.email);
    await popup.fillByLabel('Password', user.password);
    await popup.clickButton('Log in');
    await popup.waitForText(`Signed in to Zulip Dev as ${user.email}.`);
  }

  beforeAll(async () => {
    mkdirSync(join(SCREENSHOTS, kind), { recursive: true });
    realm = await startFakeZulip({ realm: createDemoRealm() });
    browser = await launchExtensionBrowser(kind);
    popup = await browser.openToolbarPopup();
  });

  afterAll(async () => {
    await browser?.close();
    await realm?.close();
  });

  it('signs in Iago, then Desdemona on the same organization: both are listed under it, Iago the default', async () => {
    await signIn(IAGO);
    await signIn(DESDEMONA);
    // A second person is added, not a replacement.
    expect(await popup.textOf('[role="status"]')).toBe(`Signed in to Zulip Dev as ${DESDEMONA.email}.`);
    await popup.waitForButton(MAKE_DESDEMONA_DEFAULT);
    expect(await listed()).toEqual([
      {
        heading: 'Zulip Dev',
        accounts: [
          {
            email: IAGO.email,
            isDefault: true,
            buttons: [
              'Check iago@zulip.com at Zulip Dev',
              'Remove iago@zulip.com from Zulip Dev',
              'Download zuliprc for iago@zulip.com on Zulip Dev',
              'Show API key for iago@zulip.com on Zulip Dev',
            ],
          },
          {
            email: DESDEMONA.email,
            isDefault: false,
            buttons: [
              MAKE_DESDEMONA_DEFAULT,
              'Check desdemona@zulip.com at Zulip Dev',
              'Remove desdemona@zulip.com from Zulip Dev',
              'Download zuliprc for desdemona@zulip.com on Zulip Dev',
              'Show API key for desdemona@zulip.com on Zulip Dev',
            ],
          },
        ],
      },
    ]);
    expect(await popup.textOf('.default-mark')).toBe('Default');
    // One organization, one item in storage.
    expect(Object.keys(await browser.readStorageLocal()).filter((key) => key.startsWith('account:'))).toEqual([`account:${realm.url}`]);
    await shot('two-accounts-one-organization');
  });

  it('a page of the organization gets Iago by default, and Desdemona when it asks for her by email or user id', async () => {
    await browser.openPage(`${realm.url}/`);
    expect(await credentials()).toEqual(credentialsOf(IAGO));
    expect(await credentials({ email: DESDEMONA.email })).toEqual(credentialsOf(DESDEMONA));
    expect(await credentials({ email: DESDEMONA.email.toUpperCase() })).toEqual(credentialsOf(DESDEMONA));
    expect(await credentials({ userId: DESDEMONA.userId })).toEqual(credentialsOf(DESDEMONA));
    expect(await credentials({ userId: IAGO.userId })).toEqual(credentialsOf(IAGO));
    expect(await credentials({ email: 'hamlet@zulip.com' })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    // The old one-argument call still works: its realm, its default account.
    const byRealm = await browser.runInContentScript(
      `${realm.url}/`,
      (realmUrl: string) => (globalThis as unknown as KeyringWorld).keyringForZulip.getCredentials(realmUrl),
      realm.url,
    );
    expect(byRealm).toEqual(credentialsOf(IAGO));
  });

  it('Make default, from the keyboard, makes Desdemona the default: announced, listed first, and what pages get', async () => {
    // After signing in, focus is on the list's heading: Iago's Check, Remove, Download zuliprc and
    // Show API key come next, then Desdemona's Make default.
    for (let press = 0; press < 5; press++) await popup.pressKey('Tab');
    expect(await popup.focusedElementName()).toBe(MAKE_DESDEMONA_DEFAULT);
    await popup.pressKey('Enter');
    await popup.waitForText(`${DESDEMONA.email} is now the default account for Zulip Dev.`);
    expect(await popup.textOf('[role="status"]')).toBe(`${DESDEMONA.email} is now the default account for Zulip Dev.`);
    await popup.waitForButton(MAKE_IAGO_DEFAULT);
    expect((await listed())[0]?.accounts.map(({ email, isDefault }) => [email, isDefault])).toEqual([
      [DESDEMONA.email, true],
      [IAGO.email, false],
    ]);
    // The button that was pressed is gone: focus went to the organization, not to the page.
    expect(await popup.focusedElementName()).toContain('Zulip Dev');
    expect(await credentials()).toEqual(credentialsOf(DESDEMONA));
    expect(await credentials({ email: IAGO.email })).toEqual(credentialsOf(IAGO));
    await shot('make-default');
  });

  it('the default survives the background being stopped', async () => {
    await browser.stopBackground();
    expect(await credentials()).toEqual(credentialsOf(DESDEMONA));
  });

  it('removing the default leaves the other account, now the default', async () => {
    await popup.clickButton(`Remove ${DESDEMONA.email} from Zulip Dev`);
    await popup.clickButton('Remove account');
    await popup.waitForText(`Removed ${DESDEMONA.email} from Zulip Dev.`);
    expect((await listed()).map(({ heading, accounts }) => [heading, accounts.map(({ email, isDefault }) => [email, isDefault])])).toEqual([
      ['Zulip Dev', [[IAGO.email, true]]],
    ]);
    expect(await credentials()).toEqual(credentialsOf(IAGO));
    expect(await credentials({ userId: DESDEMONA.userId })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });

  it('logged no error', () => {
    // Chromium reports the realm page's favicon.ico, which the fake server does not have, as a failed load.
    const favicons = realm.requests.filter((r) => r.path === '/favicon.ico').length;
    const errors = browser.consoleMessages().filter((line) => /^(error|pageerror):/.test(line));
    const isMissingFavicon = (line: string) => line === 'error: Failed to load resource: the server responded with a status of 404 (Not Found)';
    expect(errors.filter(isMissingFavicon).length).toBeLessThanOrEqual(favicons);
    expect(errors.filter((line) => !isMissingFavicon(line))).toEqual([]);
  });
});
