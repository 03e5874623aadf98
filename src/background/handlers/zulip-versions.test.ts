// The README's "Zulip versions" table, run: each way in, at each version and feature level the table
// names, through the background's message router to the fake Zulip server over real HTTP. The
// expected outcome of each case is its cell in the README, so the table cannot claim what no test
// shows.
import { readFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runFlow, zulipRedirects } from '../../../test/fake-zulip/browser-walk';
import { createDemoRealm, GITHUB_AUTH_METHOD, IAGO, REMOTE_USER_AUTH_METHOD } from '../../../test/fake-zulip/demo-realm';
import { startFakeZulip, type FakeRealmConfig, type FakeZulipServer } from '../../../test/fake-zulip/fake-zulip-server';
import { startFakeIdentityProvider, type FakeIdentityProvider } from '../../../test/fake-zulip/identity-provider';
import { regenerateApiKey } from '../../../test/fake-zulip/realm-admin';
import { zulipResponses } from '../../../test/fixtures/zulip-responses';
import { createTestDeps, grantHost, POPUP_SENDER as popup } from '../../../test/unit/background-deps';
import { EXTENSION_ID, EXTENSION_ORIGIN, fake } from '../../../test/unit/fake-browser';
import type { BackgroundDeps } from '../deps';
import { createMessageRouter } from '../messaging/message-router';

interface VersionPoint {
  zulipVersion: string;
  featureLevel: number;
}
interface Row {
  zulip: string;
  points: VersionPoint[];
  cells: Map<string, string>;
}

