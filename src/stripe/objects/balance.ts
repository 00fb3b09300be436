/**
 * Per-currency merchant balances → Stripe's `balance` object (CONTRACT §5.6). One row per
 * currency in `available` and `pending`, sorted by code, all card-sourced. Amounts may be
 * negative. An account that has never moved money shows usd 0 rows, as Stripe shows the
 * account's default currency.
 */
import type { MerchantBalance } from '../../domain/ledger/balances';
import type { CurrencyCode } from '../../domain/money/currency';

const DEFAULT_CURRENCY: CurrencyCode = 'usd';

function row(amount: number, currency: CurrencyCode) {
  return { amount, currency, source_types: { card: amount } };
}

export function toBalanceJson(perCurrency: readonly MerchantBalance[], livemode: boolean) {
  const rows = perCurrency.length > 0 ? [...perCurrency] : [{ currency: DEFAULT_CURRENCY, available: 0, pending: 0 }];
  rows.sort((a, b) => (a.currency < b.currency ? -1 : a.currency > b.currency ? 1 : 0));
  return {
    object: 'balance' as const,
    available: rows.map((b) => row(b.available, b.currency)),
    livemode,
    pending: rows.map((b) => row(b.pending, b.currency)),
  };
}
