// The zuliprc tab's work through the real background, as that tab sends it.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createDemoRealm, IAGO } from '../../test/fake-zulip/demo-realm';
import { startFakeZulip, type FakeZulipServer } from '../../test/fake-zulip/fake-zulip-server';
import { grantHost } from '../../test/unit/background-deps';
import { EXTENSION_ID, EXTENSION_ORIGIN, fake } from '../../test/unit/fake-browser';
import { startBackground } from '../../test/unit/popup-dom';
import { send } from '../shared/message-client';
import { t } from '../shared/i18n';
import { accountOfPage, saveZuliprc } from './download-zuliprc';

let server: FakeZulipServer;
const save = vi.fn<(filename: string, text: string) => void>();
const deps = { send, t, save };

beforeEach(async () => {
  server = await startFakeZulip({ realm: createDemoRealm() });
  startBackground();
  grantHost(server.url);
  expect(await send({ type: 'account.signIn', realmUrl: server.url, username: IAGO.email, password: IAGO.password })).toMatchObject({ ok: true });
  // From here on, the zuliprc tab is asking.
  fake.state.sender = { id: EXTENSION_ID, url: `${EXTENSION_ORIGIN}/src/export/zuliprc.html?realm=x&user=5`, origin: EXTENSION_ORIGIN, tab: { id: 2 }, frameId: 0 };
  save.mockReset();
});
afterEach(() => server.close());

describe('the zuliprc tab', () => {
  it('finds the account it names and saves its zuliprc', async () => {
    const found = await accountOfPage({ realmUrl: server.url, userId: IAGO.userId }, deps);
    if (!('account' in found)) throw new Error(found.message);
    expect(found.account).toMatchObject({ email: IAGO.email, realmName: 'Zulip Dev' });
    expect(await saveZuliprc(found.account, deps)).toEqual({ ok: true, message: 'Your browser is saving the file zuliprc with its downloads.' });
    expect(save.mock.calls).toEqual([['zuliprc', `[api]\nemail=${IAGO.email}\nkey=${IAGO.apiKey}\nsite=${server.url}\n`]]);
  });

  it('says so when opened without naming an account', async () => {
    expect(await accountOfPage(null, deps)).toEqual({ message: expect.stringMatching(/^This tab saves an account's zuliprc file\./) });
  });

  it('says so when the account it names is not stored, and saves nothing', async () => {
    expect(await accountOfPage({ realmUrl: server.url, userId: IAGO.userId + 1 }, deps)).toEqual({ message: 'There is no saved account for this organization.' });
    const found = await accountOfPage({ realmUrl: server.url, userId: IAGO.userId }, deps);
    if (!('account' in found)) throw new Error(found.message);
    await send({ type: 'account.remove', realmUrl: server.url, userId: IAGO.userId });
    expect(await saveZuliprc(found.account, deps)).toEqual({ ok: false, message: 'There is no saved account for this organization.' });
    expect(save).not.toHaveBeenCalled();
  });
});
