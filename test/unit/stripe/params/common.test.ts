import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  EXPAND_DEPTH_MAX,
  EXPAND_PATHS_MAX,
  FORM_ARRAY_INDEX_MAX,
  METADATA_KEY_LENGTH_MAX,
  METADATA_KEYS_MAX,
  METADATA_VALUE_LENGTH_MAX,
} from '../../../../src/domain/limits';
import { treeFromJson } from '../../../../src/stripe/form/json';
import type { ParamTree } from '../../../../src/stripe/form/tree';
import {
  applyMetadataPatch,
  arrayParam,
  booleanParam,
  clearableString,
  enumParam,
  expandParam,
  integerParam,
  listParams,
  metadataParam,
  requiredString,
  toArray,
} from '../../../../src/stripe/params/common';
import { parseParams } from '../../../../src/stripe/validate';
import { tree } from '../../support/decode';

/** Form text → tree → schema, as a request goes; returns the parsed value or the wire error. */
function parse<S extends z.ZodType>(schema: S, text: string) {
  return parseParams(schema, tree(text));
}

function parsedValue<S extends z.ZodType>(schema: S, text: string): z.output<S> {
  const result = parse(schema, text);
  if (!result.ok) throw new Error(`expected ${text.slice(0, 80)} to parse, got ${JSON.stringify(result.error)}`);
  return result.value;
}

function wireErrorOf(schema: z.ZodType, input: string | ParamTree) {
  const result = typeof input === 'string' ? parse(schema, input) : parseParams(schema, input);
  if (result.ok) throw new Error(`expected a parameter error, got ${JSON.stringify(result.value)}`);
  expect(result.error.status).toBe(400);
  expect(result.error.error.type).toBe('invalid_request_error');
  return result.error.error;
}

function jsonTree(text: string): ParamTree {
  const result = treeFromJson(text);
  if (!result.ok) throw new Error(result.error.message);
  return result.value;
}

const amountSchema = z.strictObject({ amount: integerParam, nested: z.strictObject({ count: integerParam }).optional() });

describe('integerParam', () => {
  it.each([
    ['0', 0],
    ['100', 100],
    ['-5', -5],
    ['9007199254740991', Number.MAX_SAFE_INTEGER],
    ['-9007199254740991', -Number.MAX_SAFE_INTEGER],
  ])('parses %j as %d', (text, expected) => {
    expect(parsedValue(amountSchema, `amount=${encodeURIComponent(text)}`)).toEqual({ amount: expected });
  });

  it.each([' 100', '100 ', '0x64', '1e2', '1_000', '١٠٠', '１００', '100.5', '9007199254740992', '9007199254740993', '', '+100', '-', '1,000', '100\n', 'abc', 'Infinity', 'NaN', '--1'])(
    'refuses %j with parameter_invalid_integer on the bracket param',
    (text) => {
      expect(wireErrorOf(amountSchema, `amount=1&nested[count]=${encodeURIComponent(text)}`)).toMatchObject({
        code: 'parameter_invalid_integer',
        param: 'nested[count]',
      });
      expect(wireErrorOf(amountSchema, `amount=${encodeURIComponent(text)}`)).toMatchObject({ code: 'parameter_invalid_integer', param: 'amount' });
    },
  );
});

describe('booleanParam', () => {
  const schema = z.strictObject({ confirm: booleanParam });

  it('parses exactly "true" and "false"', () => {
    expect(parsedValue(schema, 'confirm=true')).toEqual({ confirm: true });
    expect(parsedValue(schema, 'confirm=false')).toEqual({ confirm: false });
  });

  it.each(['True', 'FALSE', '1', '0', 'yes', 'on', '', ' true'])('refuses %j with parameter_invalid_boolean', (text) => {
    expect(wireErrorOf(schema, `confirm=${encodeURIComponent(text)}`)).toMatchObject({ code: 'parameter_invalid_boolean', param: 'confirm' });
  });
});

describe('string params', () => {
  const schema = z.strictObject({ name: clearableString(5).optional(), id: requiredString(5).optional(), kind: enumParam(['a', 'b']).optional() });

  it('reads an empty clearable string as null (unset) and keeps other values', () => {
    expect(parsedValue(schema, 'name=')).toEqual({ name: null });
    expect(parsedValue(schema, 'name=abc')).toEqual({ name: 'abc' });
    expect(parsedValue(schema, 'name=abcde')).toEqual({ name: 'abcde' });
  });

  it('refuses a string over its maximum length', () => {
    expect(wireErrorOf(schema, 'name=abcdef')).toMatchObject({ code: 'parameter_invalid_string_too_long', param: 'name' });
  });

  it('refuses an empty string for a field that cannot be unset', () => {
    expect(wireErrorOf(schema, 'id=')).toMatchObject({ code: 'parameter_invalid_empty', param: 'id' });
  });

  it('accepts enum members only', () => {
    expect(parsedValue(schema, 'kind=b')).toEqual({ kind: 'b' });
    expect(wireErrorOf(schema, 'kind=c')).toMatchObject({ code: 'parameter_invalid_enum', param: 'kind' });
  });

  it('refuses a hash where a string is expected', () => {
    expect(wireErrorOf(schema, 'name[x]=1')).toMatchObject({ code: 'parameter_invalid', param: 'name' });
  });
});

