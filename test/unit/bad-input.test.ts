// Every bad input, in one table. Each case drives the real popup (App, rendered in happy-dom) as a
// person would, through the real message router, to the fake Zulip server over real HTTP, and
// proves four things: the exact sentence the person reads, that nothing was stored (no account in
// storage.local, no password in storage.session), that the password field is empty afterwards, and
// that nothing reached the console or was left unhandled. The sentences are written out from
// public/_locales/en/messages.json.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import browser from 'webextension-polyfill';
import { createDemoRealm, HAMLET, IAGO } from '../fake-zulip/demo-realm';
import { startFakeZulip, type FakeZulipServer, type Override } from '../fake-zulip/fake-zulip-server';
import { hang, htmlPage, methodNotAllowed, oversizedJson, redirectTo, stalledBody, zulipInternalError } from '../fake-zulip/faults';
import { startSelfSignedServer } from '../fixtures/self-signed/https-server';
import { fake } from './fake-browser';
import { openPopup, startBackground, type PopupDom } from './popup-dom';

interface Env {
  server: FakeZulipServer;
  /** What the person types as the Server URL; the fake server's address unless a case says otherwise. */
  typed: string;
  /** Every URL the background fetched. */
  fetched: string[];
  /** Set by `watched`: whether the server got to send its whole body before the connection ended. */
  bodyFinished?: boolean;
  cleanup: Array<() => Promise<void>>;
}

interface Case {
  name: string;
  arrange?(env: Env): void | Promise<void>;
  /** For failures at Log in: what is typed there, and what changes on the server after the lookup. */
  signIn?: { label?: 'Email' | 'Username'; username: string; password: string; meanwhile?(env: Env): void | Promise<void> };
  /** The alert's sentence; null for input that is no error, after which the sign-in form must show. */
  message: ((env: Env) => string) | null;
  check?(env: Env, popup: PopupDom): void | Promise<void>;
  /** The background's HTTP timeout, shortened for the cases that wait for it. */
  timeoutMs?: number;
  /** The wall clock, for cases whose sentence names a time. */
  clock?: Date;
  /** Secrets other than the typed password that must be stored nowhere. */
  secrets?: string[];
}

// The sentences with an origin in them, written out once.
const notZulip = (origin: string, status: number) =>
  `${origin} does not look like a Zulip server (it answered with HTTP ${status} and no Zulip data). Check the address.`;
const serverError = (origin: string, status: number) => `The server at ${origin} has a problem (HTTP ${status}). Try again later.`;
const malformed = (origin: string) => `${origin} sent an answer that Zulip servers do not send. It may not be a Zulip server, or it may be misconfigured.`;
const tooLarge = (origin: string) => `${origin} sent an answer far larger than a Zulip server sends, so it was not read.`;
const timedOut = (origin: string) => `${origin} did not answer in time. Try again later.`;
const unreachable = (origin: string) =>
  `Could not connect to ${origin}. Check the address and your connection. If the server's certificate is self-signed or expired, your browser refuses it: open ${origin} in a tab to see why.`;
const redirects = (origin: string, target: string) => `${origin} redirects to ${target}. If that is your organization, enter that address instead.`;
const WRONG_EMAIL_OR_PASSWORD = 'Your email or password is incorrect.';
const USER_DEACTIVATED = 'Your account in this organization has been deactivated. Ask an administrator of the organization to reactivate it.';
const REALM_DEACTIVATED = 'This organization has been deactivated.';

const WRONG = 'not-the-password-7';
const iago = (password: string = WRONG) => ({ username: IAGO.email, password });
// 14:32:00 on the clock of whoever runs the tests, so that the time in a sentence is known.
const TWO_THIRTY_TWO = new Date(2026, 0, 15, 14, 32, 0);

const json = (status: number, body: unknown, headers: Record<string, string> = {}): Override => (_req, res) => {
  res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
  res.end(typeof body === 'string' ? body : JSON.stringify(body));
};
const SETTINGS = '/api/v1/server_settings';
const FETCH_API_KEY = '/api/v1/fetch_api_key';
const apiKeyRequests = (env: Env) => env.server.requests.filter((request) => request.path === FETCH_API_KEY).length;

/** Notes whether the server finished sending its body before the client hung up. */
function watched(env: Env, fault: Override): Override {
  return (req, res, body) => {
    res.on('close', () => {
      env.bodyFinished = res.writableFinished;
    });
    return fault(req, res, body);
  };
}

