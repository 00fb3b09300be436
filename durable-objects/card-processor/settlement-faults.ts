/**
 * Test-only faults in the processor's settlement, for reconciliation tests: they rewrite the
 * stored settlement lines of one reference (optionally one operation) in place, so every later
 * report shows the fault. Called only through CardProcessor.alterSettlementForTest, which refuses
 * outside ENVIRONMENT=test.
 */
import { SECONDS_PER_DAY } from '../../src/domain/clock';
import type { SettlementLine } from '../../src/domain/cards/processing/protocol';

interface LineTarget {
  /** Our reference on the line (`ch_…:authorize`, `re_…:refund`). */
  readonly reference: string;
  /** Only lines of this operation (default: every line of the reference). */
  readonly operation?: SettlementLine['operation'];
}

export type SettlementFault =
  | (LineTarget & { readonly kind: 'drop' })
  | (LineTarget & { readonly kind: 'duplicate' })
  | (LineTarget & {
      readonly kind: 'alter';
      readonly amount?: number;
      readonly currency?: string;
      readonly processorFee?: number;
      /** Report the line as another operation (a status disagreement). */
      readonly asOperation?: SettlementLine['operation'];
    })
  /** Settle at a later daily cut-off. */
  | (LineTarget & { readonly kind: 'late'; readonly days: number });

function where(target: LineTarget): [string, SqlStorageValue[]] {
  return target.operation === undefined
    ? ['reference = ?', [target.reference]]
    : ['reference = ? AND operation = ?', [target.reference, target.operation]];
}

function alterations(fault: Extract<SettlementFault, { kind: 'alter' }>): [string, SqlStorageValue][] {
  const set: [string, SqlStorageValue][] = [];
  if (fault.amount !== undefined) set.push(['amount', fault.amount]);
  if (fault.currency !== undefined) set.push(['currency', fault.currency]);
  if (fault.processorFee !== undefined) set.push(['processor_fee', fault.processorFee]);
  if (fault.asOperation !== undefined) set.push(['operation', fault.asOperation]);
  return set;
}

/** Applies the fault; returns how many stored lines it changed (or added). */
export function applySettlementFault(sql: SqlStorage, fault: SettlementFault): number {
  const [condition, bindings] = where(fault);
  switch (fault.kind) {
    case 'drop':
      return sql.exec(`DELETE FROM settlement_lines WHERE ${condition} RETURNING line_id`, ...bindings).toArray().length;
    case 'duplicate':
      return sql
        .exec(
          `INSERT INTO settlement_lines (line_id, reference, authorization_id, operation, amount, currency, effective_at, settled_at, processor_fee)
           SELECT line_id || '#duplicate', reference, authorization_id, operation, amount, currency, effective_at, settled_at, processor_fee
           FROM settlement_lines WHERE ${condition} RETURNING line_id`,
          ...bindings,
        )
        .toArray().length;
    case 'alter': {
      const set = alterations(fault);
      if (set.length === 0) return 0;
      const assignments = set.map(([column]) => `${column} = ?`).join(', ');
      return sql
        .exec(`UPDATE settlement_lines SET ${assignments} WHERE ${condition} RETURNING line_id`, ...set.map(([, value]) => value), ...bindings)
        .toArray().length;
    }
    case 'late':
      return sql
        .exec(`UPDATE settlement_lines SET settled_at = settled_at + ? WHERE ${condition} RETURNING line_id`, fault.days * SECONDS_PER_DAY, ...bindings)
        .toArray().length;
  }
}
