// account.addWithKey through the router, against the fake Zulip server over real HTTP: a key is
// stored only after users/me accepted it, each refusal has its own message, and no reply holds a key.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createDemoRealm, DESDEMONA, HAMLET, IAGO } from '../../../test/fake-zulip/demo-realm';
import { startFakeZulip, type FakeZulipServer } from '../../../test/fake-zulip/fake-zulip-server';
import { hang, htmlPage } from '../../../test/fake-zulip/faults';
import { regenerateApiKey, setRealmDeactivated } from '../../../test/fake-zulip/realm-admin';
import { createTestDeps, grantHost, POPUP_SENDER as popup } from '../../../test/unit/background-deps';
import { EXTENSION_ID, EXTENSION_ORIGIN, fake, type FakeSender } from '../../../test/unit/fake-browser';
import { createMessageRouter } from '../messaging/message-router';
import { routes } from '../messaging/routes';

const OTHELLO = { email: 'othello@elsewhere.com', password: 'pw', apiKey: 'B'.repeat(32), userId: 40, fullName: 'Othello' };

let server: FakeZulipServer;
let route: ReturnType<typeof createMessageRouter>;
const send = (message: unknown) => route(message, popup);
const addWithKey = (email: string, apiKey: string, realmUrl = server.url) => send({ type: 'account.addWithKey', realmUrl, email, apiKey });
const listed = async () => {
  const reply = await send({ type: 'accounts.list' });
  return 'accounts' in reply ? reply.accounts : [];
};
const usersMeRequests = () => server.requests.filter((request) => request.path === '/api/v1/users/me');

beforeEach(async () => {
  server = await startFakeZulip({ realm: createDemoRealm({ otherRealmUsers: [OTHELLO] }) });
  route = createMessageRouter(createTestDeps({ zulip: { limits: { timeoutMs: 300 } } }), { id: EXTENSION_ID, baseUrl: `${EXTENSION_ORIGIN}/` });
  grantHost(server.url);
});
afterEach(() => server.close());

