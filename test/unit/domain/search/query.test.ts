import { describe, expect, it } from 'vitest';
import { CHARGE_SEARCH, CUSTOMER_SEARCH, PAYMENT_INTENT_SEARCH } from '../../../../src/domain/search/catalogs';
import { parseSearchQuery } from '../../../../src/domain/search/query';

const parsed = (text: string, catalog = CUSTOMER_SEARCH) => {
  const result = parseSearchQuery(text, catalog);
  if (!result.ok) throw new Error(`refused: ${JSON.stringify(result.error)}`);
  return result.value;
};

const refusal = (text: string, catalog = CUSTOMER_SEARCH) => {
  const result = parseSearchQuery(text, catalog);
  if (result.ok) throw new Error(`accepted: ${JSON.stringify(result.value)}`);
  expect(result.error).toMatchObject({ reason: 'invalid_request', param: 'query' });
  return result.error.reason === 'invalid_request' ? result.error.message : '';
};

describe('search query language', () => {
  it('parses exact, substring, metadata and negated clauses joined by spaces (AND)', () => {
    expect(parsed(`email:"amy@example.com" name~'ann' -metadata["tier"]:"gold"`)).toEqual({
      combinator: 'and',
      clauses: [
        { negated: false, path: ['email'], type: 'string', operator: ':', value: { kind: 'string', value: 'amy@example.com' } },
        { negated: false, path: ['name'], type: 'string', operator: '~', value: { kind: 'string', value: 'ann' } },
        { negated: true, path: ['metadata', 'tier'], type: 'token', operator: ':', value: { kind: 'string', value: 'gold' } },
      ],
    });
  });

  it('takes AND / OR in any case, but never both', () => {
    expect(parsed('email:"a@x.io" or email:"b@x.io" OR name:"c"').combinator).toBe('or');
    expect(parsed('email:"a@x.io" And name:"c"').combinator).toBe('and');
    expect(refusal('email:"a@x.io" AND name:"b" OR name:"c"')).toBe('A search query cannot combine AND and OR.');
    expect(refusal('email:"a@x.io" name:"b" OR name:"c"')).toBe('A search query cannot combine AND and OR.');
  });

  it('compares numeric fields, with or without quotes, and = as exact', () => {
    const q = parsed('amount>=1000 amount<"5000" created=1700000000 status:"succeeded"', PAYMENT_INTENT_SEARCH);
    expect(q.clauses.map((c) => [c.operator, c.value])).toEqual([
      ['>=', { kind: 'number', value: 1000, raw: '1000' }],
      ['<', { kind: 'number', value: 5000, raw: '5000' }],
      [':', { kind: 'number', value: 1700000000, raw: '1700000000' }],
      [':', { kind: 'string', value: 'succeeded' }],
    ]);
  });

  it('keeps a token written as a number verbatim (leading zeros), and reads booleans and null', () => {
    expect(parsed('payment_method_details.card.last4:0005', CHARGE_SEARCH).clauses[0]!.value).toEqual({ kind: 'string', value: '0005' });
    expect(parsed('refunded:true disputed:"false"', CHARGE_SEARCH).clauses.map((c) => c.value)).toEqual([
      { kind: 'boolean', value: true },
      { kind: 'boolean', value: false },
    ]);
    expect(parsed('-email:null').clauses[0]).toMatchObject({ negated: true, value: { kind: 'null' } });
  });

  it('unescapes quotes and backslashes inside strings', () => {
    expect(parsed(String.raw`name:"Jo \"JJ\" O\\Neil"`).clauses[0]!.value).toEqual({ kind: 'string', value: 'Jo "JJ" O\\Neil' });
    expect(parsed(String.raw`metadata['it\'s']:'x'`).clauses[0]!.path).toEqual(['metadata', "it's"]);
  });

  it.each([
    ['', 'The search query must not be empty.'],
    ['   ', 'The search query must not be empty.'],
    ['phone_number:"1"', /^Field `phone_number` is an unsupported search field for resource `customers`\. Supported fields: created, email, metadata, name, phone\.$/],
    ['amount>5', /unsupported search field/],
    ['email:amy', 'The search value amy must be quoted, e.g. "amy".'],
    ['email:"amy', /unterminated string/],
    ['email>"a"', /does not support the > operator/],
    ['name~"an"', 'Substring matching needs at least 3 characters.'],
    ['email', /expected an operator/],
    ['email:', /expected a value/],
    ['metadata[tier]:"gold"', /Metadata keys must be quoted/],
    ['created:"yesterday"', /is numeric: its value must be an integer/],
    ['created~"170"', /does not support substring/],
    ['email>null', /compared with null using ':'/],
    ['email:"a"name:"b"', /clauses are separated by spaces, AND or OR/],
    [Array.from({ length: 11 }, (_, i) => `name:"n${i}"`).join(' '), 'A search query has at most 10 clauses.'],
    ['x'.repeat(1001), /longer than 1000 characters/],
    ['created:99999999999999999999', /out of range/],
  ])('refuses %j', (text, message) => {
    if (typeof message === 'string') expect(refusal(text)).toBe(message);
    else expect(refusal(text)).toMatch(message);
  });

  it('refuses operators and values that do not fit the field type', () => {
    expect(refusal('currency~"usd"', PAYMENT_INTENT_SEARCH)).toMatch(/does not support substring matching/);
    expect(refusal('refunded:"yes"', CHARGE_SEARCH)).toMatch(/is a boolean/);
    expect(refusal('status>"a"', PAYMENT_INTENT_SEARCH)).toMatch(/does not support the > operator/);
  });
});
