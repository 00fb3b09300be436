/**
 * The ledger accounts every merchant account keeps, per currency, and their normal sides.
 *
 * Viewpoint: edgepay's books for one merchant. Money the processor holds for us is an asset;
 * what we owe the merchant (pending, available, on its way to the bank) is a liability; fees are
 * revenue. Postings are signed: debit +, credit −. A debit-normal account is "up" when positive,
 * a credit-normal one when negative.
 *
 * A correct flow drains the clearing account (`payouts_in_transit`) to zero once every payout has
 * been paid or reversed.
 */
export type NormalSide = 'debit' | 'credit';

export const LEDGER_ACCOUNTS = {
  /** Asset: funds held for this merchant at the card processor (gross captures − refunds − paid payouts). */
  processor_funds: { normalSide: 'debit' },
  /** Liability: captured net not yet available to the merchant. */
  merchant_pending: { normalSide: 'credit' },
  /** Liability: net the merchant may pay out (negative when refunds/disputes overdraw it). */
  merchant_available: { normalSide: 'credit' },
  /** Liability (clearing): payouts created but not yet paid, failed or canceled. */
  payouts_in_transit: { normalSide: 'credit' },
  /** Revenue: processing and dispute fees kept. */
  fee_revenue: { normalSide: 'credit' },
} as const satisfies Record<string, { readonly normalSide: NormalSide }>;

export type LedgerAccount = keyof typeof LEDGER_ACCOUNTS;

/** Fixed order, used for canonical (JSON-stable) balance objects. */
export const LEDGER_ACCOUNT_NAMES: readonly LedgerAccount[] = [
  'processor_funds',
  'merchant_pending',
  'merchant_available',
  'payouts_in_transit',
  'fee_revenue',
];

export function isLedgerAccount(name: string): name is LedgerAccount {
  return Object.hasOwn(LEDGER_ACCOUNTS, name);
}

/** A signed balance (debit +) read on the account's normal side: positive means "the account holds this". */
export function normalBalance(account: LedgerAccount, signedBalance: number): number {
  return LEDGER_ACCOUNTS[account].normalSide === 'debit' ? signedBalance : 0 - signedBalance;
}
