/**
 * Our error mapping, checked against stripe-node 23.1.0 itself: every wire error we can produce
 * is fed to the SDK's own `generateV1Error` (what `RequestSender` calls on an error response)
 * and must come out as the intended SDK error class.
 */
import fc from 'fast-check';
import Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import type { DomainError, DomainErrorReason } from '../../../src/domain/errors';
import {
  authenticationFailed,
  fromDomainError,
  internalError,
  invalidRequest,
  maskApiKey,
  permissionDenied,
  unrecognizedUrl,
  type WireError,
} from '../../../src/stripe/errors';

type SdkClass =
  | 'StripeInvalidRequestError'
  | 'StripeIdempotencyError'
  | 'StripeAuthenticationError'
  | 'StripePermissionError'
  | 'StripeCardError'
  | 'StripeRateLimitError'
  | 'StripeAPIError';

/** What stripe-node makes of our response: the class its own status/type dispatch picks. */
function sdkErrorFor(wire: WireError) {
  // The raw error is our JSON as the SDK would parse it (it types the embedded objects; we send them as JSON).
  const raw = { ...wire.error, statusCode: wire.status, requestId: 'req_test', headers: {} } as Parameters<typeof Stripe.errors.generateV1Error>[0];
  return Stripe.errors.generateV1Error(raw);
}

type Case = readonly [label: string, error: DomainError, status: number, sdkClass: SdkClass];

/**
 * One row per DomainError reason, keyed by reason so that adding a reason to the union fails the
 * type check here until its intended client-side class is written down (CONTRACT.md §2.2–2.3).
 */
const DOMAIN_CASES: { readonly [R in DomainErrorReason]: readonly Case[] } = {
  resource_missing: [
    ['path id', { reason: 'resource_missing', resource: 'customer', id: 'cus_x', param: 'id' }, 404, 'StripeInvalidRequestError'],
    ['body reference', { reason: 'resource_missing', resource: 'payment_method', id: 'pm_x', param: 'payment_method' }, 400, 'StripeInvalidRequestError'],
  ],
  resource_deleted: [['deleted', { reason: 'resource_deleted', resource: 'customer', id: 'cus_x', param: 'customer' }, 400, 'StripeInvalidRequestError']],
  idempotency_key_reused: [
    ['other params', { reason: 'idempotency_key_reused', differs: 'parameters' }, 400, 'StripeIdempotencyError'],
    ['other endpoint', { reason: 'idempotency_key_reused', differs: 'endpoint' }, 400, 'StripeIdempotencyError'],
  ],
  // A 409 is mapped by status, so the SDK raises StripeAPIError (and retries it), not StripeIdempotencyError.
  idempotency_key_in_use: [['in flight', { reason: 'idempotency_key_in_use' }, 409, 'StripeAPIError']],
  api_key_revoked: [['revoked', { reason: 'api_key_revoked' }, 401, 'StripeAuthenticationError']],
  rate_limited: [['rate limited', { reason: 'rate_limited' }, 429, 'StripeRateLimitError']],
  unexpected_state: [
    [
      'wrong status',
      {
        reason: 'unexpected_state',
        resource: 'payment_intent',
        id: 'pi_x',
        status: 'succeeded',
        action: 'cancel',
        allowed: ['requires_payment_method', 'requires_capture'],
        code: 'payment_intent_unexpected_state',
      },
      400,
      'StripeInvalidRequestError',
    ],
  ],
  amount_too_small: [['too small', { reason: 'amount_too_small', param: 'amount', minimum: 50, currency: 'usd' }, 400, 'StripeInvalidRequestError']],
  amount_too_large: [['too large', { reason: 'amount_too_large', param: 'amount', message: 'Amount too large.' }, 400, 'StripeInvalidRequestError']],
  invalid_request: [
    ['with param', { reason: 'invalid_request', param: 'return_url', code: null, message: 'Needs return_url.' }, 400, 'StripeInvalidRequestError'],
    ['with code', { reason: 'invalid_request', param: null, code: 'charge_already_refunded', message: 'Already refunded.' }, 400, 'StripeInvalidRequestError'],
  ],
  card_invalid: [
    ['bad number', { reason: 'card_invalid', code: 'incorrect_number', message: 'Your card number is incorrect.', param: 'card[number]' }, 402, 'StripeCardError'],
  ],
  charge_already_refunded: [['refunded', { reason: 'charge_already_refunded', chargeId: 'ch_x' }, 400, 'StripeInvalidRequestError']],
  balance_insufficient: [
    ['payout', { reason: 'balance_insufficient', currency: 'usd', available: 100, requested: 500 }, 400, 'StripeInvalidRequestError'],
  ],
  // Lock contention is a 429, which the SDK raises as StripeRateLimitError.
  object_locked: [['locked', { reason: 'object_locked', resource: 'payment_intent', id: 'pi_x' }, 429, 'StripeRateLimitError']],
  payment_failed: [
    [
      'declined',
      {
        reason: 'payment_failed',
        code: 'card_declined',
        declineCode: 'insufficient_funds',
        message: 'Your card has insufficient funds.',
        chargeId: 'ch_x',
        paymentIntent: { id: 'pi_x', object: 'payment_intent' },
        paymentMethod: { id: 'pm_x', object: 'payment_method' },
      },
      402,
      'StripeCardError',
    ],
    [
      'no decline code',
      { reason: 'payment_failed', code: 'processing_error', declineCode: null, message: 'Processing error.', chargeId: null, paymentIntent: null, paymentMethod: null },
      402,
      'StripeCardError',
    ],
  ],
};

