// Background dependencies wired to the fake browser, as background.ts wires them to the real one.
import browser from 'webextension-polyfill';
import { IAGO } from '../fake-zulip/demo-realm';
import type { FakeZulipServer } from '../fake-zulip/fake-zulip-server';
import { EXTENSION_ID, EXTENSION_ORIGIN, fake, type FakeSender } from './fake-browser';
import { createAccountStore, type StorageAreaLike } from '../../src/background/accounts/account-store';
import { createCachedStorageArea } from '../../src/background/accounts/cached-storage';
import { createContentScriptRegistry, type ScriptingLike } from '../../src/background/accounts/content-script-registry';
import type { BackgroundDeps } from '../../src/background/handlers/handler';
import { createMessageRouter } from '../../src/background/messaging/message-router';
import { createKeySealer } from '../../src/background/keys/key-sealer';
import { createPassphraseLock, type PassphraseLock } from '../../src/background/keys/passphrase-lock';
import { createKeyVault } from '../../src/background/keys/sealing-key';
import { createFlowTabs, scheduleSsoDeadline } from '../../src/background/sso/flow-tabs';
import { createSignInBackoff } from '../../src/background/accounts/sign-in-backoff';
import { createSignInOutcomes } from '../../src/background/accounts/sign-in-outcomes';
import { createSsoFlows } from '../../src/background/sso/sso-flow';
import { createSsoFlowStore } from '../../src/background/sso/sso-flow-store';
import { originPermissionPattern } from '../../src/shared/realm-url';
import { createZulipClient, type ZulipClientOptions } from '../../src/shared/zulip/api-client';

/** `storage` and `scripting` stand in for the fake browser's, for tests that watch or reorder their calls. */
export function createTestDeps(
  options: { zulip?: ZulipClientOptions; now?: () => number; storage?: StorageAreaLike; scripting?: ScriptingLike } = {},
): BackgroundDeps {
  const now = options.now ?? Date.now;
  const lock = createTestLock(() => accounts.resealAll(), now);
  const storage = createCachedStorageArea(options.storage ?? browser.storage.local, browser.storage.local.onChanged);
  const accounts = createAccountStore(storage, createKeySealer(lock.sealingKeys), { now });
  const deps: Omit<BackgroundDeps, 'ssoFlows'> = {
    accounts,
    lock,
    zulip: createZulipClient(options.zulip),
    contentScripts: createContentScriptRegistry(options.scripting ?? (browser.scripting as never), 'content-script.js'),
    hasHostPermission: (origin) => browser.permissions.contains({ origins: [originPermissionPattern(origin)] }),
    t: (key, substitutions) => browser.i18n.getMessage(key, substitutions),
    locale: 'en',
    now,
    signInBackoff: createSignInBackoff(browser.storage.session, now),
    signInOutcomes: createSignInOutcomes(browser.storage.session),
    // Node's fetch shows a manual redirect's Location, which browsers hide (the browsers' way is
    // redirect-probe.ts, exercised by the end-to-end tests).
    firstRedirect: async (url) => {
      const response = await fetch(url, { redirect: 'manual' }).catch(() => null);
      const location = response && response.status >= 300 && response.status < 400 ? response.headers.get('location') : null;
      await response?.body?.cancel();
      return location === null ? null : new URL(location, url).href;
    },
  };
  return { ...deps, ssoFlows: createSsoFlows({ ...deps, sso: testSsoDeps() }) };
}

/** The passphrase lock on the fake browser's storage.session and alarms and the test's IndexedDB. */
export function createTestLock(reseal: () => Promise<void> = async () => {}, now: () => number = Date.now): PassphraseLock {
  return createPassphraseLock({ vault: createKeyVault(), session: browser.storage.session, alarms: browser.alarms as never, now, reseal });
}

/** A sealer as the background builds one, with the lock off. */
export function createTestSealer() {
  return createKeySealer(createTestLock().sealingKeys);
}

function testSsoDeps() {
  return {
    store: createSsoFlowStore(browser.storage.session),
    tabs: createFlowTabs(browser.tabs as never),
    scheduleDeadline: scheduleSsoDeadline(browser.alarms as never),
    random: (bytes: Uint8Array<ArrayBuffer>) => crypto.getRandomValues(bytes),
  };
}

/** Grants host permission for an origin, as the popup's permission request would. */
export function grantHost(origin: string): void {
  fake.granted.add(originPermissionPattern(origin));
}

/** The toolbar popup, as the router sees it. */
export const POPUP_SENDER: FakeSender = { id: EXTENSION_ID, url: `${EXTENSION_ORIGIN}/src/popup/popup.html`, origin: EXTENSION_ORIGIN };

/** A background's router on fresh test deps, with Iago signed in on `server` through the popup. */
export async function routerSignedIn(server: FakeZulipServer): Promise<ReturnType<typeof createMessageRouter>> {
  const route = createMessageRouter(createTestDeps(), { id: EXTENSION_ID, baseUrl: `${EXTENSION_ORIGIN}/` });
  grantHost(server.url);
  const reply = await route({ type: 'account.signIn', realmUrl: server.url, username: IAGO.email, password: IAGO.password }, POPUP_SENDER);
  if (!reply.ok) throw new Error(`Iago's sign-in failed: ${reply.error.code}`);
  return route;
}
