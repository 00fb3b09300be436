import { describe, expect, it } from 'vitest';
import { FORM_DEPTH_MAX, FORM_PAIRS_MAX } from '../../../../src/domain/limits';
import { canonicalRequest } from '../../../../src/domain/idempotency/canonical';
import { treeFromJson } from '../../../../src/stripe/form/json';
import { allNullPrototype, plain, tree } from '../../support/decode';

function jsonTree(text: string) {
  const result = treeFromJson(text);
  if (!result.ok) throw new Error(`expected ${text.slice(0, 80)} to decode, got: ${result.error.message}`);
  return result.value;
}

function refused(text: string) {
  const result = treeFromJson(text);
  expect(result.ok).toBe(false);
  return result.ok ? null : result.error;
}

/** `{"a":{"a":…{"a":"x"}}}` with the leaf `levels` keys deep. */
function nested(levels: number): string {
  return '{"a":'.repeat(levels) + '"x"' + '}'.repeat(levels);
}

describe('treeFromJson', () => {
  it('keeps nested objects as nested nodes', () => {
    expect(plain(jsonTree('{"a":{"b":{"c":"1"}},"d":"e"}'))).toEqual({ a: { b: { c: '1' } }, d: 'e' });
  });

  it('turns numbers, booleans and null into their wire strings', () => {
    expect(plain(jsonTree('{"amount":100,"neg":-5,"ratio":1.5,"yes":true,"no":false,"gone":null}'))).toEqual({
      amount: '100',
      neg: '-5',
      ratio: '1.5',
      yes: 'true',
      no: 'false',
      gone: '',
    });
  });

  it('turns arrays into index maps, including arrays of objects', () => {
    expect(plain(jsonTree('{"expand":["customer","x.y"],"items":[{"price":"p1","quantity":2}]}'))).toEqual({
      expand: { 0: 'customer', 1: 'x.y' },
      items: { 0: { price: 'p1', quantity: '2' } },
    });
  });

  it('builds the same tree, and so the same fingerprint, as the equivalent form body', () => {
    const fromJson = jsonTree('{"amount":100,"expand":["a","b"],"metadata":{"k":"v","n":null},"confirm":true}');
    const fromForm = tree('amount=100&expand[0]=a&expand[1]=b&metadata[k]=v&metadata[n]=&confirm=true');
    expect(plain(fromJson)).toEqual(plain(fromForm));
    expect(canonicalRequest('POST', '/v1/x', fromJson)).toBe(canonicalRequest('POST', '/v1/x', fromForm));
  });

  it('produces only null-prototype nodes', () => {
    expect(allNullPrototype(jsonTree('{"a":{"b":[{"c":1}]}}'))).toBe(true);
  });

  it(`accepts a leaf ${FORM_DEPTH_MAX} keys deep (as the form decoder does) and refuses one deeper`, () => {
    expect(() => jsonTree(nested(FORM_DEPTH_MAX))).not.toThrow();
    expect(refused(nested(FORM_DEPTH_MAX + 1))).toMatchObject({ status: 400 });
  });

  it(`accepts ${FORM_PAIRS_MAX} leaves and refuses one more`, () => {
    const body = (n: number) => JSON.stringify({ list: Array.from({ length: n }, () => 'x') });
    expect(() => jsonTree(body(FORM_PAIRS_MAX))).not.toThrow();
    expect(refused(body(FORM_PAIRS_MAX + 1))).toMatchObject({ status: 400 });
  });

  it.each([
    '{"__proto__":{"polluted":"yes"}}',
    '{"a":{"__proto__":{"polluted":"yes"}}}',
    '{"constructor":{"prototype":{"polluted":"yes"}}}',
    '{"a":[{"prototype":"x"}]}',
    '{"metadata":{"__proto__":"x"}}',
  ])('refuses the prototype-polluting key in %s', (text) => {
    expect(refused(text)).toMatchObject({ status: 400 });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('refuses an empty key, which no form body can express', () => {
    expect(refused('{"":"x"}')).toMatchObject({ status: 400 });
    expect(refused('{"metadata":{"":"x"}}')).toMatchObject({ status: 400 });
  });

  it.each(['[]', '["a"]', '"text"', '1', 'null', 'true'])('refuses the non-object root %s', (text) => {
    expect(refused(text)).toMatchObject({ status: 400, message: expect.stringMatching(/must be an object/) });
  });

  it.each(['{', '{"a":}', "{'a':1}", '{"a":1,}', ''])('refuses the invalid JSON %j', (text) => {
    expect(refused(text)).toMatchObject({ status: 400, message: expect.stringMatching(/Invalid JSON/) });
  });

  it('refuses a number JSON cannot represent finitely', () => {
    expect(refused('{"amount":1e400}')).toMatchObject({ status: 400 });
  });
});
