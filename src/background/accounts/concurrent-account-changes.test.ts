// 100 sign-ins, re-logins, removals and changes of default in flight at once, through the router,
// against four fake Zulip servers over real HTTP, checked against a sequential model.
//
// What "the sequential run" is: a sign-in spends most of its time on the network before it reaches
// the account store, a removal reaches it at once, so operations take effect in the order they reach
// the store, not the order they were issued. Making the store wait for earlier-issued operations
// would let one slow server hold up every removal and sign-in behind it. What the store promises
// instead is linearizability: each operation takes effect at one instant between its request and
// its reply, and everything (every reply, the final accounts, the defaults, their keys, the
// registered content scripts) is exactly what running the operations one by one in that order
// gives. The test records that order from the storage writes themselves: each realm is one item,
// and what changed in it says which operation wrote it (a user's key sealed anew: that user signed
// in; a user gone: removed; neither: a new default). It checks that each operation's write comes
// before its reply, runs the model in that order, and compares. An operation on an account that is
// not there (removing or making default someone not signed in) writes nothing: it must have found
// the account missing at some instant between its request and its reply. Identical operations
// (same realm, same person) cannot be told apart by their writes, and need not be: their replies
// are compared as a multiset. Strangers (unknown usernames) are refused; one of them starts over
// Zulip's rate limit, which must not refuse anyone else.
//
// fast-check's scheduler decides when each storage call, each HTTP answer, each content-script
// registration and each operation's start resolves, so every run interleaves them differently.
import type { StorageAreaLike } from '../../shared/storage-area';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import browser from 'webextension-polyfill';
import { startFakeZulip, type FakeZulipServer } from '../../../test/fake-zulip/fake-zulip-server';
import { createDemoRealm } from '../../../test/fake-zulip/demo-realm';
import { EXTENSION_ID, EXTENSION_ORIGIN, fake, type RegisteredScript } from '../../../test/unit/fake-browser';
import { createTestDeps, grantHost, POPUP_SENDER as POPUP } from '../../../test/unit/background-deps';
import { numberedUsers } from '../../../test/unit/numbered-users';
import type { Reply, RequestType } from '../../shared/messages';
import { accountStorageKey } from './stored-realm';
import type { ScriptingLike } from '../ports';
import { createMessageRouter } from '../messaging/message-router';

const OPERATIONS = 100;
const RUNS = 20;
const IDENTITY = { id: EXTENSION_ID, baseUrl: `${EXTENSION_ORIGIN}/` };

// Two realms share a host (and so one registered content script); the others have one each.
const HOSTS = ['127.0.0.1', '127.0.0.1', '127.0.0.2', '127.0.0.3'];
const USERS_PER_REALM = 3;

const usersOf = (realm: number) => numberedUsers(realm, USERS_PER_REALM);

type Operation =
  | { kind: 'signIn' | 'remove' | 'makeDefault'; realm: number; user: number }
  /** Someone the realm does not know: refused, and nothing may change. */
  | { kind: 'stranger'; realm: number };

const onAccount = (kind: 'signIn' | 'remove' | 'makeDefault') =>
  fc.record({ kind: fc.constant(kind), realm: fc.nat(HOSTS.length - 1), user: fc.nat(USERS_PER_REALM - 1) });
const operationArb: fc.Arbitrary<Operation> = fc.oneof(
  { weight: 6, arbitrary: onAccount('signIn') },
  { weight: 3, arbitrary: onAccount('remove') },
  { weight: 2, arbitrary: onAccount('makeDefault') },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('stranger' as const), realm: fc.nat(HOSTS.length - 1) }) },
);

type LogEntry =
  | { event: 'write'; key: string; record: Record<string, unknown> }
  | { event: 'delete'; key: string }
  | { event: 'issue'; operation: number }
  | { event: 'reply'; operation: number };

/** A realm as the store writes it (account-store.ts, schema 3). */
interface WrittenRealm {
  realmUrl: string;
  defaultUserId: number;
  accounts: Array<Record<string, unknown> & { userId: number; email: string; sealedApiKey: { iv: string } }>;
}

