/**
 * Stripe's search query language (`GET /v1/<resource>/search?query=…`), parsed and checked against
 * a resource's searchable fields. Pure: the caller compiles the result to storage queries.
 *
 * A query is up to SEARCH_CLAUSES_MAX clauses joined by spaces or `AND` (all must match) or by
 * `OR` (any), never both. A clause is `[-]field operator value`:
 *  - `:` exact match — case-insensitive for string fields; `~` substring (string fields, ≥ 3
 *    characters); `>`, `<`, `>=`, `<=`, `=` for numeric fields (which also take `:`);
 *  - values: quoted strings ("…" or '…', `\` escapes a quote or backslash), integers (quotes
 *    optional), `true`/`false` for boolean fields, and `null` — `field:null` matches a missing or
 *    null field, `-field:null` a present one;
 *  - `metadata["key"]:"value"` (either quote style) on resources with metadata; `-` negates.
 */
import { invalidRequestError, type DomainError } from '../errors';
import { SEARCH_CLAUSES_MAX, SEARCH_QUERY_LENGTH_MAX, SEARCH_SUBSTRING_MIN } from '../limits';
import { err, ok, type Result } from '../result';

export type SearchFieldType = 'string' | 'token' | 'numeric' | 'boolean';

/** A resource's searchable fields: query name → type and where the value sits in the object. */
export interface SearchCatalog {
  readonly resource: string;
  readonly fields: Readonly<Record<string, { readonly type: SearchFieldType; readonly path: readonly string[] }>>;
  readonly metadata: boolean;
}

export type SearchOperator = ':' | '~' | '>' | '<' | '>=' | '<=';

export type SearchValue =
  | { readonly kind: 'string'; readonly value: string }
  | { readonly kind: 'number'; readonly value: number; readonly raw: string }
  | { readonly kind: 'boolean'; readonly value: boolean }
  | { readonly kind: 'null' };

export interface SearchClause {
  readonly negated: boolean;
  /** Path into the object (`['metadata', key]` for metadata). */
  readonly path: readonly string[];
  readonly type: SearchFieldType;
  readonly operator: SearchOperator;
  readonly value: SearchValue;
}

/** Where a result stands in search order (newest first, then id): what a page continues after. */
export interface SearchCursor {
  readonly created: number;
  readonly id: string;
}

export interface SearchQuery {
  readonly combinator: 'and' | 'or';
  readonly clauses: readonly SearchClause[];
}

const fail = (message: string) => err(invalidRequestError(message, 'query'));

interface Cursor {
  readonly text: string;
  at: number;
}

