// Every way a call to a Zulip server can fail, as data. The popup turns these into sentences;
// nothing here is shown to a person directly.

export type ApiFailure =
  | { kind: 'network' }
  | { kind: 'timeout' }
  | { kind: 'redirect'; location: string | null }
  | { kind: 'too-large' }
  /** The answer is not a Zulip JSON answer at all: an HTML page, plain text, broken JSON. */
  | { kind: 'not-zulip'; status: number }
  /** A JSON answer with `result: "success"` whose fields are not what Zulip sends. */
  | { kind: 'malformed'; status: number }
  | { kind: 'server-error'; status: number }
  /**
   * users/me answered as to a request without credentials: something between the browser and Zulip
   * (a proxy) removed the Authorization header. No verdict on the key.
   */
  | { kind: 'key-not-received' }
  /** A Zulip error body: branch on status and code, never on msg (msg is translated by the server). */
  | { kind: 'zulip'; status: number; code: string | null; msg: string; retryAfterSeconds: number | null }
  /** The server answers, but no organization lives at this address (multi-organization root). */
  | { kind: 'no-realm' }
  /** The server names a plain-http address for itself that is not loopback: we will not send a password there. */
  | { kind: 'insecure-realm'; realmUrl: string };

export class ApiError extends Error {
  constructor(readonly failure: ApiFailure) {
    super(`Zulip API call failed: ${failure.kind}`);
    this.name = 'ApiError';
  }
}
