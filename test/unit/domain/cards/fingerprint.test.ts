import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { FINGERPRINT_LENGTH, fingerprintFromDigest, fingerprintInput } from '../../../../src/domain/cards/fingerprint';

/** What the account DO does with crypto.subtle, done here with node:crypto. */
function fingerprint(key: string, scope: string, number: string): string {
  return fingerprintFromDigest(createHmac('sha256', key).update(fingerprintInput(scope, number)).digest('hex'));
}

describe('fingerprintInput', () => {
  it('length-prefixes scope and number so different pairs never collide', () => {
    expect(fingerprintInput('acct_1:test', '4242424242424242')).not.toBe(fingerprintInput('acct_1:test4', '242424242424242'));
    expect(fingerprintInput('a|1:b', '4')).not.toBe(fingerprintInput('a', 'b|1:4'));
  });
});

describe('fingerprintFromDigest', () => {
  it('gives 16 base62 characters', () => {
    const fp = fingerprint('k', 'acct_1:test', '4242424242424242');
    expect(fp).toMatch(new RegExp(`^[0-9A-Za-z]{${FINGERPRINT_LENGTH}}$`));
    expect(fingerprintFromDigest('0'.repeat(64))).toBe('0'.repeat(16));
  });

  it('is stable for one card in one account and differs across accounts, keys and cards', () => {
    const a = fingerprint('key-1', 'acct_1:test', '4242424242424242');
    expect(fingerprint('key-1', 'acct_1:test', '4242424242424242')).toBe(a);
    expect(fingerprint('key-1', 'acct_2:test', '4242424242424242')).not.toBe(a);
    expect(fingerprint('key-1', 'acct_1:live', '4242424242424242')).not.toBe(a);
    expect(fingerprint('key-2', 'acct_1:test', '4242424242424242')).not.toBe(a);
    expect(fingerprint('key-1', 'acct_1:test', '5555555555554444')).not.toBe(a);
  });

  it('refuses a short or non-hex digest as a programming error', () => {
    expect(() => fingerprintFromDigest('abc')).toThrow(/hex/);
    expect(() => fingerprintFromDigest('z'.repeat(64))).toThrow(/hex/);
  });
});
