// The failure replies every part of the background answers with: a code and the sentence a person
// reads, in their language.
import type { ErrorCode } from '../../shared/error-info';
import { ApiError } from '../../shared/zulip/api-error';
import { describeFailure, type GetMessage } from './describe-failure';

/** What a reply needs to be written: the person's language, and the time for "try again in…". */
export interface ReplyDeps {
  t: GetMessage;
  now(): number;
  locale: string;
}

export type Failure = { ok: false; error: { code: ErrorCode; message: string } };

export function failure(code: ErrorCode, message: string): Failure {
  return { ok: false, error: { code, message } };
}

/** The reply for a failed Zulip call; anything that is not an ApiError is a bug and goes to the router. */
export function apiFailure(error: unknown, origin: string, usernameIsEmail: boolean, deps: ReplyDeps) {
  if (!(error instanceof ApiError)) throw error;
  return { ok: false as const, error: describeFailure(error.failure, { origin, usernameIsEmail, now: deps.now(), locale: deps.locale }, deps.t) };
}
