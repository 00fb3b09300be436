/**
 * The simulated processor's decisions, pure: given the stored authorisation (if any), the
 * request and the time, what happens. The Durable Object loads, calls one of these and commits
 * the decision in one transaction.
 *
 * Rules (documented choices):
 *  - Capture happens at most once per authorisation, for at most the authorised amount; the
 *    uncaptured rest is released (Stripe's `final_capture` default). No multicapture.
 *  - Void only releases an uncaptured authorisation; a captured payment is refunded instead.
 *  - Authorisations expire AUTHORIZATION_VALIDITY_SECONDS after creation (no capture/void after).
 *  - Refunds: total of pending + succeeded refunds ≤ captured amount; a failed refund frees its
 *    amount again.
 */
import { AUTHORIZATION_VALIDITY_SECONDS, PROCESSOR_REFERENCE_LENGTH_MAX, REFUND_TRANSITION_DELAY_SECONDS } from '../../limits';
import { err, ok, type Result } from '../../result';
import { DECLINES, type AuthorizationBehaviour, type CardBehaviour, type Decline } from '../behaviour';
import { isExpired } from '../expiry';
import type {
  AuthorizeRequest,
  ProcessorRejection,
  ProcessorRejectionReason,
  RefundStatus,
  RefundTransition,
} from './protocol';

export interface AuthorizationState {
  readonly id: string;
  readonly amount: number;
  readonly currency: string;
  readonly status: 'authorized' | 'captured' | 'voided';
  readonly capturedAmount: number;
  /** Pending plus succeeded refunds. */
  readonly refundedAmount: number;
  readonly refundBehaviour: CardBehaviour['refund'];
  readonly createdSeconds: number;
}

export function rejection(reason: ProcessorRejectionReason, message: string): ProcessorRejection {
  return { outcome: 'rejected', reason, message };
}

const CURRENCY = /^[a-z]{3}$/;

/** Shape checks every mutating request gets before anything is read. */
export function checkReference(reference: string): ProcessorRejection | null {
  if (reference.length === 0 || reference.length > PROCESSOR_REFERENCE_LENGTH_MAX) {
    return rejection('invalid_request', `reference must be 1..${PROCESSOR_REFERENCE_LENGTH_MAX} characters`);
  }
  return null;
}

export function checkAmount(amount: number, currency: string): ProcessorRejection | null {
  if (!Number.isSafeInteger(amount) || amount <= 0) return rejection('invalid_request', 'amount must be a positive integer');
  if (!CURRENCY.test(currency)) return rejection('invalid_request', 'currency must be a lowercase ISO code');
  return null;
}

export type AuthorizeDecision =
  | { readonly kind: 'approve' }
  | { readonly kind: 'decline'; readonly decline: Decline }
  | { readonly kind: 'requires_authentication' }
  | { readonly kind: 'reject'; readonly rejection: ProcessorRejection };

function fromBehaviour(behaviour: AuthorizationBehaviour): AuthorizeDecision {
  return behaviour === 'approve' ? { kind: 'approve' } : { kind: 'decline', decline: behaviour.decline };
}

/** The issuer's answer, given the card's 3DS rule, the session and whether 3DS was done. */
function issuerResponse(request: AuthorizeRequest): AuthorizeDecision {
  const behaviour = request.card.behaviour;
  if (request.authenticated) return fromBehaviour(behaviour.afterAuthentication);
  switch (behaviour.authentication) {
    case 'none':
      return fromBehaviour(behaviour.authorization);
    case 'required':
      return request.offSession
        ? { kind: 'decline', decline: DECLINES.authenticationRequired }
        : { kind: 'requires_authentication' };
    case 'required_on_session':
      return request.offSession ? fromBehaviour(behaviour.authorization) : { kind: 'requires_authentication' };
  }
}

export function decideAuthorize(request: AuthorizeRequest, nowSeconds: number): AuthorizeDecision {
  const invalid = checkReference(request.reference) ?? checkAmount(request.amount, request.currency);
  if (invalid) return { kind: 'reject', rejection: invalid };
  if (isExpired(request.card.expMonth, request.card.expYear, nowSeconds)) {
    return { kind: 'decline', decline: DECLINES.expiredCard };
  }
  const response = issuerResponse(request);
  if (response.kind === 'approve' && request.card.checks.cvcCheck === 'fail') {
    return { kind: 'decline', decline: DECLINES.incorrectCvc };
  }
  return response;
}

