// Background dependencies wired to the fake browser, as background.ts wires them to the real one.
import browser from 'webextension-polyfill';
import { IAGO } from '../fake-zulip/demo-realm';
import type { FakeZulipServer } from '../fake-zulip/fake-zulip-server';
import { EXTENSION_ID, EXTENSION_ORIGIN, fake, type FakeSender } from './fake-browser';
import { createBackgroundDeps, type BackgroundDeps } from '../../src/background/deps';
import { createMessageRouter } from '../../src/background/messaging/message-router';
import { createKeySealer } from '../../src/background/keys/key-sealer';
import { createPassphraseLock, type PassphraseLock } from '../../src/background/keys/passphrase-lock';
import { createKeyVault } from '../../src/background/keys/sealing-key';
import type { ScriptingLike } from '../../src/background/ports';
import { originPermissionPattern } from '../../src/shared/realm-url';
import type { StorageAreaLike } from '../../src/shared/storage-area';
import type { ZulipClientOptions } from '../../src/shared/zulip/api-client';

/** `storage` and `scripting` stand in for the fake browser's, for tests that watch or reorder their calls. */
export function createTestDeps(
  options: { zulip?: ZulipClientOptions; now?: () => number; storage?: StorageAreaLike; scripting?: ScriptingLike } = {},
): BackgroundDeps {
  return createBackgroundDeps(
    {
      local: options.storage ?? browser.storage.local,
      localChanged: browser.storage.local.onChanged,
      session: browser.storage.session,
      alarms: browser.alarms as never,
      scripting: options.scripting ?? (browser.scripting as never),
      tabs: browser.tabs as never,
      permissions: browser.permissions,
      i18n: browser.i18n,
      now: options.now ?? Date.now,
      firstRedirect: nodeFirstRedirect,
    },
    options.zulip,
  );
}

/**
 * Node's fetch shows a manual redirect's Location, which browsers hide (the browsers' way is
 * redirect-probe.ts, exercised by the end-to-end tests).
 */
async function nodeFirstRedirect(url: string): Promise<string | null> {
  const response = await fetch(url, { redirect: 'manual' }).catch(() => null);
  const location = response && response.status >= 300 && response.status < 400 ? response.headers.get('location') : null;
  await response?.body?.cancel();
  return location === null ? null : new URL(location, url).href;
}

/** The passphrase lock on the fake browser's storage.session and alarms and the test's IndexedDB. */
export function createTestLock(reseal: () => Promise<void> = async () => {}, now: () => number = Date.now): PassphraseLock {
  return createPassphraseLock({ vault: createKeyVault(), session: browser.storage.session, alarms: browser.alarms as never, now, reseal });
}

/** A sealer as the background builds one, with the lock off. */
export function createTestSealer() {
  return createKeySealer(createTestLock().sealingKeys);
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
