/**
 * The external check: our money movements of one window against the processor's settlement,
 * matched line by line on (operation, object id) and every mismatch classified.
 *
 *  - a movement with no line anywhere near → `missing_at_processor`;
 *  - a movement whose line settled at another cut-off (late, or early after clock skew) → `late`;
 *  - more than one line for one movement → `duplicate`;
 *  - a matched pair that disagrees → `amount`, `currency`, `fee` and/or `status`, one each;
 *  - a line in the window's settlement range with no movement of ours → `status` when we know the
 *    object but it is not in the state the line implies (say a refund the processor failed that we
 *    still hold as succeeded), else `missing_in_ledger`. A line for a movement of ANOTHER window
 *    is that window's business (it reports it as late), never reported twice.
 *
 * Fee: the processor charges no fee (the fee on our balance transactions is ours, Stripe's), so
 * `fee` means either the line carries a processor fee other than the agreed one
 * (`processorFeeExpected`, 0 for the simulator), or our balance transaction's fee differs from the
 * fee schedule recomputed for the movement. Pure; the output is sorted by key (deterministic).
 */
import type { SettlementLine } from '../cards/processing/protocol';
import { containsSeconds, type ReconciliationWindow } from './window';
import {
  lineKey,
  lineObjectId,
  movementKey,
  type Discrepancy,
  type DiscrepancyClass,
  type KnownObject,
  type LedgerMovement,
  type SettlementOperation,
} from './discrepancy';

export interface SettlementCheckInput {
  readonly window: ReconciliationWindow;
  /** Our movements that occurred in the window. */
  readonly movements: readonly LedgerMovement[];
  /** Lines settled in settlementRange(window). */
  readonly lines: readonly SettlementLine[];
  /** Lines settled in neighbourRanges(window). */
  readonly neighbourLines: readonly SettlementLine[];
  /** What we hold for the objects of the lines that match no movement (see unmatchedLineObjects). */
  readonly known: readonly KnownObject[];
  readonly processorFeeExpected: number;
}

export interface SideTotal {
  readonly count: number;
  readonly amount: number;
  readonly fee: number;
}

export interface SettlementTotals {
  readonly ledger: Readonly<Record<string, SideTotal>>;
  readonly processor: Readonly<Record<string, SideTotal>>;
}

export interface SettlementComparison {
  readonly discrepancies: readonly Discrepancy[];
  readonly totals: SettlementTotals;
}

/** Object states a settled line of each operation implies. */
const SETTLED_STATUSES: Readonly<Record<SettlementOperation, readonly string[]>> = {
  capture: ['captured'],
  refund: ['succeeded', 'failed'],
  refund_failure: ['failed'],
};

function groupLines(lines: readonly SettlementLine[]): Map<string, SettlementLine[]> {
  const groups = new Map<string, SettlementLine[]>();
  for (const line of lines) {
    const key = lineKey(line);
    const group = groups.get(key);
    if (group) group.push(line);
    else groups.set(key, [line]);
  }
  return groups;
}

/** The objects named by in-window lines that match no movement of the window: look these up. */
export function unmatchedLineObjects(movements: readonly LedgerMovement[], lines: readonly SettlementLine[]): string[] {
  const ours = new Set(movements.map((m) => movementKey(m.operation, m.objectId)));
  const ids = new Set<string>();
  for (const line of lines) if (!ours.has(lineKey(line))) ids.add(lineObjectId(line));
  return [...ids].sort();
}

function settlement(cls: DiscrepancyClass, key: string, ledger: LedgerMovement | null, processor: readonly SettlementLine[], reference: string | null): Discrepancy {
  return { class: cls, key: `${cls}:${key}`, status: 'open', reference, details: { kind: 'settlement', ledger, processor } };
}

function fieldMismatches(movement: LedgerMovement, line: SettlementLine, processorFeeExpected: number): DiscrepancyClass[] {
  const classes: DiscrepancyClass[] = [];
  if (line.amount !== movement.amount) classes.push('amount');
  if (line.currency !== movement.currency) classes.push('currency');
  if ((line.processorFee ?? 0) !== processorFeeExpected || movement.fee !== movement.expectedFee) classes.push('fee');
  if (!SETTLED_STATUSES[line.operation].includes(movement.status)) classes.push('status');
  return classes;
}

function checkMovement(movement: LedgerMovement, here: readonly SettlementLine[], near: readonly SettlementLine[], feeExpected: number): Discrepancy[] {
  const key = movementKey(movement.operation, movement.objectId);
  const all = [...here, ...near];
  if (all.length === 0) return [settlement('missing_at_processor', key, movement, [], movement.reference)];
  const found: Discrepancy[] = [];
  if (here.length === 0) found.push(settlement('late', key, movement, near, movement.reference));
  if (all.length > 1) found.push(settlement('duplicate', key, movement, all, movement.reference));
  for (const cls of fieldMismatches(movement, all[0]!, feeExpected)) found.push(settlement(cls, key, movement, [all[0]!], movement.reference));
  return found;
}

function checkUnmatchedLines(key: string, lines: readonly SettlementLine[], known: KnownObject | undefined): Discrepancy[] {
  const first = lines[0]!;
  if (known?.movements.some((m) => movementKey(m.operation, m.objectId) === key)) return [];
  if (known === undefined) return [settlement('missing_in_ledger', key, null, lines, first.reference)];
  const discrepancy = settlement('status', key, null, lines, first.reference);
  return [{ ...discrepancy, details: { kind: 'settlement', ledger: null, processor: lines, objectStatus: known.status } }];
}

function addTotal(totals: Record<string, SideTotal>, currency: string, amount: number, fee: number): void {
  const current = totals[currency] ?? { count: 0, amount: 0, fee: 0 };
  totals[currency] = { count: current.count + 1, amount: current.amount + amount, fee: current.fee + fee };
}

export function settlementTotals(movements: readonly LedgerMovement[], lines: readonly SettlementLine[]): SettlementTotals {
  const ledger: Record<string, SideTotal> = {};
  const processor: Record<string, SideTotal> = {};
  for (const m of movements) addTotal(ledger, m.currency, m.amount, m.fee);
  for (const line of lines) addTotal(processor, line.currency, line.amount, line.processorFee ?? 0);
  return { ledger, processor };
}

export function compareSettlement(input: SettlementCheckInput): SettlementComparison {
  const movements = input.movements.filter((m) => containsSeconds(input.window, m.occurredAtSeconds));
  const here = groupLines(input.lines);
  const near = groupLines(input.neighbourLines);
  const known = new Map(input.known.map((k) => [k.id, k]));
  const ours = new Set<string>();
  const found: Discrepancy[] = [];
  for (const movement of movements) {
    const key = movementKey(movement.operation, movement.objectId);
    ours.add(key);
    found.push(...checkMovement(movement, here.get(key) ?? [], near.get(key) ?? [], input.processorFeeExpected));
  }
  for (const [key, lines] of here) {
    if (!ours.has(key)) found.push(...checkUnmatchedLines(key, lines, known.get(lineObjectId(lines[0]!))));
  }
  const unique = new Map(found.map((d) => [d.key, d]));
  const discrepancies = [...unique.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return { discrepancies, totals: settlementTotals(movements, input.lines) };
}
