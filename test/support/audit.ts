/**
 * The money auditor (RELIABILITY.md I1, I2, I4, I12) for one merchant account: reads the account
 * DO's SQLite directly (one synchronous snapshot inside `runInDurableObject`) and checks
 *  - every journal sums to 0 per currency, has ≥ 2 non-zero postings and one kind;
 *  - the cached `ledger_balances` equal `foldEntries` over all stored entries AND an independent
 *    per-(currency, account) sum of the rows; Σ of all accounts is 0 per currency;
 *  - replayed in commit (seq) order, available is ≥ 0 right after every payout (refunds may
 *    overdraw available by design; payouts never may);
 *  - merchant available/pending equal Σ net of available/pending balance transactions, and equal
 *    `GET /v1/balance` (read after the snapshot: call the auditor when the account is quiet);
 *  - processor_funds = Σ captured − Σ live refunds − Σ paid payouts; fee_revenue = −Σ charge fees;
 *    payouts_in_transit = −Σ pending/in-transit payouts;
 *  - per charge: 0 ≤ amount_refunded ≤ amount_captured ≤ amount, reservations ≥ 0 (= 0 when quiet),
 *    a captured charge has its balance transaction, amount_refunded = Σ live refunds;
 *  - no card number (a 13–19-digit Luhn-valid run, or any number the test passes in) and no `cvc`
 *    field anywhere in the DO's tables.
 * Violations are collected and thrown together, so one failure shows everything that is off.
 */
import { env, runInDurableObject } from 'cloudflare:test';
import { foldEntries, merchantBalances, type LedgerBalances } from '../../src/domain/ledger/balances';
import type { JournalEntry } from '../../src/domain/ledger/entries';
import type { LedgerAccount } from '../../src/domain/ledger/accounts';
import type { CurrencyCode } from '../../src/domain/money/currency';
import { scanTables } from './card-data';
import { directApi as api } from './http';

export interface AuditAccount {
  readonly accountId: string;
  readonly key: string;
}

export interface AuditOptions {
  /** No request is in flight: refund reservations must all be released. Default true. */
  readonly quiet?: boolean;
  /** Card numbers the test used; none may appear anywhere, even inside a longer run. */
  readonly cardNumbers?: readonly string[];
}

export interface CurrencyTotals {
  readonly available: number;
  readonly pending: number;
}

/** What the auditor saw, for tests that compare it with their own model. */
export interface AuditSnapshot {
  readonly balances: Readonly<Record<string, CurrencyTotals>>;
  readonly charges: readonly AuditCharge[];
  readonly refunds: readonly { readonly id: string; readonly amount: number; readonly status: string; readonly charge: string }[];
  readonly journals: number;
  readonly balanceTransactions: readonly AuditBalanceTransaction[];
}

export interface AuditCharge {
  readonly id: string;
  readonly amount: number;
  readonly amountCaptured: number;
  readonly amountRefunded: number;
  readonly amountRefundReserved: number;
  readonly currency: string;
  readonly captured: boolean;
  readonly status: string;
  readonly balanceTransaction: string | null;
  readonly paymentIntent: string | null;
}

/** A stored balance transaction (domain shape), in the order the account committed them. */
export interface AuditBalanceTransaction {
  readonly id: string;
  readonly amount: number;
  readonly fee: number;
  readonly net: number;
  readonly currency: string;
  readonly type: string;
  readonly status: string;
  readonly sourceId: string;
}

type Bt = AuditBalanceTransaction;
type LedgerRow = { seq: number; journal_id: string; kind: string; account: string; currency: string; amount: number; source: string };
type RefundData = { id: string; amount: number; currency: string; charge: string; status: string; balanceTransaction: string | null; failureBalanceTransaction: string | null };
type PayoutData = { id: string; amount: number; currency: string; status: string };

interface Dump {
  rows: LedgerRow[];
  cached: string | null;
  objects: Record<string, unknown[]>;
  tables: Record<string, unknown[][]>;
}

const AUDITED_TYPES = ['charge', 'refund', 'balance_transaction', 'payout'] as const;

