// popup.open through the router: what the popup's first view needs, as the separate requests answer
// it; while locked, the lock alone; and only for the extension's own pages.
import { afterEach, beforeEach, expect, it } from 'vitest';
import { createDemoRealm, IAGO } from '../../../test/fake-zulip/demo-realm';
import { startFakeZulip, type FakeZulipServer } from '../../../test/fake-zulip/fake-zulip-server';
import { POPUP_SENDER as POPUP, routerSignedIn } from '../../../test/unit/background-deps';
import { EXTENSION_ID, type FakeSender } from '../../../test/unit/fake-browser';
import type { Reply } from '../../shared/messages';
import type { createMessageRouter } from '../messaging/message-router';

const PASSPHRASE = 'correct horse battery';

let server: FakeZulipServer;
let route: ReturnType<typeof createMessageRouter>;

beforeEach(async () => {
  server = await startFakeZulip({ realm: createDemoRealm() });
  route = await routerSignedIn(server);
});
afterEach(() => server.close());

it('answers the lock, the accounts and the single sign-on news as lock.status, accounts.list and sso.status do', async () => {
  const lock = (await route({ type: 'lock.status' }, POPUP)) as Reply<'lock.status'>;
  const list = (await route({ type: 'accounts.list' }, POPUP)) as Reply<'accounts.list'>;
  const sso = (await route({ type: 'sso.status' }, POPUP)) as Reply<'sso.status'>;
  if (!lock.ok || !list.ok || !sso.ok) throw new Error('a separate request failed');
  expect(list.accounts).toHaveLength(1);
  const reply = await route({ type: 'popup.open' }, POPUP);
  expect(reply).toEqual({ ok: true, lock: lock.lock, unlocked: { accounts: list.accounts, sso: { flow: sso.flow, outcome: sso.outcome } } });
  expect(JSON.stringify(reply)).not.toContain(IAGO.apiKey);
});

it('answers only the lock while locked', async () => {
  expect(await route({ type: 'lock.enable', passphrase: PASSPHRASE, idleMinutes: 5 }, POPUP)).toMatchObject({ ok: true });
  expect(await route({ type: 'lock.lockNow' }, POPUP)).toMatchObject({ ok: true, lock: { locked: true } });
  const reply = await route({ type: 'popup.open' }, POPUP);
  expect(reply).toMatchObject({ ok: true, lock: { enabled: true, locked: true }, unlocked: null });
  expect(JSON.stringify(reply)).not.toContain(IAGO.email);
});

it('refuses a content script, and a request with anything more', async () => {
  const contentScript: FakeSender = { id: EXTENSION_ID, url: `${server.url}/`, tab: { id: 7, url: `${server.url}/` }, frameId: 0 };
  expect(await route({ type: 'popup.open' }, contentScript)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  expect(await route({ type: 'popup.open', accounts: true }, POPUP)).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST' } });
});
