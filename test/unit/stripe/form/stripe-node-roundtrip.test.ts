/**
 * Property: whatever parameters a stripe-node 23.1.0 caller passes, encoding them with the SDK's
 * own encoder and decoding with parsePairs → assemblePairs yields the string-leaf tree the
 * contract (CONTRACT.md §1.2) describes. The encoder is the real one from node_modules.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalRequest } from '../../../../src/domain/idempotency/canonical';
import { allNullPrototype, decodeForm, plain, tree } from '../../support/decode';
import { stripeNodeEncode } from '../../support/stripe-node';

type Expected = string | { [key: string]: Expected };

const AWKWARD = ['&', '=', '+', '/', '%', '[', ']', ' ', '?', '#', '!', '*', '(', ')', "'", '"', '\\', ',', ';', '~', '\n', 'é', '€', '日本', '😀', '%20', '%5B', 'a', 'Z', '0'];
const FORBIDDEN = new Set(['__proto__', 'constructor', 'prototype']);

const text = fc.oneof(fc.string({ unit: fc.constantFrom(...AWKWARD), maxLength: 12 }), fc.string({ unit: 'grapheme', maxLength: 12 }), fc.string());
/**
 * Parameter names: anything but brackets (stripe-node leaves `[`/`]` literal in names, so they
 * cannot round-trip, and Stripe refuses them in metadata keys), empty names (`a[]` means "next
 * index") and the names the decoder refuses for prototype safety.
 */
const name = fc.oneof(
  { weight: 4, arbitrary: text.filter((k) => k !== '' && !k.includes('[') && !k.includes(']') && !FORBIDDEN.has(k)) },
  { weight: 1, arbitrary: fc.nat().map(String) },
  { weight: 1, arbitrary: fc.constantFrom('toString', 'hasOwnProperty', 'valueOf', '__defineGetter__', '0', '007') },
);
const leaf = fc.oneof(
  text,
  fc.integer(),
  fc.integer({ min: Number.MIN_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER }),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.date({ noInvalidDate: true }),
  fc.constant(undefined),
);

function value(depth: number): fc.Arbitrary<unknown> {
  if (depth === 0) return leaf;
  const child = value(depth - 1);
  return fc.oneof(
    { weight: 3, arbitrary: leaf },
    { weight: 1, arbitrary: fc.dictionary(name, child, { maxKeys: 3 }) },
    { weight: 1, arbitrary: fc.array(child, { maxLength: 3 }) },
  );
}

const metadata = fc.dictionary(name.filter((k) => k.length <= 40), text, { maxKeys: 8 });
const params = fc.record(
  { metadata, rest: fc.dictionary(name, value(4), { maxKeys: 5 }) },
  { requiredKeys: ['rest'] },
).map(({ metadata: m, rest }) => (m === undefined ? rest : { ...rest, metadata: m }));

/** The tree the contract promises for a JS value: string leaves, arrays as index maps, empties gone. */
function expected(v: unknown): Expected | undefined {
  if (v === undefined) return undefined;
  if (v instanceof Date) return String(Math.floor(v.getTime() / 1000));
  if (v === null) return '';
  if (typeof v !== 'object') return String(v);
  const entries = Array.isArray(v) ? v.map((item, i) => [String(i), item] as const) : Object.entries(v);
  const node: { [key: string]: Expected } = {};
  for (const [k, child] of entries) {
    const converted = expected(child);
    if (converted !== undefined) node[k] = converted;
  }
  return Object.keys(node).length === 0 ? undefined : node;
}

function decodeOrThrow(body: string) {
  const decoded = decodeForm(body);
  if (!decoded.ok) throw new Error(`decoder refused stripe-node output ${JSON.stringify(body)}: ${decoded.error.message}`);
  return decoded.value;
}

const RUNS = { numRuns: 400 };

describe('stripe-node encoding round trip', () => {
  it('decodes the contract table examples exactly as stripe-node encodes them', () => {
    const body = stripeNodeEncode({
      email: 'a@b.c',
      metadata: { order_id: '6735' },
      a: { b: { c: 1 } },
      expand: ['customer', 'x.y'],
      items: [{ price: 'p1', quantity: 2 }],
      confirm: true,
      description: null,
      created: new Date(1_700_000_000_500),
      skipped: undefined,
      note: 'a b&c=d+e/f€',
    });
    expect(body).toContain('expand[0]=customer&expand[1]=x.y');
    expect(plain(tree(body))).toEqual({
      email: 'a@b.c',
      metadata: { order_id: '6735' },
      a: { b: { c: '1' } },
      expand: { 0: 'customer', 1: 'x.y' },
      items: { 0: { price: 'p1', quantity: '2' } },
      confirm: 'true',
      description: '',
      created: '1700000000',
      note: 'a b&c=d+e/f€',
    });
  });

  it('decodes any stripe-node encoded parameters into the expected string-leaf tree', () => {
    fc.assert(
      fc.property(params, (p) => {
        const decoded = decodeOrThrow(stripeNodeEncode(p));
        expect(plain(decoded)).toEqual(expected(p) ?? {});
        expect(allNullPrototype(decoded)).toBe(true);
      }),
      RUNS,
    );
  });

  it('gives the same canonical request whatever order the encoded pairs arrive in', () => {
    const withOrder = params.chain((p) => {
      const parts = stripeNodeEncode(p).split('&');
      return fc.tuple(fc.constant(parts), fc.shuffledSubarray(parts, { minLength: parts.length, maxLength: parts.length }));
    });
    fc.assert(
      fc.property(withOrder, ([parts, shuffled]) => {
        const original = canonicalRequest('POST', '/v1/customers', decodeOrThrow(parts.join('&')));
        const reordered = canonicalRequest('POST', '/v1/customers', decodeOrThrow(shuffled.join('&')));
        expect(reordered).toBe(original);
      }),
      RUNS,
    );
  });

  it('gives a different canonical request when any encoded value changes', () => {
    const withChange = params
      .filter((p) => stripeNodeEncode(p) !== '')
      .chain((p) => fc.tuple(fc.constant(stripeNodeEncode(p).split('&')), fc.nat(), text));
    fc.assert(
      fc.property(withChange, ([parts, at, replacement]) => {
        const index = at % parts.length;
        const [key, oldValue] = parts[index]!.split('=') as [string, string];
        const newValue = encodeURIComponent(replacement);
        fc.pre(decodeURIComponent(newValue) !== decodeURIComponent(oldValue));
        const changed = parts.map((part, i) => (i === index ? `${key}=${newValue}` : part));
        const before = canonicalRequest('POST', '/v1/customers', decodeOrThrow(parts.join('&')));
        const after = canonicalRequest('POST', '/v1/customers', decodeOrThrow(changed.join('&')));
        expect(after).not.toBe(before);
      }),
      RUNS,
    );
  });
});