function dump(accountId: string): Promise<Dump> {
  const stub = env.MERCHANT_ACCOUNT.getByName(`${accountId}:test`);
  return runInDurableObject(stub, (_instance, state) => {
    const sql = state.storage.sql;
    const rows = sql.exec<LedgerRow & Record<string, SqlStorageValue>>('SELECT * FROM ledger_entries ORDER BY seq').toArray();
    const cached = sql.exec<{ data: string }>('SELECT data FROM ledger_balances WHERE id = 1').toArray()[0]?.data ?? null;
    const objects: Record<string, unknown[]> = {};
    for (const type of AUDITED_TYPES) {
      objects[type] = sql.exec<{ data: string }>('SELECT data FROM objects WHERE type = ? ORDER BY seq', type).toArray().map((r) => JSON.parse(r.data) as unknown);
    }
    const tables: Record<string, unknown[][]> = {};
    const names = sql
      .exec<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '\\_cf\\_%' ESCAPE '\\' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'")
      .toArray()
      .map((r) => r.name);
    for (const name of names) tables[name] = [...sql.exec(`SELECT * FROM "${name}"`).raw()] as unknown[][];
    return { rows, cached, objects, tables };
  });
}

// ── Ledger ──────────────────────────────────────────────────────────────────

function journalsOf(rows: readonly LedgerRow[]): Map<string, LedgerRow[]> {
  const journals = new Map<string, LedgerRow[]>();
  for (const row of rows) {
    const list = journals.get(row.journal_id) ?? [];
    list.push(row);
    journals.set(row.journal_id, list);
  }
  return journals;
}

function checkJournals(journals: Map<string, LedgerRow[]>, problems: string[]): JournalEntry[] {
  const entries: JournalEntry[] = [];
  for (const [id, postings] of journals) {
    const sums = new Map<string, number>();
    for (const p of postings) {
      if (!Number.isSafeInteger(p.amount) || p.amount === 0) problems.push(`journal ${id} has a bad posting ${p.amount}`);
      sums.set(p.currency, (sums.get(p.currency) ?? 0) + p.amount);
    }
    for (const [currency, sum] of sums) if (sum !== 0) problems.push(`journal ${id} sums to ${sum} ${currency}`);
    if (postings.length < 2) problems.push(`journal ${id} has ${postings.length} posting(s)`);
    if (new Set(postings.map((p) => p.kind)).size !== 1) problems.push(`journal ${id} mixes kinds`);
    entries.push({
      kind: postings[0]!.kind as JournalEntry['kind'],
      postings: postings.map((p) => ({ account: p.account as LedgerAccount, currency: p.currency as CurrencyCode, amountMinor: p.amount })),
    });
  }
  return entries;
}

/** Σ amount per `currency` / `account`, straight from the rows. */
function rowSums(rows: readonly LedgerRow[]): Map<string, number> {
  const sums = new Map<string, number>();
  for (const r of rows) sums.set(`${r.currency}/${r.account}`, (sums.get(`${r.currency}/${r.account}`) ?? 0) + r.amount);
  return sums;
}

function checkLedger(d: Dump, problems: string[]): LedgerBalances {
  const entries = checkJournals(journalsOf(d.rows), problems);
  let folded: LedgerBalances = {};
  try {
    folded = foldEntries(entries);
  } catch (e) {
    problems.push(`foldEntries refused the stored journal: ${(e as Error).message}`);
  }
  const cached = (d.cached === null ? {} : JSON.parse(d.cached)) as LedgerBalances;
  if (JSON.stringify(cached) !== JSON.stringify(folded)) problems.push(`cached balances ${d.cached} ≠ fold of entries ${JSON.stringify(folded)}`);
  const sums = rowSums(d.rows);
  for (const [currency, accounts] of Object.entries(cached)) {
    let total = 0;
    for (const [account, value] of Object.entries(accounts as Record<string, number>)) {
      total += value;
      if ((sums.get(`${currency}/${account}`) ?? 0) !== value) problems.push(`cached ${currency}/${account} = ${value}, rows sum to ${sums.get(`${currency}/${account}`) ?? 0}`);
    }
    if (total !== 0) problems.push(`trial balance of ${currency} is ${total}`);
  }
  for (const key of sums.keys()) if (!(key.split('/')[0]! in cached)) problems.push(`entries in ${key} missing from the cached balances`);
  checkPayoutsCovered(d.rows, problems);
  return cached;
}

