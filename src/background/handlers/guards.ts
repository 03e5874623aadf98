// The checks handlers make before they act, each answering with the reply that says why not.
import { originOf, parseRealmUrl, REALM_URL_PROBLEM_MESSAGE } from '../../shared/realm-url';
import type { RealmInfo } from '../../shared/zulip/realm-info';
import type { BackgroundDeps } from '../deps';
import { apiFailure, failure, type Failure } from '../failures/reply';

/**
 * The origin of a realm a request names by the URL the popup was given for it (a stored account's):
 * anything else is no request the popup sends.
 */
export function namedOrigin(realmUrl: string, deps: Pick<BackgroundDeps, 't'>): { origin: string } | Failure {
  const origin = originOf(realmUrl);
  return origin === null ? failure('INVALID_REQUEST', deps.t('error_invalid_request')) : { origin };
}

/**
 * LOCKED while the passphrase lock is closed. Ways in ask before they reach the server: a key
 * issued then could not be sealed, and a password would be sent for nothing.
 */
export async function lockedFailure(deps: BackgroundDeps): Promise<Failure | null> {
  return (await deps.lock.isLocked()) ? failure('LOCKED', deps.t('error_locked')) : null;
}

/** Parses a URL the way the popup did and checks the host permission the popup should have obtained. */
export async function reachableOrigin(url: string, deps: BackgroundDeps): Promise<{ origin: string } | Failure> {
  const parsed = parseRealmUrl(url);
  if (!parsed.ok) return failure('INVALID_URL', deps.t(REALM_URL_PROBLEM_MESSAGE[parsed.problem]));
  if (!(await deps.hasHostPermission(parsed.origin))) {
    return failure('PERMISSION_MISSING', deps.t('error_permission_missing', [parsed.origin]));
  }
  return { origin: parsed.origin };
}

/**
 * The organization at a URL as its server_settings describe it, from a host the popup obtained.
 * `canonicalHeld`: a realm naming another host as its own must have that host held too, for
 * requests that go there next.
 */
export async function reachableRealm(url: string, deps: BackgroundDeps, canonicalHeld: boolean): Promise<{ origin: string; realm: RealmInfo } | Failure> {
  const target = await reachableOrigin(url, deps);
  if (!('origin' in target)) return target;
  let realm: RealmInfo;
  try {
    realm = await deps.zulip.getServerSettings(target.origin);
  } catch (error) {
    return apiFailure(error, target.origin, true, deps);
  }
  if (canonicalHeld && realm.realmUrl !== target.origin) {
    const canonical = await reachableOrigin(realm.realmUrl, deps);
    if (!('origin' in canonical)) return canonical;
  }
  return { origin: target.origin, realm };
}

/** The realm a key will be stored for, asked only while the keys are unlocked (see lockedFailure). */
export async function realmToStoreFor(url: string, deps: BackgroundDeps): Promise<{ origin: string; realm: RealmInfo } | Failure> {
  return (await lockedFailure(deps)) ?? reachableRealm(url, deps, true);
}
