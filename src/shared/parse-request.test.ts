import { describe, expect, it } from 'vitest';
import { parseRequest } from './parse-request';

describe('parseRequest', () => {
  it('takes a request of one of our types that matches its schema', () => {
    expect(parseRequest({ type: 'credentials.get' })).toEqual({ type: 'credentials.get' });
    expect(parseRequest({ type: 'credentials.get', userId: 5 })).toEqual({ type: 'credentials.get', userId: 5 });
    expect(parseRequest({ type: 'account.remove', realmUrl: 'https://a.example.com', userId: 5 })).toEqual({
      type: 'account.remove',
      realmUrl: 'https://a.example.com',
      userId: 5,
    });
  });

  it('refuses what is not a message object or has no type of ours, own names of Object.prototype included', () => {
    for (const message of [null, undefined, 'credentials.get', 5, [], {}, { type: 5 }, { type: 'credentials.GET' }, { type: 'nope' }]) {
      expect(parseRequest(message)).toBeNull();
    }
    for (const type of ['constructor', 'toString', 'hasOwnProperty', '__proto__', 'valueOf']) {
      expect(parseRequest({ type })).toBeNull();
    }
  });

  it('is as strict as each schema, whichever type was parsed first', () => {
    expect(parseRequest({ type: 'credentials.get', extra: 1 })).toBeNull();
    expect(parseRequest({ type: 'credentials.get', email: 'a@b.c', userId: 5 })).toBeNull();
    expect(parseRequest({ type: 'credentials.get', userId: 1.5 })).toBeNull();
    expect(parseRequest({ type: 'credentials.get', realm: '' })).toBeNull();
    // Built on first use: the schema parsed again is the same check.
    expect(parseRequest({ type: 'credentials.get', extra: 1 })).toBeNull();
    expect(parseRequest({ type: 'lock.enable', passphrase: 'short', idleMinutes: 5 })).toBeNull();
    expect(parseRequest({ type: 'lock.enable', passphrase: 'long enough', idleMinutes: 5 })).toEqual({ type: 'lock.enable', passphrase: 'long enough', idleMinutes: 5 });
    expect(parseRequest({ type: 'account.remove', realmUrl: 'https://a.example.com' })).toBeNull();
  });
});
