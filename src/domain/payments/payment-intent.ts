/**
 * PaymentIntent record and its status machine (CONTRACT §5.3). Which actions each status allows
 * lives in one table; `checkAction` returns Stripe's `payment_intent_unexpected_state` otherwise.
 */
import type { DomainError } from '../errors';
import { err, ok, type Result } from '../result';

export type PaymentIntentStatus =
  | 'requires_payment_method'
  | 'requires_confirmation'
  | 'requires_action'
  | 'processing'
  | 'requires_capture'
  | 'succeeded'
  | 'canceled';

export type CaptureMethod = 'automatic' | 'automatic_async' | 'manual';
export type CancellationReason = 'abandoned' | 'automatic' | 'duplicate' | 'expired' | 'failed_invoice' | 'fraudulent' | 'requested_by_customer' | 'void_invoice';

export interface PaymentError {
  readonly type: 'card_error' | 'invalid_request_error';
  readonly code: string;
  readonly declineCode: string | null;
  readonly message: string;
  readonly charge: string | null;
  readonly paymentMethod: string | null;
}

export interface NextAction {
  readonly type: 'redirect_to_url';
  readonly url: string;
  readonly returnUrl: string | null;
}

export interface PaymentIntent {
  readonly id: string;
  readonly created: number;
  readonly livemode: boolean;
  readonly amount: number;
  readonly amountCapturable: number;
  readonly amountReceived: number;
  readonly currency: string;
  readonly customer: string | null;
  readonly description: string | null;
  readonly metadata: Readonly<Record<string, string>>;
  readonly status: PaymentIntentStatus;
  readonly captureMethod: CaptureMethod;
  readonly confirmationMethod: 'automatic' | 'manual';
  readonly paymentMethod: string | null;
  readonly paymentMethodTypes: readonly string[];
  /** As requested (`allowed_payment_method_types`), or null when the account default applies. */
  readonly allowedPaymentMethodTypes: readonly string[] | null;
  readonly automaticPaymentMethods: { readonly enabled: boolean; readonly allowRedirects: 'always' | 'never' } | null;
  readonly clientSecret: string;
  readonly latestCharge: string | null;
  readonly lastPaymentError: PaymentError | null;
  readonly nextAction: NextAction | null;
  readonly canceledAt: number | null;
  readonly cancellationReason: CancellationReason | null;
  readonly receiptEmail: string | null;
  readonly setupFutureUsage: 'on_session' | 'off_session' | null;
  readonly statementDescriptorSuffix: string | null;
  readonly returnUrl: string | null;
  /** Set while a phased operation (confirm, capture, cancel) is talking to the processor. */
  readonly lockedBy: string | null;
  /** The attempt awaiting 3DS (requires_action): its reserved charge id and payment method. */
  readonly attempt: { readonly chargeId: string; readonly paymentMethod: string; readonly offSession: boolean } | null;
}

export type PaymentIntentAction = 'confirm' | 'capture' | 'cancel' | 'update';

const ALLOWED: Readonly<Record<PaymentIntentAction, readonly PaymentIntentStatus[]>> = {
  confirm: ['requires_payment_method', 'requires_confirmation', 'requires_action'],
  capture: ['requires_capture'],
  cancel: ['requires_payment_method', 'requires_capture', 'requires_confirmation', 'requires_action', 'processing'],
  update: ['requires_payment_method', 'requires_confirmation', 'requires_action'],
};

const ACTION_WORDS: Readonly<Record<PaymentIntentAction, string>> = {
  confirm: 'confirm this PaymentIntent',
  capture: 'capture this PaymentIntent',
  cancel: 'cancel this PaymentIntent',
  update: 'update this PaymentIntent',
};

export function checkAction(intent: PaymentIntent, action: PaymentIntentAction): Result<PaymentIntent, DomainError> {
  if (intent.lockedBy !== null) return err({ reason: 'object_locked', resource: 'payment_intent', id: intent.id });
  if (ALLOWED[action].includes(intent.status)) return ok(intent);
  return err({
    reason: 'unexpected_state',
    resource: 'PaymentIntent',
    id: intent.id,
    status: intent.status,
    action: ACTION_WORDS[action],
    allowed: ALLOWED[action],
    code: 'payment_intent_unexpected_state',
  });
}

/** The status a PaymentIntent rests in when it has no attempt in flight. */
export function restingStatus(paymentMethod: string | null): PaymentIntentStatus {
  return paymentMethod === null ? 'requires_payment_method' : 'requires_confirmation';
}

/** Stripe requires a return_url when redirect-based methods are allowed (the pinned API version's default). */
export function needsReturnUrl(intent: Pick<PaymentIntent, 'automaticPaymentMethods' | 'paymentMethodTypes'>, returnUrl: string | null): boolean {
  const apm = intent.automaticPaymentMethods;
  return returnUrl === null && apm !== null && apm.enabled && apm.allowRedirects === 'always';
}
