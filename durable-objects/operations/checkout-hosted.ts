/**
 * What the hosted payment page shows, read (never written) by the account object for the page's
 * server-side render: the order, the session's state as of now, the PaymentIntent's id and client
 * secret (the page confirms with them), and the publishable key registered for hosted pages.
 */
import { isPastExpiry, resolvedSuccessUrl, type CheckoutStatus } from '../../src/domain/checkout/session';
import type { PaymentError } from '../../src/domain/payments/payment-intent';
import type { OperationContext } from '../context';
import { loadSession, readPublishableKey } from './checkout-session-store';
import { loadIntent } from './payment-intent-store';

export interface HostedLine {
  readonly description: string;
  readonly quantity: number;
  readonly amount: number;
}

export interface HostedCheckoutView {
  readonly id: string;
  readonly accountId: string;
  readonly livemode: boolean;
  readonly status: CheckoutStatus;
  readonly currency: string;
  readonly amountTotal: number;
  readonly lines: readonly HostedLine[];
  readonly customerEmail: string | null;
  readonly successUrl: string | null;
  readonly cancelUrl: string | null;
  readonly publishableKey: string | null;
  readonly intent: { readonly id: string; readonly clientSecret: string; readonly lastError: string | null } | null;
}

/** Card errors already read well; the 3DS failure's API message is for developers. */
function customerMessage(error: PaymentError | null): string | null {
  if (error === null) return null;
  if (error.code === 'payment_intent_authentication_failure') return 'Authentication with your bank failed. Try again, or use another card.';
  return error.message;
}

export function hostedCheckoutView(ctx: OperationContext, sessionId: string): HostedCheckoutView | null {
  const stored = loadSession(ctx, sessionId);
  if (stored === null) return null;
  const session = stored.data;
  const collect = session.collectIntent ?? session.paymentIntent;
  const intent = collect === null ? null : loadIntent(ctx, collect)?.data;
  return {
    id: session.id,
    accountId: ctx.accountId,
    livemode: session.livemode,
    status: isPastExpiry(session, ctx.nowSeconds) ? 'expired' : session.status,
    currency: session.currency,
    amountTotal: session.amountTotal,
    lines: session.lineItems.map((item) => ({ description: item.description, quantity: item.quantity, amount: item.unitAmount * item.quantity })),
    customerEmail: session.customerDetails?.email ?? session.customerEmail,
    successUrl: resolvedSuccessUrl(session),
    cancelUrl: session.cancelUrl,
    publishableKey: readPublishableKey(ctx),
    intent: intent ? { id: intent.id, clientSecret: intent.clientSecret, lastError: customerMessage(intent.lastPaymentError) } : null,
  };
}
