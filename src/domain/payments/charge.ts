/** A Charge: one payment attempt of a PaymentIntent (or a legacy direct charge). */
import type { CardProfile } from '../cards/profile';
import type { BillingDetails } from './payment-method';

export type ChargeStatus = 'succeeded' | 'pending' | 'failed';

export interface ChargeOutcome {
  readonly type: 'authorized' | 'issuer_declined' | 'blocked';
  readonly networkStatus: 'approved_by_network' | 'declined_by_network' | 'not_sent_to_network';
  readonly reason: string | null;
  readonly sellerMessage: string;
}

export interface Charge {
  readonly id: string;
  readonly created: number;
  readonly livemode: boolean;
  readonly amount: number;
  readonly amountCaptured: number;
  readonly amountRefunded: number;
  /** Refund amounts reserved by refunds still talking to the processor (never exposed). */
  readonly amountRefundReserved: number;
  readonly currency: string;
  readonly customer: string | null;
  readonly description: string | null;
  readonly paymentIntent: string | null;
  readonly paymentMethod: string;
  readonly card: CardProfile;
  readonly fingerprint: string;
  readonly billingDetails: BillingDetails;
  readonly status: ChargeStatus;
  readonly captured: boolean;
  readonly failureCode: string | null;
  readonly failureMessage: string | null;
  readonly outcome: ChargeOutcome;
  readonly balanceTransaction: string | null;
  readonly metadata: Readonly<Record<string, string>>;
  readonly receiptEmail: string | null;
  /** The processor's authorization id, for capture, void and refunds. */
  readonly authorizationId: string | null;
  readonly authorizationVoided: boolean;
}

export function refundableAmount(charge: Charge): number {
  return charge.amountCaptured - charge.amountRefunded - charge.amountRefundReserved;
}
