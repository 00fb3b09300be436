import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../../../../src/domain/cards/processing/canonical';
import { settlementCutoffAfter, settlementLine } from '../../../../../src/domain/cards/processing/settlement';

const MIDNIGHT = Date.UTC(2026, 10, 28) / 1000;

describe('settlementCutoffAfter', () => {
  it('settles at the first 00:00 UTC strictly after the movement', () => {
    expect(settlementCutoffAfter(MIDNIGHT - 1)).toBe(MIDNIGHT);
    expect(settlementCutoffAfter(MIDNIGHT - 86_399)).toBe(MIDNIGHT);
    expect(settlementCutoffAfter(MIDNIGHT)).toBe(MIDNIGHT + 86_400);
  });
});

describe('settlementLine', () => {
  const movement = { reference: 're_1:refund', authorizationId: 'auth_1', currency: 'usd', grossAmount: 250, effectiveAtSeconds: MIDNIGHT - 10 };

  it('signs amounts from the merchant side', () => {
    expect(settlementLine({ ...movement, operation: 'capture' }).amount).toBe(250);
    expect(settlementLine({ ...movement, operation: 'refund' }).amount).toBe(-250);
    expect(settlementLine({ ...movement, operation: 'refund_failure' }).amount).toBe(250);
  });

  it('derives a deterministic line id and the settlement cut-off', () => {
    expect(settlementLine({ ...movement, operation: 'refund' })).toEqual({
      lineId: 'refund:re_1:refund',
      reference: 're_1:refund',
      authorizationId: 'auth_1',
      operation: 'refund',
      amount: -250,
      currency: 'usd',
      effectiveAtSeconds: MIDNIGHT - 10,
      settledAtSeconds: MIDNIGHT,
    });
  });
});

describe('canonicalJson', () => {
  it('sorts keys at every level and drops undefined', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { z: 1, y: null }], c: 'x' }, u: undefined })).toBe('{"a":{"c":"x","d":[2,{"y":null,"z":1}]},"b":1}');
    expect(canonicalJson({ a: 1, b: 2 })).toBe(canonicalJson({ b: 2, a: 1 }));
    expect(canonicalJson({ a: 1 })).not.toBe(canonicalJson({ a: '1' }));
  });
});
