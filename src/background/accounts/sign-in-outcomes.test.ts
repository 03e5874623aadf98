// A password sign-in whose popup closed before the reply: the background finishes it and keeps its
// outcome for the next popup, once. Through the router, against the fake Zulip server over HTTP.
import { afterEach, beforeEach, expect, it } from 'vitest';
import { createDemoRealm, IAGO } from '../../../test/fake-zulip/demo-realm';
import { startFakeZulip, type FakeZulipServer } from '../../../test/fake-zulip/fake-zulip-server';
import { holdAnswer } from '../../../test/fake-zulip/held-answer';
import { createTestDeps, grantHost, POPUP_SENDER as popup } from '../../../test/unit/background-deps';
import { EXTENSION_ID, EXTENSION_ORIGIN, fake } from '../../../test/unit/fake-browser';
import { createMessageRouter } from '../messaging/message-router';
import { createSignInOutcomes } from './sign-in-outcomes';


let server: FakeZulipServer;
let route: ReturnType<typeof createMessageRouter>;

const signIn = (password: string) => route({ type: 'account.signIn', realmUrl: server.url, username: IAGO.email, password }, popup);
const outcome = () => route({ type: 'account.signInOutcome' }, popup);

beforeEach(async () => {
  server = await startFakeZulip({ realm: createDemoRealm() });
  grantHost(server.url);
  route = createMessageRouter(createTestDeps(), { id: EXTENSION_ID, baseUrl: `${EXTENSION_ORIGIN}/` });
});
afterEach(() => server.close());

it('keeps a successful sign-in for the next popup, which sees it once', async () => {
  await signIn(IAGO.password);
  const first = await outcome();
  expect(first).toMatchObject({ ok: true, outcome: { ok: true, account: { email: IAGO.email, realmUrl: server.url }, replaced: null } });
  expect(await outcome()).toEqual({ ok: true, outcome: null });
});

it("keeps a refused sign-in's reason, and never the password", async () => {
  const password = 'not-iagos-password-4f1c';
  const reply = await signIn(password);
  expect(reply).toMatchObject({ ok: false, error: { code: 'AUTHENTICATION_FAILED' } });
  // The next popup shows the same sentence the closed one would have shown.
  expect(await outcome()).toEqual({ ok: true, outcome: { ok: false, realmUrl: server.url, error: !reply.ok && reply.error } });
  expect(JSON.stringify(await fake.browser.storage.session.get(null))).not.toContain(password);
});

it('a popup opened while the sign-in is still under way gets its outcome when it ends', async () => {
  const held = holdAnswer(server, '/api/v1/fetch_api_key');
  const signingIn = signIn(IAGO.password);
  let answered = false;
  const asked = outcome().then((reply) => {
    answered = true;
    return reply;
  });
  while (!held.arrived()) await new Promise((resolve) => setTimeout(resolve, 5));
  expect(answered).toBe(false);
  held.release();
  expect(await asked).toMatchObject({ ok: true, outcome: { ok: true, account: { email: IAGO.email } } });
  expect((await signingIn).ok).toBe(true);
});

it("a new attempt drops the last one's outcome, so a lost attempt is not reported as the earlier one", async () => {
  const outcomes = createSignInOutcomes(fake.browser.storage.session);
  await outcomes.track(server.url, async () => ({ ok: false, error: { code: 'NETWORK', message: 'first' } }));
  await outcomes.track(server.url, () => Promise.reject(new Error('the background stopped'))).catch(() => {});
  expect(await outcomes.take()).toBeNull();
});

it('content scripts may not ask for it', async () => {
  await signIn(IAGO.password);
  const page = { id: EXTENSION_ID, url: `${server.url}/`, tab: { id: 3 }, frameId: 0 };
  const reply = await route({ type: 'account.signInOutcome' }, page);
  expect(reply).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  expect((await outcome()).ok).toBe(true);
});
