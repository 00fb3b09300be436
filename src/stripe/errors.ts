/**
 * Stripe's error envelope and the single mapping from our failures to it.
 *
 * stripe-node picks the error class from the HTTP status (400/404 → InvalidRequest, or
 * Idempotency when `type` is `idempotency_error`; 401 → Authentication; 402 → Card;
 * 403 → Permission; 429 → RateLimit; anything else → API), so status and type travel together.
 */
import { assertNever } from '../domain/assert';
import type { DomainError } from '../domain/errors';
import { isCurrencyCode } from '../domain/money/currency';
import { formatMinorWithCode } from '../domain/money/minor-units';

export type StripeErrorType = 'api_error' | 'card_error' | 'idempotency_error' | 'invalid_request_error';

export interface StripeErrorObject {
  type: StripeErrorType;
  message: string;
  code?: string;
  param?: string;
  decline_code?: string;
  doc_url?: string;
  charge?: string;
  payment_intent?: unknown;
  payment_method?: unknown;
  advice_code?: string;
}

export interface WireError {
  readonly status: number;
  readonly error: StripeErrorObject;
  /** Sent as `Stripe-Should-Retry` when set (e.g. true on lock contention, which SDKs then retry). */
  readonly shouldRetry?: boolean;
}

export function docUrl(code: string): string {
  return `https://stripe.com/docs/error-codes/${code.replaceAll('_', '-')}`;
}

export function wireError(
  status: number,
  type: StripeErrorType,
  message: string,
  extra: Omit<StripeErrorObject, 'type' | 'message'> = {},
): WireError {
  const error: StripeErrorObject = { type, message, ...extra };
  if (error.code !== undefined && error.doc_url === undefined) error.doc_url = docUrl(error.code);
  return { status, error };
}

export function invalidRequest(message: string, param?: string | null, code?: string | null): WireError {
  const extra: Omit<StripeErrorObject, 'type' | 'message'> = {};
  if (param) extra.param = param;
  if (code) extra.code = code;
  return wireError(400, 'invalid_request_error', message, extra);
}

const KEY_PREFIX = /^(sk|rk|pk)_(test|live)_/;

/** `sk_test_****abcd`: only a known prefix and the last four characters are ever shown. */
export function maskApiKey(key: string): string {
  if (key.length <= 12) return '****';
  const prefix = KEY_PREFIX.exec(key)?.[0] ?? '';
  return `${prefix}****${key.slice(-4)}`;
}

export function authenticationFailed(presentedKey: string | null): WireError {
  const message =
    presentedKey === null
      ? 'You did not provide an API key. You need to provide your API key in the Authorization header, ' +
        'using Bearer auth (e.g. \'Authorization: Bearer YOUR_SECRET_KEY\').'
      : `Invalid API Key provided: ${maskApiKey(presentedKey)}`;
  return wireError(401, 'invalid_request_error', message);
}

export function permissionDenied(message: string): WireError {
  return wireError(403, 'invalid_request_error', message, { code: 'permission_denied' });
}

export function unrecognizedUrl(method: string, path: string): WireError {
  return wireError(
    404,
    'invalid_request_error',
    `Unrecognized request URL (${method}: ${path}). Please see https://stripe.com/docs or we can help at https://support.stripe.com/.`,
  );
}

export function internalError(): WireError {
  return wireError(500, 'api_error', 'An unknown error occurred while processing your request. Please try again later.');
}

const BALANCE_INSUFFICIENT_MESSAGE =
  'You have insufficient funds in your Stripe account for this transfer. Your card balance is too low. ' +
  'You can use the /v1/balance endpoint to view your Stripe balance (for more details, see stripe.com/docs/api#balance).';

/** "$0.50 usd" for a known currency; the raw minor units otherwise (never a float). */
function minimumText(minimum: number, currency: string): string {
  return isCurrencyCode(currency) ? formatMinorWithCode(minimum, currency) : `${minimum} ${currency}`;
}

export function fromDomainError(e: DomainError): WireError {
  switch (e.reason) {
    case 'resource_missing':
      return wireError(e.param === 'id' ? 404 : 400, 'invalid_request_error', `No such ${e.resource}: '${e.id}'`, {
        code: 'resource_missing',
        param: e.param,
      });
    case 'resource_deleted':
      return invalidRequest(`The ${e.resource} '${e.id}' has been deleted.`, e.param, 'resource_missing');
    case 'idempotency_key_reused':
      return wireError(
        400,
        'idempotency_error',
        e.differs === 'endpoint'
          ? 'Keys for idempotent requests can only be used for the same endpoint they were first used for. ' +
              'Try using a key other than the one used on the original request.'
          : 'Keys for idempotent requests can only be used with the same parameters they were first used with. ' +
              'Try using a key other than the one used on the original request.',
      );
    case 'idempotency_key_in_use':
      return wireError(
        409,
        'idempotency_error',
        'There is currently another in-progress request using this Idempotent Key (that probably means you ' +
          'submitted twice, and the other request is still going through). Please try again later.',
        { code: 'idempotency_key_in_use' },
      );
    case 'api_key_revoked':
      return wireError(401, 'invalid_request_error', 'This API key has been revoked.', { code: 'api_key_revoked' });
    case 'rate_limited':
      return wireError(429, 'invalid_request_error', 'Request rate limit exceeded. Learn more about rate limits here https://stripe.com/docs/rate-limits.', {
        code: 'rate_limit',
      });
    case 'unexpected_state': {
      const refused = invalidRequest(`This ${e.resource}'s status is ${e.status}, but it must be one of ${e.allowed.join(', ')} to ${e.action}.`, null, e.code);
      // Like Stripe: a PaymentIntent in the wrong state comes back in the error (stripe-node: err.payment_intent).
      if (e.object !== undefined && e.resource === 'PaymentIntent') refused.error.payment_intent = e.object;
      return refused;
    }
    case 'amount_too_small':
      return invalidRequest(`Amount must be at least ${minimumText(e.minimum, e.currency)}`, e.param, 'amount_too_small');
    case 'amount_too_large':
      return invalidRequest(e.message, e.param, 'amount_too_large');
    case 'invalid_request':
      return invalidRequest(e.message, e.param, e.code);
    case 'card_invalid':
      return wireError(402, 'card_error', e.message, { code: e.code, param: e.param });
    case 'charge_already_refunded':
      return invalidRequest(`Charge ${e.chargeId} has already been refunded.`, null, 'charge_already_refunded');
    case 'balance_insufficient':
      return invalidRequest(BALANCE_INSUFFICIENT_MESSAGE, null, 'balance_insufficient');
    case 'object_locked':
      return {
        ...wireError(
          429,
          'invalid_request_error',
          `This object cannot be accessed right now because another API request or Stripe process is currently accessing it. ` +
            `If you see this error intermittently, retry the request. (${e.resource} ${e.id})`,
          { code: 'lock_timeout' },
        ),
        shouldRetry: true,
      };
    case 'payment_failed': {
      const extra: Omit<StripeErrorObject, 'type' | 'message'> = { code: e.code, payment_intent: e.paymentIntent, payment_method: e.paymentMethod };
      if (e.declineCode !== null) extra.decline_code = e.declineCode;
      if (e.chargeId !== null) extra.charge = e.chargeId;
      return wireError(402, 'card_error', e.message, extra);
    }
    default:
      return assertNever(e, 'unmapped domain error');
  }
}
