/** A card PaymentMethod as the account DO stores it: a CardProfile (no number, no CVC) + fingerprint. */
import type { CardProfile } from '../cards/profile';
import type { Address } from '../customer/customer';

export interface BillingDetails {
  readonly address: Address | null;
  readonly email: string | null;
  readonly name: string | null;
  readonly phone: string | null;
}

export const EMPTY_BILLING_DETAILS: BillingDetails = { address: null, email: null, name: null, phone: null };

export interface PaymentMethod {
  readonly id: string;
  readonly created: number;
  readonly livemode: boolean;
  readonly card: CardProfile;
  /** Keyed per-account fingerprint of the card number (see src/domain/cards/fingerprint.ts). */
  readonly fingerprint: string;
  readonly billingDetails: BillingDetails;
  readonly customer: string | null;
  readonly metadata: Readonly<Record<string, string>>;
  /** Detached methods can never be used or attached again (Stripe: detachment is permanent). */
  readonly detached: boolean;
  /** Used on a payment without being attached to a customer: cannot be reused. */
  readonly consumed: boolean;
}

export type PaymentMethodUse = 'ok' | 'detached' | 'consumed';

export function usability(method: PaymentMethod): PaymentMethodUse {
  if (method.detached) return 'detached';
  if (method.consumed && method.customer === null) return 'consumed';
  return 'ok';
}
