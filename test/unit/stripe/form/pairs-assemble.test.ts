import { describe, expect, it } from 'vitest';
import { FORM_BYTES_MAX, FORM_DEPTH_MAX, FORM_KEY_LENGTH_MAX, FORM_PAIRS_MAX } from '../../../../src/domain/limits';
import { assemblePairs, splitKey } from '../../../../src/stripe/form/assemble';
import { parsePairs } from '../../../../src/stripe/form/pairs';
import { toArray } from '../../../../src/stripe/params/common';
import { allNullPrototype, failure, plain, tree } from '../../support/decode';

describe('parsePairs', () => {
  it('splits on & and = keeping order, and treats a missing = as an empty value', () => {
    const pairs = parsePairs('b=2&a=1&flag&c=');
    expect(pairs).toEqual({ ok: true, value: [['b', '2'], ['a', '1'], ['flag', ''], ['c', '']] });
  });

  it('skips empty parts (a&&b, trailing &) and returns no pairs for an empty text', () => {
    expect(parsePairs('a=1&&b=2&')).toEqual({ ok: true, value: [['a', '1'], ['b', '2']] });
    expect(parsePairs('')).toEqual({ ok: true, value: [] });
  });

  it('decodes + as a space in keys and values, while %2B stays a plus', () => {
    expect(parsePairs('name=Jane+Doe&a+b=1%2B1')).toEqual({ ok: true, value: [['name', 'Jane Doe'], ['a b', '1+1']] });
  });

  it('decodes only the first = as the separator', () => {
    expect(parsePairs('q=a=b%3Dc')).toEqual({ ok: true, value: [['q', 'a=b=c']] });
  });

  it('decodes percent-encoded UTF-8 and passes raw non-ASCII through', () => {
    expect(parsePairs('name=%E2%82%AC%F0%9F%98%80&city=M%C3%BCnchen&raw=日本')).toEqual({
      ok: true,
      value: [['name', '€😀'], ['city', 'München'], ['raw', '日本']],
    });
  });

  it.each(['a=%', 'a=%zz', 'a=%4', '%E0%A4%A=1', 'a=%C3', 'a=%ED%A0%80', 'a=%FF'])('refuses invalid percent-encoding: %s', (text) => {
    const result = parsePairs(text);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toMatchObject({ status: 400, message: expect.stringMatching(/percent-encoding/) });
  });

  it('accepts a body of exactly FORM_BYTES_MAX bytes and answers 413 beyond it', () => {
    const exact = `a=${'x'.repeat(FORM_BYTES_MAX - 2)}`;
    expect(parsePairs(exact).ok).toBe(true);
    const over = parsePairs(`${exact}x`);
    expect(over.ok).toBe(false);
    if (!over.ok) expect(over.error.status).toBe(413);
  });

  it('measures the size bound in UTF-8 bytes, not UTF-16 code units', () => {
    // Each "é" is two bytes: FORM_BYTES_MAX / 2 + 1 of them exceed the byte bound at half the length.
    const text = `a=${'é'.repeat(FORM_BYTES_MAX / 2)}`;
    expect(text.length).toBeLessThan(FORM_BYTES_MAX);
    const result = parsePairs(text);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.status).toBe(413);
  });

  it('accepts FORM_PAIRS_MAX pairs and refuses one more', () => {
    const body = (n: number) => Array.from({ length: n }, (_, i) => `k${i}=1`).join('&');
    const atMax = parsePairs(body(FORM_PAIRS_MAX));
    expect(atMax.ok && atMax.value.length).toBe(FORM_PAIRS_MAX);
    const over = parsePairs(body(FORM_PAIRS_MAX + 1));
    expect(over).toMatchObject({ ok: false, error: { status: 400, message: expect.stringMatching(/Too many parameters/) } });
  });

  it('refuses a parameter name longer than FORM_KEY_LENGTH_MAX', () => {
    expect(parsePairs(`${'k'.repeat(FORM_KEY_LENGTH_MAX)}=1`).ok).toBe(true);
    expect(parsePairs(`${'k'.repeat(FORM_KEY_LENGTH_MAX + 1)}=1`)).toMatchObject({ ok: false, error: { status: 400 } });
  });
});

