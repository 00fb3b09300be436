/**
 * Search over the D1 copies of an account's objects (`records`, fed by the outbox): a parsed
 * query (src/domain/search/query.ts) compiled to one bounded SELECT, scoped to the account and
 * mode, newest first. Values are always bound, never spliced: field paths come from the resource's
 * catalog, metadata keys are matched through json_each, and substring matching uses instr (no
 * LIKE pattern to escape). Like Stripe's search this is eventually consistent: an object appears
 * once the account's outbox has reached D1 (normally well under a second).
 */
import type { SearchClause, SearchQuery } from '../domain/search/query';

export interface SearchCursor {
  readonly created: number;
  readonly id: string;
}

export interface SearchPage {
  readonly data: unknown[];
  readonly hasMore: boolean;
  /** Where the next page starts (after the last item), when there is one. */
  readonly next: SearchCursor | null;
}

type Bind = string | number;

function valueOf(path: readonly string[]): { sql: string; binds: Bind[] } {
  if (path[0] === 'metadata' && path.length === 2) {
    return { sql: "(SELECT value FROM json_each(data, '$.metadata') WHERE key = ?)", binds: [path[1]!] };
  }
  return { sql: 'json_extract(data, ?)', binds: [`$.${path.join('.')}`] };
}

const COMPARATORS: Readonly<Record<string, string>> = { ':': '=', '>': '>', '<': '<', '>=': '>=', '<=': '<=' };

function clauseSql(clause: SearchClause): { sql: string; binds: Bind[] } {
  const field = valueOf(clause.path);
  const v = clause.value;
  let sql: string;
  const binds = [...field.binds];
  if (v.kind === 'null') {
    sql = `${field.sql} IS NULL`;
  } else if (clause.operator === '~') {
    sql = `instr(lower(${field.sql}), lower(?)) > 0`;
    binds.push(String(v.kind === 'string' ? v.value : ''));
  } else if (v.kind === 'string') {
    sql = clause.type === 'string' ? `lower(${field.sql}) = lower(?)` : `${field.sql} = ?`;
    binds.push(v.value);
  } else if (v.kind === 'boolean') {
    sql = `${field.sql} = ?`;
    binds.push(v.value ? 1 : 0);
  } else {
    sql = `${field.sql} ${COMPARATORS[clause.operator]} ?`;
    binds.push(v.value);
  }
  // A missing field never matches a clause, so its negation matches it (coalesce, not NULL logic).
  return { sql: clause.negated ? `NOT coalesce((${sql}), 0)` : `coalesce((${sql}), 0)`, binds };
}

export async function searchRecords(
  db: D1Database,
  scope: { readonly accountId: string; readonly livemode: boolean },
  object: string,
  query: SearchQuery,
  page: { readonly limit: number; readonly after: SearchCursor | null },
): Promise<SearchPage> {
  const clauses = query.clauses.map(clauseSql);
  const where = clauses.map((c) => c.sql).join(query.combinator === 'or' ? ' OR ' : ' AND ');
  const binds: Bind[] = [scope.accountId, scope.livemode ? 1 : 0, object, ...clauses.flatMap((c) => c.binds)];
  let after = '';
  if (page.after !== null) {
    after = ' AND (created < ? OR (created = ? AND id < ?))';
    binds.push(page.after.created, page.after.created, page.after.id);
  }
  binds.push(page.limit + 1);
  const { results } = await db
    .prepare(
      `SELECT id, created, data FROM records
       WHERE account_id = ? AND livemode = ? AND object = ? AND deleted = 0 AND (${where})${after}
       ORDER BY created DESC, id DESC LIMIT ?`,
    )
    .bind(...binds)
    .all<{ id: string; created: number; data: string }>();
  const rows = results.slice(0, page.limit);
  const last = rows.at(-1);
  const hasMore = results.length > page.limit;
  return { data: rows.map((r) => JSON.parse(r.data) as unknown), hasMore, next: hasMore && last ? { created: last.created, id: last.id } : null };
}