/** The table under "## Zulip versions": one row per version, cells by column heading. */
function readmeTable(): Row[] {
  const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
  const section = readme.split(/^## /m).find((part) => part.startsWith('Zulip versions\n'));
  if (!section) throw new Error('README.md has no "## Zulip versions" section');
  const lines = section.split('\n').filter((line) => line.startsWith('|'));
  const cellsOf = (line: string) => line.split('|').slice(1, -1).map((cell) => cell.trim());
  const [header = [], , ...rows] = lines.map(cellsOf);
  return rows.map((cells) => ({
    zulip: cells[0] ?? '',
    points: (cells[1] ?? '').split(',').map((point) => {
      const [zulipVersion = '', featureLevel = ''] = point.split('/').map((part) => part.trim());
      return { zulipVersion, featureLevel: Number(featureLevel) };
    }),
    cells: new Map(header.slice(2).map((heading, i) => [heading, cells[i + 2] ?? ''])),
  }));
}

let idp: FakeIdentityProvider;
let server: FakeZulipServer | undefined;

beforeAll(async () => {
  idp = await startFakeIdentityProvider({ identities: [IAGO.email] });
});
afterAll(() => idp.close());
afterEach(async () => {
  await server?.close();
  server = undefined;
});

interface World {
  server: FakeZulipServer;
  deps: BackgroundDeps;
  send(message: unknown): Promise<unknown>;
}

async function worldAt(point: VersionPoint, overrides: Partial<FakeRealmConfig>): Promise<World> {
  server = await startFakeZulip({ realm: createDemoRealm({ ...point, ...overrides }) });
  grantHost(server.url);
  const deps = createTestDeps();
  const route = createMessageRouter(deps, { id: EXTENSION_ID, baseUrl: `${EXTENSION_ORIGIN}/` });
  return { server, deps, send: (message) => route(message, popup) };
}

/** Single sign-on as the person does it: the tab's URL walked through the fake, its zulip:// redirect seen by the flow. */
async function singleSignOn(world: World, method: string): Promise<unknown> {
  expect(await world.send({ type: 'sso.start', realmUrl: world.server.url, method })).toMatchObject({ ok: true });
  const [[tabId, tab] = []] = [...fake.tabs.entries()];
  const [redirect] = zulipRedirects(await runFlow(tab!.url));
  expect(redirect).toBeDefined();
  await world.deps.ssoFlows.redirectSeen(tabId!, redirect!);
  const status = (await world.send({ type: 'sso.status' })) as { outcome: unknown };
  return status.outcome;
}

/** Each way in, at one version: its reply, which must carry the account when the way works. */
const WAYS_IN: Record<string, (point: VersionPoint) => Promise<unknown>> = {
  password: async (point) => {
    const world = await worldAt(point, {});
    return world.send({ type: 'account.signIn', realmUrl: world.server.url, username: IAGO.email, password: IAGO.password });
  },
  LDAP: async (point) => {
    const world = await worldAt(point, { ldapEnabled: true, emailAuthEnabled: false, users: [{ ...IAGO, ldapUsername: 'iago' }] });
    return world.send({ type: 'account.signIn', realmUrl: world.server.url, username: 'iago', password: IAGO.password });
  },
  'single sign-on': async (point) => {
    const world = await worldAt(point, { externalAuthenticationMethods: [{ ...GITHUB_AUTH_METHOD }], sso: { identityProvider: idp.url } });
    return singleSignOn(world, GITHUB_AUTH_METHOD.name);
  },
  'remote user': async (point) => {
    // 2.1 has no /accounts/login/start/sso/ and lists /accounts/login/sso/ itself.
    const method = point.featureLevel < 8 ? zulipResponses.remote_user_sso.method_2_1 : REMOTE_USER_AUTH_METHOD;
    const world = await worldAt(point, { externalAuthenticationMethods: [{ ...method }], sso: { identityProvider: idp.url } });
    // There the login URL's first redirect is the web server's, to the identity provider, whose host the button asks for too.
    if (point.featureLevel < 8) grantHost(idp.url);
    return singleSignOn(world, method.name);
  },
  'pasted key': async (point) => {
    const world = await worldAt(point, {});
    return world.send({ type: 'account.addWithKey', realmUrl: world.server.url, email: IAGO.email, apiKey: IAGO.apiKey });
  },
  'development sign-in': async (point) => {
    const world = await worldAt(point, { devAuthEnabled: true });
    expect(await world.send({ type: 'realm.devUsers', realmUrl: world.server.url })).toMatchObject({ ok: true, admins: [expect.anything(), IAGO.email] });
    return world.send({ type: 'account.devSignIn', realmUrl: world.server.url, email: IAGO.email });
  },
  'key check': async (point) => {
    const world = await worldAt(point, {});
    expect(await world.send({ type: 'account.addWithKey', realmUrl: world.server.url, email: IAGO.email, apiKey: IAGO.apiKey })).toMatchObject({ ok: true });
    const check = () => world.send({ type: 'account.check', realmUrl: world.server.url, userId: IAGO.userId });
    expect(await check()).toMatchObject({ ok: true, account: { credentialStatus: 'valid' } });
    regenerateApiKey(world.server.realm!, IAGO.email);
    return check();
  },
};

/** What a "works" cell promises, way by way. */
const WORKS: Record<string, (point: VersionPoint) => unknown> = {
  'key check': () => ({ ok: true, account: { email: IAGO.email, userId: IAGO.userId, credentialStatus: 'invalid' } }),
};
const worksByDefault = (point: VersionPoint) => ({
  ok: true,
  account: { email: IAGO.email, userId: IAGO.userId, zulipVersion: point.zulipVersion, featureLevel: point.featureLevel, credentialStatus: 'valid' },
});

const table = readmeTable();

describe('the README table', () => {
  it('has a row per version the issue names and a column per way in, each cell saying what happens', () => {
    expect(table.map((row) => row.zulip)).toEqual(['2.1', '3.x', '4.x', '5.x–8.x', '9.x', '10.x and later', 'main']);
    for (const row of table) {
      expect([...row.cells.keys()]).toEqual(Object.keys(WAYS_IN));
      expect(row.points.every((point) => point.zulipVersion !== '' && Number.isInteger(point.featureLevel))).toBe(true);
    }
  });
});

describe.each(table.map((row) => [row.zulip, row] as const))('Zulip %s', (_zulip, row) => {
  const cases = row.points.flatMap((point) =>
    [...row.cells].map(([way, cell]) => [`${way} at ${point.zulipVersion} (feature level ${point.featureLevel}): ${cell}`, { way, cell, point }] as const),
  );
  it.each(cases)('%s', async (_name, { way, cell, point }) => {
    // A cell says "works" (the account is stored) or "refused" (a reply that says why, nothing stored).
    expect(cell).toMatch(/^(works|refused)/);
    const expected = cell.startsWith('works') ? (WORKS[way] ?? worksByDefault)(point) : { ok: false, error: { message: expect.any(String) } };
    expect(await WAYS_IN[way]!(point)).toMatchObject(expected as object);
  });
});