function isAuthorizationExpired(auth: AuthorizationState, nowSeconds: number): boolean {
  return nowSeconds >= auth.createdSeconds + AUTHORIZATION_VALIDITY_SECONDS;
}

function missing(id: string): ProcessorRejection {
  return rejection('authorization_missing', `No such authorization: ${id}`);
}

/** Why an uncaptured authorisation cannot be captured or voided, or null if it can. */
function holdUnavailable(auth: AuthorizationState, nowSeconds: number): ProcessorRejection | null {
  if (auth.status === 'captured') return rejection('already_captured', `Authorization ${auth.id} has already been captured.`);
  if (auth.status === 'voided') return rejection('already_voided', `Authorization ${auth.id} has been voided.`);
  if (isAuthorizationExpired(auth, nowSeconds)) return rejection('authorization_expired', `Authorization ${auth.id} has expired.`);
  return null;
}

export interface CaptureDecision {
  readonly capturedAmount: number;
  readonly releasedAmount: number;
}

export function decideCapture(
  auth: AuthorizationState | null,
  request: { readonly authorizationId: string; readonly amount: number; readonly currency: string },
  nowSeconds: number,
): Result<CaptureDecision, ProcessorRejection> {
  const invalid = checkAmount(request.amount, request.currency);
  if (invalid) return err(invalid);
  if (auth === null) return err(missing(request.authorizationId));
  const unavailable = holdUnavailable(auth, nowSeconds);
  if (unavailable) return err(unavailable);
  if (request.currency !== auth.currency) return err(rejection('currency_mismatch', `Authorization is in ${auth.currency}.`));
  if (request.amount > auth.amount) {
    return err(rejection('amount_exceeds_capturable', `Capture of ${request.amount} exceeds the authorized ${auth.amount}.`));
  }
  return ok({ capturedAmount: request.amount, releasedAmount: auth.amount - request.amount });
}

export function decideVoid(
  auth: AuthorizationState | null,
  authorizationId: string,
  nowSeconds: number,
): Result<{ readonly releasedAmount: number }, ProcessorRejection> {
  if (auth === null) return err(missing(authorizationId));
  const unavailable = holdUnavailable(auth, nowSeconds);
  return unavailable ? err(unavailable) : ok({ releasedAmount: auth.amount });
}

export interface RefundDecision {
  readonly status: RefundStatus;
  readonly transition: RefundTransition | null;
}

/** The refund's first status and its scheduled change, from the card's refund behaviour. */
function refundLifecycle(behaviour: CardBehaviour['refund'], nowSeconds: number): RefundDecision {
  const atSeconds = nowSeconds + REFUND_TRANSITION_DELAY_SECONDS;
  switch (behaviour) {
    case 'succeed':
      return { status: 'succeeded', transition: null };
    case 'pending_then_succeed':
      return { status: 'pending', transition: { status: 'succeeded', atSeconds, failureReason: null } };
    case 'succeed_then_fail':
      return { status: 'succeeded', transition: { status: 'failed', atSeconds, failureReason: 'expired_or_canceled_card' } };
  }
}

export function decideRefund(
  auth: AuthorizationState | null,
  request: { readonly authorizationId: string; readonly amount: number; readonly currency: string },
  nowSeconds: number,
): Result<RefundDecision, ProcessorRejection> {
  const invalid = checkAmount(request.amount, request.currency);
  if (invalid) return err(invalid);
  if (auth === null) return err(missing(request.authorizationId));
  if (auth.status === 'voided') return err(rejection('already_voided', `Authorization ${auth.id} has been voided.`));
  if (auth.status !== 'captured') return err(rejection('not_captured', `Authorization ${auth.id} has not been captured.`));
  if (request.currency !== auth.currency) return err(rejection('currency_mismatch', `Payment is in ${auth.currency}.`));
  const refundable = auth.capturedAmount - auth.refundedAmount;
  if (request.amount > refundable) {
    return err(rejection('amount_exceeds_refundable', `Refund of ${request.amount} exceeds the refundable ${refundable}.`));
  }
  return ok(refundLifecycle(auth.refundBehaviour, nowSeconds));
}
