// The zuliprc file Zulip's own clients read (the Python `zulip` package, zulip-js, zulip-terminal):
// an INI file with one [api] section. Written exactly as Zulip's web app writes it for "Download
// zuliprc" (web/src/bot_helper.ts), trailing newline included, which some tools need.

/**
 * Zulip's web app names the download so too: browsers refuse a name that starts with a dot, so the
 * person renames it to ~/.zuliprc, where Zulip's clients look by default.
 */
export const ZULIPRC_FILENAME = 'zuliprc';

export interface ZuliprcFields {
  email: string;
  apiKey: string;
  /** The realm's URL, as Zulip's clients take it: scheme and host, no trailing slash. */
  site: string;
}

export function zuliprcText({ email, apiKey, site }: ZuliprcFields): string {
  // A line break would start another key or section: a file that says something else than the
  // account is worse than none (the router turns the throw into INTERNAL).
  if ([email, apiKey, site].some((value) => /[\r\n]/.test(value))) throw new Error('A zuliprc value holds a line break');
  return `[api]\nemail=${email}\nkey=${apiKey}\nsite=${site}\n`;
}
