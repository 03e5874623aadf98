// The one way the background reports a failure nobody is waiting for: to the console, by the
// error's name only. An error's message could quote a server's answer or a stored value.

/** `what` says what failed, e.g. "stored accounts not checked". */
export function logFailure(what: string, error: unknown): void {
  console.error(`Keyring for Zulip: ${what} (${error instanceof Error ? error.name : typeof error})`);
}
