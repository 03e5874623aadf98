// Adding an account with an API key pasted by hand, free of UI like add-account.ts. The key is
// checked here for Zulip's format first, so that a half-pasted key is explained without a request.
import { API_KEY_PATTERN } from '../shared/zulip/api-key-format';
import type { AccountSummary } from '../shared/reply-values';
import type { RealmInfo } from '../shared/zulip/realm-info';
import { ensureRealmHost, type WayIn } from './sign-in';
import type { MessageKey } from '../shared/i18n';

export interface ApiKeyInput {
  realm: RealmInfo;
  /** The origin the person typed, whose permission is already held. */
  origin: string;
  email: string;
  apiKey: string;
}

export type ApiKeyField = 'email' | 'apiKey';

export type ApiKeyOutcome =
  | { ok: true; account: AccountSummary; replaced: AccountSummary | null }
  /** `invalid`: the field itself (empty, or not a key at all), not the server, is the problem. */
  | { ok: false; message: string; field: ApiKeyField | null; invalid?: true };

/** What is wrong with the fields before anything is sent, and where; null when nothing is. */
export function apiKeyFormProblem(input: Pick<ApiKeyInput, 'email' | 'apiKey'>): { key: MessageKey; field: ApiKeyField } | null {
  if (input.email.trim() === '') return { key: 'popup_error_email_empty', field: 'email' };
  const apiKey = input.apiKey.trim();
  if (apiKey === '') return { key: 'popup_error_api_key_empty', field: 'apiKey' };
  return API_KEY_PATTERN.test(apiKey) ? null : { key: 'error_api_key_malformed', field: 'apiKey' };
}

export const addWithApiKey: WayIn<ApiKeyInput, ApiKeyOutcome> = async (input, deps, beforePrompt, beforeSend) => {
  const problem = apiKeyFormProblem(input);
  if (problem) return { ok: false, message: deps.t(problem.key), field: problem.field, invalid: true };
  const refused = await ensureRealmHost(input.realm, input.origin, deps, beforePrompt);
  if (refused !== null) return { ok: false, message: refused, field: null };
  beforeSend?.();
  const reply = await deps.send({ type: 'account.addWithKey', realmUrl: input.realm.realmUrl, email: input.email.trim(), apiKey: input.apiKey.trim() });
  if (reply.ok) return { ok: true, account: reply.account, replaced: reply.replaced };
  const { code, message } = reply.error;
  // A refused key is most often a wrong key; an account of another organization, the wrong email.
  const field = code === 'NONEXISTENT_SUBDOMAIN' || code === 'USER_DEACTIVATED' ? 'email' : code === 'API_KEY_INVALID' || code === 'API_KEY_MALFORMED' ? 'apiKey' : null;
  return { ok: false, message, field };
};
