// What the background's handlers are given, and the one place it is built: background.ts builds it
// from the browser's APIs, the unit tests (test/unit/background-deps.ts) from the fake browser's.
import { originPermissionPattern } from '../shared/realm-url';
import { createZulipClient, type ZulipClient, type ZulipClientOptions } from '../shared/zulip/api-client';
import { createAccountStore, type AccountStore } from './accounts/account-store';
import { createCachedStorageArea } from './accounts/cached-storage';
import { createContentScriptRegistry, type ContentScriptRegistry } from './accounts/content-script-registry';
import { createSignInBackoff, type SignInBackoff } from './accounts/sign-in-backoff';
import { createSignInOutcomes, type SignInOutcomes } from './accounts/sign-in-outcomes';
import type { GetMessage } from './failures/describe-failure';
import { createKeySealer } from './keys/key-sealer';
import { createPassphraseLock, type PassphraseLock } from './keys/passphrase-lock';
import { createKeyVault } from './keys/sealing-key';
import type { BackgroundPorts } from './ports';
import type { FirstRedirect } from './sso/completion-origin';
import { createFlowTabs, scheduleSsoDeadline } from './sso/flow-tabs';
import { createSsoFlows, type SsoFlows } from './sso/sso-flow';
import { createSsoFlowStore } from './sso/sso-flow-store';

// Built next to the manifest by vite.content.config.ts.
const CONTENT_SCRIPT_FILE = 'content-script.js';

export interface BackgroundDeps {
  accounts: AccountStore;
  zulip: ZulipClient;
  contentScripts: ContentScriptRegistry;
  hasHostPermission(origin: string): Promise<boolean>;
  t: GetMessage;
  locale: string;
  now(): number;
  signInBackoff: SignInBackoff;
  ssoFlows: SsoFlows;
  /** How the last sign-in ended, for a popup closed while it ran. */
  signInOutcomes: SignInOutcomes;
  /** Where a URL redirects to, without following it (redirect-probe.ts). */
  firstRedirect: FirstRedirect;
  lock: PassphraseLock;
}

const random = (bytes: Uint8Array<ArrayBuffer>) => crypto.getRandomValues(bytes);

/** `zulip`: how the Zulip client reaches servers (tests count or slow its requests). */
export function createBackgroundDeps(ports: BackgroundPorts, zulip?: ZulipClientOptions): BackgroundDeps {
  const { now, session, alarms } = ports;
  const lock = createPassphraseLock({ vault: createKeyVault(), session, alarms, now, reseal: () => accounts.resealAll() });
  const accounts = createAccountStore(createCachedStorageArea(ports.local, ports.localChanged), createKeySealer(lock.sealingKeys), { now });
  const base = {
    accounts,
    lock,
    zulip: createZulipClient(zulip),
    contentScripts: createContentScriptRegistry(ports.scripting, CONTENT_SCRIPT_FILE),
    hasHostPermission: (origin: string) => ports.permissions.contains({ origins: [originPermissionPattern(origin)] }),
    t: (key: string, substitutions?: string | string[]) => ports.i18n.getMessage(key, substitutions),
    locale: ports.i18n.getUILanguage(),
    now,
    signInBackoff: createSignInBackoff(session, now),
    signInOutcomes: createSignInOutcomes(session),
    firstRedirect: ports.firstRedirect,
  };
  const sso = { store: createSsoFlowStore(session), tabs: createFlowTabs(ports.tabs), scheduleDeadline: scheduleSsoDeadline(alarms), random };
  return { ...base, ssoFlows: createSsoFlows({ ...base, sso }) };
}
