// 100 sign-ins, re-logins and removals in flight at once, through the router, against four fake
// Zulip servers over real HTTP, checked against a sequential model.
//
// What "the sequential run" is: a sign-in spends most of its time on the network before it reaches
// the account store, a removal reaches it at once, so operations take effect in the order they reach
// the store, not the order they were issued. Making the store wait for earlier-issued operations
// would let one slow server hold up every removal and sign-in behind it. What the store promises
// instead is linearizability: each operation takes effect at one instant between its request and
// its reply, and everything (every reply, the final accounts, their keys, the registered content
// scripts) is exactly what running the operations one by one in that order gives. The test records
// that order from the storage writes themselves (each sign-in writes its account once, each removal
// removes its key once), checks that each operation's write comes before its reply, runs the model
// in that order, and compares. Identical operations (same realm, same person) cannot be told apart
// by their writes, and need not be: their replies are compared as a multiset. Strangers (unknown
// usernames) are refused; one of them starts over Zulip's rate limit, which must not refuse anyone else.
//
// fast-check's scheduler decides when each storage call, each HTTP answer, each content-script
// registration and each operation's start resolves, so every run interleaves them differently.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import browser from 'webextension-polyfill';
import { startFakeZulip, type FakeZulipServer } from '../../test/fake-zulip/fake-zulip-server';
import { createDemoRealm } from '../../test/fake-zulip/demo-realm';
import { EXTENSION_ID, EXTENSION_ORIGIN, fake, type RegisteredScript } from '../../test/unit/fake-browser';
import { createTestDeps, grantHost } from '../../test/unit/background-deps';
import { numberedUsers } from '../../test/unit/numbered-users';
import type { Reply, RequestType } from '../shared/messages';
import { accountStorageKey, type StorageAreaLike } from './account-store';
import type { ScriptingLike } from './content-script-registry';
import { createMessageRouter } from './message-router';

const OPERATIONS = 100;
const RUNS = 20;
const POPUP = { id: EXTENSION_ID, url: `${EXTENSION_ORIGIN}/src/popup/popup.html`, origin: EXTENSION_ORIGIN };
const IDENTITY = { id: EXTENSION_ID, baseUrl: `${EXTENSION_ORIGIN}/` };

// Two realms share a host (and so one registered content script); the others have one each.
const HOSTS = ['127.0.0.1', '127.0.0.1', '127.0.0.2', '127.0.0.3'];
const USERS_PER_REALM = 3;

const usersOf = (realm: number) => numberedUsers(realm, USERS_PER_REALM);

type Operation =
  | { kind: 'signIn'; realm: number; user: number }
  | { kind: 'remove'; realm: number }
  /** Someone the realm does not know: refused, and nothing may change. */
  | { kind: 'stranger'; realm: number };

const operationArb: fc.Arbitrary<Operation> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('signIn' as const), realm: fc.nat(HOSTS.length - 1), user: fc.nat(USERS_PER_REALM - 1) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('remove' as const), realm: fc.nat(HOSTS.length - 1) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('stranger' as const), realm: fc.nat(HOSTS.length - 1) }) },
);

type LogEntry =
  | { event: 'write'; key: string; record: Record<string, unknown> }
  | { event: 'delete'; key: string }
  | { event: 'reply'; operation: number };

