/** Card failures as DomainErrors (mapped to Stripe's 402 card_error in src/stripe/errors.ts). */
import type { DomainError } from '../errors';
import type { CardInputError } from './validate';

/** `incorrect_number`, `invalid_expiry_month`, `invalid_expiry_year`, `invalid_cvc` with their `param`. */
export function cardInvalid(error: CardInputError): DomainError {
  return { reason: 'card_invalid', code: error.code, message: error.message, param: error.param };
}
