// Property-based fuzzing of the background's message handling: 10,000 generated messages, each from
// a generated sender, through the router with its real dependencies (account store, sealing,
// content-script registry, Zulip client). Four accounts are signed in over real HTTP on fake Zulip
// servers (two of them on one organization) and four more are stored directly (two on one
// organization); only the fake servers' hosts are granted, so a popup request for any other address
// stops at the permission check and nothing leaves this machine.
//
// Who may have which key is the README's policy, restated by `entitlement` below: an extension page
// may have any key; a content script only the key of the realm whose exact origin its top frame is
// on, in a tab, with no disagreeing `sender.origin`; nobody else anything. Which of a realm's keys:
// the account named by email or user id, or the realm's default (its first account) when neither is
// given. The generators are built to land on both sides of each of those clauses.
import fc from 'fast-check';
import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import { createDemoRealm } from '../../../test/fake-zulip/demo-realm';
import { startFakeZulip, type FakeZulipServer } from '../../../test/fake-zulip/fake-zulip-server';
import { createTestDeps, grantHost, POPUP_SENDER as POPUP } from '../../../test/unit/background-deps';
import { EXTENSION_ID, EXTENSION_ORIGIN, fake, type RegisteredScript } from '../../../test/unit/fake-browser';
import { numberedUsers } from '../../../test/unit/numbered-users';
import type { ErrorCode } from '../../shared/error-info';
import { createMessageRouter } from './message-router';

const CASES = 10_000;
/** Generous: the fake servers answer at once, so no case waits for the 15 s network timeout. */
const CASE_BOUND_MS = 10_000;
const IDENTITY = { id: EXTENSION_ID, baseUrl: `${EXTENSION_ORIGIN}/` };
const USERS_PER_SERVER = 3;

// Every code a reply may carry; TypeScript insists the list is complete.
const KNOWN_CODES: Record<ErrorCode, true> = {
  NOT_FOUND: true, FORBIDDEN: true, INVALID_REQUEST: true, INTERNAL: true, RATE_LIMITED: true, INVALID_URL: true,
  PERMISSION_MISSING: true, NETWORK: true, TIMEOUT: true, REDIRECT: true, TOO_LARGE: true, NOT_ZULIP: true,
  MALFORMED_RESPONSE: true, SERVER_ERROR: true, KEY_NOT_RECEIVED: true, NO_REALM: true, INSECURE_REALM: true, AUTHENTICATION_FAILED: true,
  USER_DEACTIVATED: true, REALM_DEACTIVATED: true, PASSWORD_AUTH_DISABLED: true, PASSWORD_RESET_REQUIRED: true,
  NONEXISTENT_SUBDOMAIN: true, USERNAME_NOT_EMAIL: true, RATE_LIMIT_HIT: true, SERVER_REFUSED: true, INVALID_CREDENTIALS: true,
  SSO_METHOD_UNKNOWN: true, SSO_TAB_CLOSED: true, SSO_TIMED_OUT: true, SSO_BAD_REDIRECT: true,
  API_KEY_MALFORMED: true, API_KEY_INVALID: true, DEV_AUTH_UNAVAILABLE: true,
  LOCKED: true, WRONG_PASSPHRASE: true, PASSPHRASE_THROTTLED: true, LOCK_STATE: true,
};

const DIRECT_ACCOUNTS = [
  { realmUrl: 'https://chat.example.com', apiKey: 'DirectKeyChatExampleCom000000001', userId: 7 },
  { realmUrl: 'https://chat.example.com:8443', apiKey: 'DirectKeyChatExampleCom844300002', userId: 8 },
  { realmUrl: 'http://localhost:9991', apiKey: 'DirectKeyLocalhost99910000000003', userId: 9 },
  // A second account of the first organization: not its default.
  { realmUrl: 'https://chat.example.com', apiKey: 'DirectKeyChatExampleCom000000017', userId: 17 },
];
/** An origin content scripts may be entitled to that has no account. */
const EMPTY_REALM = 'https://empty.example.com';
const POLLUTION_PROBES = ['polluted', 'isAdmin', 'type', 'realm'];
/** A field a sender leaves out (a field present with the value undefined is also generated). */
const ABSENT = Symbol('absent');

type Entitlement = 'every realm' | string | null;

/** The policy: what a sender may have, from the fields a browser fills in. */
function entitlement(sender: Record<string, unknown>): Entitlement {
  const { id, url, origin, tab, frameId } = sender;
  if (id !== EXTENSION_ID || typeof url !== 'string') return null;
  if (url.startsWith(`${EXTENSION_ORIGIN}/`)) return origin === undefined || origin === EXTENSION_ORIGIN ? 'every realm' : null;
  const pageOrigin = httpOrigin(url);
  const tabId = typeof tab === 'object' && tab !== null ? (tab as { id?: unknown }).id : undefined;
  const inTab = typeof tabId === 'number' && Number.isSafeInteger(tabId) && tabId >= 0;
  if (pageOrigin === null || !inTab || frameId !== 0 || (origin !== undefined && origin !== pageOrigin)) return null;
  return pageOrigin;
}