/** Available per currency after each journal, in seq order: never below 0 once a payout is posted. */
function checkPayoutsCovered(rows: readonly LedgerRow[], problems: string[]): void {
  const available = new Map<string, number>();
  rows.forEach((row, i) => {
    if (row.account === 'merchant_available') available.set(row.currency, (available.get(row.currency) ?? 0) - row.amount);
    const lastOfJournal = rows[i + 1]?.journal_id !== row.journal_id;
    if (lastOfJournal && row.kind === 'payout' && (available.get(row.currency) ?? 0) < 0) {
      problems.push(`payout journal ${row.journal_id} (${row.source}) took ${row.currency} available to ${available.get(row.currency)}`);
    }
  });
}

// ── Objects against the ledger ──────────────────────────────────────────────

function add(map: Map<string, number>, key: string, value: number): void {
  map.set(key, (map.get(key) ?? 0) + value);
}

function checkCharges(charges: AuditCharge[], refunds: RefundData[], bts: Map<string, Bt>, quiet: boolean, problems: string[]): void {
  const liveRefunds = new Map<string, number>();
  for (const r of refunds) {
    if (r.status === 'pending' || r.status === 'succeeded') add(liveRefunds, r.charge, r.amount);
    const bt = r.balanceTransaction === null ? undefined : bts.get(r.balanceTransaction);
    if (!bt || bt.amount !== -r.amount || bt.type !== 'refund') problems.push(`refund ${r.id} lacks its −${r.amount} refund balance transaction`);
    if (r.status === 'failed') {
      const back = r.failureBalanceTransaction === null ? undefined : bts.get(r.failureBalanceTransaction);
      if (!back || back.amount !== r.amount) problems.push(`failed refund ${r.id} lacks its +${r.amount} refund_failure balance transaction`);
    }
  }
  for (const c of charges) {
    const where = `charge ${c.id}`;
    if (!(c.amountRefunded >= 0 && c.amountRefunded <= c.amountCaptured && c.amountCaptured <= c.amount)) {
      problems.push(`${where}: refunded ${c.amountRefunded} / captured ${c.amountCaptured} / amount ${c.amount} out of order`);
    }
    if (c.amountRefundReserved < 0 || (quiet && c.amountRefundReserved !== 0)) problems.push(`${where}: refund reservation ${c.amountRefundReserved}`);
    if (c.amountRefunded + c.amountRefundReserved > c.amountCaptured) problems.push(`${where}: refunded + reserved exceeds captured`);
    if ((liveRefunds.get(c.id) ?? 0) !== c.amountRefunded) problems.push(`${where}: amount_refunded ${c.amountRefunded} ≠ Σ live refunds ${liveRefunds.get(c.id) ?? 0}`);
    if (c.captured) {
      const bt = c.balanceTransaction === null ? undefined : bts.get(c.balanceTransaction);
      if (!bt || bt.amount !== c.amountCaptured || bt.sourceId !== c.id) problems.push(`${where}: captured without a matching balance transaction`);
    } else if (c.amountCaptured !== 0 || c.balanceTransaction !== null) {
      problems.push(`${where}: uncaptured yet captured ${c.amountCaptured} with ${c.balanceTransaction}`);
    }
    if (c.status === 'failed' && c.captured) problems.push(`${where}: failed but captured`);
  }
}

function checkBalanceTransactions(bts: Bt[], cached: LedgerBalances, problems: string[]): Record<string, CurrencyTotals> {
  const available = new Map<string, number>();
  const pending = new Map<string, number>();
  for (const bt of bts) {
    if (bt.net !== bt.amount - bt.fee) problems.push(`balance transaction ${bt.id}: net ${bt.net} ≠ ${bt.amount} − ${bt.fee}`);
    if (bt.fee < 0) problems.push(`balance transaction ${bt.id}: negative fee`);
    add(bt.status === 'pending' ? pending : available, bt.currency, bt.net);
  }
  const totals: Record<string, CurrencyTotals> = {};
  for (const currency of new Set([...Object.keys(cached), ...available.keys(), ...pending.keys()])) {
    const ledger = merchantBalances(cached, currency as CurrencyCode);
    const fromBts = { available: available.get(currency) ?? 0, pending: pending.get(currency) ?? 0 };
    if (ledger.available !== fromBts.available || ledger.pending !== fromBts.pending) {
      problems.push(`${currency}: ledger available/pending ${ledger.available}/${ledger.pending} ≠ balance transactions ${fromBts.available}/${fromBts.pending}`);
    }
    totals[currency] = { available: ledger.available, pending: ledger.pending };
  }
  return totals;
}

