import { describe, expect, it } from 'vitest';
import type { AccountSummary } from '../shared/reply-values';
import { checkFailedAnnouncement, quietCheckAnnouncement, refusalReason, verdictAnnouncement } from './account-check';
import { t } from '../shared/i18n';

const account = (overrides: Partial<AccountSummary> = {}): AccountSummary => ({
  realmUrl: 'https://chat.example.com',
  realmName: 'Example',
  realmIconUrl: null,
  email: 'iago@zulip.com',
  userId: 5,
  zulipVersion: '10.0',
  featureLevel: 371,
  addedAt: 0,
  credentialStatus: 'valid',
  checkedAt: 0,
  isDefault: true,
  ...overrides,
});

describe('what the popup says about a check', () => {
  it('gives each refusal its own reason', () => {
    expect(refusalReason('invalid', t)).toBe('The organization no longer accepts the saved key; it may have been regenerated.');
    expect(refusalReason('user-deactivated', t)).toContain('Your account in this organization has been deactivated.');
    expect(refusalReason('realm-deactivated', t)).toBe('This organization has been deactivated.');
  });

  it('announces a working key, and a refused one with the way back in and its reason', () => {
    expect(verdictAnnouncement(account(), t)).toBe('Example accepts the key of iago@zulip.com.');
    expect(verdictAnnouncement(account({ credentialStatus: 'realm-deactivated' }), t)).toBe(
      'Sign in again to Example as iago@zulip.com. This organization has been deactivated.',
    );
  });

  it('says that a check without an answer changed nothing', () => {
    expect(checkFailedAnnouncement(account(), 'Could not connect.', t)).toBe('iago@zulip.com at Example could not be checked and stays as it was. Could not connect.');
  });

  it('the quiet check speaks only of refused keys and failed checks of accounts still listed, each account by its user id', () => {
    const other = account({ realmUrl: 'https://other.example.com', realmName: 'Other', credentialStatus: 'invalid' });
    const reply = {
      checked: [account(), other],
      failures: [
        { realmUrl: 'https://chat.example.com', userId: 5, error: { code: 'NETWORK' as const, message: 'Could not connect.' } },
        { realmUrl: 'https://chat.example.com', userId: 6, error: { code: 'NETWORK' as const, message: 'Removed meanwhile.' } },
        { realmUrl: 'https://removed.example.com', userId: 5, error: { code: 'NETWORK' as const, message: 'Gone.' } },
      ],
    };
    expect(quietCheckAnnouncement(reply, [account(), other], t)).toBe(
      'Sign in again to Other as iago@zulip.com. The organization no longer accepts the saved key; it may have been regenerated. ' +
        'iago@zulip.com at Example could not be checked and stays as it was. Could not connect.',
    );
    expect(quietCheckAnnouncement({ checked: [account()], failures: [] }, [account()], t)).toBe('');
  });
});
