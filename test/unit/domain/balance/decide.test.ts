import { describe, expect, it } from 'vitest';
import { InvariantViolation } from '../../../../src/domain/assert';
import { decidePayout, decideRefundAmount } from '../../../../src/domain/balance/decide';
import { fromDomainError } from '../../../../src/stripe/errors';

const charge = { chargeId: 'ch_123', currency: 'usd', captured: 2_000 } as const;

describe('decideRefundAmount', () => {
  it('defaults to everything still refundable', () => {
    expect(decideRefundAmount({ ...charge, refunded: 0 })).toEqual({ ok: true, value: 2_000 });
    expect(decideRefundAmount({ ...charge, refunded: 500 })).toEqual({ ok: true, value: 1_500 });
  });

  it('allows partial refunds up to the exact remainder', () => {
    expect(decideRefundAmount({ ...charge, refunded: 500, requested: 1 })).toEqual({ ok: true, value: 1 });
    expect(decideRefundAmount({ ...charge, refunded: 500, requested: 1_500 })).toEqual({ ok: true, value: 1_500 });
  });

  it('refuses more than the remainder as amount_too_large with Stripe’s message', () => {
    const result = decideRefundAmount({ ...charge, refunded: 500, requested: 1_501 });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(fromDomainError(result.error)).toMatchObject({
      status: 400,
      error: {
        type: 'invalid_request_error',
        code: 'amount_too_large',
        param: 'amount',
        message: 'Refund amount ($15.01) is greater than unrefunded amount on charge ($15.00)',
      },
    });
  });

  it('formats whole yen in the over-refund message', () => {
    const result = decideRefundAmount({ chargeId: 'ch_j', currency: 'jpy', captured: 1_050, refunded: 50, requested: 999_999 });
    expect(result).toMatchObject({ ok: false, error: { message: 'Refund amount (¥999999) is greater than unrefunded amount on charge (¥1000)' } });
  });

  it('reports a fully refunded charge as charge_already_refunded', () => {
    const result = decideRefundAmount({ ...charge, refunded: 2_000, requested: 1 });
    expect(result).toEqual({ ok: false, error: { reason: 'charge_already_refunded', chargeId: 'ch_123' } });
    if (result.ok) return;
    expect(fromDomainError(result.error).error).toMatchObject({ code: 'charge_already_refunded', message: 'Charge ch_123 has already been refunded.' });
    expect(decideRefundAmount({ ...charge, refunded: 2_000 }).ok).toBe(false);
  });

  it.each([0, -1, 0.5, Number.NaN, 1e21])('refuses requested amount %d on param amount', (requested) => {
    expect(decideRefundAmount({ ...charge, refunded: 0, requested })).toMatchObject({
      ok: false,
      error: { reason: 'invalid_request', param: 'amount' },
    });
  });

  it('throws when stored state already breaks refunded ≤ captured', () => {
    expect(() => decideRefundAmount({ ...charge, refunded: 2_001 })).toThrow(InvariantViolation);
  });
});

describe('decidePayout', () => {
  it('allows any positive amount up to available', () => {
    expect(decidePayout({ available: 10_000, amount: 10_000, currency: 'usd' })).toEqual({ ok: true, value: 10_000 });
    expect(decidePayout({ available: 10_000, amount: 1, currency: 'usd' })).toEqual({ ok: true, value: 1 });
  });

  it('refuses more than available as balance_insufficient with Stripe’s message', () => {
    const result = decidePayout({ available: 9_999, amount: 10_000, currency: 'usd' });
    expect(result).toEqual({ ok: false, error: { reason: 'balance_insufficient', currency: 'usd', available: 9_999, requested: 10_000 } });
    if (result.ok) return;
    expect(fromDomainError(result.error)).toMatchObject({
      status: 400,
      error: {
        code: 'balance_insufficient',
        message:
          'You have insufficient funds in your Stripe account for this transfer. Your card balance is too low. ' +
          'You can use the /v1/balance endpoint to view your Stripe balance (for more details, see stripe.com/docs/api#balance).',
      },
    });
  });

  it('answers an oversize payout with balance_insufficient, not amount_too_large (CONTRACT §10 smoke flow)', () => {
    expect(decidePayout({ available: 8_680, amount: 999_999_999, currency: 'usd' })).toMatchObject({ ok: false, error: { reason: 'balance_insufficient' } });
  });

  it('refuses every payout from a negative available balance', () => {
    expect(decidePayout({ available: -500, amount: 1, currency: 'eur' })).toMatchObject({ ok: false, error: { reason: 'balance_insufficient' } });
  });

  it.each([0, -10, 2.5, Number.POSITIVE_INFINITY])('refuses amount %d as invalid', (amount) => {
    expect(decidePayout({ available: 10_000, amount, currency: 'usd' })).toMatchObject({ ok: false, error: { reason: 'invalid_request', param: 'amount' } });
  });
});
