/**
 * Expected business failures, as a tagged union keyed by `reason`. Deciders return them in a
 * Result; `src/stripe/errors.ts` maps each one to Stripe's wire error in one exhaustive switch,
 * so adding a reason here fails the build until it is mapped.
 */
export type DomainError =
  | { readonly reason: 'resource_missing'; readonly resource: string; readonly id: string; readonly param: string }
  | { readonly reason: 'resource_deleted'; readonly resource: string; readonly id: string; readonly param: string }
  | { readonly reason: 'idempotency_key_reused'; readonly differs: 'parameters' | 'endpoint' }
  | { readonly reason: 'idempotency_key_in_use' }
  | { readonly reason: 'api_key_revoked' }
  /** The account's request rate limit (src/domain/rate-limit.ts) is spent for now. */
  | { readonly reason: 'rate_limited' }
  | {
      readonly reason: 'unexpected_state';
      readonly resource: string;
      readonly id: string;
      readonly status: string;
      readonly action: string;
      readonly allowed: readonly string[];
      readonly code: string;
      /** The object's wire snapshot, when Stripe embeds it in the error (PaymentIntents). */
      readonly object?: unknown;
    }
  | { readonly reason: 'amount_too_small'; readonly param: string; readonly minimum: number; readonly currency: string }
  | { readonly reason: 'amount_too_large'; readonly param: string; readonly message: string }
  | { readonly reason: 'invalid_request'; readonly param: string | null; readonly code: string | null; readonly message: string }
  /** Raw card fields failed validation (`incorrect_number`, `invalid_expiry_month`, …): 402 card_error. */
  | { readonly reason: 'card_invalid'; readonly code: string; readonly message: string; readonly param: string }
  | { readonly reason: 'charge_already_refunded'; readonly chargeId: string }
  | { readonly reason: 'balance_insufficient'; readonly currency: string; readonly available: number; readonly requested: number }
  | { readonly reason: 'object_locked'; readonly resource: string; readonly id: string }
  | {
      /** A payment attempt failed at the processor: HTTP 402 card_error carrying the intent. */
      readonly reason: 'payment_failed';
      readonly code: string;
      readonly declineCode: string | null;
      readonly message: string;
      readonly chargeId: string | null;
      /** Wire snapshots, rendered by the caller (the error body embeds the full objects). */
      readonly paymentIntent: unknown;
      readonly paymentMethod: unknown;
    };

export type DomainErrorReason = DomainError['reason'];

export function resourceMissing(resource: string, id: string, param = 'id'): DomainError {
  return { reason: 'resource_missing', resource, id, param };
}

export function invalidRequestError(message: string, param: string | null = null, code: string | null = null): DomainError {
  return { reason: 'invalid_request', message, param, code };
}