const IDENT = /[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*/y;
const OPERATOR = /(>=|<=|:|~|>|<|=)/y;
const INTEGER = /-?\d+(?![\w.])/y;
const BAREWORD = /[^\s"']+/y;

function match(cursor: Cursor, pattern: RegExp): string | null {
  pattern.lastIndex = cursor.at;
  const found = pattern.exec(cursor.text);
  if (found === null) return null;
  cursor.at = pattern.lastIndex;
  return found[0];
}

function skipSpaces(cursor: Cursor): boolean {
  const start = cursor.at;
  while (cursor.at < cursor.text.length && /\s/.test(cursor.text[cursor.at]!)) cursor.at += 1;
  return cursor.at > start;
}

/** A quoted string at the cursor ("…" or '…', backslash escapes), or null if none starts here. */
function quoted(cursor: Cursor): Result<string, DomainError> | null {
  const quote = cursor.text[cursor.at];
  if (quote !== '"' && quote !== "'") return null;
  let out = '';
  for (let i = cursor.at + 1; i < cursor.text.length; i += 1) {
    const ch = cursor.text[i]!;
    if (ch === '\\' && i + 1 < cursor.text.length) {
      out += cursor.text[i + 1];
      i += 1;
    } else if (ch === quote) {
      cursor.at = i + 1;
      return ok(out);
    } else {
      out += ch;
    }
  }
  return fail(`The search query has an unterminated string at position ${cursor.at}.`);
}

function parseField(cursor: Cursor, catalog: SearchCatalog): Result<{ path: string[]; type: SearchFieldType }, DomainError> {
  const name = match(cursor, IDENT);
  if (name === null) return fail(`The search query is malformed at position ${cursor.at}: expected a field name.`);
  if (name === 'metadata' && cursor.text[cursor.at] === '[') {
    if (!catalog.metadata) return unsupported(name, catalog);
    cursor.at += 1;
    const key = quoted(cursor);
    if (key === null || !key.ok || cursor.text[cursor.at] !== ']') {
      return fail('Metadata keys must be quoted inside brackets, e.g. metadata["order_id"]:"6735".');
    }
    cursor.at += 1;
    return ok({ path: ['metadata', key.value], type: 'token' });
  }
  const field = catalog.fields[name];
  if (field === undefined) return unsupported(name, catalog);
  return ok({ path: [...field.path], type: field.type });
}

function unsupported(name: string, catalog: SearchCatalog) {
  const known = [...Object.keys(catalog.fields), ...(catalog.metadata ? ['metadata'] : [])].sort().join(', ');
  return fail(`Field \`${name}\` is an unsupported search field for resource \`${catalog.resource}\`. Supported fields: ${known}.`);
}

function parseValue(cursor: Cursor): Result<SearchValue, DomainError> {
  const text = quoted(cursor);
  if (text !== null) return text.ok ? ok({ kind: 'string', value: text.value }) : text;
  const integer = match(cursor, INTEGER);
  if (integer !== null) {
    const value = Number(integer);
    return Number.isSafeInteger(value) ? ok({ kind: 'number', value, raw: integer }) : fail(`The number ${integer} in the search query is out of range.`);
  }
  const word = match(cursor, BAREWORD);
  if (word === 'null') return ok({ kind: 'null' });
  if (word === 'true' || word === 'false') return ok({ kind: 'boolean', value: word === 'true' });
  if (word === null) return fail(`The search query is malformed at position ${cursor.at}: expected a value.`);
  return fail(`The search value ${word} must be quoted, e.g. "${word}".`);
}

/** Checks operator and value against the field's type; numbers and booleans may come quoted. */
function typed(name: string, type: SearchFieldType, operator: string, value: SearchValue): Result<{ operator: SearchOperator; value: SearchValue }, DomainError> {
  if (value.kind === 'null') {
    return operator === ':' ? ok({ operator, value }) : fail(`\`${name}\` can only be compared with null using ':'.`);
  }
  if (type === 'numeric') {
    const number = value.kind === 'number' ? value.value : value.kind === 'string' && /^-?\d+$/.test(value.value) ? Number(value.value) : null;
    if (number === null || !Number.isSafeInteger(number)) return fail(`The field \`${name}\` is numeric: its value must be an integer.`);
    if (operator === '~') return fail(`The field \`${name}\` is numeric and does not support substring matching.`);
    return ok({ operator: operator === '=' ? ':' : (operator as SearchOperator), value: { kind: 'number', value: number, raw: String(number) } });
  }
  if (operator !== ':' && operator !== '~') return fail(`The field \`${name}\` does not support the ${operator} operator: only numeric fields do.`);
  if (type === 'boolean') {
    const flag = value.kind === 'boolean' ? value.value : value.kind === 'string' && (value.value === 'true' || value.value === 'false') ? value.value === 'true' : null;
    if (flag === null || operator !== ':') return fail(`The field \`${name}\` is a boolean: use ${name}:true or ${name}:false.`);
    return ok({ operator, value: { kind: 'boolean', value: flag } });
  }
  const text = value.kind === 'string' ? value.value : value.kind === 'number' ? value.raw : String(value.value);
  if (operator === '~') {
    if (type !== 'string') return fail(`The field \`${name}\` does not support substring matching (~).`);
    if ([...text].length < SEARCH_SUBSTRING_MIN) return fail(`Substring matching needs at least ${SEARCH_SUBSTRING_MIN} characters.`);
  }
  return ok({ operator, value: { kind: 'string', value: text } });
}

export function parseSearchQuery(text: string, catalog: SearchCatalog): Result<SearchQuery, DomainError> {
  if (text.length > SEARCH_QUERY_LENGTH_MAX) return fail(`The search query is longer than ${SEARCH_QUERY_LENGTH_MAX} characters.`);
  const cursor: Cursor = { text, at: 0 };
  const clauses: SearchClause[] = [];
  let combinator: 'and' | 'or' | null = null;
  skipSpaces(cursor);
  if (cursor.at >= text.length) return fail('The search query must not be empty.');
  while (cursor.at < text.length) {
    if (clauses.length > 0) {
      if (!skipSpaces(cursor)) return fail(`The search query is malformed at position ${cursor.at}: clauses are separated by spaces, AND or OR.`);
      if (cursor.at >= text.length) break;
      const word = /^(and|or)(?=\s)/i.exec(text.slice(cursor.at))?.[1]?.toLowerCase() as 'and' | 'or' | undefined;
      const joined = word ?? 'and';
      if (combinator !== null && combinator !== joined) return fail('A search query cannot combine AND and OR.');
      combinator = joined;
      if (word !== undefined) {
        cursor.at += word.length;
        skipSpaces(cursor);
      }
    }
    if (clauses.length === SEARCH_CLAUSES_MAX) return fail(`A search query has at most ${SEARCH_CLAUSES_MAX} clauses.`);
    const negated = text[cursor.at] === '-';
    if (negated) cursor.at += 1;
    const fieldStart = cursor.at;
    const field = parseField(cursor, catalog);
    if (!field.ok) return field;
    const name = text.slice(fieldStart, cursor.at);
    const operator = match(cursor, OPERATOR);
    if (operator === null) return fail(`The search query is malformed at position ${cursor.at}: expected an operator after \`${name}\`.`);
    const value = parseValue(cursor);
    if (!value.ok) return value;
    const checked = typed(name, field.value.type, operator, value.value);
    if (!checked.ok) return checked;
    clauses.push({ negated, path: field.value.path, type: field.value.type, ...checked.value });
  }
  return ok({ combinator: combinator ?? 'and', clauses });
}