describe('metadataParam', () => {
  const schema = z.strictObject({ metadata: metadataParam.optional() });
  const keys = (n: number) => Array.from({ length: n }, (_, i) => `metadata[k${i}]=v`).join('&');

  it('reads metadata[k]=v as a set and metadata[k]= as an unset', () => {
    expect(parsedValue(schema, 'metadata[order]=6735&metadata[old]=')).toEqual({ metadata: { order: '6735', old: null } });
  });

  it('reads metadata= (the whole field empty) as clear-all', () => {
    expect(parsedValue(schema, 'metadata=')).toEqual({ metadata: null });
  });

  it('returns a plain object (it crosses DO RPC) and accepts numeric and Object.prototype-named keys', () => {
    const { metadata } = parsedValue(schema, 'metadata[20231101]=a&metadata[toString]=b&metadata[007]=c');
    expect(Object.getPrototypeOf(metadata)).toBe(Object.prototype);
    expect(metadata).toEqual({ 20231101: 'a', toString: 'b', '007': 'c' });
  });

  it(`accepts ${METADATA_KEYS_MAX} keys and refuses more`, () => {
    expect(Object.keys(parsedValue(schema, keys(METADATA_KEYS_MAX)).metadata ?? {})).toHaveLength(METADATA_KEYS_MAX);
    expect(wireErrorOf(schema, keys(METADATA_KEYS_MAX + 1))).toMatchObject({ code: 'metadata_too_many_keys', param: 'metadata' });
  });

  it(`accepts keys of ${METADATA_KEY_LENGTH_MAX} characters and refuses longer ones`, () => {
    expect(parsedValue(schema, `metadata[${'k'.repeat(METADATA_KEY_LENGTH_MAX)}]=v`).metadata).toBeTruthy();
    expect(wireErrorOf(schema, `metadata[${'k'.repeat(METADATA_KEY_LENGTH_MAX + 1)}]=v`)).toMatchObject({ code: 'metadata_key_invalid' });
  });

  it('refuses brackets in keys (only a JSON body can carry them)', () => {
    expect(wireErrorOf(schema, jsonTree('{"metadata":{"a[b":"v"}}'))).toMatchObject({ code: 'metadata_key_invalid' });
    expect(wireErrorOf(schema, jsonTree('{"metadata":{"a]":"v"}}'))).toMatchObject({ code: 'metadata_key_invalid' });
  });

  it(`accepts values of ${METADATA_VALUE_LENGTH_MAX} characters and refuses longer ones`, () => {
    expect(parsedValue(schema, `metadata[k]=${'v'.repeat(METADATA_VALUE_LENGTH_MAX)}`).metadata).toEqual({ k: 'v'.repeat(METADATA_VALUE_LENGTH_MAX) });
    expect(wireErrorOf(schema, `metadata[k]=${'v'.repeat(METADATA_VALUE_LENGTH_MAX + 1)}`)).toMatchObject({ code: 'metadata_value_too_long' });
  });

  it('refuses a non-empty scalar and nested hashes', () => {
    expect(wireErrorOf(schema, 'metadata=foo')).toMatchObject({ code: 'parameter_invalid_metadata', param: 'metadata' });
    expect(wireErrorOf(schema, 'metadata[a][b]=1')).toMatchObject({ code: 'parameter_invalid_metadata' });
  });
});

describe('applyMetadataPatch', () => {
  const current = Object.freeze({ a: '1', b: '2' });

  it('copies the current metadata when no patch was given', () => {
    const next = applyMetadataPatch(current, undefined);
    expect(next).toEqual(current);
    expect(next).not.toBe(current);
  });

  it('clears everything for a null patch', () => {
    expect(applyMetadataPatch(current, null)).toEqual({});
  });

  it('merges sets and removes unset keys without touching the input', () => {
    expect(applyMetadataPatch(current, { b: null, c: '3', missing: null })).toEqual({ a: '1', c: '3' });
    expect(current).toEqual({ a: '1', b: '2' });
  });
});

