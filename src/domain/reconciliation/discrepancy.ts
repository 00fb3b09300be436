/**
 * What reconciliation compares and what it reports. Three records exist for every money movement:
 * the account DO's ledger (the source of truth), its D1 copy, and the processor's settlement.
 *
 * External classes (ledger ↔ processor) are money discrepancies: never corrected automatically,
 * recorded `open` for a person (a correction is a new adjusting entry). Internal classes (DO ↔
 * D1) are drift in the copy: repaired by re-projecting from the DO and recorded `repaired`;
 * `ledger_out_of_balance` (cached balances ≠ fold of the entries, or Σ ≠ 0) stays `open`.
 * Pure types and keys.
 */
import type { SettlementLine } from '../cards/processing/protocol';

export const EXTERNAL_CLASSES = [
  'missing_in_ledger',
  'missing_at_processor',
  'amount',
  'currency',
  'fee',
  'status',
  'duplicate',
  'late',
] as const;
export const INTERNAL_CLASSES = ['d1_missing', 'd1_mismatch', 'd1_extra', 'ledger_out_of_balance'] as const;
export const DISCREPANCY_CLASSES = [...EXTERNAL_CLASSES, ...INTERNAL_CLASSES] as const;
export type DiscrepancyClass = (typeof DISCREPANCY_CLASSES)[number];

export const DISCREPANCY_STATUSES = ['open', 'repaired', 'resolved'] as const;
export type DiscrepancyStatus = (typeof DISCREPANCY_STATUSES)[number];

export type SettlementOperation = SettlementLine['operation'];

/**
 * One of our money movements that the processor should settle: a charge's capture, a refund, or a
 * refund's failure, read from its balance transaction. `amount` is signed as the processor signs
 * its lines (captures and refund failures +, refunds −).
 */
export interface LedgerMovement {
  /** The charge or refund (`ch_…`, `re_…`). */
  readonly objectId: string;
  readonly operation: SettlementOperation;
  /** The reference we gave the processor (`ch_…:authorize`, `ch_…:capture`, `re_…:refund`). */
  readonly reference: string;
  readonly balanceTransaction: string;
  readonly amount: number;
  readonly currency: string;
  /** Our (Stripe's) processing fee on the balance transaction. */
  readonly fee: number;
  /** The fee schedule recomputed for this movement. */
  readonly expectedFee: number;
  /** The object's status now: charges captured | authorized | failed, refunds pending | succeeded | failed | canceled. */
  readonly status: string;
  readonly occurredAtSeconds: number;
}

/** What we hold for an object a settlement line names, wherever its movements fall in time. */
export interface KnownObject {
  readonly id: string;
  readonly status: string;
  readonly movements: readonly LedgerMovement[];
}

export type DiscrepancyDetails =
  | {
      readonly kind: 'settlement';
      readonly ledger: LedgerMovement | null;
      readonly processor: readonly SettlementLine[];
      /** Set for `status` when only the object (not a movement) is known: its status now. */
      readonly objectStatus?: string;
    }
  | {
      readonly kind: 'projection';
      /** `ledger_entry`, or the object type (`charge`, `refund`, `payout`, `balance_transaction`). */
      readonly subject: string;
      readonly id: string;
      /** The fields that differ (`missing` / `extra` for a whole row). */
      readonly fields: readonly string[];
      readonly source: unknown;
      readonly copy: unknown;
    }
  | {
      readonly kind: 'balance';
      readonly currency: string;
      /** The ledger account whose cached balance differs, or null for Σ ≠ 0. */
      readonly account: string | null;
      readonly cached: number | null;
      readonly folded: number;
    };

export interface Discrepancy {
  readonly class: DiscrepancyClass;
  /** Unique within a run; with the run's id it gives the discrepancy's deterministic id. */
  readonly key: string;
  readonly status: DiscrepancyStatus;
  readonly reference: string | null;
  readonly details: DiscrepancyDetails;
}

export function movementKey(operation: SettlementOperation, objectId: string): string {
  return `${operation}:${objectId}`;
}

/** The object a settlement line is about: the id before the `:` of our reference. */
export function lineObjectId(line: Pick<SettlementLine, 'reference'>): string {
  const colon = line.reference.indexOf(':');
  return colon < 0 ? line.reference : line.reference.slice(0, colon);
}

export function lineKey(line: Pick<SettlementLine, 'reference' | 'operation'>): string {
  return movementKey(line.operation, lineObjectId(line));
}

export function isExternalClass(value: DiscrepancyClass): boolean {
  return (EXTERNAL_CLASSES as readonly string[]).includes(value);
}
