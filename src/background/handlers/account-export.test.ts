// Show API key and Download zuliprc through the router: who may ask, which account answers, and a
// zuliprc that Zulip's own JavaScript client reads and signs in with, over real HTTP to the fake server.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import zulip from 'zulip-js';
import { createDemoRealm, DESDEMONA, IAGO } from '../../../test/fake-zulip/demo-realm';
import { startFakeZulip, type FakeZulipServer } from '../../../test/fake-zulip/fake-zulip-server';
import { POPUP_SENDER as POPUP, routerSignedIn } from '../../../test/unit/background-deps';
import { EXTENSION_ID, EXTENSION_ORIGIN, type FakeSender } from '../../../test/unit/fake-browser';
import type { Reply } from '../../shared/messages';
import type { createMessageRouter } from '../messaging/message-router';

const EXPORT_PAGE: FakeSender = { id: EXTENSION_ID, url: `${EXTENSION_ORIGIN}/src/export/zuliprc.html?realm=x&user=5`, origin: EXTENSION_ORIGIN, tab: { id: 4 }, frameId: 0 };

let server: FakeZulipServer;
let route: ReturnType<typeof createMessageRouter>;
const contentScript = (): FakeSender => ({ id: EXTENSION_ID, url: `${server.url}/`, tab: { id: 7, url: `${server.url}/` }, frameId: 0 });

beforeEach(async () => {
  server = await startFakeZulip({ realm: createDemoRealm() });
  route = await routerSignedIn(server);
});
afterEach(() => server.close());

describe.each(['account.revealKey', 'account.zuliprc'] as const)('%s', (type) => {
  it('answers an extension page, in the popup or in a tab', async () => {
    for (const sender of [POPUP, EXPORT_PAGE]) {
      expect(await route({ type, realmUrl: server.url, userId: IAGO.userId }, sender)).toMatchObject({ ok: true });
    }
  });

  it('refuses a content script, even on the account\'s own organization, without a word about the account', async () => {
    const reply = await route({ type, realmUrl: server.url, userId: IAGO.userId }, contentScript());
    expect(reply).toEqual({ ok: false, error: { code: 'FORBIDDEN', message: 'This page may not read the credentials it asked for.' } });
  });

  it('answers NOT_FOUND for another user of the organization, and for an organization without an account', async () => {
    for (const [realmUrl, userId] of [[server.url, DESDEMONA.userId], ['https://chat.example.com', IAGO.userId]] as const) {
      const reply = await route({ type, realmUrl, userId }, POPUP);
      expect(reply).toEqual({ ok: false, error: { code: 'NOT_FOUND', message: 'There is no saved account for this organization.' } });
      expect(JSON.stringify(reply)).not.toContain(IAGO.apiKey);
    }
  });

  it('refuses a user id that is not an integer, and a realm that is not a URL', async () => {
    for (const request of [{ type, realmUrl: server.url, userId: 5.5 }, { type, realmUrl: server.url, userId: '5' }, { type, realmUrl: server.url }, { type, realmUrl: 'iago@zulip.com', userId: 5 }]) {
      expect(await route(request, POPUP)).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST' } });
    }
  });
});

it('Show API key answers with the key and nothing else', async () => {
  expect(await route({ type: 'account.revealKey', realmUrl: `${server.url}/#narrow/stream/1`, userId: IAGO.userId }, POPUP)).toEqual({ ok: true, apiKey: IAGO.apiKey });
});

it('no other reply to the popup carries the key', async () => {
  const replies = await Promise.all([
    route({ type: 'accounts.list' }, POPUP),
    route({ type: 'account.check', realmUrl: server.url }, POPUP),
    route({ type: 'accounts.checkStale' }, POPUP),
    route({ type: 'sso.status' }, POPUP),
  ]);
  for (const reply of replies) expect(JSON.stringify(reply)).not.toContain(IAGO.apiKey);
});

describe('the zuliprc', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'zuliprc-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('is what Zulip writes, for the account\'s realm URL', async () => {
    expect(await route({ type: 'account.zuliprc', realmUrl: server.url, userId: IAGO.userId }, EXPORT_PAGE)).toEqual({
      ok: true,
      filename: 'zuliprc',
      text: `[api]\nemail=${IAGO.email}\nkey=${IAGO.apiKey}\nsite=${server.url}\n`,
    });
  });

  it('is read by zulip-js, which then calls users/me on the organization successfully', async () => {
    const reply = (await route({ type: 'account.zuliprc', realmUrl: server.url, userId: IAGO.userId }, EXPORT_PAGE)) as Reply<'account.zuliprc'>;
    if (!reply.ok) throw new Error(reply.error.code);
    const path = join(dir, reply.filename);
    writeFileSync(path, reply.text);
    const client = await zulip({ zuliprc: path });
    expect(client.config).toMatchObject({ realm: server.url, username: IAGO.email, apiKey: IAGO.apiKey });
    server.requests.length = 0;
    expect(await client.users.me.getProfile()).toMatchObject({ result: 'success', user_id: IAGO.userId, email: IAGO.email });
    expect(server.requests.map((request) => `${request.method} ${request.path}`)).toEqual(['GET /api/v1/users/me']);
  });
});