async function closedPort(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

async function neverFinishesReading(env: Env, popup: PopupDom) {
  await popup.waitFor(() => env.bodyFinished !== undefined, 'the server to see its connection end');
  expect(env.bodyFinished).toBe(false);
}

async function sendsNothingEarly(env: Env, popup: PopupDom) {
  const sent = apiKeyRequests(env);
  expect(popup.button('Log in')?.disabled).toBe(true);
  await popup.fill('Password', IAGO.password);
  await popup.click('Log in');
  popup.submitFrom('Password');
  await new Promise((resolve) => setTimeout(resolve, 100));
  expect(apiKeyRequests(env)).toBe(sent);
  await popup.fill('Password', '');
}

const serverUrlCases: Case[] = [
  { name: 'Server URL: empty', arrange: (env) => void (env.typed = ''), message: () => "Please enter your organization's URL." },
  { name: 'Server URL: spaces only', arrange: (env) => void (env.typed = '   '), message: () => "Please enter your organization's URL." },
  { name: 'Server URL: zulip://x', arrange: (env) => void (env.typed = 'zulip://x'), message: () => 'The server URL must start with http:// or https://.' },
  { name: 'Server URL: ftp://x', arrange: (env) => void (env.typed = 'ftp://x'), message: () => 'The server URL must start with http:// or https://.' },
  { name: 'Server URL: an email', arrange: (env) => void (env.typed = 'me@example.com'), message: () => 'Please enter the server URL, not your email.' },
  {
    name: 'Server URL: plain http to another computer',
    arrange: (env) => void (env.typed = 'http://example.com'),
    message: () => 'Plain http:// is allowed only for a server on this computer (localhost). Use https:// so that your password travels encrypted.',
  },
  { name: 'Server URL: 2,000 characters', arrange: (env) => void (env.typed = `chat.example.com/${'a'.repeat(1983)}`), message: () => 'That address is too long to be a server URL.' },
  {
    name: 'Server URL: a name and password in it',
    arrange: (env) => void (env.typed = 'https://me:hunter2-in-url@chat.example.com'),
    message: () => 'Remove the name and password from the URL. Type them in the sign-in form instead.',
    secrets: ['hunter2-in-url'],
  },
  {
    name: 'Server URL: an IP address with a port is a server on this computer, over http',
    arrange: (env) => void (env.typed = `127.0.0.1:${env.server.port}`),
    message: null,
    check: (env, popup) => {
      expect(env.fetched).toEqual([`${env.server.url}${SETTINGS}`]);
      expect(popup.text()).toContain('Zulip Dev');
    },
  },
  {
    name: 'Server URL: a path and a fragment are ignored',
    arrange: (env) => void (env.typed = `${env.server.url}/#narrow/stream/1-general`),
    message: null,
    check: (env) => expect(env.fetched).toEqual([`${env.server.url}${SETTINGS}`]),
  },
  {
    name: 'Server URL: an internationalised domain name is asked for and looked up in punycode',
    arrange: (env) => void (env.typed = 'Bücher.invalid'),
    message: () => unreachable('https://xn--bcher-kva.invalid'),
    check: (env) => {
      expect(fake.state.permissionRequests).toEqual([['https://xn--bcher-kva.invalid/*']]);
      expect(env.fetched).toEqual([`https://xn--bcher-kva.invalid${SETTINGS}`]);
    },
  },
];

const lookupCases: Case[] = [
  { name: 'lookup: an HTML page with 200 (not a Zulip server)', arrange: (env) => env.server.override(SETTINGS, htmlPage(200)), message: (env) => notZulip(env.server.url, 200) },
  { name: 'lookup: an HTML 404', arrange: (env) => env.server.override(SETTINGS, htmlPage(404)), message: (env) => notZulip(env.server.url, 404) },
  ...[500, 502, 503].map<Case>((status) => ({
    name: `lookup: an HTML ${status}`,
    arrange: (env) => env.server.override(SETTINGS, htmlPage(status)),
    message: (env) => serverError(env.server.url, status),
  })),
  {
    name: 'lookup: JSON without result',
    arrange: (env) => env.server.override(SETTINGS, json(200, { zulip_version: '10.0', realm_name: 'Zulip Dev' })),
    message: (env) => notZulip(env.server.url, 200),
  },
  {
    name: 'lookup: fields of the wrong type',
    arrange: (env) => env.server.override(SETTINGS, json(200, { result: 'success', msg: '', zulip_version: 10, realm_name: ['Zulip Dev'] })),
    message: (env) => malformed(env.server.url),
  },
  {
    name: 'lookup: over 1 MiB with its length declared, refused unread',
    arrange: (env) => env.server.override(SETTINGS, watched(env, oversizedJson(64 * 1024 * 1024, { declareLength: true }))),
    message: (env) => tooLarge(env.server.url),
    check: neverFinishesReading,
  },
  {
    name: 'lookup: over 1 MiB streamed without a length, cut off after 1 MiB',
    arrange: (env) => env.server.override(SETTINGS, watched(env, oversizedJson(64 * 1024 * 1024, { declareLength: false }))),
    message: (env) => tooLarge(env.server.url),
    check: neverFinishesReading,
  },
  { name: 'lookup: no answer at all (timeout)', arrange: (env) => env.server.override(SETTINGS, hang()), timeoutMs: 300, message: (env) => timedOut(env.server.url) },
  { name: 'lookup: an answer that never finishes (timeout)', arrange: (env) => env.server.override(SETTINGS, stalledBody()), timeoutMs: 300, message: (env) => timedOut(env.server.url) },
  {
    name: 'lookup: connection refused',
    arrange: async (env) => void (env.typed = await closedPort()),
    message: (env) => unreachable(env.typed),
  },
  { name: 'lookup: a name that does not resolve', arrange: (env) => void (env.typed = 'does-not-exist.invalid'), message: () => unreachable('https://does-not-exist.invalid') },
  {
    name: 'lookup: a redirect to another origin is not followed',
    arrange: (env) => env.server.override(SETTINGS, redirectTo(`https://chat.example.org${SETTINGS}`)),
    message: (env) => redirects(env.server.url, `https://chat.example.org${SETTINGS}`),
    check: (env) => expect(env.fetched).toEqual([`${env.server.url}${SETTINGS}`]),
  },
  {
    name: 'lookup: an http to https redirect is not followed',
    arrange: (env) => env.server.override(SETTINGS, redirectTo(`${env.server.url.replace('http:', 'https:')}${SETTINGS}`, 301)),
    message: (env) => redirects(env.server.url, `${env.server.url.replace('http:', 'https:')}${SETTINGS}`),
    check: (env) => expect(env.fetched).toEqual([`${env.server.url}${SETTINGS}`]),
  },
  {
    name: 'lookup: a self-signed certificate',
    arrange: async (env) => {
      const https = await startSelfSignedServer();
      env.cleanup.push(https.close);
      env.typed = https.url;
    },
    message: (env) => unreachable(env.typed),
  },
  {
    name: 'lookup: no organization at this address',
    arrange: (env) => void (env.server.realm = null),
    message: (env) => `There is no Zulip organization at ${env.server.url}. Enter your organization's own address, such as yourteam.zulipchat.com.`,
  },
  {
    name: 'lookup: a server that names a plain-http address for itself',
    arrange: async (env) => {
      const insecure = await startFakeZulip({ realm: createDemoRealm(), realmUrl: 'http://chat.example.com' });
      env.cleanup.push(insecure.close);
      env.typed = insecure.url;
    },
    message: () =>
      "The server gives its address as http://chat.example.com, which is not encrypted. The extension will not send your password there; ask the server's administrator to set up https.",
  },
];

const rateLimitBody = (retryAfter: number) => `{"code":"RATE_LIMIT_HIT","msg":"API usage exceeded rate limit","result":"error","retry-after":${retryAfter}}`;

const signInCases: Case[] = [
  { name: 'sign-in: wrong password', signIn: iago(), message: () => WRONG_EMAIL_OR_PASSWORD },
  { name: 'sign-in: unknown email', signIn: { username: 'nobody@zulip.com', password: WRONG }, message: () => WRONG_EMAIL_OR_PASSWORD },
  {
    name: 'sign-in: wrong password on an LDAP organization with usernames',
    arrange: (env) => void (env.server.realm = createDemoRealm({ emailAuthEnabled: false, ldapEnabled: true })),
    signIn: { label: 'Username', username: 'iago', password: WRONG },
    message: () => 'Your username or password is incorrect.',
  },
  { name: 'sign-in: USER_DEACTIVATED', signIn: { username: HAMLET.email, password: HAMLET.password }, message: () => USER_DEACTIVATED },
  { name: 'sign-in: REALM_DEACTIVATED', arrange: (env) => void (env.server.realm = createDemoRealm({ deactivated: true })), signIn: iago(IAGO.password), message: () => REALM_DEACTIVATED },
  {
    name: 'sign-in: PASSWORD_AUTH_DISABLED (turned off after the lookup)',
    signIn: { ...iago(IAGO.password), meanwhile: (env) => void (env.server.realm = createDemoRealm({ emailAuthEnabled: false })) },
    message: () => 'This organization does not allow signing in with a password.',
  },
  {
    name: 'sign-in: PASSWORD_RESET_REQUIRED',
    arrange: (env) => void (env.server.realm = createDemoRealm({ users: [{ ...IAGO, passwordResetRequired: true }] })),
    signIn: iago(IAGO.password),
    message: () => "Your password has been disabled and needs to be reset. Reset it on the organization's website, then sign in here.",
  },
  {
    name: 'sign-in: NONEXISTENT_SUBDOMAIN (an email of another organization on the server, Zulip 7.0-9.3)',
    arrange: (env) => void (env.server.realm = createDemoRealm({ zulipVersion: '8.0', featureLevel: 237, emailsInOtherRealms: ['othello@zulip.com'] })),
    signIn: { username: 'othello@zulip.com', password: WRONG },
    message: () => "This account belongs to another organization on this server. Enter that organization's URL instead.",
  },
  { name: 'sign-in: BAD_REQUEST (a username that is not an email)', signIn: { username: 'iago', password: WRONG }, message: () => 'Enter a valid email address.' },
  {
    name: 'sign-in: REQUEST_VARIABLE_MISSING (a proxy dropped the form)',
    arrange: (env) => env.server.override(FETCH_API_KEY, json(400, { result: 'error', msg: "Missing 'password' argument", code: 'REQUEST_VARIABLE_MISSING', var_name: 'password' })),
    signIn: iago(),
    message: () => "The server refused the sign-in: Missing 'password' argument",
  },
  {
    name: 'sign-in: RATE_LIMIT_HIT with a float retry-after, and no attempt before it',
    clock: TWO_THIRTY_TWO,
    arrange: (env) => env.server.override(FETCH_API_KEY, json(429, rateLimitBody(28.706807374954224), { 'Retry-After': '28.706807374954224' })),
    signIn: iago(IAGO.password),
    message: () => 'Too many sign-in attempts for this account. The server accepts the next one at 2:32:29 PM.',
    check: sendsNothingEarly,
  },
  {
    name: "sign-in: RATE_LIMIT_HIT from Zulip's own limit, after five wrong passwords",
    clock: TWO_THIRTY_TWO,
    signIn: {
      ...iago(IAGO.password),
      meanwhile: async (env) => {
        for (let attempt = 0; attempt < 5; attempt++) {
          await browser.runtime.sendMessage({ type: 'account.signIn', realmUrl: env.server.url, username: IAGO.email, password: WRONG });
        }
      },
    },
    message: () => 'Too many sign-in attempts for this account. The server accepts the next one at 3:02 PM.',
    check: sendsNothingEarly,
  },
  {
    name: 'sign-in: a 429 from a proxy with only a Retry-After header',
    clock: TWO_THIRTY_TWO,
    arrange: (env) => env.server.override(FETCH_API_KEY, (_req, res) => {
      res.writeHead(429, { 'Content-Type': 'text/html', 'Retry-After': '12.2' });
      res.end('<h1>Slow down</h1>');
    }),
    signIn: iago(IAGO.password),
    message: () => 'Too many sign-in attempts for this account. The server accepts the next one at 2:32:13 PM.',
    check: sendsNothingEarly,
  },
  {
    name: 'sign-in: a 429 that does not say for how long',
    arrange: (env) => env.server.override(FETCH_API_KEY, json(429, { result: 'error', msg: 'API usage exceeded rate limit' })),
    signIn: iago(IAGO.password),
    message: () => 'Too many sign-in attempts for this account. Wait a while before trying again.',
  },
  {
    name: 'sign-in: a 405 with JSON under text/html',
    arrange: (env) => env.server.override(FETCH_API_KEY, methodNotAllowed()),
    signIn: iago(IAGO.password),
    message: (env) => `${env.server.url} refused the sign-in request (HTTP 405). A proxy in front of the server may be misconfigured.`,
  },
  {
    name: 'sign-in: Zulip 4.x legacy_wrong_password_pre_fl76 (403 "Your username or password is incorrect.", reason incorrect_creds)',
    arrange: (env) => void (env.server.realm = createDemoRealm({ featureLevel: 65, zulipVersion: '4.0' })),
    signIn: iago(),
    message: () => WRONG_EMAIL_OR_PASSWORD,
  },
  {
    name: 'sign-in: Zulip 2.1 legacy_wrong_password_pre_fl76 on an LDAP organization with usernames',
    arrange: (env) => void (env.server.realm = createDemoRealm({ featureLevel: 0, zulipVersion: '2.1.7', emailAuthEnabled: false, ldapEnabled: true })),
    signIn: { label: 'Username', username: 'iago', password: WRONG },
    message: () => 'Your username or password is incorrect.',
  },
  {
    name: 'sign-in: Zulip 2.1 legacy_user_deactivated_pre_fl76 (403 "Your account has been disabled.", reason user disable)',
    arrange: (env) => void (env.server.realm = createDemoRealm({ featureLevel: 0, zulipVersion: '2.1.7' })),
    signIn: { username: HAMLET.email, password: HAMLET.password },
    message: () => USER_DEACTIVATED,
  },
  {
    name: 'sign-in: Zulip 4.x legacy_realm_deactivated_pre_fl76 (403 "This organization has been deactivated.", reason realm deactivated)',
    arrange: (env) => void (env.server.realm = createDemoRealm({ featureLevel: 65, zulipVersion: '4.0', deactivated: true })),
    signIn: iago(IAGO.password),
    message: () => REALM_DEACTIVATED,
  },
  {
    name: 'sign-in: Zulip 3.x legacy_password_auth_disabled_pre_fl76 (403 "Password auth is disabled in your team.", turned off after the lookup)',
    arrange: (env) => void (env.server.realm = createDemoRealm({ featureLevel: 25, zulipVersion: '3.0' })),
    signIn: { ...iago(IAGO.password), meanwhile: (env) => void (env.server.realm = createDemoRealm({ featureLevel: 25, zulipVersion: '3.0', emailAuthEnabled: false })) },
    message: () => 'This organization does not allow signing in with a password.',
  },
  {
    name: 'sign-in: Zulip 4.x legacy_password_reset_needed_fl62_to_75 (403 "You need to reset your password.")',
    arrange: (env) => void (env.server.realm = createDemoRealm({ featureLevel: 65, zulipVersion: '4.0', users: [{ ...IAGO, passwordResetRequired: true }] })),
    signIn: iago(IAGO.password),
    message: () => "Your password has been disabled and needs to be reset. Reset it on the organization's website, then sign in here.",
  },
  {
    name: "sign-in: Zulip's own error_internal_server_error (JSON 500 \"Internal server error\", no code)",
    arrange: (env) => env.server.override(FETCH_API_KEY, zulipInternalError()),
    signIn: iago(IAGO.password),
    message: (env) => serverError(env.server.url, 500),
  },
  { name: 'sign-in: an HTML page with 200', arrange: (env) => env.server.override(FETCH_API_KEY, htmlPage(200)), signIn: iago(IAGO.password), message: (env) => notZulip(env.server.url, 200) },
  { name: 'sign-in: an HTML 502', arrange: (env) => env.server.override(FETCH_API_KEY, htmlPage(502)), signIn: iago(IAGO.password), message: (env) => serverError(env.server.url, 502) },
  {
    name: 'sign-in: an api_key of the wrong format',
    arrange: (env) => env.server.override(FETCH_API_KEY, json(200, { result: 'success', msg: '', api_key: 'short', email: IAGO.email, user_id: IAGO.userId })),
    signIn: iago(IAGO.password),
    message: (env) => malformed(env.server.url),
  },
  {
    name: 'sign-in: a 307 to another origin does not carry the password there',
    arrange: (env) => env.server.override(FETCH_API_KEY, redirectTo(`https://chat.example.org${FETCH_API_KEY}`, 307)),
    signIn: iago(IAGO.password),
    message: (env) => redirects(env.server.url, `https://chat.example.org${FETCH_API_KEY}`),
    check: (env) => {
      expect(env.fetched.filter((url) => !url.startsWith(env.server.url))).toEqual([]);
      expect(apiKeyRequests(env)).toBe(1);
    },
  },
  { name: 'sign-in: no answer (timeout)', arrange: (env) => env.server.override(FETCH_API_KEY, hang()), timeoutMs: 300, signIn: iago(IAGO.password), message: (env) => timedOut(env.server.url) },
  {
    name: 'sign-in: over 1 MiB, cut off after 1 MiB',
    arrange: (env) => env.server.override(FETCH_API_KEY, watched(env, oversizedJson(64 * 1024 * 1024, { declareLength: false }))),
    signIn: iago(IAGO.password),
    message: (env) => tooLarge(env.server.url),
    check: neverFinishesReading,
  },
  {
    name: 'sign-in: the server went away after the lookup',
    signIn: { ...iago(IAGO.password), meanwhile: (env) => env.server.close() },
    message: (env) => unreachable(env.server.url),
  },
  {
    name: 'sign-in: an empty password is not sent',
    signIn: iago(''),
    message: () => 'Please enter your password.',
    check: (env) => expect(apiKeyRequests(env)).toBe(0),
  },
  {
    name: 'sign-in: an empty email is not sent',
    signIn: { username: '  ', password: IAGO.password },
    message: () => 'Please enter your email.',
    check: (env) => expect(apiKeyRequests(env)).toBe(0),
  },
];

let server: FakeZulipServer;

beforeEach(async () => {
  server = await startFakeZulip({ realm: createDemoRealm() });
});
afterEach(async () => {
  vi.useRealTimers();
  await server.close();
});

const accountKeys = () => Object.keys(fake.browser.storage.local.snapshot()).filter((key) => key.startsWith('account:'));

async function runCase(c: Case): Promise<void> {
  if (c.clock) vi.useFakeTimers({ toFake: ['Date'], now: c.clock });
  const env: Env = { server, typed: server.url, fetched: [], cleanup: [] };
  const consoleError = vi.spyOn(console, 'error').mockImplementation(() => undefined);
  const consoleWarn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
  const rejections: unknown[] = [];
  const onRejection = (reason: unknown) => void rejections.push(reason);
  process.on('unhandledRejection', onRejection);
  let popup: PopupDom | undefined;
  try {
    await c.arrange?.(env);
    startBackground({
      zulip: {
        fetch: (url, init) => {
          env.fetched.push(url);
          return fetch(url, init);
        },
        ...(c.timeoutMs === undefined ? {} : { limits: { timeoutMs: c.timeoutMs } }),
      },
    });
    popup = await openPopup();
    await popup.click('Add account');
    await popup.fill('Server URL', env.typed);
    await popup.click('Continue');
    if (c.signIn) {
      await popup.fill(c.signIn.label ?? 'Email', c.signIn.username);
      await popup.fill('Password', c.signIn.password);
      await c.signIn.meanwhile?.(env);
      await popup.click('Log in');
    }
    const shown = popup;
    if (c.message === null) {
      await shown.waitFor(() => shown.button('Log in'), 'the sign-in form');
      expect(shown.alert()).toBeNull();
    } else {
      expect(await shown.waitFor(() => shown.alert(), 'the alert', 10_000)).toBe(c.message(env));
    }
    await c.check?.(env, shown);

    expect(shown.passwordValues()).toEqual(c.signIn || c.message === null ? [''] : []);
    expect(accountKeys()).toEqual([]);
    const session = JSON.stringify(fake.browser.storage.session.snapshot());
    for (const secret of [c.signIn?.password, ...(c.secrets ?? [])]) if (secret) expect(session).not.toContain(secret);
    // Anything left to settle (a late rejection, a late log line) gets its turn before the verdict.
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(consoleError).not.toHaveBeenCalled();
    expect(consoleWarn).not.toHaveBeenCalled();
    expect(rejections).toEqual([]);
  } finally {
    await popup?.close();
    process.off('unhandledRejection', onRejection);
    consoleError.mockRestore();
    consoleWarn.mockRestore();
    for (const close of env.cleanup) await close();
  }
}

const CASES = [...serverUrlCases, ...lookupCases, ...signInCases];

describe(`every bad input (${CASES.length} cases)`, () => {
  it('has at least 40 cases, each named once', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(40);
    expect(new Set(CASES.map((c) => c.name)).size).toBe(CASES.length);
  });

  // Room for the alert's own 10 s wait (a slow resolver), past vitest's 5 s default.
  it.each(CASES)('$name', runCase, 15_000);
});