describe('splitKey', () => {
  it('splits bracket keys into segments', () => {
    expect(splitKey('a')).toEqual(['a']);
    expect(splitKey('a[b][c]')).toEqual(['a', 'b', 'c']);
    expect(splitKey('a[]')).toEqual(['a', '']);
    expect(splitKey('items[][price]')).toEqual(['items', '', 'price']);
  });

  it.each(['', 'a[b', '[x]', 'a]b', 'a[b]c', 'a[b[c]]', 'a[[b]]', 'a[b]]', 'a[]]', 'a[b[c]', 'a[x][y[z]'])('returns null for the malformed key %j', (key) => {
    expect(splitKey(key)).toBeNull();
  });
});

describe('assemblePairs', () => {
  it('nests bracket keys into a tree of string leaves', () => {
    expect(plain(tree('a[b][c]=1&a[b][d]=2&e=3'))).toEqual({ a: { b: { c: '1', d: '2' } }, e: '3' });
  });

  it('keeps indexed arrays as integer-keyed nodes (stripe-node style)', () => {
    expect(plain(tree('expand[0]=customer&expand[1]=x.y'))).toEqual({ expand: { 0: 'customer', 1: 'x.y' } });
  });

  it('numbers curl-style a[]=x entries in order of appearance', () => {
    expect(plain(tree('expand[]=customer&expand[]=invoice'))).toEqual({ expand: { 0: 'customer', 1: 'invoice' } });
  });

  it('continues after the highest explicit index when a[] follows a[n]', () => {
    expect(plain(tree('a[3]=x&a[]=y'))).toEqual({ a: { 3: 'x', 4: 'y' } });
  });

  it('builds arrays of objects from indexed keys', () => {
    expect(plain(tree('items[0][price]=p1&items[0][quantity]=2&items[1][price]=p2'))).toEqual({
      items: { 0: { price: 'p1', quantity: '2' }, 1: { price: 'p2' } },
    });
  });

  it('groups curl-style items[][field] pairs into one element until a field repeats', () => {
    const decoded = tree('items[][price]=p1&items[][quantity]=2&items[][price]=p2&items[][quantity]=3');
    expect(plain(decoded)).toEqual({ items: { 0: { price: 'p1', quantity: '2' }, 1: { price: 'p2', quantity: '3' } } });
  });

  it('groups curl-style elements whose fields are nested hashes (Rack semantics)', () => {
    const text =
      'line_items[][price_data][currency]=usd&line_items[][price_data][unit_amount]=100&line_items[][quantity]=1' +
      '&line_items[][price_data][currency]=eur&line_items[][quantity]=2';
    expect(plain(tree(text))).toEqual({
      line_items: {
        0: { price_data: { currency: 'usd', unit_amount: '100' }, quantity: '1' },
        1: { price_data: { currency: 'eur' }, quantity: '2' },
      },
    });
  });

  it('appends to a nested curl-style list inside the current element', () => {
    expect(plain(tree('a[][tags][]=x&a[][tags][]=y'))).toEqual({ a: { 0: { tags: { 0: 'x', 1: 'y' } } } });
  });

  it('accepts percent-encoded brackets', () => {
    expect(plain(tree('metadata%5Border_id%5D=6735&expand%5B%5D=customer'))).toEqual({
      metadata: { order_id: '6735' },
      expand: { 0: 'customer' },
    });
  });

  it('keeps the empty value of key= as an empty string (the "unset" marker)', () => {
    expect(plain(tree('description=&metadata[k]='))).toEqual({ description: '', metadata: { k: '' } });
    expect(plain(tree('metadata='))).toEqual({ metadata: '' });
  });

  it('builds the same tree whatever the order of the keys', () => {
    expect(plain(tree('b=2&a[y]=2&a[x]=1&c[1]=q&c[0]=p'))).toEqual(plain(tree('c[0]=p&a[x]=1&c[1]=q&b=2&a[y]=2')));
  });

  it('orders sparse indices by index when a schema asks for an array', () => {
    const decoded = tree('expand[10]=c&expand[1]=a&expand[5]=b');
    expect(toArray(decoded.expand)).toEqual(['a', 'b', 'c']);
  });

  it('lets the last scalar win for a repeated name', () => {
    expect(plain(tree('a=1&a=2&b[c]=x&b[c]=y'))).toEqual({ a: '2', b: { c: 'y' } });
  });

  it('keeps large numeric keys as map keys (metadata[20231101] is a map entry, not an index)', () => {
    expect(plain(tree('metadata[20231101]=order&metadata[007]=bond'))).toEqual({ metadata: { 20231101: 'order', '007': 'bond' } });
  });

  it(`accepts ${FORM_DEPTH_MAX} segments and refuses one more`, () => {
    const key = (n: number) => `a${'[b]'.repeat(n - 1)}`;
    expect(() => tree(`${key(FORM_DEPTH_MAX)}=1`)).not.toThrow();
    expect(failure(`${key(FORM_DEPTH_MAX + 1)}=1`)).toMatchObject({ status: 400, param: key(FORM_DEPTH_MAX + 1) });
  });

  it('produces only null-prototype nodes', () => {
    expect(allNullPrototype(tree('a[b][c]=1&items[][x]=1&d=2'))).toBe(true);
  });
});