const HELPER_CASES: ReadonlyArray<readonly [label: string, wire: WireError, status: number, sdkClass: SdkClass]> = [
  ['authenticationFailed (no key)', authenticationFailed(null), 401, 'StripeAuthenticationError'],
  ['authenticationFailed (bad key)', authenticationFailed('sk_test_abcdefghijklmnop1234'), 401, 'StripeAuthenticationError'],
  ['permissionDenied', permissionDenied('This key cannot write customers.'), 403, 'StripePermissionError'],
  ['unrecognizedUrl', unrecognizedUrl('GET', '/v1/foo'), 404, 'StripeInvalidRequestError'],
  ['internalError', internalError(), 500, 'StripeAPIError'],
  ['invalidRequest', invalidRequest('Missing required param: amount.', 'amount', 'parameter_missing'), 400, 'StripeInvalidRequestError'],
];

const ALL_CASES = [
  ...Object.values(DOMAIN_CASES).flatMap((cases) => cases.map(([label, e, status, cls]) => [`${e.reason} (${label})`, fromDomainError(e), status, cls] as const)),
  ...HELPER_CASES,
];

const WIRE_TYPES = ['api_error', 'card_error', 'idempotency_error', 'invalid_request_error'];

describe('stripe errors mapping', () => {
  it.each(ALL_CASES)('maps %s to the intended status and stripe-node class', (_label, wire, status, sdkClass) => {
    expect(wire.status).toBe(status);
    const sdkError = sdkErrorFor(wire);
    expect(sdkError).toBeInstanceOf(Stripe.errors[sdkClass]);
    expect(sdkError.type).toBe(sdkClass);
    expect(sdkError.statusCode).toBe(status);
    expect(sdkError.rawType).toBe(wire.error.type);
    expect(sdkError.message).toBe(wire.error.message);
  });

  it.each(ALL_CASES)('gives %s a wire type, a message and a matching doc_url', (_label, wire) => {
    expect(WIRE_TYPES).toContain(wire.error.type);
    expect(wire.error.message.length).toBeGreaterThan(0);
    if (wire.error.code !== undefined) {
      expect(wire.error.doc_url).toBe(`https://stripe.com/docs/error-codes/${wire.error.code.replaceAll('_', '-')}`);
    } else {
      expect(wire.error.doc_url).toBeUndefined();
    }
  });

  it('carries the param and code of domain errors onto the wire', () => {
    expect(fromDomainError({ reason: 'resource_missing', resource: 'customer', id: 'cus_x', param: 'id' }).error).toMatchObject({
      code: 'resource_missing',
      param: 'id',
      message: "No such customer: 'cus_x'",
    });
    expect(fromDomainError({ reason: 'invalid_request', param: null, code: null, message: 'm' }).error).toEqual({ type: 'invalid_request_error', message: 'm' });
  });

  it('says why an idempotency key was refused', () => {
    expect(fromDomainError({ reason: 'idempotency_key_reused', differs: 'endpoint' }).error.message).toMatch(/same endpoint/);
    expect(fromDomainError({ reason: 'idempotency_key_reused', differs: 'parameters' }).error.message).toMatch(/same parameters/);
  });
});

describe('maskApiKey', () => {
  const PREFIX = /^(?:(?:sk|rk|pk)_(?:test|live)_)?/;

  it('keeps the key-type prefix and the last four characters', () => {
    expect(maskApiKey('sk_test_51HqLyjWDarjtT1zdp7dcXYZabcd')).toBe('sk_test_****abcd');
    expect(maskApiKey('rk_live_0123456789abcdefghij')).toBe('rk_live_****ghij');
  });

  it('reveals nothing of short keys', () => {
    expect(maskApiKey('')).toBe('****');
    expect(maskApiKey('short')).toBe('****');
  });

  it('does not treat arbitrary text before an underscore as a prefix', () => {
    expect(maskApiKey('mysecretpassword_with_more_1234')).toBe('****1234');
    expect(maskApiKey('sk_abcdefghijklmnopqrstuvwxyz_0000')).toBe('****0000');
  });

  it('never reveals more than a known prefix and the last four characters', () => {
    const key = fc.oneof(
      fc.string(),
      fc.string({ unit: fc.constantFrom('sk_', 'rk_', 'pk_', 'test_', 'live_', '_', 'a', 'B', '9', 'é') }),
      fc.tuple(fc.constantFrom('sk_test_', 'sk_live_', 'rk_test_', 'pk_live_'), fc.string({ maxLength: 60 })).map(([p, rest]) => p + rest),
    );
    fc.assert(
      fc.property(key, (k) => {
        const masked = maskApiKey(k);
        const prefix = PREFIX.exec(masked)![0];
        expect(k.startsWith(prefix)).toBe(true);
        expect(masked.slice(prefix.length, prefix.length + 4)).toBe('****');
        const tail = masked.slice(prefix.length + 4);
        expect(tail.length).toBeLessThanOrEqual(4);
        if (tail !== '') expect(k.endsWith(tail)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});
