// Background dependencies wired to the fake browser, as background.ts wires them to the real one.
import browser from 'webextension-polyfill';
import { fake } from './fake-browser';
import { createAccountStore } from '../../src/background/account-store';
import { createContentScriptRegistry } from '../../src/background/content-script-registry';
import type { BackgroundDeps } from '../../src/background/handlers/handler';
import { createKeySealer } from '../../src/background/key-sealer';
import { createSealingKeySource } from '../../src/background/sealing-key';
import { createSignInBackoff } from '../../src/background/sign-in-backoff';
import { originPermissionPattern } from '../../src/shared/realm-url';
import { createZulipClient, type ZulipClientOptions } from '../../src/shared/zulip/api-client';

export function createTestDeps(options: { zulip?: ZulipClientOptions; now?: () => number } = {}): BackgroundDeps {
  const now = options.now ?? Date.now;
  return {
    accounts: createAccountStore(browser.storage.local, createKeySealer(createSealingKeySource()), { now }),
    zulip: createZulipClient(options.zulip),
    contentScripts: createContentScriptRegistry(browser.scripting as never, 'content-script.js'),
    hasHostPermission: (origin) => browser.permissions.contains({ origins: [originPermissionPattern(origin)] }),
    t: (key, substitutions) => browser.i18n.getMessage(key, substitutions),
    locale: 'en',
    now,
    signInBackoff: createSignInBackoff(browser.storage.session, now),
  };
}

/** Grants host permission for an origin, as the popup's permission request would. */
export function grantHost(origin: string): void {
  fake.granted.add(originPermissionPattern(origin));
}
