// The body of a Zulip answer: the checked JSON of a success, or the ApiError that says why there is
// none (a Zulip error with its code, a server fault, something that is not Zulip).
import { ApiError } from './api-error';
import type { RawResponse } from './http';
import { zulipSchemas, type ErrorBody } from './schemas';
import type * as z from 'zod/mini';

/** The JSON of a success answer as `schema` reads it, or the ApiError that describes why there is none. */
export function successBody<T>(raw: RawResponse, schema: z.ZodMiniType<T>): T {
  // Zulip's own 500 is JSON too ({"result":"error","msg":"Internal server error"}, no code: zerver/middleware.py
  // JsonErrorHandler, 2.1.0 to main): a fault of the server, whatever its body says.
  if (raw.status >= 500) throw new ApiError({ kind: 'server-error', status: raw.status });
  const json = parseJson(raw.text);
  const error = zulipSchemas().errorBody.safeParse(json);
  if (error.success) {
    throw new ApiError({
      kind: 'zulip',
      status: raw.status,
      code: error.data.code ?? legacyCode(raw.status, error.data.reason),
      msg: error.data.msg,
      retryAfterSeconds: retryAfterSeconds(error.data['retry-after'], raw.headers),
    });
  }
  if (raw.status === 429) {
    // A proxy in front of Zulip may rate-limit with a body of its own; the header still says when.
    throw new ApiError({ kind: 'zulip', status: 429, code: null, msg: '', retryAfterSeconds: retryAfterSeconds(undefined, raw.headers) });
  }
  const looksLikeZulip = typeof json === 'object' && json !== null && 'result' in json;
  if (!looksLikeZulip) throw new ApiError({ kind: 'not-zulip', status: raw.status });
  const body = raw.status === 200 ? schema.safeParse(json) : undefined;
  if (!body?.success) throw new ApiError({ kind: 'malformed', status: raw.status });
  return body.data;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

export function errorBody(raw: RawResponse): ErrorBody | null {
  const error = zulipSchemas().errorBody.safeParse(parseJson(raw.text));
  return error.success ? error.data : null;
}

/**
 * The codes of today's refusals, for their forms before feature level 76: a 403 without code whose
 * `reason` says why (zerver/views/auth.py api_fetch_api_key and api_dev_fetch_api_key in Zulip
 * 2.1.0 to 4.x; "password reset needed" from feature level 62). "unregistered" is
 * dev_fetch_api_key's unknown user, which is AUTHENTICATION_FAILED now.
 */
const LEGACY_REASON_CODES: Partial<Record<string, string>> = {
  incorrect_creds: 'AUTHENTICATION_FAILED',
  unregistered: 'AUTHENTICATION_FAILED',
  'user disable': 'USER_DEACTIVATED',
  'realm deactivated': 'REALM_DEACTIVATED',
  'password auth disabled': 'PASSWORD_AUTH_DISABLED',
  'password reset needed': 'PASSWORD_RESET_REQUIRED',
};

function legacyCode(status: number, reason: string | undefined): string | null {
  return status === 403 && reason !== undefined ? (LEGACY_REASON_CODES[reason] ?? null) : null;
}

/** Zulip sends the delay as a float, in the body and in the header; round up so we never retry early. */
function retryAfterSeconds(fromBody: number | undefined, headers: Headers): number | null {
  const candidates = [fromBody, Number.parseFloat(headers.get('retry-after') ?? '')];
  const seconds = candidates.find((value): value is number => typeof value === 'number' && Number.isFinite(value) && value >= 0);
  return seconds === undefined ? null : Math.ceil(seconds);
}