function httpOrigin(url: string): string | null {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.origin : null;
  } catch {
    return null;
  }
}

/** Another origin that a look-alike page or a lying `sender.origin` might show. */
function nearMisses(origin: string): string[] {
  const url = new URL(origin);
  const port = url.port === '' ? (url.protocol === 'https:' ? 443 : 80) : Number(url.port);
  const otherScheme = url.protocol === 'https:' ? 'http:' : 'https:';
  const portPart = url.port === '' ? '' : `:${url.port}`;
  return [
    `${url.protocol}//${url.hostname}:${port + 1}`,
    `${otherScheme}//${url.hostname}${portPart}`,
    `${url.protocol}//evil.${url.hostname}${portPart}`,
    `${url.protocol}//${url.hostname}.evil.example${portPart}`,
    `${origin}@evil.example`,
    `${url.protocol}//${url.hostname === 'localhost' ? '127.0.0.1' : 'localhost'}${portPart}`,
  ];
}

/** Spellings of a page on exactly `origin`. */
function sameOriginUrls(origin: string): string[] {
  const url = new URL(origin);
  const withCredentials = new URL(origin);
  withCredentials.username = 'someone';
  withCredentials.password = 'secret';
  const defaultPort = url.port === '' ? `${url.protocol}//${url.hostname}:${url.protocol === 'https:' ? 443 : 80}/` : `${origin}/`;
  return [`${origin}/`, `${origin}/#narrow/stream/1-general`, `${origin}/login/?next=/`, origin.toUpperCase().replace(/^HTTPS?/, (s) => s.toLowerCase()) + '/', withCredentials.href, defaultPort];
}

const huge = (prefix = '') => fc.integer({ min: 2049, max: 300_000 }).map((length) => prefix + 'a'.repeat(length));
const deeplyNested = fc.integer({ min: 100, max: 20_000 }).map((depth) => JSON.parse('['.repeat(depth) + ']'.repeat(depth)) as unknown);
const junk: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(null, undefined, true, false, 0, -1, 1.5, Number.NaN, Infinity, '', [], {}),
  fc.string({ maxLength: 20 }),
  fc.integer(),
  fc.anything({ maxDepth: 3, withBigInt: true, withDate: true, withMap: true, withSet: true, withTypedArray: true, withSparseArray: true, withNullPrototype: true, withObjectString: true }),
  fc.constantFrom('{"__proto__":{"polluted":"yes"}}', '{"constructor":{"prototype":{"polluted":"yes"}}}').map((json) => JSON.parse(json) as unknown),
  huge(),
  deeplyNested,
);

/** Objects a browser would never deliver (messages are copies), for the router's promise never to throw. */
const hostileObjects = new WeakSet<object>();
function hostileObject(kind: 'getter' | 'proxy'): object {
  const made = makeHostile(kind);
  hostileObjects.add(made);
  return made;
}
function makeHostile(kind: 'getter' | 'proxy'): object {
  const label = () => `hostile ${kind}`;
  if (kind === 'getter') {
    return Object.defineProperties({}, {
      type: { enumerable: true, get: () => { throw new Error('hostile getter'); } },
      [fc.toStringMethod]: { value: label },
    });
  }
  // Symbols stay readable, so that fast-check can still handle and name the value; names throw.
  const refuse = (): never => {
    throw new Error('hostile proxy');
  };
  return new Proxy({}, {
    get: (_target, key) => (typeof key === 'symbol' ? (key === fc.toStringMethod ? label : undefined) : refuse()),
    has: (_target, key) => (typeof key === 'symbol' ? key === fc.toStringMethod : refuse()),
    ownKeys: refuse,
    getOwnPropertyDescriptor: refuse,
    getPrototypeOf: refuse,
  });
}

describe('the message router under 10,000 hostile messages', () => {
  it('never throws, never hangs, hands keys only to those entitled, lets only extension pages change anything, and pollutes nothing', async () => {
    const servers: FakeZulipServer[] = [];
    const closed = await startFakeZulip({ realm: null });
    await closed.close();
    try {
      for (const [index, host] of ['127.0.0.1', '127.0.0.1', '127.0.0.2'].entries()) {
        servers.push(await startFakeZulip({ host, realm: createDemoRealm({ name: `Org ${index}`, users: numberedUsers(index, USERS_PER_SERVER) }) }));
      }
      await fuzz(servers, closed.url);
    } finally {
      await Promise.all(servers.map((server) => server.close()));
    }
  }, 300_000);
});

