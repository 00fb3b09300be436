/** A Refund as the account DO stores it. */
export type RefundStatus = 'pending' | 'requires_action' | 'succeeded' | 'failed' | 'canceled';
export type RefundReason = 'duplicate' | 'fraudulent' | 'requested_by_customer' | 'expired_uncaptured_charge';

export interface Refund {
  readonly id: string;
  readonly created: number;
  readonly livemode: boolean;
  readonly amount: number;
  readonly currency: string;
  readonly charge: string;
  readonly paymentIntent: string | null;
  readonly reason: RefundReason | null;
  readonly status: RefundStatus;
  readonly failureReason: string | null;
  readonly balanceTransaction: string | null;
  readonly failureBalanceTransaction: string | null;
  readonly metadata: Readonly<Record<string, string>>;
  /** The processor's refund id and when its scheduled status change is due (null when final). */
  readonly processorRefundId: string;
  readonly transitionDueSeconds: number | null;
}
