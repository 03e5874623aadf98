// Adding an account's first step, finding the server, free of UI so that its order can be tested:
// the permission request has to be the first asynchronous thing a click does (see host-permission.ts).
// The sign-in step is in sign-in.ts, loaded with its view.
import type { Send } from '../shared/message-client';
import { originPermissionPattern, parseRealmUrl, REALM_URL_PROBLEM_MESSAGE } from '../shared/realm-url';
import type { RealmInfo } from '../shared/zulip/realm-info';
import type { HostPermissions } from './host-permission';
import type { Translate } from '../shared/i18n';

export interface FlowDeps {
  hostPermissions: Pick<HostPermissions, 'ensure'>;
  send: Send;
  t: Translate;
}

export type LookupOutcome =
  | { ok: true; origin: string; realm: RealmInfo }
  /** `inputProblem`: the typed URL itself is wrong, so the field is marked invalid. */
  | { ok: false; message: string; inputProblem: boolean };

/**
 * From a click or submit handler. `beforePrompt` gets the origin when a permission prompt may
 * appear, so that the draft can be saved before Chromium closes the popup.
 */
export async function lookUpServer(
  input: string,
  deps: FlowDeps,
  beforePrompt?: (origin: string) => void,
): Promise<LookupOutcome> {
  const parsed = parseRealmUrl(input);
  if (!parsed.ok) return { ok: false, message: deps.t(REALM_URL_PROBLEM_MESSAGE[parsed.problem]), inputProblem: true };
  const { origin } = parsed;
  // No await before this line: it would cost the user gesture in Firefox.
  const permission = await deps.hostPermissions.ensure(originPermissionPattern(origin), () => beforePrompt?.(origin));
  if (permission !== 'granted') return { ok: false, message: deps.t('error_permission_denied', origin), inputProblem: false };
  return fetchRealm(origin, deps);
}

/** The host Continue (lookUpServer) will ask for, while it is not held: said before the click. */
export function hostLookupAsksFor(input: string, permissions: Pick<HostPermissions, 'isGranted'>): string | null {
  const parsed = parseRealmUrl(input);
  return parsed.ok ? hostToAsk(parsed.origin, permissions) : null;
}

/** The lookup alone, for when the permission is known to be held already. */
export async function fetchRealm(origin: string, deps: Pick<FlowDeps, 'send'>): Promise<LookupOutcome> {
  const reply = await deps.send({ type: 'realm.lookup', serverUrl: origin });
  return reply.ok ? { ok: true, origin, realm: reply.realm } : { ok: false, message: reply.error.message, inputProblem: false };
}

/** The host to name before a click, while its permission is not held. */
export function hostToAsk(origin: string, permissions: Pick<HostPermissions, 'isGranted'>): string | null {
  return permissions.isGranted(originPermissionPattern(origin)) ? null : new URL(origin).host;
}