/** The model's account: the user's index in its realm, the summary without isDefault, and its sealing. */
interface ModelAccount {
  user: number;
  fields: Record<string, unknown>;
  keyId: string;
}
interface ModelRealm {
  defaultUser: number;
  accounts: Map<number, ModelAccount>;
}

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
      case 'makeDefault':
        return { type: `account.${operation.kind}`, realmUrl: realmUrl(operation.realm), userId: user(operation.realm, operation.user).userId };
      case 'stranger':
        return { type: 'account.signIn', realmUrl: realmUrl(operation.realm), username: `stranger@org${operation.realm}.test`, password: 'guess' };
    }
  }

  const classOf = (operation: Operation) => (operation.kind === 'stranger' ? `stranger ${operation.realm}` : `${operation.kind} ${operation.realm} ${operation.user}`);

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

  const summaryOf = (realm: ModelRealm, account: ModelAccount): Record<string, unknown> => ({ ...account.fields, isDefault: account.user === realm.defaultUser });
  /** What the store's list() gives for the model's realms: by name, each realm's default first, then by email. */
  function listOf(realms: Map<number, ModelRealm>) {
    return [...realms.entries()]
      .sort(([a], [b]) => `Org ${a}`.localeCompare(`Org ${b}`))
      .flatMap(([, realm]) =>
        [...realm.accounts.values()]
          .sort((a, b) => Number(b.user === realm.defaultUser) - Number(a.user === realm.defaultUser) || String(a.fields['email']).localeCompare(String(b.fields['email'])))
          .map((account) => summaryOf(realm, account)),
      );
  }

  /** Whether an operation's reply says it found no such account, and so wrote nothing. */
  function foundNoAccount(operation: Operation, reply: unknown): boolean {
    const answer = reply as Reply<'account.remove'> | Reply<'account.makeDefault'>;
    if (operation.kind === 'remove') return answer.ok && 'removed' in answer && !answer.removed;
    return operation.kind === 'makeDefault' && !answer.ok && answer.error.code === 'NOT_FOUND';
  }

  /**
   * Runs the operations one by one in the order the log shows them taking effect: checks each
   * written realm against the model, and gives the replies each class of operation should have
   * received and how many effects each class had.
   */
  function runModel(log: LogEntry[], operations: Operation[], replies: unknown[]) {
    const realmOfKey = new Map(HOSTS.map((_, realm) => [accountStorageKey(realmUrl(realm)), realm]));
    const realms = new Map<number, ModelRealm>();
    const expectedReplies = new Map<string, unknown[]>();
    const effects = new Map<string, number>();
    const answered = new Map<string, number>();
    const expectReply = (cls: string, reply: unknown) => expectedReplies.set(cls, [...(expectedReplies.get(cls) ?? []), reply]);
    const effect = (cls: string) => effects.set(cls, (effects.get(cls) ?? 0) + 1);
    // Operations under way, and whether their account has been missing at some instant since they were issued.
    const sawMissing = new Map<number, boolean>();
    const missingNow = (index: number) => {
      const operation = operations[index]!;
      return operation.kind !== 'stranger' && !realms.get(operation.realm)?.accounts.has(operation.user);
    };
    const observe = () => {
      for (const index of sawMissing.keys()) if (missingNow(index)) sawMissing.set(index, true);
    };
    let latestAddedAt = -Infinity;

    for (const entry of log) {
      if (entry.event === 'issue') {
        sawMissing.set(entry.operation, missingNow(entry.operation));
        continue;
      }
      if (entry.event === 'reply') {
        const operation = operations[entry.operation]!;
        const cls = classOf(operation);
        const sawAccountMissing = sawMissing.get(entry.operation);
        sawMissing.delete(entry.operation);
        if (operation.kind === 'stranger') continue;
        if (foundNoAccount(operation, replies[entry.operation])) {
          // Wrote nothing: it must have found the account missing while it was under way.
          expect(sawAccountMissing, `${cls} found no account that was there all along`).toBe(true);
          continue;
        }
        answered.set(cls, (answered.get(cls) ?? 0) + 1);
        // Each answered operation must already have taken effect: its write precedes its reply.
        expect(answered.get(cls), `${cls} answered before it took effect`).toBeLessThanOrEqual(effects.get(cls) ?? 0);
        continue;
      }
      const realm = realmOfKey.get(entry.key);
      expect(realm, `a write to ${entry.key}`).toBeDefined();
      const previous = realms.get(realm!);
      if (entry.event === 'delete') {
        // Only the removal of a realm's last account deletes its item.
        expect(previous?.accounts.size, `deleting ${entry.key}`).toBe(1);
        const [only] = previous!.accounts.values();
        const cls = `remove ${realm} ${only!.user}`;
        effect(cls);
        expectReply(cls, { ok: true, removed: true });
        realms.delete(realm!);
        observe();
        continue;
      }
      const written = entry.record as unknown as WrittenRealm;
      expect(written.realmUrl).toBe(realmUrl(realm!));
      const accounts = new Map<number, ModelAccount>();
      for (const { sealedApiKey, ...fields } of written.accounts) {
        const index = usersOf(realm!).findIndex((candidate) => candidate.userId === fields.userId);
        expect(index, `a user written to ${entry.key}`).toBeGreaterThanOrEqual(0);
        expect(fields).toMatchObject({ realmUrl: realmUrl(realm!), realmName: `Org ${realm}`, email: user(realm!, index).email });
        expect(accounts.has(index), `one record per user in ${entry.key}`).toBe(false);
        accounts.set(index, { user: index, fields, keyId: sealedApiKey.iv });
      }
      const defaultUser = usersOf(realm!).findIndex((candidate) => candidate.userId === written.defaultUserId);
      const next: ModelRealm = { defaultUser, accounts };
      const before = previous?.accounts ?? new Map<number, ModelAccount>();
      const resealed = [...accounts.values()].filter((account) => before.get(account.user)?.keyId !== account.keyId);
      const gone = [...before.keys()].filter((index) => !accounts.has(index));
      if (resealed.length > 0) {
        // A sign-in: one account sealed anew, every other one as it was, the default kept (or the first one's).
        expect(resealed, `${entry.key}: one account signed in per write`).toHaveLength(1);
        expect(gone, `${entry.key}: a sign-in removes no one`).toEqual([]);
        const [signedIn] = resealed as [ModelAccount];
        for (const [index, account] of before) if (index !== signedIn.user) expect(accounts.get(index), `${entry.key}: other accounts untouched`).toEqual(account);
        expect(defaultUser, `${entry.key}: the default after a sign-in`).toBe(previous ? previous.defaultUser : signedIn.user);
        const cls = `signIn ${realm} ${signedIn.user}`;
        effect(cls);
        // Signing in again as the same person keeps the date first added; anyone else gets a new one.
        const again = before.get(signedIn.user);
        if (again) expect(signedIn.fields['addedAt']).toBe(again.fields['addedAt']);
        else expect(signedIn.fields['addedAt']).toBeGreaterThan(latestAddedAt);
        latestAddedAt = Math.max(latestAddedAt, signedIn.fields['addedAt'] as number);
        expectReply(cls, { ok: true, account: summaryOf(next, signedIn), replaced: null });
      } else if (gone.length > 0) {
        // A removal: one account gone, and the default handed to the next in list order if it was the one.
        expect(gone, `${entry.key}: one account removed per write`).toHaveLength(1);
        const [removed] = gone as [number];
        const remaining = listOf(new Map([[realm!, { ...previous!, accounts }]]));
        const expectedDefault = removed === previous!.defaultUser ? usersOf(realm!).findIndex((candidate) => candidate.userId === remaining[0]?.['userId']) : previous!.defaultUser;
        expect(defaultUser, `${entry.key}: the default after a removal`).toBe(expectedDefault);
        for (const [index, account] of accounts) expect(account, `${entry.key}: other accounts untouched`).toEqual(before.get(index));
        const cls = `remove ${realm} ${removed}`;
        effect(cls);
        expectReply(cls, { ok: true, removed: true });
      } else {
        // A new default: the same accounts, the same keys.
        expect(accounts.size, `${entry.key}: a new default changes no account`).toBe(before.size);
        for (const [index, account] of accounts) expect(account).toEqual(before.get(index));
        const cls = `makeDefault ${realm} ${defaultUser}`;
        effect(cls);
        expectReply(cls, { ok: true, account: summaryOf(next, accounts.get(defaultUser)!) });
      }
      realms.set(realm!, next);
      observe();
    }
    return { realms, expectedReplies, effects };
  }

  it(`end as a sequential run of the same ${OPERATIONS} operations in the order they took effect`, async () => {
    const stats = { runs: 0, signIns: 0, removals: 0, newDefaults: 0, refused: 0, overLimit: 0, notIssueOrder: 0 };
    const property = fc.asyncProperty(
      fc.scheduler(),
      fc.array(fc.subarray(usersOf(0).map((_, index) => index)), { minLength: HOSTS.length, maxLength: HOSTS.length }),
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
          ...initiallySignedIn.flatMap((signedIn, realm) => signedIn.map((index) => ({ kind: 'signIn' as const, realm, user: index }))),
        ];
        const operations = [...setup, ...burst];
        const replies: Array<Reply<RequestType>> = [];
        const issue = async (index: number) => {
          log.push({ event: 'issue', operation: index });
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
        const { realms, expectedReplies, effects } = runModel(log, operations, replies);
        const byClass = new Map<string, unknown[]>();
        for (const [index, operation] of operations.entries()) byClass.set(classOf(operation), [...(byClass.get(classOf(operation)) ?? []), replies[index]]);
        for (const [cls, actual] of byClass) {
          if (cls.startsWith('stranger')) {
            for (const reply of actual) expect(reply).toMatchObject({ ok: false, error: { code: expect.stringMatching(/^(AUTHENTICATION_FAILED|RATE_LIMIT_HIT)$/) } });
            expect(effects.get(cls)).toBeUndefined();
            continue;
          }
          // Each operation either took effect once or (checked in the model) found no account and wrote nothing.
          const [operation] = operations.filter((candidate) => classOf(candidate) === cls);
          const tookEffect = actual.filter((reply) => !foundNoAccount(operation!, reply));
          expect(effects.get(cls) ?? 0, `${cls}: one store effect per operation that found its account`).toBe(tookEffect.length);
          const sorted = (list: unknown[]) => list.map(canonical).sort();
          expect(sorted(tookEffect), cls).toEqual(sorted(expectedReplies.get(cls) ?? []));
        }

        // The final state is the model's: the accounts listed in order, each realm's default, each
        // account's key, nothing else stored, and one content script per host that still has an account.
        const reader = createTestDeps();
        expect(await reader.accounts.list()).toEqual(listOf(realms));
        for (const realm of HOSTS.keys()) {
          const model = realms.get(realm);
          const withKey = (account: ModelAccount | undefined) =>
            model && account ? { account: summaryOf(model, account), apiKey: user(realm, account.user).apiKey, keyId: account.keyId } : null;
          expect(await reader.accounts.getWithKey(realmUrl(realm))).toEqual(withKey(model?.accounts.get(model.defaultUser)));
          for (const [index, { userId }] of usersOf(realm).entries()) {
            expect(await reader.accounts.getWithKey(realmUrl(realm), { userId })).toEqual(withKey(model?.accounts.get(index)));
          }
        }
        const storedAccountKeys = Object.keys(fake.browser.storage.local.snapshot()).filter((key) => key.startsWith('account:'));
        expect(storedAccountKeys.sort()).toEqual([...realms.keys()].map((realm) => accountStorageKey(realmUrl(realm))).sort());
        const registered = (await browser.scripting.getRegisteredContentScripts()).flatMap((script) => script.matches ?? []);
        expect(registered.sort()).toEqual([...new Set([...realms.keys()].map((realm) => `http://${HOSTS[realm]}/*`))].sort());

        stats.runs += 1;
        stats.signIns += burst.filter((operation) => operation.kind === 'signIn').length;
        stats.removals += burst.filter((operation) => operation.kind === 'remove').length;
        stats.newDefaults += burst.filter((operation) => operation.kind === 'makeDefault').length;
        stats.refused += burst.filter((operation) => operation.kind === 'stranger').length;
        stats.overLimit += replies.filter((reply) => !reply.ok && reply.error.code === 'RATE_LIMIT_HIT').length;
        // How often issue order would have been the wrong reference: some account is there (or not)
        // against the last sign-in or removal issued for it.
        const lastIssued = new Map(
          operations.flatMap((operation) => (operation.kind === 'signIn' || operation.kind === 'remove' ? [[`${operation.realm} ${operation.user}`, operation] as const] : [])),
        );
        const differs = [...lastIssued.values()].some(
          (operation) => (operation.kind === 'signIn') !== (realms.get(operation.realm)?.accounts.has(operation.user) ?? false),
        );
        if (differs) stats.notIssueOrder += 1;
      },
    );
    const details = await fc.check(property, { numRuns: RUNS });
    console.log(
      `concurrency: ${details.numRuns} runs × ${OPERATIONS} concurrent operations ` +
        `(${stats.signIns} sign-ins, ${stats.removals} removals, ${stats.newDefaults} changes of default, ${stats.refused} refused sign-ins, ${stats.overLimit} of them over the rate limit), ${details.failed ? 1 : 0} failures; ` +
        `issue order would have predicted another final state in ${stats.notIssueOrder} of ${stats.runs} runs (seed ${details.seed})`,
    );
    if (details.failed) {
      // The error first: the scheduler's full report (every task, every value) runs to megabytes.
      throw new Error(`${details.errorInstance instanceof Error ? details.errorInstance.stack : String(details.errorInstance)}\n${(fc.defaultReportMessage(details) ?? '').slice(0, 20_000)}`);
    }
  }, 300_000);
});
