// What the extension reads from server_settings, from real Zulip answers (test/fixtures/zulip-responses.json).
import { describe, expect, it } from 'vitest';
import { FIXTURE_REALM_URL, zulipResponse } from '../../../test/fixtures/zulip-responses';
import { realmInfoFrom } from './realm-info';
import { zulipSchemas, type ServerSettings } from './schemas';

const settings = (name: string): ServerSettings => zulipSchemas().serverSettings.parse(zulipResponse('server_settings', name).body);

describe('realmInfoFrom', () => {
  it('reads an SSO-only realm: its methods in order, their icons resolved against the realm', () => {
    const realm = realmInfoFrom(settings('sso_only_realm_fl371'), 200);
    expect(realm).toMatchObject({ realmUrl: FIXTURE_REALM_URL, name: 'SSO Org', passwordAuth: false, devAuth: false });
    expect(realm.iconUrl).toBe(`${FIXTURE_REALM_URL}/user_avatars/2/realm/icon.png?version=3`);
    expect(realm.externalMethods.map((method) => [method.name, method.iconUrl, method.completionOrigin])).toEqual([
      ['saml:idp_name', null, null],
      ['google', `${FIXTURE_REALM_URL}/static/images/authentication_backends/googl_e-icon.png`, null],
      ['github', `${FIXTURE_REALM_URL}/static/images/authentication_backends/github-icon.png`, null],
    ]);
  });

  it('allows a password on LDAP realms, where usernames need not be emails', () => {
    expect(realmInfoFrom(settings('ldap_realm_non_email_usernames'), 200)).toMatchObject({ passwordAuth: true, usernameIsEmail: false });
  });

  it('takes realm_uri where realm_url is missing (before feature level 257)', () => {
    expect(realmInfoFrom(settings('old_server_zulip_6_fl156_no_realm_url'), 200)).toMatchObject({ realmUrl: FIXTURE_REALM_URL, featureLevel: 156 });
  });

  it('finds no realm at a root without a realm name, and refuses a realm on plain http that is not loopback', () => {
    const failure = (expected: object) => expect.objectContaining({ name: 'ApiError', failure: expected });
    expect(() => realmInfoFrom(settings('root_domain_without_realm'), 200)).toThrow(failure({ kind: 'no-realm' }));
    const plain = { ...settings('password_realm_fl371'), realm_url: 'http://chat.example.com' };
    expect(() => realmInfoFrom(plain, 200)).toThrow(failure({ kind: 'insecure-realm', realmUrl: 'http://chat.example.com' }));
    expect(realmInfoFrom({ ...plain, realm_url: 'http://localhost:9991' }, 200).realmUrl).toBe('http://localhost:9991');
  });
});
