/**
 * A card token (`tok_…`, `POST /v1/tokens`): a single-use stand-in for card details, turned into a
 * PaymentMethod (`card[token]`) or charged once (`source`). Like a PaymentMethod it keeps the card's
 * profile and keyed fingerprint only — never the number or the CVC.
 */
import type { CardProfile } from '../cards/profile';
import { invalidRequestError, type DomainError } from '../errors';
import { err, ok, type Result } from '../result';

export interface CardToken {
  readonly id: string;
  readonly created: number;
  readonly livemode: boolean;
  /** The embedded card object's id (`card_…`). */
  readonly cardId: string;
  readonly card: CardProfile;
  readonly fingerprint: string;
  readonly name: string | null;
  readonly used: boolean;
}

/** A token can be used once; after that Stripe refuses it with `token_already_used`. */
export function checkTokenUse(token: CardToken, param: string): Result<CardToken, DomainError> {
  if (token.used) return err(invalidRequestError(`You cannot use a Stripe token more than once: ${token.id}.`, param, 'token_already_used'));
  return ok({ ...token, used: true });
}
