/** Settlement lines: one row per settled money movement, written when the money moves. */
import type { SettlementLine } from '../../src/domain/cards/processing/protocol';

// ── settlement lines ──────────────────────────────────────────────────────────

interface SettlementLineRow extends Record<string, SqlStorageValue> {
  line_id: string;
  reference: string;
  authorization_id: string;
  operation: string;
  amount: number;
  currency: string;
  effective_at: number;
  settled_at: number;
  processor_fee: number | null;
}

function toSettlementLine(row: SettlementLineRow): SettlementLine {
  return {
    lineId: row.line_id,
    reference: row.reference,
    authorizationId: row.authorization_id,
    operation: row.operation as SettlementLine['operation'],
    amount: row.amount,
    currency: row.currency,
    effectiveAtSeconds: row.effective_at,
    settledAtSeconds: row.settled_at,
    ...(row.processor_fee === null ? {} : { processorFee: row.processor_fee }),
  };
}

export function insertSettlementLine(sql: SqlStorage, line: SettlementLine): void {
  sql.exec(
    `INSERT INTO settlement_lines (line_id, reference, authorization_id, operation, amount, currency, effective_at, settled_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    line.lineId,
    line.reference,
    line.authorizationId,
    line.operation,
    line.amount,
    line.currency,
    line.effectiveAtSeconds,
    line.settledAtSeconds,
  );
}

export interface SettlementQuery {
  readonly fromSeconds: number;
  /** Exclusive. */
  readonly toSeconds: number;
  readonly limit: number;
  readonly startingAfter: string | null;
}

/** Lines settled in [from, to), in report order, after the cursor line; one extra row tells hasMore. */
export function listSettlementLines(sql: SqlStorage, query: SettlementQuery): SettlementLine[] {
  const cursor =
    query.startingAfter === null
      ? null
      : sql.exec<SettlementLineRow>('SELECT * FROM settlement_lines WHERE line_id = ?', query.startingAfter).toArray()[0];
  if (query.startingAfter !== null && !cursor) throw new Error(`unknown settlement line cursor: ${query.startingAfter}`);
  const after = cursor ? [cursor.settled_at, cursor.effective_at, cursor.line_id] : [Number.MIN_SAFE_INTEGER, Number.MIN_SAFE_INTEGER, ''];
  return sql
    .exec<SettlementLineRow>(
      `SELECT * FROM settlement_lines
       WHERE settled_at >= ? AND settled_at < ? AND (settled_at, effective_at, line_id) > (?, ?, ?)
       ORDER BY settled_at, effective_at, line_id LIMIT ?`,
      query.fromSeconds,
      query.toSeconds,
      ...after,
      query.limit,
    )
    .toArray()
    .map(toSettlementLine);
}
