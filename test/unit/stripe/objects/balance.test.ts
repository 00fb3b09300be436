import type Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import { chargeBalanceTransaction, refundBalanceTransaction } from '../../../../src/domain/balance/transactions';
import { computeProcessingFee } from '../../../../src/domain/money/fees';
import { toBalanceJson } from '../../../../src/stripe/objects/balance';
import { toBalanceTransactionJson } from '../../../../src/stripe/objects/balance-transaction';

const CREATED = 1_773_156_600; // 2026-03-10T15:30:00Z

describe('toBalanceTransactionJson', () => {
  it('renders a charge in Stripe’s balance_transaction shape', () => {
    const bt = chargeBalanceTransaction({
      id: 'txn_1',
      sourceId: 'ch_1',
      amount: 2_000,
      currency: 'usd',
      createdSeconds: CREATED,
      description: null,
      fees: computeProcessingFee(2_000, 'usd', { international: false }),
      bypassPending: false,
    });
    const wire: Stripe.BalanceTransaction = toBalanceTransactionJson(bt);
    expect(wire).toEqual({
      id: 'txn_1',
      object: 'balance_transaction',
      amount: 2_000,
      available_on: 1_773_360_000, // 2026-03-13T00:00:00Z
      balance_type: 'payments',
      created: CREATED,
      currency: 'usd',
      description: null,
      exchange_rate: null,
      fee: 88,
      fee_details: [{ amount: 88, application: null, currency: 'usd', description: 'Stripe processing fees', type: 'stripe_fee' }],
      net: 1_912,
      reporting_category: 'charge',
      source: 'ch_1',
      status: 'pending',
      type: 'charge',
    });
    expect(wire.net).toBe(wire.amount - wire.fee);
  });

  it('renders a refund with an empty fee_details list', () => {
    const bt = refundBalanceTransaction({ id: 'txn_2', sourceId: 're_1', amount: 500, currency: 'eur', createdSeconds: CREATED, description: null });
    expect(toBalanceTransactionJson(bt)).toMatchObject({ amount: -500, fee: 0, fee_details: [], net: -500, status: 'available', type: 'refund' });
  });
});

describe('toBalanceJson', () => {
  it('lists each currency in available and pending with card source_types, sorted by code', () => {
    const wire: Stripe.Balance = toBalanceJson(
      [
        { currency: 'usd', available: 12_345, pending: 9_710 },
        { currency: 'eur', available: -500, pending: 0 },
      ],
      false,
    );
    expect(wire).toEqual({
      object: 'balance',
      available: [
        { amount: -500, currency: 'eur', source_types: { card: -500 } },
        { amount: 12_345, currency: 'usd', source_types: { card: 12_345 } },
      ],
      livemode: false,
      pending: [
        { amount: 0, currency: 'eur', source_types: { card: 0 } },
        { amount: 9_710, currency: 'usd', source_types: { card: 9_710 } },
      ],
    });
  });

  it('shows zero usd rows for an account that never moved money', () => {
    expect(toBalanceJson([], true)).toEqual({
      object: 'balance',
      available: [{ amount: 0, currency: 'usd', source_types: { card: 0 } }],
      livemode: true,
      pending: [{ amount: 0, currency: 'usd', source_types: { card: 0 } }],
    });
  });
});
