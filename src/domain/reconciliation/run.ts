/** A reconciliation run and its recorded discrepancies, as stored in D1 and rendered on the wire. */
import type { SettlementTotals } from './compare';
import type { Discrepancy, DiscrepancyClass } from './discrepancy';
import type { ReconciliationWindow } from './window';

export const RUN_STATUSES = ['queued', 'running', 'completed', 'failed'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

/** How much each check looked at (the last pass). */
export interface RunChecks {
  readonly ledgerEntries: number;
  readonly moneyObjects: number;
  readonly movements: number;
  readonly settlementLines: number;
  /** Queue messages the last pass took (more than one when it continued in a new message). */
  readonly messages: number;
}

export const EMPTY_RUN_CHECKS: RunChecks = { ledgerEntries: 0, moneyObjects: 0, movements: 0, settlementLines: 0, messages: 0 };

export interface ReconciliationRun {
  readonly id: string;
  readonly accountId: string;
  readonly livemode: boolean;
  readonly window: ReconciliationWindow;
  readonly status: RunStatus;
  /** How many times the window was reconciled (reruns update the same run). */
  readonly passes: number;
  readonly counts: Readonly<Partial<Record<DiscrepancyClass, number>>>;
  readonly totals: SettlementTotals | null;
  readonly checks: RunChecks;
  readonly failure: string | null;
  readonly created: number;
  readonly startedAt: number | null;
  readonly completedAt: number | null;
}

/** How a person closed a discrepancy: a note, and for money, the adjusting entry they booked. */
export interface Resolution {
  readonly note: string | null;
  readonly adjustment: { readonly balanceTransaction: string; readonly amount: number; readonly currency: string } | null;
  readonly resolvedAt: number;
}

export interface RecordedDiscrepancy extends Discrepancy {
  readonly id: string;
  readonly runId: string;
  readonly livemode: boolean;
  readonly created: number;
  readonly resolution?: Resolution | null;
}
