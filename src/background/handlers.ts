// One handler per request type. Each receives a request the router has already validated and a
// sender it has already classified, and returns a reply; throwing is left to the router to catch.
import type { AccountSummary, ErrorCode, Reply, RequestOf, RequestType } from '../shared/messages';
import { parseRealmUrl, originOf, REALM_URL_PROBLEM_MESSAGE } from '../shared/realm-url';
import { ApiError } from '../shared/zulip/api-error';
import type { RealmInfo, ZulipClient } from '../shared/zulip/api-client';
import type { AccountStore } from './account-store';
import type { ContentScriptRegistry } from './content-script-registry';
import { describeFailure, type GetMessage } from './describe-failure';
import type { SenderKind } from './sender';

export interface BackgroundDeps {
  accounts: AccountStore;
  zulip: ZulipClient;
  contentScripts: ContentScriptRegistry;
  hasHostPermission(origin: string): Promise<boolean>;
  t: GetMessage;
  locale: string;
  now(): number;
}

type Handler<T extends RequestType> = (request: RequestOf<T>, sender: SenderKind, deps: BackgroundDeps) => Promise<Reply<T>>;

interface Route<T extends RequestType> {
  /** Content scripts may only ask for credentials; everything else is for the extension's own pages. */
  contentScriptsAllowed: boolean;
  handle: Handler<T>;
}

export function failure(code: ErrorCode, message: string): { ok: false; error: { code: ErrorCode; message: string } } {
  return { ok: false, error: { code, message } };
}

export const routes: { [T in RequestType]: Route<T> } = {
  'credentials.get': { contentScriptsAllowed: true, handle: getCredentials },
  'accounts.list': { contentScriptsAllowed: false, handle: async (_request, _sender, deps) => ({ ok: true, accounts: await deps.accounts.list() }) },
  'realm.lookup': { contentScriptsAllowed: false, handle: lookUpRealm },
  'account.signIn': { contentScriptsAllowed: false, handle: signIn },
  'account.remove': { contentScriptsAllowed: false, handle: removeAccount },
};

async function getCredentials(
  request: RequestOf<'credentials.get'>,
  sender: SenderKind,
  deps: BackgroundDeps,
): Promise<Reply<'credentials.get'>> {
  const asked = request.realm === undefined ? null : originOf(request.realm);
  if (request.realm !== undefined && asked === null) return failure('INVALID_REQUEST', deps.t('error_invalid_request'));
  let realm: string;
  if (sender.kind === 'content-script') {
    // Decided before looking anything up, so a page learns nothing about other realms' accounts.
    if (!sender.topFrame || (asked !== null && asked !== sender.origin)) return failure('FORBIDDEN', deps.t('error_forbidden'));
    realm = sender.origin;
  } else {
    if (asked === null) return failure('INVALID_REQUEST', deps.t('error_invalid_request'));
    realm = asked;
  }
  let found: Awaited<ReturnType<AccountStore['getWithKey']>>;
  try {
    found = await deps.accounts.getWithKey(realm);
  } catch {
    return failure('INTERNAL', deps.t('error_key_unreadable'));
  }
  if (!found) return failure('NOT_FOUND', deps.t('error_not_found'));
  const { account, apiKey } = found;
  return { ok: true, credentials: { realm: account.realmUrl, email: account.email, apiKey, userId: account.userId } };
}

/** Parses a URL the way the popup did and checks the host permission the popup should have obtained. */
async function reachableOrigin(url: string, deps: BackgroundDeps): Promise<{ origin: string } | { ok: false; error: { code: ErrorCode; message: string } }> {
  const parsed = parseRealmUrl(url);
  if (!parsed.ok) return failure('INVALID_URL', deps.t(REALM_URL_PROBLEM_MESSAGE[parsed.problem]));
  if (!(await deps.hasHostPermission(parsed.origin))) {
    return failure('PERMISSION_MISSING', deps.t('error_permission_missing', [parsed.origin]));
  }
  return { origin: parsed.origin };
}

function apiFailure(error: unknown, origin: string, usernameIsEmail: boolean, deps: BackgroundDeps) {
  if (!(error instanceof ApiError)) throw error;
  return { ok: false as const, error: describeFailure(error.failure, { origin, usernameIsEmail, now: deps.now(), locale: deps.locale }, deps.t) };
}

async function lookUpRealm(request: RequestOf<'realm.lookup'>, _sender: SenderKind, deps: BackgroundDeps): Promise<Reply<'realm.lookup'>> {
  const target = await reachableOrigin(request.serverUrl, deps);
  if (!('origin' in target)) return target;
  try {
    return { ok: true, realm: await deps.zulip.getServerSettings(target.origin) };
  } catch (error) {
    return apiFailure(error, target.origin, true, deps);
  }
}

async function signIn(request: RequestOf<'account.signIn'>, _sender: SenderKind, deps: BackgroundDeps): Promise<Reply<'account.signIn'>> {
  const target = await reachableOrigin(request.realmUrl, deps);
  if (!('origin' in target)) return target;
  let realm: RealmInfo;
  try {
    // Asked again rather than trusted from the popup: the realm's name, icon and canonical URL are stored.
    realm = await deps.zulip.getServerSettings(target.origin);
  } catch (error) {
    return apiFailure(error, target.origin, true, deps);
  }
  if (realm.realmUrl !== target.origin) {
    const canonical = await reachableOrigin(realm.realmUrl, deps);
    if (!('origin' in canonical)) return canonical;
  }
  let grant: Awaited<ReturnType<ZulipClient['fetchApiKey']>>;
  try {
    grant = await deps.zulip.fetchApiKey(realm.realmUrl, request.username, request.password);
  } catch (error) {
    return apiFailure(error, realm.realmUrl, realm.usernameIsEmail, deps);
  }
  let userId = grant.userId;
  if (userId === null) {
    // Servers before feature level 171 do not say who signed in; the new key can ask.
    try {
      userId = await deps.zulip.getOwnUserId(realm.realmUrl, grant.email, grant.apiKey);
    } catch (error) {
      return apiFailure(error, realm.realmUrl, realm.usernameIsEmail, deps);
    }
  }
  const { saved, replaced } = await deps.accounts.put({
    realmUrl: realm.realmUrl,
    realmName: realm.name,
    realmIconUrl: realm.iconUrl,
    email: grant.email,
    userId,
    zulipVersion: realm.zulipVersion,
    featureLevel: realm.featureLevel,
    apiKey: grant.apiKey,
  });
  await syncContentScripts(deps);
  return { ok: true, account: saved, replaced };
}

async function removeAccount(request: RequestOf<'account.remove'>, _sender: SenderKind, deps: BackgroundDeps): Promise<Reply<'account.remove'>> {
  const origin = originOf(request.realmUrl);
  if (origin === null) return failure('INVALID_REQUEST', deps.t('error_invalid_request'));
  const removed = await deps.accounts.remove(origin);
  await syncContentScripts(deps);
  return { ok: true, removed };
}

export async function syncContentScripts(deps: Pick<BackgroundDeps, 'accounts' | 'contentScripts'>): Promise<void> {
  const accounts: AccountSummary[] = await deps.accounts.list();
  await deps.contentScripts.sync(accounts.map((account) => account.realmUrl));
}
