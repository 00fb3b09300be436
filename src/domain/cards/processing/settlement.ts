/**
 * Settlement timing and line shapes. The simulated processor settles once a day: every money
 * movement settles at the daily cut-off, the first 00:00 UTC strictly after it happened (a
 * capture at 23:59:59 settles one second later; one at 00:00:00 settles 24 hours later).
 */
import { SECONDS_PER_DAY } from '../../clock';
import type { SettlementLine } from './protocol';

export function settlementCutoffAfter(effectiveAtSeconds: number): number {
  return (Math.floor(effectiveAtSeconds / SECONDS_PER_DAY) + 1) * SECONDS_PER_DAY;
}

/** Deterministic: one reference moves money at most once per kind of line. */
export function settlementLineId(operation: SettlementLine['operation'], reference: string): string {
  return `${operation}:${reference}`;
}

export type SettlementMovement = Omit<SettlementLine, 'lineId' | 'settledAtSeconds' | 'amount'> & {
  /** Unsigned; the sign follows from the operation. */
  readonly grossAmount: number;
};

/** Signs the amount from the merchant's side: captures and failed refunds +, refunds −. */
export function settlementLine(movement: SettlementMovement): SettlementLine {
  const { grossAmount, ...rest } = movement;
  return {
    ...rest,
    lineId: settlementLineId(movement.operation, movement.reference),
    amount: movement.operation === 'refund' ? -grossAmount : grossAmount,
    settledAtSeconds: settlementCutoffAfter(movement.effectiveAtSeconds),
  };
}
