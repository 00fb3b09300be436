/**
 * Search over the D1 copies of an account's objects (`records`, fed by the outbox): a parsed
 * query (src/domain/search/query.ts) compiled to one bounded SELECT, scoped to the account and
 * mode, newest first. Values are always bound, never spliced: field paths come from the resource's
 * catalog, metadata keys are matched through json_each, and substring matching uses instr (no
 * LIKE pattern to escape). Like Stripe's search this is eventually consistent: an object appears
 * once the account's outbox has reached D1 (normally well under a second).
 */
import type { SearchClause, SearchCursor, SearchQuery } from '../domain/search/query';

export interface SearchPage {
  readonly data: unknown[];
  readonly hasMore: boolean;
  /** Where the next page starts (after the last item), when there is one. */
  readonly next: SearchCursor | null;
}

type Bind = string | number;

const SEGMENT = /^[a-z_][a-z0-9_]*$/;

/**
 * SQL for a field's value. Catalog paths are written into the SQL (checked identifiers, never
 * user text) so that SQLite can match an expression index — migrations/0004_search.sql indexes
 * lower(json_extract(data, '$.email')); `created` is the indexed column itself; metadata keys,
 * which are user text, are bound.
 */
function valueOf(path: readonly string[]): { sql: string; binds: Bind[] } {
  if (path[0] === 'metadata' && path.length === 2) {
    return { sql: "(SELECT value FROM json_each(data, '$.metadata') WHERE key = ?)", binds: [path[1]!] };
  }
  if (!path.every((segment) => SEGMENT.test(segment))) throw new Error(`search path ${path.join('.')} is not a catalog identifier`);
  if (path.length === 1 && path[0] === 'created') return { sql: 'created', binds: [] };
  return { sql: `json_extract(data, '$.${path.join('.')}')`, binds: [] };
}

const COMPARATORS: Readonly<Record<string, string>> = { ':': '=', '>': '>', '<': '<', '>=': '>=', '<=': '<=' };

function clauseSql(clause: SearchClause): { sql: string; binds: Bind[] } {
  const field = valueOf(clause.path);
  const v = clause.value;
  let sql: string;
  const binds = [...field.binds];
  if (v.kind === 'null') {
    sql = `${field.sql} IS NULL`;
  } else if (v.kind === 'string') {
    // `~` (substring) reaches here only for string fields, with ≥ 3 characters (the parser checks).
    if (clause.operator === '~') sql = `instr(lower(${field.sql}), lower(?)) > 0`;
    else sql = clause.type === 'string' ? `lower(${field.sql}) = lower(?)` : `${field.sql} = ?`;
    binds.push(v.value);
  } else if (v.kind === 'boolean') {
    sql = `${field.sql} = ?`;
    binds.push(v.value ? 1 : 0);
  } else {
    sql = `${field.sql} ${COMPARATORS[clause.operator]} ?`;
    binds.push(v.value);
  }
  // A missing field (NULL) never matches a clause, so its negation matches it (coalesce, not NULL
  // logic). A plain clause stays bare so that an index on its expression can serve it.
  return { sql: clause.negated ? `NOT coalesce((${sql}), 0)` : `(${sql})`, binds };
}

/** An AND query with an exact, non-negated `email:"…"`: migrations/0004_search.sql's index applies. */
function usesEmailIndex(query: SearchQuery): boolean {
  return (
    query.combinator === 'and' &&
    query.clauses.some((c) => !c.negated && c.operator === ':' && c.type === 'string' && c.value.kind === 'string' && c.path.length === 1 && c.path[0] === 'email')
  );
}

/** The one SELECT a search runs (exported so a test can EXPLAIN it against the real schema). */
export function searchStatement(
  scope: { readonly accountId: string; readonly livemode: boolean },
  object: string,
  query: SearchQuery,
  page: { readonly limit: number; readonly after: SearchCursor | null },
): { sql: string; binds: Bind[] } {
  const clauses = query.clauses.map(clauseSql);
  const where = clauses.map((c) => c.sql).join(query.combinator === 'or' ? ' OR ' : ' AND ');
  const binds: Bind[] = [scope.accountId, scope.livemode ? 1 : 0, object, ...clauses.flatMap((c) => c.binds)];
  let after = '';
  if (page.after !== null) {
    after = ' AND (created < ? OR (created = ? AND id < ?))';
    binds.push(page.after.created, page.after.created, page.after.id);
  }
  binds.push(page.limit + 1);
  // Without statistics SQLite prefers the index that yields `created` order (early stop after
  // `limit` matches: right for broad queries). An exact email is one or two rows: say so.
  const index = usesEmailIndex(query) ? ' INDEXED BY records_by_email' : '';
  const sql = `SELECT id, created, data FROM records${index}
       WHERE account_id = ? AND livemode = ? AND object = ? AND deleted = 0 AND (${where})${after}
       ORDER BY created DESC, id DESC LIMIT ?`;
  return { sql, binds };
}

export async function searchRecords(
  db: D1Database,
  scope: { readonly accountId: string; readonly livemode: boolean },
  object: string,
  query: SearchQuery,
  page: { readonly limit: number; readonly after: SearchCursor | null },
): Promise<SearchPage> {
  const { sql, binds } = searchStatement(scope, object, query, page);
  const { results } = await db.prepare(sql).bind(...binds).all<{ id: string; created: number; data: string }>();
  const rows = results.slice(0, page.limit);
  const last = rows.at(-1);
  const hasMore = results.length > page.limit;
  return { data: rows.map((r) => JSON.parse(r.data) as unknown), hasMore, next: hasMore && last ? { created: last.created, id: last.id } : null };
}