describe('toArray and arrayParam', () => {
  const schema = z.strictObject({ tags: arrayParam(z.string(), 3).optional(), expand: expandParam.optional() });

  it('orders an index map by index, compacting gaps', () => {
    expect(toArray(tree('a[10]=c&a[2]=a&a[5]=b').a)).toEqual(['a', 'b', 'c']);
  });

  it('leaves strings and non-index maps unchanged', () => {
    expect(toArray('x')).toBe('x');
    const map = tree('a[x]=1&a[0]=2').a;
    expect(toArray(map)).toBe(map);
  });

  it('does not read keys with leading zeros as indices', () => {
    const map = tree('a[0]=x&a[00]=y').a;
    expect(toArray(map)).toBe(map);
    expect(wireErrorOf(schema, 'tags[0]=x&tags[01]=y')).toMatchObject({ param: 'tags' });
  });

  it('parses indexed, curl-style and sparse arrays', () => {
    expect(parsedValue(schema, 'tags[1]=b&tags[0]=a')).toEqual({ tags: ['a', 'b'] });
    expect(parsedValue(schema, 'tags[]=a&tags[]=b')).toEqual({ tags: ['a', 'b'] });
    expect(parsedValue(schema, 'tags[7]=b&tags[3]=a')).toEqual({ tags: ['a', 'b'] });
  });

  it('refuses more items than allowed', () => {
    expect(wireErrorOf(schema, 'tags[]=a&tags[]=b&tags[]=c&tags[]=d')).toMatchObject({ param: 'tags' });
  });

  it(`accepts index ${FORM_ARRAY_INDEX_MAX} and refuses a larger one`, () => {
    expect(parsedValue(schema, `tags[${FORM_ARRAY_INDEX_MAX}]=a`)).toEqual({ tags: ['a'] });
    expect(wireErrorOf(schema, `tags[${FORM_ARRAY_INDEX_MAX + 1}]=a`)).toMatchObject({ param: 'tags', message: expect.stringMatching(/index/) });
  });

  it('accepts valid expand paths and refuses malformed, too deep or too many', () => {
    expect(parsedValue(schema, 'expand[0]=customer&expand[1]=latest_charge.balance_transaction')).toEqual({
      expand: ['customer', 'latest_charge.balance_transaction'],
    });
    expect(wireErrorOf(schema, 'expand[0]=Customer')).toMatchObject({ param: 'expand[0]' });
    expect(wireErrorOf(schema, 'expand[0]=a..b')).toMatchObject({ param: 'expand[0]' });
    expect(wireErrorOf(schema, `expand[0]=${Array(EXPAND_DEPTH_MAX + 1).fill('a').join('.')}`)).toMatchObject({ param: 'expand[0]' });
    const many = Array.from({ length: EXPAND_PATHS_MAX + 1 }, () => 'expand[]=a').join('&');
    expect(wireErrorOf(schema, many)).toMatchObject({ param: 'expand' });
  });
});

describe('listParams', () => {
  const schema = z.strictObject(listParams);

  it('accepts limit 1 through 100', () => {
    expect(parsedValue(schema, 'limit=1')).toEqual({ limit: 1 });
    expect(parsedValue(schema, 'limit=100')).toEqual({ limit: 100 });
  });

  it.each(['0', '101', '-1'])('refuses limit=%s on the limit param', (limit) => {
    expect(wireErrorOf(schema, `limit=${limit}`)).toMatchObject({ param: 'limit' });
  });

  it('refuses a non-integer limit with parameter_invalid_integer', () => {
    expect(wireErrorOf(schema, 'limit=ten')).toMatchObject({ param: 'limit', code: 'parameter_invalid_integer' });
  });

  it('reads created as an exact integer or a range', () => {
    expect(parsedValue(schema, 'created=1700000000')).toEqual({ created: 1700000000 });
    expect(parsedValue(schema, 'created[gte]=1&created[lt]=5')).toEqual({ created: { gte: 1, lt: 5 } });
    expect(parsedValue(schema, 'created[gt]=1&created[lte]=5')).toEqual({ created: { gt: 1, lte: 5 } });
  });

  it('reports a bad created bound on its bracket param', () => {
    expect(wireErrorOf(schema, 'created[gte]=abc')).toMatchObject({ param: 'created[gte]', code: 'parameter_invalid_integer' });
    expect(wireErrorOf(schema, 'created=abc')).toMatchObject({ param: 'created', code: 'parameter_invalid_integer' });
  });

  it('reports an unknown created operator as parameter_unknown', () => {
    expect(wireErrorOf(schema, 'created[foo]=1')).toMatchObject({ param: 'created[foo]', code: 'parameter_unknown' });
  });

  it('refuses empty cursors', () => {
    expect(wireErrorOf(schema, 'starting_after=')).toMatchObject({ param: 'starting_after', code: 'parameter_invalid_empty' });
    expect(parsedValue(schema, 'starting_after=cus_1&ending_before=cus_2')).toEqual({ starting_after: 'cus_1', ending_before: 'cus_2' });
  });
});
