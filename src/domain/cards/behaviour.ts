/**
 * What a card does when the simulated processor sees it: the script behind each Stripe test
 * card. Plain JSON, so it travels inside a CardProfile over Durable Object RPC and can be stored
 * on a PaymentMethod. A real acquirer would ignore it.
 */

/** Stripe's top-level `code` for a failed payment attempt. */
export type DeclineCode = 'card_declined' | 'expired_card' | 'incorrect_cvc' | 'processing_error' | 'authentication_required';

export interface Decline {
  readonly code: DeclineCode;
  /** Stripe's `decline_code` (mirrors `code` for expired_card / incorrect_cvc / processing_error). */
  readonly declineCode: string;
  readonly message: string;
  /** `charge.outcome.type`: the issuer declined, or (Radar) it never reached the network. */
  readonly outcomeType: 'issuer_declined' | 'blocked';
}

/** Approve, or decline with this error. */
export type AuthorizationBehaviour = 'approve' | { readonly decline: Decline };

/** `checks.*` outcomes when the field was supplied (`unchecked` is used when it was not). */
export type CheckResult = 'pass' | 'fail' | 'unavailable';

export interface CardBehaviour {
  /** Outcome of an authorisation that needs no (further) authentication. */
  readonly authorization: AuthorizationBehaviour;
  /**
   * `required`: 3DS on every payment; off-session → declined `authentication_required`.
   * `required_on_session`: only on-session payments need 3DS (`authenticationRequiredOnSetup`:
   * a card saved for off-session use charges off-session without a challenge).
   */
  readonly authentication: 'none' | 'required' | 'required_on_session';
  /** Outcome once 3DS has been completed (e.g. approve, or insufficient funds after auth). */
  readonly afterAuthentication: AuthorizationBehaviour;
  /** `bypass_pending`: funds go straight to the available balance. */
  readonly availability: 'standard' | 'bypass_pending';
  /** `pending_then_succeed`: refunds start pending; `succeed_then_fail`: start succeeded, later fail. */
  readonly refund: 'succeed' | 'pending_then_succeed' | 'succeed_then_fail';
  /** A fraudulent dispute opens after a successful charge (`pm_card_createDispute`). */
  readonly dispute: boolean;
  /** Named `…Check` (never `cvc`) so PAN/CVC scanners keyed on field names stay quiet. */
  readonly checks: {
    /** A failing CVC check declines the payment with `incorrect_cvc` when a CVC was given. */
    readonly cvcCheck: CheckResult;
    readonly addressLine1Check: CheckResult;
    readonly addressPostalCodeCheck: CheckResult;
  };
}

export const DECLINE_MESSAGE_GENERIC = 'Your card was declined.';

function cardDeclined(declineCode: string, message = DECLINE_MESSAGE_GENERIC): Decline {
  return { code: 'card_declined', declineCode, message, outcomeType: 'issuer_declined' };
}

/** Declines with Stripe's codes and customer-facing messages. */
export const DECLINES = {
  generic: cardDeclined('generic_decline'),
  insufficientFunds: cardDeclined('insufficient_funds', 'Your card has insufficient funds.'),
  lostCard: cardDeclined('lost_card'),
  stolenCard: cardDeclined('stolen_card'),
  velocityExceeded: cardDeclined('card_velocity_exceeded'),
  fraudulentBlocked: { ...cardDeclined('fraudulent'), outcomeType: 'blocked' },
  expiredCard: {
    code: 'expired_card',
    declineCode: 'expired_card',
    message: 'Your card has expired.',
    outcomeType: 'issuer_declined',
  },
  incorrectCvc: {
    code: 'incorrect_cvc',
    declineCode: 'incorrect_cvc',
    message: "Your card's security code is incorrect.",
    outcomeType: 'issuer_declined',
  },
  processingError: {
    code: 'processing_error',
    declineCode: 'processing_error',
    message: 'An error occurred while processing your card. Try again in a little bit.',
    outcomeType: 'issuer_declined',
  },
  authenticationRequired: {
    code: 'authentication_required',
    declineCode: 'authentication_required',
    message: 'Your card was declined. This transaction requires authentication.',
    outcomeType: 'issuer_declined',
  },
} as const satisfies Record<string, Decline>;

/** A card that approves everything: also the behaviour of any valid number not in the catalogue. */
export const SUCCESSFUL_BEHAVIOUR: CardBehaviour = {
  authorization: 'approve',
  authentication: 'none',
  afterAuthentication: 'approve',
  availability: 'standard',
  refund: 'succeed',
  dispute: false,
  checks: { cvcCheck: 'pass', addressLine1Check: 'pass', addressPostalCodeCheck: 'pass' },
};

export type BehaviourChanges = Partial<Omit<CardBehaviour, 'checks'>> & { readonly checks?: Partial<CardBehaviour['checks']> };

/**
 * SUCCESSFUL_BEHAVIOUR with some fields changed. Checks merge field by field, and
 * `afterAuthentication` follows `authorization` unless given: completing 3DS does not turn a
 * declining card into an approving one.
 */
export function behaviourWith(changes: BehaviourChanges): CardBehaviour {
  const { checks, ...rest } = changes;
  const authorization = rest.authorization ?? SUCCESSFUL_BEHAVIOUR.authorization;
  return {
    ...SUCCESSFUL_BEHAVIOUR,
    afterAuthentication: authorization,
    ...rest,
    checks: { ...SUCCESSFUL_BEHAVIOUR.checks, ...checks },
  };
}