async function fuzz(servers: FakeZulipServer[], closedUrl: string): Promise<void> {
  let clock = 1_700_000_000_000;
  const deps = createTestDeps({ now: () => clock });
  const route = createMessageRouter(deps, IDENTITY);
  const users = servers.map((_, index) => numberedUsers(index, USERS_PER_SERVER));

  // The accounts: the first person of each fake server, and the second of the first server, signed
  // in the way the popup does it; each organization's first account is its default.
  const stored: Array<{ realm: string; userId: number; email: string; apiKey: string; isDefault: boolean }> = [];
  for (const [server, index] of [[0, 0], [1, 0], [2, 0], [0, 1]] as const) {
    grantHost(servers[server]!.url);
    const { email, password, userId, apiKey } = users[server]![index]!;
    expect(await route({ type: 'account.signIn', realmUrl: servers[server]!.url, username: email, password }, POPUP)).toMatchObject({ ok: true });
    stored.push({ realm: servers[server]!.url, userId, email, apiKey, isDefault: index === 0 });
  }
  for (const [index, account] of DIRECT_ACCOUNTS.entries()) {
    const email = `direct${index}@example.com`;
    await deps.accounts.put({ ...account, realmName: `Direct ${index}`, realmIconUrl: null, email, zulipVersion: '10.0', featureLevel: 371 });
    stored.push({ realm: account.realmUrl, userId: account.userId, email, apiKey: account.apiKey, isDefault: !stored.some((other) => other.realm === account.realmUrl) });
  }
  const realms = [...new Set(stored.map((account) => account.realm))];
  const keys = [...users.flat().map((user) => user.apiKey), ...DIRECT_ACCOUNTS.map((account) => account.apiKey)];
  const passwords = users.flat().map((user) => user.password);

  const local = fake.browser.storage.local;
  const session = fake.browser.storage.session;
  const scripts = () => fake.browser.scripting.getRegisteredContentScripts();
  const baseline = { local: local.snapshot(), scripts: await scripts(), list: await deps.accounts.list() };
  expect(baseline.list.map((account) => [account.realmUrl, account.userId, account.isDefault]).sort()).toEqual(
    stored.map((account) => [account.realm, account.userId, account.isDefault]).sort(),
  );
  // What the popup reads back: a reply changed by its receiver must not change these.
  const readBack = () =>
    Promise.all(
      [
        { type: 'accounts.list' },
        ...realms.map((realm) => ({ type: 'credentials.get', realm })),
        ...stored.map(({ realm, userId }) => ({ type: 'credentials.get', realm, userId })),
      ].map((request) => route(request, POPUP)),
    );
  const baselineReadBack = structuredClone(await readBack());

  async function restore(): Promise<void> {
    await local.clear();
    await local.set(structuredClone(baseline.local));
    const registered = await scripts();
    if (registered.length > 0) await fake.browser.scripting.unregisterContentScripts({ ids: registered.map((script) => script.id) });
    await fake.browser.scripting.registerContentScripts(structuredClone(baseline.scripts) as RegisteredScript[]);
  }

  // ---------------------------------------------------------------- generators
  const originsSeen = [...realms, EMPTY_REALM];
  const sameOrigin = fc.constantFrom(...originsSeen.flatMap(sameOriginUrls));
  const nearMiss = fc.constantFrom(...originsSeen.flatMap(nearMisses).map((origin) => `${origin}/`));
  const extensionPage = fc.constantFrom('src/popup/popup.html', 'manifest.json', '', 'src/popup/popup.html?x=1#y').map((path) => `${EXTENSION_ORIGIN}/${path}`);
  const notWeb = fc.constantFrom(
    `chrome-extension://${EXTENSION_ID}x/src/popup/popup.html`, `chrome-extension://${EXTENSION_ID}.evil.example/`, EXTENSION_ORIGIN,
    `moz-extension://${EXTENSION_ID}/src/popup/popup.html`, 'chrome-extension://someotherextension/popup.html', 'about:blank', 'about:srcdoc',
    'data:text/html,<p>hi</p>', `blob:${realms[3]}/0b9a-4c1d`, 'file:///etc/passwd', 'javascript:void(0)', '', `https://evil.example/${EXTENSION_ORIGIN}/`,
  );
  // Senders start as what a browser sends for each kind of page, then lose or change up to two fields.
  const tabId = fc.oneof({ weight: 4, arbitrary: fc.constant(1) }, { weight: 2, arbitrary: fc.constantFrom(2, 3) }, { weight: 1, arbitrary: fc.nat(1_000_000) });
  const tab = tabId.map((id) => ({ id, index: 0, active: true }));
  // Chromium reports the document's origin, Firefox does not.
  const reportsOrigin = (origin: string) => fc.constantFrom<string | undefined>(undefined, origin);
  const contentScript = (url: fc.Arbitrary<string>) =>
    url.chain((page) => fc.record({ id: fc.constant(EXTENSION_ID), url: fc.constant(page), origin: reportsOrigin(httpOrigin(page) ?? 'null'), tab, frameId: fc.constant(0) }));
  const extensionSender = fc.record(
    { id: fc.constant(EXTENSION_ID), url: extensionPage, origin: reportsOrigin(EXTENSION_ORIGIN), tab, frameId: fc.nat(2) },
    { requiredKeys: ['id', 'url'] },
  );
  const otherOrigins = fc.constantFrom('null', 'https://evil.example', EXTENSION_ORIGIN, `${EXTENSION_ORIGIN}/`, ...realms, ...originsSeen.flatMap(nearMisses));
  const corruption: fc.Arbitrary<[string, unknown]> = fc.oneof(
    fc.tuple(fc.constant('id'), fc.oneof(fc.constantFrom('someotherextension', '', EXTENSION_ID.toUpperCase(), `${EXTENSION_ID}x`, ` ${EXTENSION_ID}`, EXTENSION_ORIGIN), junk)),
    fc.tuple(fc.constant('url'), fc.oneof(notWeb, extensionPage, nearMiss, fc.webUrl(), fc.string({ maxLength: 40 }), huge('https://chat.example.com/'), junk)),
    fc.tuple(fc.constant('origin'), fc.oneof(otherOrigins, junk)),
    fc.tuple(fc.constant('tab'), fc.oneof(fc.constantFrom(null, {}, { id: '1' }, { id: -1 }, { id: 1.5 }, { id: Number.NaN }, 7, 'tab', []), junk)),
    fc.tuple(fc.constant('frameId'), fc.oneof(fc.integer({ min: 1, max: 40 }), fc.constantFrom('0', -1, null, 0.5, false))),
    fc.tuple(fc.constantFrom('id', 'url', 'origin', 'tab', 'frameId'), fc.constant(ABSENT)),
  );
  const sender = fc
    .tuple(
      fc.oneof(
        { weight: 4, arbitrary: contentScript(sameOrigin) },
        { weight: 2, arbitrary: contentScript(fc.oneof(nearMiss, fc.webUrl())) },
        { weight: 1, arbitrary: contentScript(notWeb) },
        { weight: 2, arbitrary: extensionSender },
      ),
      fc.oneof({ weight: 1, arbitrary: fc.constant([]) }, { weight: 1, arbitrary: fc.array(corruption, { minLength: 1, maxLength: 2 }) }),
    )
    .map(([base, corruptions]) => {
      const fields: Record<string, unknown> = { ...base };
      for (const [field, value] of corruptions) fields[field] = value;
      return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== ABSENT));
    });

  const serverUrls = servers.map((server) => server.url);
  const realmReference = fc.oneof(
    { weight: 6, arbitrary: sameOrigin },
    { weight: 2, arbitrary: fc.constantFrom(...serverUrls, ...realms.map((realm) => realm.replace(/^https?:\/\//, ''))) },
    { weight: 2, arbitrary: fc.constantFrom(...originsSeen.flatMap(nearMisses).filter((origin) => !/^https?:\/\/(127\.|localhost)/.test(origin))) },
    { weight: 1, arbitrary: fc.constantFrom('https://unknown.example.com', closedUrl, 'zulip://chat.example.com', 'iago@zulip.com', 'https://user:pw@chat.example.com', '   ') },
    { weight: 1, arbitrary: fc.webUrl({ withQueryParameters: true, withFragments: true }) },
    { weight: 1, arbitrary: fc.oneof(fc.string({ maxLength: 30 }), fc.constant(''), huge(), huge('https://chat.example.com/')) },
  );
  const username = fc.oneof(
    fc.constantFrom(...users.flat().map((user) => user.email), users[0]![1]!.email.toUpperCase(), 'stranger@org0.test'),
    fc.emailAddress(),
    fc.string({ maxLength: 30 }),
    huge(),
  );
  const password = fc.oneof(fc.constantFrom(...passwords, 'wrong'), fc.string({ maxLength: 30 }), fc.integer({ min: 4097, max: 20_000 }).map((length) => 'p'.repeat(length)));

  // Which account: the stored ones by email (in any case) or id, others' emails and ids, or both at once.
  const email = fc.oneof(
    { weight: 8, arbitrary: fc.constantFrom(...stored.map((account) => account.email), ...stored.map((account) => account.email.toUpperCase())) },
    { weight: 1, arbitrary: fc.constantFrom(...users.flat().map((user) => user.email), 'nobody@example.com') },
    { weight: 1, arbitrary: fc.string({ maxLength: 20 }) },
  );
  const userId = fc.oneof(
    { weight: 8, arbitrary: fc.constantFrom(...stored.map((account) => account.userId)) },
    { weight: 1, arbitrary: fc.constantFrom(...users.flat().map((user) => user.userId)) },
    { weight: 1, arbitrary: fc.integer() },
  );
  const choice = fc.oneof(
    { weight: 4, arbitrary: fc.constant({}) },
    { weight: 2, arbitrary: fc.record({ email }) },
    { weight: 2, arbitrary: fc.record({ userId }) },
    { weight: 1, arbitrary: fc.record({ email, userId }) },
  );
  const account = fc.constantFrom(...stored).map(({ realm, userId: id }) => ({ realmUrl: realm, userId: id }));
  const accountReference = fc.oneof(account, fc.record({ realmUrl: realmReference, userId }));
  const wellFormed = fc.oneof(
    { weight: 8, arbitrary: fc.tuple(fc.record({ type: fc.constant('credentials.get') }), choice).map(([request, which]) => ({ ...request, ...which })) },
    { weight: 5, arbitrary: fc.tuple(fc.record({ type: fc.constant('credentials.get'), realm: realmReference }), choice).map(([request, which]) => ({ ...request, ...which })) },
    { weight: 1, arbitrary: fc.record({ type: fc.constant('accounts.list') }) },
    { weight: 1, arbitrary: fc.record({ type: fc.constant('realm.lookup'), serverUrl: realmReference }) },
    { weight: 2, arbitrary: fc.record({ type: fc.constant('account.signIn'), realmUrl: realmReference, username, password }) },
    {
      weight: 1,
      arbitrary: fc.tuple(fc.nat(servers.length - 1), fc.nat(USERS_PER_SERVER - 1)).map(([server, index]) => {
        const { email, password: own } = users[server]![index]!;
        return { type: 'account.signIn', realmUrl: serverUrls[server]!, username: email, password: own };
      }),
    },
    { weight: 1, arbitrary: accountReference.map((reference) => ({ type: 'account.remove', ...reference })) },
    { weight: 1, arbitrary: accountReference.map((reference) => ({ type: 'account.check', ...reference })) },
    { weight: 1, arbitrary: accountReference.map((reference) => ({ type: 'account.makeDefault', ...reference })) },
    { weight: 1, arbitrary: fc.record({ type: fc.constant('accounts.checkStale') }) },
    { weight: 1, arbitrary: fc.record({ type: fc.constant('account.signInLock'), realmUrl: realmReference, username }) },
    {
      weight: 1,
      arbitrary: fc.oneof(
        fc.record({ type: fc.constant('sso.start'), realmUrl: realmReference, method: fc.oneof(fc.constantFrom('google', 'github', 'saml:idp_name'), fc.string({ maxLength: 30 }), huge()) }),
        fc.record({ type: fc.constant('sso.status') }),
        fc.record({ type: fc.constant('account.signInOutcome') }),
        fc.record({ type: fc.constant('sso.cancel') }),
        // The passphrase lock stays off (turning it on is passphrase-lock.test.ts's): these answer from its state, or LOCK_STATE.
        fc.record({ type: fc.constant('lock.status') }),
        fc.record({ type: fc.constant('popup.open') }),
        fc.record({ type: fc.constant('lock.lockNow') }),
        fc.record({ type: fc.constant('lock.unlock'), passphrase: fc.string({ maxLength: 30 }) }),
        fc.record({ type: fc.constant('lock.setIdle'), idleMinutes: fc.double() }),
      ),
    },
    {
      weight: 1,
      arbitrary: fc.oneof(
        fc.record({ type: fc.constant('account.addWithKey'), realmUrl: realmReference, email: username, apiKey: fc.oneof(fc.constantFrom(...keys), fc.string({ maxLength: 40 }), huge()) }),
        fc.tuple(fc.nat(servers.length - 1), fc.nat(USERS_PER_SERVER - 1)).map(([server, index]) => {
          const { email, apiKey } = users[server]![index]!;
          return { type: 'account.addWithKey', realmUrl: serverUrls[server]!, email, apiKey };
        }),
        fc.record({ type: fc.constant('realm.devUsers'), realmUrl: realmReference }),
        fc.record({ type: fc.constant('account.devSignIn'), realmUrl: realmReference, email: username }),
      ),
    },
    {
      weight: 1,
      arbitrary: fc.tuple(
        fc.constantFrom('account.revealKey', 'account.zuliprc'),
        fc.oneof(
          { weight: 3, arbitrary: fc.constantFrom(...baseline.list.map(({ realmUrl, userId }) => ({ realmUrl, userId }))) },
          { weight: 1, arbitrary: fc.record({ realmUrl: realmReference, userId: fc.oneof(fc.constantFrom(...baseline.list.map((account) => account.userId)), fc.integer()) }) },
        ),
      ).map(([type, names]) => ({ type, ...names })),
    },
  );
  const oddKey = fc.oneof(fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'valueOf', 'hasOwnProperty', 'then', 'ok', 'credentials', 'apiKey', 'realm', 'type'), fc.string({ maxLength: 12 }));
  const oddType = fc.constantFrom<unknown>('Credentials.get', 'credentials.get ', 'credentials', '__proto__', 'constructor', 'toString', 'hasOwnProperty', '', 'accounts.list\u0000', 5, null, ['credentials.get'], {});
  type Mutation = { drop: number } | { key: string; value: unknown } | { replace: number; value: unknown } | { type: unknown };
  const mutation: fc.Arbitrary<Mutation> = fc.oneof(
    fc.record({ drop: fc.nat() }),
    fc.record({ key: oddKey, value: junk }),
    fc.record({ replace: fc.nat(), value: junk }),
    fc.record({ type: oddType }),
  );
  const mutated = fc.tuple(wellFormed, fc.array(mutation, { minLength: 1, maxLength: 3 })).map(([message, mutations]) => {
    const target: Record<string, unknown> = message;
    for (const change of mutations) {
      const keys = Object.keys(target);
      // defineProperty, not assignment: an own "__proto__" key, as JSON.parse makes one.
      const put = (key: string, value: unknown) => Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
      if ('drop' in change) delete target[keys[change.drop % keys.length]!];
      else if ('key' in change) put(change.key, change.value);
      else if ('replace' in change) put(keys[change.replace % keys.length] ?? 'type', change.value);
      else put('type', change.type);
    }
    return target;
  });
  // Own "__proto__", "constructor" and "prototype" keys, made the way a parsed message carries them.
  const polluted = fc.tuple(wellFormed, fc.constantFrom(
    '"__proto__":{"polluted":"yes","isAdmin":true}',
    '"__proto__":{"type":"accounts.list"}',
    '"__proto__":{"realm":"https://chat.example.com"}',
    '"constructor":{"prototype":{"polluted":"yes"}}',
    '"prototype":{"polluted":"yes"}',
    '"realm":{"__proto__":{"polluted":"yes"}}',
    '"username":{"constructor":{"prototype":{"polluted":"yes"}}}',
  )).map(([message, entry]) => {
    const rest = JSON.stringify(message).slice(1, -1);
    return JSON.parse(`{${rest === '' ? entry : `${entry},${rest}`}}`) as unknown;
  });
  const notAnObject = fc.oneof(junk, wellFormed.map((message) => [message]), wellFormed.map((message) => JSON.stringify(message)));
  const message = fc.oneof(
    { weight: 10, arbitrary: wellFormed },
    { weight: 6, arbitrary: mutated },
    { weight: 2, arbitrary: polluted },
    { weight: 2, arbitrary: notAnObject },
    { weight: 1, arbitrary: fc.constantFrom('getter' as const, 'proxy' as const).map(hostileObject) },
  );

  // ---------------------------------------------------------------- checks
  const prototypes = [Object.prototype, Array.prototype, Function.prototype, String.prototype];
  const prototypeKeys = prototypes.map((prototype) => Reflect.ownKeys(prototype).map(String).sort());
  function expectNoPollution(): void {
    prototypes.forEach((prototype, index) => expect(Reflect.ownKeys(prototype).map(String).sort()).toEqual(prototypeKeys[index]));
    for (const probe of POLLUTION_PROBES) expect(probe in {}, probe).toBe(false);
  }

  function expectWellFormed(reply: unknown, sent: unknown): void {
    expect(typeof reply === 'object' && reply !== null && !Array.isArray(reply)).toBe(true);
    const { ok, ...rest } = reply as Record<string, unknown>;
    // What Chromium's JSON messaging would deliver must be the whole reply.
    expect(isDeepStrictEqual(JSON.parse(JSON.stringify(reply)), reply), 'JSON round trip').toBe(true);
    if (ok === false) {
      expect(Object.keys(rest)).toEqual(['error']);
      const { code, message: text, retryAt, ...extra } = rest['error'] as Record<string, unknown>;
      expect(extra).toEqual({});
      expect(Object.hasOwn(KNOWN_CODES, code as string), `known code ${String(code)}`).toBe(true);
      expect(typeof text === 'string' && text.length > 0, `a message for ${String(code)}`).toBe(true);
      if (retryAt !== undefined) expect(Number.isFinite(retryAt)).toBe(true);
      return;
    }
    expect(ok).toBe(true);
    const type = (sent as { type: string }).type;
    const shape: Record<string, string[]> = {
      'credentials.get': ['credentials'],
      'accounts.list': ['accounts'],
      'realm.lookup': ['realm'],
      'account.signIn': ['account', 'replaced'],
      'account.remove': ['removed'],
      'account.check': ['account'],
      'account.makeDefault': ['account'],
      'accounts.checkStale': ['checked', 'failures'],
      'account.signInLock': ['lock'],
      'account.signInOutcome': ['outcome'],
      'sso.start': ['flow'],
      'sso.status': ['flow', 'outcome'],
      'sso.cancel': ['cancelled'],
      'account.addWithKey': ['account', 'replaced'],
      'realm.devUsers': ['admins', 'users'],
      'account.devSignIn': ['account', 'replaced'],
      'lock.status': ['lock'],
      'account.revealKey': ['apiKey'],
      'account.zuliprc': ['filename', 'text'],
      'popup.open': ['lock', 'unlocked'],
    };
    expect(Object.keys(rest).sort(), type).toEqual(shape[type]);
  }

  /** Every key and password is looked for in the whole reply, not just where a key belongs. */
  function expectNoLeak(reply: Record<string, unknown>, sent: unknown, entitled: Entitlement): 'default key' | 'key by email' | 'key by user id' | null {
    const text = JSON.stringify(reply);
    for (const secret of passwords) expect(text.includes(secret), 'a password in a reply').toBe(false);
    const found = keys.filter((key) => text.includes(key));
    if (found.length === 0) return null;
    expect(found).toHaveLength(1);
    expect(text.split(found[0]!)).toHaveLength(2);
    // Show API key and Download zuliprc: an extension page's, for the account it named.
    const type = (sent as { type?: unknown }).type;
    if (type === 'account.revealKey' || type === 'account.zuliprc') {
      const exported = reply as { apiKey?: string; text?: string };
      expect(reply['ok'] === true && (exported.apiKey ?? exported.text)?.includes(found[0]!), 'a key outside apiKey or the zuliprc').toBe(true);
      expect(entitled, 'an exported key to a sender that is not an extension page').toBe('every realm');
      const named = sent as { realmUrl: string; userId: number };
      const holder = stored.find((candidate) => candidate.realm === httpOrigin(named.realmUrl) && candidate.userId === named.userId);
      expect(holder?.apiKey).toBe(found[0]);
      return 'key by user id';
    }
    const credentials = (reply as { credentials?: { realm: string; apiKey: string; email: string; userId: number } }).credentials;
    expect(reply['ok'] === true && credentials?.apiKey === found[0], 'a key outside credentials').toBe(true);
    expect(entitled === 'every realm' || entitled === credentials!.realm, `a key for ${credentials!.realm} to a sender entitled to ${String(entitled)}`).toBe(true);
    // The key is the one of the account the credentials name, and that account is the one asked for.
    const holder = stored.find((candidate) => candidate.realm === credentials!.realm && candidate.userId === credentials!.userId);
    expect(holder?.apiKey).toBe(found[0]);
    expect(credentials!.email).toBe(holder!.email);
    const asked = sent as { realm?: string; email?: string; userId?: number };
    if (asked.realm !== undefined) expect(credentials!.realm).toBe(httpOrigin(asked.realm));
    expect(asked.email === undefined || asked.userId === undefined, 'a key for a request naming both an email and a user id').toBe(true);
    if (asked.userId !== undefined) {
      expect(credentials!.userId).toBe(asked.userId);
      return 'key by user id';
    }
    if (asked.email !== undefined) {
      expect(credentials!.email.toLowerCase()).toBe(asked.email.toLowerCase());
      return 'key by email';
    }
    expect(holder!.isDefault, 'no account asked for: the default').toBe(true);
    return 'default key';
  }

  /** A reply is the caller's to keep: changing it changes nothing stored or remembered. */
  async function expectNotShared(reply: unknown): Promise<void> {
    const scramble = (value: unknown): void => {
      if (typeof value !== 'object' || value === null) return;
      if (Array.isArray(value)) value.push('scrambled');
      for (const [key, inner] of Object.entries(value)) {
        if (typeof inner === 'object' && inner !== null) scramble(inner);
        else (value as Record<string, unknown>)[key] = typeof inner === 'string' ? 'scrambled' : typeof inner === 'number' ? -1 : null;
      }
    };
    scramble(reply);
    expect(await readBack()).toEqual(baselineReadBack);
  }

  // ---------------------------------------------------------------- the run
  const counts = new Map<string, number>();
  const count = (name: string) => counts.set(name, (counts.get(name) ?? 0) + 1);
  const logged: string[] = [];
  const quiet = { error: console.error, warn: console.warn, log: console.log, info: console.info, debug: console.debug };
  for (const name of Object.keys(quiet) as Array<keyof typeof quiet>) console[name] = (...args: unknown[]) => void logged.push(args.map(String).join(' '));

  // A page of an organization asking for one of its own accounts by email or id: rare when message
  // and sender are drawn apart, so also drawn together: a generated sender moved to that organization's
  // page in a tab, its other fields (id, origin, frameId) as generated, corrupted or not.
  const ownAccount = fc
    .tuple(fc.constantFrom(...stored), fc.boolean(), fc.boolean())
    .chain(([{ realm, email: own, userId: id }, byEmail, upperCase]) =>
      fc.tuple(
        fc.constant<unknown>({ type: 'credentials.get', ...(byEmail ? { email: upperCase ? own.toUpperCase() : own } : { userId: id }) }),
        sender.map((from) => ({ ...from, url: `${realm}/`, tab: { id: 1, index: 0, active: true } })),
      ),
    );
  const exchange = fc.oneof({ weight: 9, arbitrary: fc.tuple(message, sender) }, { weight: 1, arbitrary: ownAccount });
  const property = fc.asyncProperty(exchange, fc.nat(120), async ([sent, from], elapsedMs) => {
    clock += elapsedMs;
    const entitled = entitlement(from);
    // Every case starts from the baseline, also when fast-check replays cases after a failure.
    if (!isDeepStrictEqual(local.snapshot(), baseline.local) || !isDeepStrictEqual(await scripts(), baseline.scripts)) await restore();
    const before = { local: local.snapshot(), session: session.snapshot(), scripts: await scripts() };
    let timer: ReturnType<typeof setTimeout> | undefined;
    const reply = await Promise.race([
      route(sent, from as never),
      new Promise<'hung'>((resolve) => { timer = setTimeout(() => resolve('hung'), CASE_BOUND_MS); }),
    ]).finally(() => clearTimeout(timer));
    expect(reply, 'the router answers within the bound').not.toBe('hung');
    expectWellFormed(reply, sent);
    const answer = reply as Record<string, unknown> & { error?: { code: string } };
    const handedKey = expectNoLeak(answer, sent, entitled);
    // INTERNAL means a bug, or a stored key that no longer opens (not the case here): only the
    // hostile objects, which make reading the message throw, may end there.
    if (answer.error?.code === 'INTERNAL') expect(hostileObjects.has(sent as object), 'INTERNAL for a deliverable message').toBe(true);
    const who = entitled === 'every realm' ? 'extension page' : entitled === null ? 'unentitled sender' : 'content script';
    count(answer['ok'] === true ? `${who}: ok ${(sent as { type: string }).type}` : `${who}: ${answer.error!.code}`);
    if (handedKey) {
      count(`keys handed to ${who}s`);
      count(`${who}: ${handedKey}`);
    }

    const after = { local: local.snapshot(), session: session.snapshot(), scripts: await scripts() };
    if (entitled !== 'every realm') {
      expect(isDeepStrictEqual(after, before), 'storage or content scripts changed by a sender that is not an extension page').toBe(true);
    } else if (!isDeepStrictEqual(after, before)) {
      count('changes by extension pages, undone');
      await restore();
    }
    if (answer['ok'] === true) await expectNotShared(reply);
    expectNoPollution();
  });

  let details: Awaited<ReturnType<typeof fc.check<[[unknown, Record<string, unknown>], number]>>>;
  try {
    details = await fc.check(property, { numRuns: CASES });
  } finally {
    Object.assign(console, quiet);
  }
  console.log(`fuzz: ${details.numRuns} messages × senders, ${details.failed ? 1 : 0} failures (seed ${details.seed})`);
  console.log(`fuzz outcomes: ${[...counts].sort(([a], [b]) => a.localeCompare(b)).map(([name, n]) => `${name} ${n}`).join('; ')}`);
  if (details.failed) throw new Error(`${details.errorInstance instanceof Error ? details.errorInstance.stack : String(details.errorInstance)}\n${(fc.defaultReportMessage(details) ?? '').slice(0, 20_000)}`);

  // The log lines the router wrote: names of errors only, never a secret.
  for (const line of logged) expect(line).toMatch(/^Keyring for Zulip: [\w.]+( message)? failed \(\w+\)$/);
  const everything = logged.join('\n');
  for (const secret of [...keys, ...passwords]) expect(everything.includes(secret)).toBe(false);

  // The generators reached every part of the policy, so the properties above were not vacuous.
  const atLeast = (name: string, minimum: number) => expect(counts.get(name) ?? 0, name).toBeGreaterThanOrEqual(minimum);
  atLeast('keys handed to content scripts', 200);
  atLeast('keys handed to extension pages', 20);
  atLeast('content script: RATE_LIMITED', 20);
  atLeast('content script: FORBIDDEN', 100);
  atLeast('content script: NOT_FOUND', 20);
  atLeast('content script: default key', 50);
  atLeast('content script: key by email', 20);
  atLeast('content script: key by user id', 20);
  atLeast('extension page: ok account.makeDefault', 3);
  atLeast('unentitled sender: FORBIDDEN', 1000);
  atLeast('unentitled sender: INVALID_REQUEST', 100);
  atLeast('extension page: INVALID_REQUEST', 100);
  atLeast('extension page: PERMISSION_MISSING', 10);
  atLeast('extension page: ok account.signIn', 10);
  // A reveal reaches a stored account only when the generated realm and user id match one; over
  // seeds that happened 3 to 13 times, so the floor is "reached at all", not a count.
  atLeast('extension page: ok account.revealKey', 1);
  atLeast('extension page: ok account.zuliprc', 1);
  atLeast('changes by extension pages, undone', 20);
}
