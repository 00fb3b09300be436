/**
 * Ledger balances: the pure fold of journal entries, and the merchant's view of it.
 *
 * LedgerBalances is plain JSON, canonical so it can be cached in SQLite and compared with
 * JSON.stringify against a fresh fold of the stored entries: currencies sorted, and every touched
 * currency carries all five accounts in LEDGER_ACCOUNT_NAMES order (zeros included, never -0).
 * Guarantees: applyEntry only accepts balanced, valid entries and never lets a balance leave
 * ±BALANCE_MINOR_MAX (a violation throws InvariantViolation: a bug, the DO transaction rolls back);
 * tryApplyEntry reports the bound as an expected amount_too_large instead. Σ of all accounts is 0
 * per currency after every fold, because every entry sums to 0 per currency.
 * Pure: no I/O, no clock.
 */
import { assert } from '../assert';
import { err, ok, type Result } from '../result';
import type { DomainError } from '../errors';
import { BALANCE_MINOR_MAX } from '../limits';
import { isCurrencyCode, type CurrencyCode } from '../money/currency';
import { formatMinorWithCode, isBoundedMinor, type MinorUnits } from '../money/minor-units';
import { LEDGER_ACCOUNT_NAMES, type LedgerAccount } from './accounts';
import { assertValidEntry, type JournalEntry } from './entries';

/** Signed (debit +) balance of each ledger account in one currency. */
export type AccountBalances = { readonly [A in LedgerAccount]: MinorUnits };

/** Per touched currency, every account's signed balance. Plain JSON. */
export type LedgerBalances = { readonly [C in CurrencyCode]?: AccountBalances };

/** What the merchant is owed, in merchant terms (positive = owed to the merchant). */
export interface MerchantBalance {
  readonly currency: CurrencyCode;
  readonly available: MinorUnits;
  readonly pending: MinorUnits;
}

export const EMPTY_LEDGER_BALANCES: LedgerBalances = {};

function zeroAccounts(): Record<LedgerAccount, MinorUnits> {
  const zeros = {} as Record<LedgerAccount, MinorUnits>;
  for (const name of LEDGER_ACCOUNT_NAMES) zeros[name] = 0;
  return zeros;
}

type Working = Map<CurrencyCode, Record<LedgerAccount, MinorUnits>>;

/** Adds the entry's postings to `working` (seeded from `base` on first touch); no bound checks. */
function addPostings(base: LedgerBalances, working: Working, entry: JournalEntry): Working {
  for (const posting of entry.postings) {
    let accounts = working.get(posting.currency);
    if (accounts === undefined) {
      accounts = { ...zeroAccounts(), ...base[posting.currency] };
      working.set(posting.currency, accounts);
    }
    accounts[posting.account] += posting.amountMinor;
  }
  return working;
}

function withTouched(balances: LedgerBalances, touched: Working): LedgerBalances {
  const merged: Partial<Record<CurrencyCode, AccountBalances>> = { ...balances };
  for (const [currency, accounts] of touched) merged[currency] = accounts;
  const canonical: Partial<Record<CurrencyCode, AccountBalances>> = {};
  for (const currency of (Object.keys(merged) as CurrencyCode[]).sort()) {
    const accounts = merged[currency];
    assert(accounts !== undefined, 'currency key without balances');
    const ordered = zeroAccounts();
    for (const name of LEDGER_ACCOUNT_NAMES) ordered[name] = accounts[name] + 0;
    canonical[currency] = ordered;
  }
  return canonical;
}

function firstOutOfBounds(touched: Working): [CurrencyCode, LedgerAccount, number] | null {
  for (const [currency, accounts] of touched) {
    for (const name of LEDGER_ACCOUNT_NAMES) if (!isBoundedMinor(accounts[name])) return [currency, name, accounts[name]];
  }
  return null;
}

