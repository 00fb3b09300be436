/**
 * Checkout Sessions as the account stores them, and their status machine: `open` → `complete`
 * (its payment succeeded, or its subscription's first invoice was paid) | `expired` (by
 * `expires_at` or `POST …/expire`). A session never leaves `complete` or `expired`. Pure.
 */
import type { DomainError } from '../errors';
import { err, ok, type Result } from '../result';

/** Stripe: a session expires between 30 minutes and 24 hours after creation (default 24 h). */
export const CHECKOUT_EXPIRY_MIN_SECONDS = 30 * 60;
export const CHECKOUT_EXPIRY_MAX_SECONDS = 24 * 60 * 60;
export const CHECKOUT_LINE_ITEMS_MAX = 100;
export const CHECKOUT_QUANTITY_MAX = 999_999;
export const CHECKOUT_URL_LENGTH_MAX = 5_000;
/** Line items embedded by `expand[]=line_items` (the rest via GET …/line_items). */
export const CHECKOUT_EMBEDDED_LINE_ITEMS_MAX = 10;
export const CHECKOUT_SESSION_ID_PLACEHOLDER = '{CHECKOUT_SESSION_ID}';

export type CheckoutMode = 'payment' | 'subscription';
export type CheckoutStatus = 'open' | 'complete' | 'expired';
export type CheckoutPaymentStatus = 'unpaid' | 'paid' | 'no_payment_required';

export interface CheckoutLineItem {
  readonly id: string;
  readonly price: string;
  readonly product: string;
  readonly description: string;
  readonly quantity: number;
  readonly unitAmount: number;
  readonly currency: string;
  readonly recurring: boolean;
}

export interface CustomerDetails {
  readonly email: string | null;
  readonly name: string | null;
}

export interface CheckoutSession {
  readonly id: string;
  readonly created: number;
  readonly livemode: boolean;
  readonly mode: CheckoutMode;
  readonly status: CheckoutStatus;
  readonly paymentStatus: CheckoutPaymentStatus;
  readonly currency: string;
  readonly amountSubtotal: number;
  readonly amountTotal: number;
  readonly customer: string | null;
  readonly customerEmail: string | null;
  readonly customerDetails: CustomerDetails | null;
  readonly clientReferenceId: string | null;
  readonly successUrl: string | null;
  readonly cancelUrl: string | null;
  readonly metadata: Readonly<Record<string, string>>;
  readonly expiresAt: number;
  readonly lineItems: readonly CheckoutLineItem[];
  /** Rendered `payment_intent`: the session's own PaymentIntent (payment mode), else null. */
  readonly paymentIntent: string | null;
  /** The PaymentIntent the hosted page confirms: payment mode's, or the first invoice's (subscription mode). */
  readonly collectIntent: string | null;
  readonly subscription: string | null;
  readonly invoice: string | null;
  /** The hosted page's URL while open (origin of the creating request + path). */
  readonly url: string;
}

export type CheckoutAction = 'expire' | 'complete';

/** Only an open session may be expired or completed (Stripe's message for expire). */
export function checkSessionAction(session: CheckoutSession, action: CheckoutAction): Result<CheckoutSession, DomainError> {
  if (session.status === 'open') return ok(session);
  return err({
    reason: 'unexpected_state',
    resource: 'Checkout Session',
    id: session.id,
    status: session.status,
    action: action === 'expire' ? 'expire this Checkout Session' : 'complete this Checkout Session',
    allowed: ['open'],
    code: 'checkout_session_unexpected_state',
  });
}

/** True when an open session's `expires_at` has passed (the alarm expires it; reads treat it so). */
export function isPastExpiry(session: CheckoutSession, nowSeconds: number): boolean {
  return session.status === 'open' && nowSeconds >= session.expiresAt;
}

/** `expires_at` must fall 30 min – 24 h after now; absent → now + 24 h. */
export function checkExpiresAt(expiresAt: number | undefined, nowSeconds: number): Result<number, DomainError> {
  if (expiresAt === undefined) return ok(nowSeconds + CHECKOUT_EXPIRY_MAX_SECONDS);
  if (expiresAt < nowSeconds + CHECKOUT_EXPIRY_MIN_SECONDS || expiresAt > nowSeconds + CHECKOUT_EXPIRY_MAX_SECONDS) {
    return err({
      reason: 'invalid_request',
      message: 'The `expires_at` timestamp must be between 30 minutes and 24 hours from Checkout Session creation.',
      param: 'expires_at',
      code: 'parameter_invalid',
    });
  }
  return ok(expiresAt);
}

/** The success URL with `{CHECKOUT_SESSION_ID}` replaced by the session's id. */
export function resolvedSuccessUrl(session: Pick<CheckoutSession, 'id' | 'successUrl'>): string | null {
  return session.successUrl === null ? null : session.successUrl.split(CHECKOUT_SESSION_ID_PLACEHOLDER).join(session.id);
}

export function completedSession(session: CheckoutSession, details: CustomerDetails, paid: boolean): CheckoutSession {
  return { ...session, status: 'complete', paymentStatus: paid ? 'paid' : session.paymentStatus, customerDetails: details };
}