function checkClearingAccounts(d: Dump, charges: AuditCharge[], refunds: RefundData[], bts: Bt[], problems: string[]): void {
  const funds = new Map<string, number>();
  const fees = new Map<string, number>();
  const inTransit = new Map<string, number>();
  for (const c of charges) add(funds, c.currency, c.amountCaptured);
  for (const r of refunds) if (r.status === 'pending' || r.status === 'succeeded') add(funds, r.currency, -r.amount);
  for (const p of d.objects['payout'] as PayoutData[]) {
    if (p.status === 'paid') add(funds, p.currency, -p.amount);
    if (p.status === 'pending' || p.status === 'in_transit') add(inTransit, p.currency, -p.amount);
  }
  for (const bt of bts) if (bt.type === 'charge' || bt.type === 'payment') add(fees, bt.currency, -bt.fee);
  const cached = (d.cached === null ? {} : JSON.parse(d.cached)) as Record<string, Record<string, number>>;
  for (const currency of new Set([...Object.keys(cached), ...funds.keys()])) {
    const accounts = cached[currency] ?? {};
    const expect = (account: string, value: number) => {
      if ((accounts[account] ?? 0) !== value) problems.push(`${currency}/${account} is ${accounts[account] ?? 0}, objects say ${value}`);
    };
    expect('processor_funds', funds.get(currency) ?? 0);
    expect('fee_revenue', fees.get(currency) ?? 0);
    expect('payouts_in_transit', inTransit.get(currency) ?? 0);
  }
}

async function checkBalanceEndpoint(account: AuditAccount, totals: Record<string, CurrencyTotals>, problems: string[]): Promise<void> {
  const response = await api('GET', '/v1/balance', { key: account.key });
  if (response.status !== 200) {
    problems.push(`GET /v1/balance answered ${response.status}`);
    return;
  }
  const body = (await response.json()) as { available: { amount: number; currency: string }[]; pending: { amount: number; currency: string }[] };
  const wire = new Map<string, CurrencyTotals>();
  for (const row of body.available) wire.set(row.currency, { available: row.amount, pending: wire.get(row.currency)?.pending ?? 0 });
  for (const row of body.pending) wire.set(row.currency, { available: wire.get(row.currency)?.available ?? 0, pending: row.amount });
  for (const currency of new Set([...wire.keys(), ...Object.keys(totals)])) {
    const a = wire.get(currency) ?? { available: 0, pending: 0 };
    const b = totals[currency] ?? { available: 0, pending: 0 };
    if (a.available !== b.available || a.pending !== b.pending) problems.push(`GET /v1/balance ${currency} ${a.available}/${a.pending} ≠ ledger ${b.available}/${b.pending}`);
  }
}

/** Audits one account; throws listing every violation, else returns what it saw. */
export async function auditAccount(account: AuditAccount, options: AuditOptions = {}): Promise<AuditSnapshot> {
  const d = await dump(account.accountId);
  const problems: string[] = [];
  const cached = checkLedger(d, problems);
  const bts = d.objects['balance_transaction'] as Bt[];
  const btById = new Map(bts.map((bt) => [bt.id, bt]));
  const charges = d.objects['charge'] as AuditCharge[];
  const refunds = d.objects['refund'] as RefundData[];
  checkCharges(charges, refunds, btById, options.quiet ?? true, problems);
  const totals = checkBalanceTransactions(bts, cached, problems);
  checkClearingAccounts(d, charges, refunds, bts, problems);
  problems.push(...scanTables(d.tables, options.cardNumbers ?? []));
  await checkBalanceEndpoint(account, totals, problems);
  if (problems.length > 0) throw new Error(`audit of ${account.accountId} failed:\n  ${problems.slice(0, 40).join('\n  ')}`);
  return { balances: totals, charges, refunds, journals: new Set(d.rows.map((r) => r.journal_id)).size, balanceTransactions: bts };
}
