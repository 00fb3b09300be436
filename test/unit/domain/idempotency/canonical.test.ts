import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalRequest, type CanonicalTree } from '../../../../src/domain/idempotency/canonical';

type Node = { [key: string]: CanonicalTree };

const key = fc.string({ unit: fc.constantFrom('a', 'b', 's', 'k', 'm', '1', ':', '{', '}', '[', ']', '=', '&', 'é', '😀'), maxLength: 6 });
const leaf = fc.string({ unit: fc.constantFrom('a', 'b', 's', '1', '2', ':', '{', '}', 'm', 'é', ''), maxLength: 6 });
const { tree } = fc.letrec<{ tree: CanonicalTree; node: Node }>((tie) => ({
  tree: fc.oneof({ depthSize: 'small' }, leaf, tie('node')),
  node: fc.dictionary(key, tie('tree'), { maxKeys: 4 }),
}));
const root = fc.dictionary(key, tree, { maxKeys: 5 });

/** The same tree rebuilt with every node's keys inserted in reverse order. */
function reversed(t: CanonicalTree): CanonicalTree {
  if (typeof t === 'string') return t;
  const out: Node = {};
  for (const k of Object.keys(t).reverse()) out[k] = reversed(t[k]!);
  return out;
}

/** Every leaf as [path, value]. */
function leaves(t: CanonicalTree, path: string[] = []): Array<[string[], string]> {
  if (typeof t === 'string') return [[path, t]];
  return Object.keys(t).flatMap((k) => leaves(t[k]!, [...path, k]));
}

function withLeaf(t: CanonicalTree, path: readonly string[], value: string): CanonicalTree {
  if (path.length === 0) return value;
  const node = t as Node;
  const [head, ...rest] = path as [string, ...string[]];
  return { ...node, [head]: withLeaf(node[head]!, rest, value) };
}

const canon = (params: CanonicalTree) => canonicalRequest('POST', '/v1/customers', params);

describe('canonicalRequest', () => {
  it('ignores the order of keys at every level', () => {
    fc.assert(
      fc.property(root, (t) => {
        expect(canon(reversed(t))).toBe(canon(t));
      }),
      { numRuns: 300 },
    );
  });

  it('changes when any leaf changes', () => {
    const changed = root
      .filter((t) => leaves(t).length > 0)
      .chain((t) => fc.tuple(fc.constant(t), fc.nat(), leaf));
    fc.assert(
      fc.property(changed, ([t, at, value]) => {
        const [path, old] = leaves(t)[at % leaves(t).length]!;
        fc.pre(value !== old);
        expect(canon(withLeaf(t, path, value))).not.toBe(canon(t));
      }),
      { numRuns: 300 },
    );
  });

  it('is injective: two trees encode alike only when they are equal', () => {
    fc.assert(
      fc.property(root, root, (a, b) => {
        const same = JSON.stringify(sortKeys(a)) === JSON.stringify(sortKeys(b));
        expect(canon(a) === canon(b)).toBe(same);
      }),
      { numRuns: 500 },
    );
  });

  it('tells apart trees that naive concatenation would confuse', () => {
    const pairs: Array<[CanonicalTree, CanonicalTree]> = [
      [{ a: 'b=' }, { 'a=b': '' }],
      [{ a: { b: '1' } }, { 'a[b]': '1' }],
      [{ a: '' }, { a: {} }],
      [{ a: '1', b: '2' }, { a: '1s1:b2' }],
      [{ ab: 'c' }, { a: 'bc' }],
      [{}, { '': '' }],
      [{ a: { 0: 'x', 1: 'y' } }, { a: { 0: 'xy' } }],
    ];
    for (const [x, y] of pairs) expect(canon(x), JSON.stringify([x, y])).not.toBe(canon(y));
  });

  it('binds the method (case-insensitively) and the path', () => {
    expect(canonicalRequest('post', '/v1/customers', {})).toBe(canonicalRequest('POST', '/v1/customers', {}));
    expect(canonicalRequest('POST', '/v1/customers', {})).not.toBe(canonicalRequest('POST', '/v1/customers/cus_1', {}));
    expect(canonicalRequest('POST', '/v1/a', {})).not.toBe(canonicalRequest('DELETE', '/v1/a', {}));
  });

  it('accepts null-prototype trees as produced by the form decoder', () => {
    const node = Object.create(null) as Node;
    node.b = '2';
    node.a = '1';
    expect(canon(node)).toBe(canon({ a: '1', b: '2' }));
  });
});

function sortKeys(t: CanonicalTree): unknown {
  if (typeof t === 'string') return t;
  return Object.keys(t)
    .sort()
    .map((k) => [k, sortKeys(t[k]!)]);
}