/** Folds one entry in. Throws InvariantViolation for an invalid entry or a breached bound. */
export function applyEntry(balances: LedgerBalances, entry: JournalEntry): LedgerBalances {
  return foldEntries([entry], balances);
}

/**
 * As applyEntry, but a balance that would leave ±BALANCE_MINOR_MAX is an expected
 * amount_too_large (nothing is written), so a DO can refuse the request with a 400.
 */
export function tryApplyEntry(balances: LedgerBalances, entry: JournalEntry, param = 'amount'): Result<LedgerBalances, DomainError> {
  assertValidEntry(entry);
  const touched = addPostings(balances, new Map(), entry);
  const breach = firstOutOfBounds(touched);
  if (breach !== null) {
    const [currency] = breach;
    return err({
      reason: 'amount_too_large',
      param,
      message: `This amount would take the ${currency} balance beyond ${formatMinorWithCode(BALANCE_MINOR_MAX, currency)}, the most an account can hold.`,
    });
  }
  return ok(withTouched(balances, touched));
}

/**
 * Folds entries in order onto `start` (the rebuild-from-log path: one canonicalisation at the
 * end, so a long journal folds in linear time). Bounds are checked after every entry.
 */
export function foldEntries(entries: readonly JournalEntry[], start: LedgerBalances = EMPTY_LEDGER_BALANCES): LedgerBalances {
  const working: Working = new Map();
  for (const entry of entries) {
    assertValidEntry(entry);
    addPostings(start, working, entry);
    const breach = firstOutOfBounds(working);
    assert(breach === null, `ledger balance out of bounds after ${entry.kind}: ${JSON.stringify(breach)}`);
  }
  return working.size === 0 ? start : withTouched(start, working);
}

/** The merchant's available and pending in `currency` (0/0 if never touched). */
export function merchantBalances(balances: LedgerBalances, currency: CurrencyCode): MerchantBalance {
  const accounts = balances[currency];
  if (accounts === undefined) return { currency, available: 0, pending: 0 };
  return { currency, available: 0 - accounts.merchant_available, pending: 0 - accounts.merchant_pending };
}

/** merchantBalances for every touched currency, sorted by code (input for the Balance object). */
export function allMerchantBalances(balances: LedgerBalances): MerchantBalance[] {
  return (Object.keys(balances) as CurrencyCode[]).sort().map((currency) => merchantBalances(balances, currency));
}

/** Σ of all accounts in `currency`; 0 for any fold of balanced entries (the trial balance). */
export function trialBalance(balances: LedgerBalances, currency: CurrencyCode): MinorUnits {
  const accounts = balances[currency];
  if (accounts === undefined) return 0;
  let total = 0;
  for (const name of LEDGER_ACCOUNT_NAMES) total += accounts[name];
  assert(Number.isSafeInteger(total), `trial balance of ${currency} is not a safe integer`);
  return total + 0;
}

/**
 * Checks a value read back from storage (e.g. a cached JSON column) has the LedgerBalances shape:
 * known currencies, all five accounts, bounded safe integers. Anything else is corruption: throws.
 */
export function assertLedgerBalances(value: unknown): asserts value is LedgerBalances {
  assert(typeof value === 'object' && value !== null && !Array.isArray(value), 'ledger balances must be an object');
  for (const [currency, accounts] of Object.entries(value)) {
    assert(isCurrencyCode(currency), `unknown currency in ledger balances: ${currency}`);
    assert(typeof accounts === 'object' && accounts !== null, `balances for ${currency} must be an object`);
    const names = Object.keys(accounts);
    assert(names.length === LEDGER_ACCOUNT_NAMES.length, `balances for ${currency} must list every account`);
    for (const name of LEDGER_ACCOUNT_NAMES) {
      const amount: unknown = (accounts as Record<string, unknown>)[name];
      assert(typeof amount === 'number' && isBoundedMinor(amount), `bad ${currency}.${name} balance: ${String(amount)}`);
    }
  }
}
