import { describe, expect, it, vi } from 'vitest';
import type { AccountSummary } from '../shared/reply-values';
import type { Reply, RequestOf, RequestType } from '../shared/messages';
import type { RealmInfo } from '../shared/zulip/realm-info';
import type { Send } from '../shared/message-client';
import { lookUpServer, type FlowDeps } from './add-account';
import { signIn, signInLock } from './sign-in';
import type { PermissionOutcome } from './host-permission';
import type { Translate } from '../shared/i18n';

const t: Translate = (key, ...subs) => [key, ...subs].join('|');

const realm: RealmInfo = {
  realmUrl: 'https://chat.example.com',
  name: 'Example',
  iconUrl: null,
  zulipVersion: '10.1',
  featureLevel: 360,
  passwordAuth: true,
  usernameIsEmail: true,
  externalMethods: [],
  devAuth: false,
};

const account: AccountSummary = {
  realmUrl: 'https://chat.example.com',
  realmName: 'Example',
  realmIconUrl: null,
  email: 'iago@zulip.com',
  userId: 11,
  zulipVersion: '10.1',
  featureLevel: 360,
  addedAt: 0,
  credentialStatus: 'valid',
  isDefault: true,
  checkedAt: 0,
};

type Replies = { [T in RequestType]?: Reply<T> };

function setup(permission: PermissionOutcome, replies: Replies) {
  const events: string[] = [];
  const ensure = vi.fn((pattern: string, beforePrompt?: () => void) => {
    beforePrompt?.();
    events.push(`ensure ${pattern}`);
    return Promise.resolve(permission);
  });
  const requests: unknown[] = [];
  const send = (async <T extends RequestType>(request: RequestOf<T>) => {
    events.push(`send ${request.type}`);
    requests.push(request);
    return replies[request.type];
  }) as Send;
  const deps: FlowDeps = { hostPermissions: { ensure }, send, t };
  return { deps, ensure, events, requests };
}

describe('lookUpServer', () => {
  it('explains a bad URL without asking for anything', async () => {
    const { deps, ensure, requests } = setup('granted', {});
    await expect(lookUpServer('iago@zulip.com', deps)).resolves.toEqual({ ok: false, message: 'error_url_email', inputProblem: true });
    expect(ensure).not.toHaveBeenCalled();
    expect(requests).toEqual([]);
  });

  it('asks for the permission before it awaits anything, then looks the realm up', async () => {
    const { deps, events, requests } = setup('granted', { 'realm.lookup': { ok: true, realm } });
    const beforePrompt = vi.fn();
    const pending = lookUpServer('  chat.example.com ', deps, beforePrompt);
    expect(events).toEqual(['ensure https://chat.example.com/*']);
    expect(beforePrompt).toHaveBeenCalledWith('https://chat.example.com');
    await expect(pending).resolves.toEqual({ ok: true, origin: 'https://chat.example.com', realm });
    expect(requests).toEqual([{ type: 'realm.lookup', serverUrl: 'https://chat.example.com' }]);
  });

  it('asks for a loopback server without its port', async () => {
    const { deps, ensure } = setup('granted', { 'realm.lookup': { ok: true, realm } });
    await lookUpServer('localhost:9991', deps);
    expect(ensure.mock.calls[0]?.[0]).toBe('http://localhost/*');
  });

  it.each(['denied', 'failed'] as const)('stops when the permission is %s', async (outcome) => {
    const { deps, requests } = setup(outcome, {});
    await expect(lookUpServer('chat.example.com', deps)).resolves.toEqual({
      ok: false,
      message: 'error_permission_denied|https://chat.example.com',
      inputProblem: false,
    });
    expect(requests).toEqual([]);
  });

  it('shows the background’s sentence when the lookup fails', async () => {
    const { deps } = setup('granted', { 'realm.lookup': { ok: false, error: { code: 'NO_REALM', message: 'There is no Zulip organization here.' } } });
    await expect(lookUpServer('chat.example.com', deps)).resolves.toEqual({
      ok: false,
      message: 'There is no Zulip organization here.',
      inputProblem: false,
    });
  });
});

