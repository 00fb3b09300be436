import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { arrayParam, clearableString, integerParam, requiredString } from '../../../src/stripe/params/common';
import { toParamPath } from '../../../src/stripe/param-path';
import { parseParams } from '../../../src/stripe/validate';
import { tree } from '../support/decode';

/** Mirrors the customer address shape: '' clears it, otherwise a strict hash. */
const address = z.union([
  z.literal('').transform(() => null),
  z.strictObject({ city: clearableString(100).optional(), line1: clearableString(100).optional() }),
]);

const schema = z.strictObject({
  amount: integerParam,
  currency: requiredString(3),
  address: address.optional(),
  shipping: z.strictObject({ name: requiredString(50), address: address.optional() }).optional(),
  items: arrayParam(z.strictObject({ price: requiredString(50), quantity: integerParam.optional() }), 10).optional(),
});

function errorFor(text: string) {
  const result = parseParams(schema, tree(text));
  if (result.ok) throw new Error(`expected ${text} to be refused`);
  expect(result.error.status).toBe(400);
  expect(result.error.error.type).toBe('invalid_request_error');
  return result.error.error;
}

describe('toParamPath', () => {
  it('renders zod paths in bracket notation', () => {
    expect(toParamPath([])).toBe('');
    expect(toParamPath(['amount'])).toBe('amount');
    expect(toParamPath(['items', 0, 'price'])).toBe('items[0][price]');
  });
});

describe('parseParams', () => {
  it('returns the parsed value for valid input', () => {
    const result = parseParams(schema, tree('amount=100&currency=usd&items[0][price]=p1&items[0][quantity]=2&address='));
    expect(result).toEqual({ ok: true, value: { amount: 100, currency: 'usd', items: [{ price: 'p1', quantity: 2 }], address: null } });
  });

  it('reports an unknown top-level param as parameter_unknown', () => {
    expect(errorFor('amount=1&currency=usd&foo=1')).toMatchObject({
      code: 'parameter_unknown',
      param: 'foo',
      message: 'Received unknown parameter: foo',
      doc_url: 'https://stripe.com/docs/error-codes/parameter-unknown',
    });
  });

  it('reports an unknown nested param with its bracket path, also inside a union', () => {
    expect(errorFor('amount=1&currency=usd&address[foo]=1')).toMatchObject({ code: 'parameter_unknown', param: 'address[foo]' });
    expect(errorFor('amount=1&currency=usd&shipping[name]=n&shipping[address][foo]=1')).toMatchObject({
      code: 'parameter_unknown',
      param: 'shipping[address][foo]',
    });
    expect(errorFor('amount=1&currency=usd&items[0][price]=p&items[0][colour]=red')).toMatchObject({
      code: 'parameter_unknown',
      param: 'items[0][colour]',
    });
  });

  it('reports a missing required param as parameter_missing', () => {
    expect(errorFor('currency=usd')).toMatchObject({ code: 'parameter_missing', param: 'amount', message: 'Missing required param: amount.' });
    expect(errorFor('amount=1&currency=usd&shipping[address][city]=x')).toMatchObject({ code: 'parameter_missing', param: 'shipping[name]' });
    expect(errorFor('amount=1&currency=usd&items[0][quantity]=1')).toMatchObject({ code: 'parameter_missing', param: 'items[0][price]' });
  });

  it('reports an invalid value inside a union branch on its own bracket path', () => {
    expect(errorFor(`amount=1&currency=usd&address[city]=${'x'.repeat(101)}`)).toMatchObject({
      code: 'parameter_invalid_string_too_long',
      param: 'address[city]',
    });
  });

  it('reports a scalar given where a hash is expected as parameter_invalid', () => {
    expect(errorFor('amount=1&currency=usd&shipping=x')).toMatchObject({ code: 'parameter_invalid', param: 'shipping' });
    expect(errorFor('amount=1&currency=usd&address=somewhere')).toMatchObject({ code: 'parameter_invalid', param: 'address' });
  });

  it('reports errors in sparse arrays against the index the client sent', () => {
    expect(errorFor('amount=1&currency=usd&items[5][price]=p&items[5][quantity]=abc')).toMatchObject({
      code: 'parameter_invalid_integer',
      param: 'items[5][quantity]',
    });
    expect(errorFor('amount=1&currency=usd&items[2][price]=p&items[9][quantity]=1')).toMatchObject({
      code: 'parameter_missing',
      param: 'items[9][price]',
    });
  });

  it('reports curl-style arrays with the index they were given', () => {
    expect(errorFor('amount=1&currency=usd&items[][price]=p&items[][quantity]=1&items[][price]=q&items[][quantity]=x')).toMatchObject({
      code: 'parameter_invalid_integer',
      param: 'items[1][quantity]',
    });
  });
});