describe('account.addWithKey', () => {
  it('checks the key with users/me, then stores the account with the email as typed (trimmed) and the realm as the server names it', async () => {
    const reply = await addWithKey('  Iago@Zulip.com ', ` ${IAGO.apiKey}\n`);
    expect(reply).toMatchObject({ ok: true, account: { realmUrl: server.url, realmName: 'Zulip Dev', email: 'Iago@Zulip.com', userId: IAGO.userId, credentialStatus: 'valid' }, replaced: null });
    expect(JSON.stringify(reply)).not.toContain(IAGO.apiKey);
    expect(usersMeRequests().map((request) => request.headers.authorization)).toEqual([`Basic ${btoa(`Iago@Zulip.com:${IAGO.apiKey}`)}`]);
    // No password sign-in happened: the key itself was the proof.
    expect(server.requests.some((request) => request.path === '/api/v1/fetch_api_key')).toBe(false);
    expect(await send({ type: 'credentials.get', realm: server.url })).toMatchObject({ ok: true, credentials: { email: 'Iago@Zulip.com', apiKey: IAGO.apiKey, userId: IAGO.userId } });
  });

  it.each([
    ['too short', 'abc'],
    ['32 characters with a symbol', `${IAGO.apiKey.slice(0, 31)}-`],
    ['33 letters', `${IAGO.apiKey}x`],
    ['a space inside', `${IAGO.apiKey.slice(0, 16)} ${IAGO.apiKey.slice(16, 31)}`],
  ])('refuses a key that is %s before sending anything', async (_name, apiKey) => {
    expect(await addWithKey(IAGO.email, apiKey)).toEqual({
      ok: false,
      error: { code: 'API_KEY_MALFORMED', message: 'That is not a Zulip API key: a key is 32 letters and digits. Copy it again from Personal settings › Account & privacy in Zulip.' },
    });
    expect(server.requests).toEqual([]);
    expect(await listed()).toEqual([]);
  });

  it.each<[string, () => [string, string], { code: string; message: string }]>([
    [
      "another person's key (Invalid API key)",
      () => [IAGO.email, DESDEMONA.apiKey],
      { code: 'API_KEY_INVALID', message: 'Zulip Dev does not accept this API key for iago@zulip.com. Check that the email is that of the account the key belongs to, and that the key was not regenerated since you copied it.' },
    ],
    [
      'a key regenerated since it was copied (Invalid API key)',
      () => {
        const old = IAGO.apiKey;
        regenerateApiKey(server.realm!, IAGO.email);
        return [IAGO.email, old];
      },
      { code: 'API_KEY_INVALID', message: 'Zulip Dev does not accept this API key for iago@zulip.com. Check that the email is that of the account the key belongs to, and that the key was not regenerated since you copied it.' },
    ],
    [
      'a deactivated account',
      () => [HAMLET.email, HAMLET.apiKey],
      { code: 'USER_DEACTIVATED', message: 'Your account in this organization has been deactivated. Ask an administrator of the organization to reactivate it.' },
    ],
    [
      "another organization's key (Account is not associated with this subdomain)",
      () => [OTHELLO.email, OTHELLO.apiKey],
      { code: 'NONEXISTENT_SUBDOMAIN', message: "This account belongs to another organization on this server. Enter that organization's URL instead." },
    ],
  ])('refuses %s with its own message and stores nothing', async (_name, credentials, error) => {
    const [email, apiKey] = credentials();
    const reply = await addWithKey(email, apiKey);
    expect(reply).toEqual({ ok: false, error });
    expect(JSON.stringify(reply)).not.toContain(apiKey);
    expect(usersMeRequests()).toHaveLength(1);
    expect(await listed()).toEqual([]);
  });

  it('refuses every key of a deactivated organization with its own message', async () => {
    setRealmDeactivated(server.realm!, true);
    expect(await addWithKey(IAGO.email, IAGO.apiKey)).toEqual({ ok: false, error: { code: 'REALM_DEACTIVATED', message: 'This organization has been deactivated.' } });
    expect(await listed()).toEqual([]);
  });

  it('answers a server that finds the key malformed as the format check does', async () => {
    server.override('/api/v1/users/me', (_req, res) => {
      res.writeHead(401, { 'Content-Type': 'application/json', 'WWW-Authenticate': 'Basic realm="zulip"' });
      res.end(JSON.stringify({ result: 'error', msg: 'Malformed API key', code: 'UNAUTHORIZED' }));
    });
    expect(await addWithKey(IAGO.email, IAGO.apiKey)).toMatchObject({ ok: false, error: { code: 'API_KEY_MALFORMED' } });
    expect(await listed()).toEqual([]);
  });

  it.each<[string, Parameters<FakeZulipServer['override']>[1], { code: string; message: string }]>([
    ['a server error', htmlPage(502), { code: 'SERVER_ERROR', message: expect.stringContaining('(HTTP 502)') as unknown as string }],
    ['a server that never answers', hang(), { code: 'TIMEOUT', message: expect.stringContaining('did not answer in time') as unknown as string }],
    [
      'a rate limit',
      (_req, res) => {
        res.writeHead(429, { 'Content-Type': 'application/json', 'Retry-After': '3.5' });
        res.end(JSON.stringify({ result: 'error', msg: 'API usage exceeded rate limit', code: 'RATE_LIMIT_HIT', 'retry-after': 3.5 }));
      },
      { code: 'RATE_LIMIT_HIT', message: expect.stringContaining('the key could not be checked') as unknown as string },
    ],
  ])('says so when users/me gives no verdict (%s), and stores nothing', async (_name, fault, error) => {
    server.override('/api/v1/users/me', fault);
    expect(await addWithKey(IAGO.email, IAGO.apiKey)).toEqual({ ok: false, error });
    expect(await listed()).toEqual([]);
  });

  it('a pasted key that the server never received (a proxy strips the Authorization header: 401 "Not logged in") is not called wrong, and nothing is stored', async () => {
    server.stripAuthorization = true;
    expect(await addWithKey(IAGO.email, IAGO.apiKey)).toEqual({
      ok: false,
      error: {
        code: 'KEY_NOT_RECEIVED',
        message: `The API key did not reach ${server.url}: something between this browser and the server, such as a proxy, may be removing the Authorization header. Nothing was changed; try again later or tell the server's administrators.`,
      },
    });
    expect(await listed()).toEqual([]);
  });

  it('sends nothing to a server it may not reach', async () => {
    fake.granted.clear();
    expect(await addWithKey(IAGO.email, IAGO.apiKey)).toMatchObject({ ok: false, error: { code: 'PERMISSION_MISSING' } });
    expect(server.requests).toEqual([]);
  });

  it('a second key for the same organization renews the account, as a password sign-in does', async () => {
    await addWithKey(IAGO.email, IAGO.apiKey);
    const renewed = regenerateApiKey(server.realm!, IAGO.email);
    expect(await addWithKey(IAGO.email, renewed)).toMatchObject({ ok: true, account: { email: IAGO.email } });
    expect(await send({ type: 'credentials.get', realm: server.url })).toMatchObject({ ok: true, credentials: { apiKey: renewed } });
  });

  it('is for extension pages only', async () => {
    const page: FakeSender = { id: EXTENSION_ID, url: `${server.url}/`, tab: { id: 3, url: `${server.url}/` }, frameId: 0 };
    expect(await route({ type: 'account.addWithKey', realmUrl: server.url, email: IAGO.email, apiKey: IAGO.apiKey }, page)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(server.requests).toEqual([]);
  });

  it('empties the key in the request its handler was given once it has answered, as it does the password', async () => {
    const handle = vi.spyOn(routes['account.addWithKey'], 'handle');
    try {
      expect(await addWithKey(IAGO.email, IAGO.apiKey)).toMatchObject({ ok: true });
      expect(handle).toHaveBeenCalledTimes(1);
      expect(handle.mock.calls[0]![0]).toMatchObject({ type: 'account.addWithKey', email: IAGO.email, apiKey: '' });
    } finally {
      handle.mockRestore();
    }
  });
});