describe('signIn', () => {
  const input = { realm, origin: 'https://chat.example.com', username: ' iago@zulip.com ', password: 'secret' };

  it('wants both fields filled in', async () => {
    const { deps, requests } = setup('granted', {});
    await expect(signIn({ ...input, username: ' ' }, deps)).resolves.toMatchObject({ ok: false, message: 'popup_error_email_empty', field: 'username', missing: true });
    await expect(signIn({ ...input, realm: { ...realm, usernameIsEmail: false }, username: '' }, deps)).resolves.toMatchObject({
      message: 'popup_error_username_empty',
    });
    await expect(signIn({ ...input, password: '' }, deps)).resolves.toMatchObject({ message: 'popup_error_password_empty', field: 'password' });
    expect(requests).toEqual([]);
  });

  it('signs in at the realm URL with the trimmed username, asking nothing more for the same origin', async () => {
    const { deps, ensure, requests } = setup('granted', { 'account.signIn': { ok: true, account, replaced: null } });
    await expect(signIn(input, deps)).resolves.toEqual({ ok: true, account, replaced: null });
    expect(ensure).not.toHaveBeenCalled();
    expect(requests).toEqual([{ type: 'account.signIn', realmUrl: 'https://chat.example.com', username: 'iago@zulip.com', password: 'secret' }]);
  });

  it('asks first for the realm’s own host when it differs from the one typed', async () => {
    const moved = { ...realm, realmUrl: 'https://zulip.example.org' };
    const { deps, events } = setup('granted', { 'account.signIn': { ok: true, account, replaced: null } });
    const pending = signIn({ ...input, realm: moved }, deps);
    expect(events).toEqual(['ensure https://zulip.example.org/*']);
    await pending;
    expect(events).toEqual(['ensure https://zulip.example.org/*', 'send account.signIn']);
  });

  it('does not send the password where the permission was refused', async () => {
    const moved = { ...realm, realmUrl: 'https://zulip.example.org' };
    const { deps, requests } = setup('denied', {});
    await expect(signIn({ ...input, realm: moved }, deps)).resolves.toMatchObject({
      ok: false,
      message: 'error_permission_denied|https://zulip.example.org',
    });
    expect(requests).toEqual([]);
  });

  it('passes on when the server takes the next attempt', async () => {
    const error = { code: 'RATE_LIMIT_HIT' as const, message: 'Too many sign-in attempts.', retryAt: 1_700_000_000_000 };
    const { deps } = setup('granted', { 'account.signIn': { ok: false, error } });
    await expect(signIn(input, deps)).resolves.toEqual({ ok: false, message: error.message, field: 'password', retryAt: error.retryAt });
  });

  it('points at the username when the server wants an email', async () => {
    const error = { code: 'USERNAME_NOT_EMAIL' as const, message: 'Enter a valid email address.' };
    const { deps } = setup('granted', { 'account.signIn': { ok: false, error } });
    await expect(signIn(input, deps)).resolves.toEqual({ ok: false, message: error.message, field: 'username' });
  });
});

describe('signInLock', () => {
  it('asks the background about the realm and the username as signIn sends it, and passes on a lock with its time', async () => {
    const lock = { code: 'RATE_LIMIT_HIT' as const, message: 'Too many sign-in attempts.', retryAt: 1_700_000_000_000 };
    const { deps, requests } = setup('granted', { 'account.signInLock': { ok: true, lock }, 'account.signIn': { ok: false, error: lock } });
    await expect(signInLock(realm, '  iago@zulip.com ', deps)).resolves.toEqual({ message: lock.message, retryAt: lock.retryAt });
    await signIn({ realm, origin: realm.realmUrl, username: '  iago@zulip.com ', password: 'secret' }, deps);
    const [asked, sent] = requests as [RequestOf<'account.signInLock'>, RequestOf<'account.signIn'>];
    expect(asked).toEqual({ type: 'account.signInLock', realmUrl: realm.realmUrl, username: 'iago@zulip.com' });
    expect(sent.username).toBe(asked.username);
  });

  it('asks nothing for an empty username: there is nothing to sign in with', async () => {
    const { deps, requests } = setup('granted', {});
    await expect(signInLock(realm, '   ', deps)).resolves.toBeNull();
    expect(requests).toEqual([]);
  });

  it.each<[string, Reply<'account.signInLock'>]>([
    ['no lock', { ok: true, lock: null }],
    ['a lock without a time', { ok: true, lock: { code: 'RATE_LIMIT_HIT', message: 'Wait.' } }],
    ['a failed request', { ok: false, error: { code: 'INTERNAL', message: 'Unreachable.' } }],
  ])('is null for %s: the background refuses early attempts anyway', async (_name, reply) => {
    const { deps } = setup('granted', { 'account.signInLock': reply });
    await expect(signInLock(realm, 'iago@zulip.com', deps)).resolves.toBeNull();
  });
});
