/**
 * The internal check: the account DO (source) against its D1 copy, a page at a time, and the
 * ledger audit (cached balances against the fold of every entry, Σ = 0 per currency).
 *
 * Pages are merge-joined on a key both sides order the same way (ledger `seq`, object `id`):
 * each side reads up to N rows after the cursor; rows up to the lower of the two last keys of
 * FULL pages are compared now, the rest on the next page, so a row missing on one side can never
 * be mistaken for one beyond the page. Rows the DO still has in its outbox (not yet drained to
 * D1) are in flight, not drift, and are skipped. Pure.
 */
import type { LedgerBalances } from '../ledger/balances';
import { LEDGER_ACCOUNT_NAMES } from '../ledger/accounts';
import type { Discrepancy } from './discrepancy';

/** The objects whose D1 copies the internal check verifies: everything that moves money. */
export const MONEY_OBJECT_TYPES = ['balance_transaction', 'charge', 'payout', 'refund'] as const;
export type MoneyObjectType = (typeof MONEY_OBJECT_TYPES)[number];

export interface LedgerEntryRow {
  readonly seq: number;
  readonly journalId: string;
  readonly kind: string;
  readonly account: string;
  readonly currency: string;
  readonly amount: number;
  readonly source: string;
  readonly created: number;
}

/** The fields reconciliation compares on a money object (charge, refund, payout, balance transaction). */
export interface MoneyObjectRow {
  readonly id: string;
  readonly type: string;
  readonly version: number;
  readonly deleted: boolean;
  readonly amount: number | null;
  readonly currency: string | null;
  readonly status: string | null;
}

export interface Page<R> {
  readonly rows: readonly R[];
  /** The page holds the maximum number of rows: more may follow. */
  readonly full: boolean;
}

export interface RowDiff<R> {
  readonly missing: readonly R[];
  readonly mismatched: ReadonlyArray<{ readonly source: R; readonly copy: R; readonly fields: readonly string[] }>;
  readonly extra: readonly R[];
}

export interface PageComparison<R, K> extends RowDiff<R> {
  /** Rows with keys up to this were compared; null means both sides are exhausted. */
  readonly through: K | null;
  readonly compared: number;
}

function boundary<R, K>(source: Page<R>, copy: Page<R>, keyOf: (row: R) => K): K | null {
  const ends = [source, copy].filter((p) => p.full && p.rows.length > 0).map((p) => keyOf(p.rows[p.rows.length - 1]!));
  if (ends.length === 0) return null;
  return ends.reduce((a, b) => (b < a ? b : a));
}

/**
 * Compares one page of each side. `fieldsOf` names the fields that differ; `inFlight` marks source
 * keys still waiting in the DO's outbox (skipped on both sides).
 */
export function comparePage<R, K extends number | string>(
  source: Page<R>,
  copy: Page<R>,
  options: { keyOf: (row: R) => K; fieldsOf: (source: R, copy: R) => string[]; inFlight: (key: K) => boolean },
): PageComparison<R, K> {
  const through = boundary(source, copy, options.keyOf);
  const within = (row: R) => through === null || options.keyOf(row) <= through;
  const copies = new Map(copy.rows.filter(within).map((row) => [options.keyOf(row), row]));
  const missing: R[] = [];
  const mismatched: Array<{ source: R; copy: R; fields: string[] }> = [];
  let compared = 0;
  for (const row of source.rows.filter(within)) {
    const key = options.keyOf(row);
    const other = copies.get(key);
    copies.delete(key);
    compared += 1;
    if (options.inFlight(key)) continue;
    if (other === undefined) missing.push(row);
    else {
      const fields = options.fieldsOf(row, other);
      if (fields.length > 0) mismatched.push({ source: row, copy: other, fields });
    }
  }
  const extra = [...copies.values()].filter((row) => !options.inFlight(options.keyOf(row)));
  return { through, compared, missing, mismatched, extra };
}

function differingFields<R extends object>(names: readonly (keyof R & string)[]) {
  return (a: R, b: R): string[] => names.filter((name) => a[name] !== b[name]);
}

export const ledgerEntryFields = differingFields<LedgerEntryRow>(['journalId', 'kind', 'account', 'currency', 'amount', 'source', 'created']);
export const moneyObjectFields = differingFields<MoneyObjectRow>(['type', 'version', 'deleted', 'amount', 'currency', 'status']);

type DriftClass = 'd1_missing' | 'd1_mismatch' | 'd1_extra';

/** D1 drift, repaired by re-projecting from the DO: recorded as `repaired`. */
export function driftDiscrepancy(cls: DriftClass, subject: string, id: string, fields: readonly string[], source: unknown, copy: unknown): Discrepancy {
  return {
    class: cls,
    key: `${cls}:${subject}:${id}`,
    status: 'repaired',
    reference: null,
    details: { kind: 'projection', subject, id, fields, source, copy },
  };
}

export function driftDiscrepancies<R, K>(diff: RowDiff<R>, subjectOf: (row: R) => string, idOf: (row: R) => K): Discrepancy[] {
  const id = (row: R) => String(idOf(row));
  return [
    ...diff.missing.map((row) => driftDiscrepancy('d1_missing', subjectOf(row), id(row), ['missing'], row, null)),
    ...diff.mismatched.map((m) => driftDiscrepancy('d1_mismatch', subjectOf(m.source), id(m.source), m.fields, m.source, m.copy)),
    ...diff.extra.map((row) => driftDiscrepancy('d1_extra', subjectOf(row), id(row), ['extra'], null, row)),
  ];
}

// ── ledger audit ───────────────────────────────────────────────────────────────

/** Σ of the entries so far, per currency and ledger account (plain JSON: it travels in messages). */
export type RunningFold = Readonly<Record<string, Readonly<Record<string, number>>>>;

export function foldRows(fold: RunningFold, rows: readonly LedgerEntryRow[]): RunningFold {
  const next: Record<string, Record<string, number>> = {};
  for (const [currency, accounts] of Object.entries(fold)) next[currency] = { ...accounts };
  for (const row of rows) {
    const accounts = (next[row.currency] ??= {});
    accounts[row.account] = (accounts[row.account] ?? 0) + row.amount;
  }
  return next;
}

function balanceDiscrepancy(currency: string, account: string | null, cached: number | null, folded: number): Discrepancy {
  return {
    class: 'ledger_out_of_balance',
    key: `ledger_out_of_balance:${currency}:${account ?? 'total'}`,
    status: 'open',
    reference: null,
    details: { kind: 'balance', currency, account, cached, folded },
  };
}

/** Cached balances must equal the fold of all entries, and every currency must sum to zero. */
export function auditBalances(fold: RunningFold, cached: LedgerBalances): Discrepancy[] {
  const cachedByCurrency = cached as Readonly<Record<string, Readonly<Record<string, number>> | undefined>>;
  const currencies = [...new Set([...Object.keys(fold), ...Object.keys(cachedByCurrency)])].sort();
  const found: Discrepancy[] = [];
  for (const currency of currencies) {
    const folded = fold[currency] ?? {};
    const stored = cachedByCurrency[currency];
    const accounts = [...new Set([...LEDGER_ACCOUNT_NAMES, ...Object.keys(folded)])];
    for (const account of accounts) {
      const want = folded[account] ?? 0;
      const have = stored?.[account] ?? 0;
      if (want !== have) found.push(balanceDiscrepancy(currency, account, stored === undefined ? null : have, want));
    }
    const total = Object.values(folded).reduce((sum, amount) => sum + amount, 0);
    if (total !== 0) found.push(balanceDiscrepancy(currency, null, null, total));
  }
  return found;
}
