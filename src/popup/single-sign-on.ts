// Starting single sign-on from the popup, free of UI like add-account.ts: the permission request
// has to be the first asynchronous thing the click does (see host-permission.ts).
import type { SsoFlowSummary } from '../shared/reply-values';
import { originOf, originPermissionPattern } from '../shared/realm-url';
import type { ExternalAuthMethod, RealmInfo } from '../shared/zulip/realm-info';
import type { FlowDeps } from './add-account';
import type { HostPermissions } from './host-permission';

/**
 * The hosts the background must hold to see the flow's final redirect: the realm's, and the one
 * that serves that redirect when it is another (on multi-organization servers, the root or the
 * social-auth subdomain).
 */
export function ssoPermissionPatterns(realm: RealmInfo, method: ExternalAuthMethod): string[] {
  const origins = [realm.realmUrl, method.completionOrigin ?? realm.realmUrl];
  return [...new Set(origins.map((origin) => originPermissionPattern(origin)))];
}

/** "https://zulipchat.com" for "https://zulipchat.com/*": what a person recognises. */
const hostOf = (pattern: string) => pattern.replace(/\/\*$/, '');

/** The hosts among those that are not granted yet, for telling the person why a prompt will come. */
export function ssoHostsToAsk(realm: RealmInfo, method: ExternalAuthMethod, permissions: Pick<HostPermissions, 'isGranted'>): string[] {
  return ssoPermissionPatterns(realm, method)
    .filter((pattern) => !permissions.isGranted(pattern))
    .map(hostOf);
}

export type SsoStartOutcome = { ok: true; flow: SsoFlowSummary } | { ok: false; message: string };

/** From a click handler. `beforePrompt` gets the realm's origin when a permission prompt may appear. */
export async function startSingleSignOn(
  realm: RealmInfo,
  method: ExternalAuthMethod,
  deps: FlowDeps,
  beforePrompt?: (origin: string) => void,
): Promise<SsoStartOutcome> {
  const realmOrigin = originOf(realm.realmUrl);
  if (realmOrigin === null) return { ok: false, message: deps.t('error_internal') };
  // No await before this line: it would cost the user gesture in Firefox.
  const patterns = ssoPermissionPatterns(realm, method);
  const permission = await deps.hostPermissions.ensure(patterns, () => beforePrompt?.(realmOrigin));
  if (permission !== 'granted') {
    return { ok: false, message: deps.t('error_sso_permission_denied', method.displayName, patterns.map(hostOf).join(', ')) };
  }
  const reply = await deps.send({ type: 'sso.start', realmUrl: realm.realmUrl, method: method.name });
  return reply.ok ? { ok: true, flow: reply.flow } : { ok: false, message: reply.error.message };
}