/** Any plain value as text with its keys sorted, to compare replies as a multiset. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) =>
    inner !== null && typeof inner === 'object' && !Array.isArray(inner)
      ? Object.fromEntries(Object.entries(inner).sort(([a], [b]) => (a < b ? -1 : 1)))
      : inner,
  );
}

describe('concurrent sign-ins, re-logins and removals', () => {
  const servers: FakeZulipServer[] = [];

  beforeAll(async () => {
    for (const [index, host] of HOSTS.entries()) {
      servers.push(await startFakeZulip({ host, realm: createDemoRealm({ name: `Org ${index}`, users: usersOf(index) }) }));
    }
  });
  afterAll(async () => {
    await Promise.all(servers.map((server) => server.close()));
  });

  const realmUrl = (realm: number) => servers[realm]!.url;
  const user = (realm: number, index: number) => usersOf(realm)[index]!;

  function messageFor(operation: Operation) {
    switch (operation.kind) {
      case 'signIn': {
        const { email, password } = user(operation.realm, operation.user);
        return { type: 'account.signIn', realmUrl: realmUrl(operation.realm), username: email, password };
      }
      case 'remove':
        return { type: 'account.remove', realmUrl: realmUrl(operation.realm) };
      case 'stranger':
        return { type: 'account.signIn', realmUrl: realmUrl(operation.realm), username: `stranger@org${operation.realm}.test`, password: 'guess' };
    }
  }

  const classOf = (operation: Operation) => (operation.kind === 'signIn' ? `signIn ${operation.realm} ${operation.user}` : `${operation.kind} ${operation.realm}`);

  /** The fake browser's storage, with every account write logged when it happens and every answer released by the scheduler. */
  function watchedStorage(s: fc.Scheduler, log: LogEntry[]): StorageAreaLike {
    const local = fake.browser.storage.local;
    return {
      get: s.scheduleFunction((keys?: string | string[] | null) => local.get(keys)),
      set: s.scheduleFunction(async (items: Record<string, unknown>) => {
        for (const [key, record] of Object.entries(items)) {
          if (key.startsWith('account:')) log.push({ event: 'write', key, record: structuredClone(record) as Record<string, unknown> });
        }
        await local.set(items);
      }),
      remove: s.scheduleFunction(async (keys: string | string[]) => {
        for (const key of typeof keys === 'string' ? [keys] : keys) if (key.startsWith('account:')) log.push({ event: 'delete', key });
        await local.remove(keys);
      }),
    };
  }

  function scheduledScripting(s: fc.Scheduler): ScriptingLike {
    const scripting = fake.browser.scripting;
    return {
      registerContentScripts: s.scheduleFunction((scripts: RegisteredScript[]) => scripting.registerContentScripts(scripts)),
      getRegisteredContentScripts: s.scheduleFunction(() => scripting.getRegisteredContentScripts()),
      unregisterContentScripts: s.scheduleFunction((filter: { ids: string[] }) => scripting.unregisterContentScripts(filter)),
    };
  }

  /**
   * Runs the operations one by one in the order the log shows them taking effect: checks each
   * written account against the model, and gives the replies each class of operation should have
   * received and how many effects each class had.
   */
  function runModel(log: LogEntry[], operations: Operation[]) {
    const realmOfKey = new Map(HOSTS.map((_, realm) => [accountStorageKey(realmUrl(realm)), realm]));
    const accounts = new Map<number, { user: number; summary: Record<string, unknown>; keyId: unknown }>();
    const expectedReplies = new Map<string, unknown[]>();
    const effects = new Map<string, number>();
    const answered = new Map<string, number>();
    const expectReply = (cls: string, reply: unknown) => expectedReplies.set(cls, [...(expectedReplies.get(cls) ?? []), reply]);
    let latestAddedAt = -Infinity;

    for (const entry of log) {
      if (entry.event === 'reply') {
        const cls = classOf(operations[entry.operation]!);
        if (operations[entry.operation]!.kind === 'stranger') continue;
        answered.set(cls, (answered.get(cls) ?? 0) + 1);
        // Each answered operation must already have taken effect: its write precedes its reply.
        expect(answered.get(cls), `${cls} answered before it took effect`).toBeLessThanOrEqual(effects.get(cls) ?? 0);
        continue;
      }
      const realm = realmOfKey.get(entry.key);
      expect(realm, `a write to ${entry.key}`).toBeDefined();
      const previous = accounts.get(realm!);
      if (entry.event === 'delete') {
        const cls = `remove ${realm}`;
        effects.set(cls, (effects.get(cls) ?? 0) + 1);
        expectReply(cls, { ok: true, removed: previous !== undefined });
        accounts.delete(realm!);
        continue;
      }
      const { sealedApiKey, ...summary } = entry.record;
      const signedIn = usersOf(realm!).findIndex((candidate) => candidate.userId === summary['userId']);
      expect(signedIn, `the user written to ${entry.key}`).toBeGreaterThanOrEqual(0);
      const cls = `signIn ${realm} ${signedIn}`;
      effects.set(cls, (effects.get(cls) ?? 0) + 1);
      expect(sealedApiKey).toBeDefined();
      expect(summary).toMatchObject({ realmUrl: realmUrl(realm!), realmName: `Org ${realm}`, email: user(realm!, signedIn).email });
      const samePerson = previous?.user === signedIn;
      // Signing in again as the same person keeps the date first added; anyone else gets a new one.
      if (samePerson) expect(summary['addedAt']).toBe(previous.summary['addedAt']);
      else expect(summary['addedAt']).toBeGreaterThan(latestAddedAt);
      latestAddedAt = Math.max(latestAddedAt, summary['addedAt'] as number);
      expectReply(cls, { ok: true, account: summary, replaced: previous && !samePerson ? previous.summary : null });
      accounts.set(realm!, { user: signedIn, summary, keyId: (sealedApiKey as { iv?: unknown }).iv });
    }
    return { accounts, expectedReplies, effects };
  }

  it(`end as a sequential run of the same ${OPERATIONS} operations in the order they took effect`, async () => {
    const stats = { runs: 0, signIns: 0, removals: 0, refused: 0, overLimit: 0, notIssueOrder: 0 };
    const property = fc.asyncProperty(
      fc.scheduler(),
      fc.array(fc.option(fc.nat(USERS_PER_REALM - 1), { nil: undefined }), { minLength: HOSTS.length, maxLength: HOSTS.length }),
      fc.array(operationArb, { minLength: OPERATIONS, maxLength: OPERATIONS }),
      async (s, initiallySignedIn, burst) => {
        fake.reset();
        for (const server of servers) {
          grantHost(server.url);
          server.clearRateLimits();
        }
        const log: LogEntry[] = [];
        let clock = 1_700_000_000_000;
        const deps = createTestDeps({
          now: () => ++clock,
          storage: watchedStorage(s, log),
          scripting: scheduledScripting(s),
          zulip: { fetch: s.scheduleFunction((input: string, init: RequestInit) => fetch(input, init)) },
        });
        const route = createMessageRouter(deps, IDENTITY);

        // Zulip's five failures for the first realm's stranger: every stranger there in the burst is
        // over the limit, and the people of that realm must still sign in (the limit is per username).
        const overTheLimit = Array.from({ length: 5 }, (): Operation => ({ kind: 'stranger', realm: 0 }));
        const setup: Operation[] = [
          ...overTheLimit,
          ...initiallySignedIn.flatMap((signedIn, realm) => (signedIn === undefined ? [] : [{ kind: 'signIn' as const, realm, user: signedIn }])),
        ];
        const operations = [...setup, ...burst];
        const replies: Array<Reply<RequestType>> = [];
        const issue = async (index: number) => {
          replies[index] = await route(messageFor(operations[index]!), POPUP);
          log.push({ event: 'reply', operation: index });
        };
        for (const index of setup.keys()) await s.waitFor(issue(index));
        await s.waitFor(
          Promise.all(burst.map(async (_, offset) => {
            await s.schedule(Promise.resolve(), 'start');
            await issue(setup.length + offset);
          })),
        );

        // Every operation of the same class got exactly the replies the model gives that class.
        const { accounts, expectedReplies, effects } = runModel(log, operations);
        const byClass = new Map<string, unknown[]>();
        for (const [index, operation] of operations.entries()) byClass.set(classOf(operation), [...(byClass.get(classOf(operation)) ?? []), replies[index]]);
        for (const [cls, actual] of byClass) {
          if (cls.startsWith('stranger')) {
            for (const reply of actual) expect(reply).toMatchObject({ ok: false, error: { code: expect.stringMatching(/^(AUTHENTICATION_FAILED|RATE_LIMIT_HIT)$/) } });
            expect(effects.get(cls)).toBeUndefined();
            continue;
          }
          expect(effects.get(cls), `${cls}: one store effect per operation`).toBe(actual.length);
          const sorted = (list: unknown[]) => list.map(canonical).sort();
          expect(sorted(actual), cls).toEqual(sorted(expectedReplies.get(cls) ?? []));
        }

        // The final state is the model's: the accounts listed, each one's key, nothing else stored,
        // and one content script per host that still has an account.
        const reader = createTestDeps();
        const summaries = [...accounts.values()].map((account) => account.summary);
        const byNameThenEmail = (a: Record<string, unknown>, b: Record<string, unknown>) =>
          String(a['realmName']).localeCompare(String(b['realmName'])) || String(a['email']).localeCompare(String(b['email']));
        expect(await reader.accounts.list()).toEqual(summaries.sort(byNameThenEmail));
        for (const realm of HOSTS.keys()) {
          const account = accounts.get(realm);
          expect(await reader.accounts.getWithKey(realmUrl(realm))).toEqual(account ? { account: account.summary, apiKey: user(realm, account.user).apiKey, keyId: account.keyId } : null);
        }
        const storedAccountKeys = Object.keys(fake.browser.storage.local.snapshot()).filter((key) => key.startsWith('account:'));
        expect(storedAccountKeys.sort()).toEqual([...accounts.keys()].map((realm) => accountStorageKey(realmUrl(realm))).sort());
        const registered = (await browser.scripting.getRegisteredContentScripts()).flatMap((script) => script.matches ?? []);
        expect(registered.sort()).toEqual([...new Set([...accounts.keys()].map((realm) => `http://${HOSTS[realm]}/*`))].sort());

        stats.runs += 1;
        stats.signIns += burst.filter((operation) => operation.kind === 'signIn').length;
        stats.removals += burst.filter((operation) => operation.kind === 'remove').length;
        stats.refused += burst.filter((operation) => operation.kind === 'stranger').length;
        stats.overLimit += replies.filter((reply) => !reply.ok && reply.error.code === 'RATE_LIMIT_HIT').length;
        // How often issue order would have been the wrong reference: the last effect on some realm
        // is not that of the last operation issued on it.
        const lastIssued = new Map(operations.filter((operation) => operation.kind !== 'stranger').map((operation) => [operation.realm, operation]));
        const differs = [...lastIssued].some(([realm, operation]) => (operation.kind === 'remove' ? accounts.has(realm) : accounts.get(realm)?.user !== operation.user));
        if (differs) stats.notIssueOrder += 1;
      },
    );
    const details = await fc.check(property, { numRuns: RUNS });
    console.log(
      `concurrency: ${details.numRuns} runs × ${OPERATIONS} concurrent operations ` +
        `(${stats.signIns} sign-ins, ${stats.removals} removals, ${stats.refused} refused sign-ins, ${stats.overLimit} of them over the rate limit), ${details.failed ? 1 : 0} failures; ` +
        `issue order would have predicted another final state in ${stats.notIssueOrder} of ${stats.runs} runs (seed ${details.seed})`,
    );
    if (details.failed) {
      // The error first: the scheduler's full report (every task, every value) runs to megabytes.
      throw new Error(`${details.errorInstance instanceof Error ? details.errorInstance.stack : String(details.errorInstance)}\n${(fc.defaultReportMessage(details) ?? '').slice(0, 20_000)}`);
    }
  }, 300_000);
});