describe('assemblePairs prototype safety', () => {
  const attacks = [
    '__proto__[polluted]=yes',
    '__proto__=yes',
    'a[__proto__][polluted]=yes',
    'constructor[prototype][polluted]=yes',
    'a[constructor][prototype][polluted]=yes',
    'a[prototype]=yes',
    'items[][__proto__]=yes',
    '%5F%5Fproto%5F%5F[polluted]=yes',
    '__proto__%5Bpolluted%5D=yes',
    'metadata[__proto__][polluted]=yes',
  ];

  it.each(attacks)('refuses %s and leaves Object.prototype untouched', (text) => {
    expect(failure(text)).toMatchObject({ status: 400, message: expect.stringMatching(/Invalid parameter name/) });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('polluted');
  });

  it('treats Object.prototype member names as ordinary keys', () => {
    const decoded = tree('toString=1&hasOwnProperty[x]=2&valueOf=3');
    expect(plain(decoded)).toEqual({ toString: '1', hasOwnProperty: { x: '2' }, valueOf: '3' });
  });

  it('refuses forbidden names fed directly as pairs too', () => {
    expect(assemblePairs([['a', '1'], ['b[constructor]', 'x']]).ok).toBe(false);
  });
});

describe('assemblePairs conflicts and malformed names', () => {
  it.each([
    ['a=1&a[b]=2', 'a[b]'],
    ['a[b]=2&a=1', 'a'],
    ['a[b]=1&a[b][c]=2', 'a[b][c]'],
    ['a[]=1&a[0][x]=2', 'a[0][x]'],
    ['metadata=&metadata[k]=v', 'metadata[k]'],
  ])('refuses %s, where a name is both a value and a hash', (text, param) => {
    expect(failure(text)).toMatchObject({ status: 400, param, message: expect.stringMatching(/both as a value and as a hash/) });
  });

  it.each(['a[b=1', '[x]=1', 'a]b=1', 'a[b]c=1', 'a[b[c]]=1', '=1', '[]=1', 'a[x]]=1'])('refuses the malformed name in %s', (text) => {
    expect(failure(text)).toMatchObject({ status: 400, message: expect.stringMatching(/Invalid parameter name/) });
  });
});
