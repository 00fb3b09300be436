import { describe, expect, it } from 'vitest';
import { cardInvalid } from '../../../../src/domain/cards/errors';
import { CARD_INPUT_ERRORS } from '../../../../src/domain/cards/validate';
import { fromDomainError } from '../../../../src/stripe/errors';

describe('cardInvalid', () => {
  it('becomes a 402 card_error with code, param and doc_url', () => {
    expect(fromDomainError(cardInvalid(CARD_INPUT_ERRORS.incorrect_number))).toEqual({
      status: 402,
      error: {
        type: 'card_error',
        code: 'incorrect_number',
        message: 'Your card number is incorrect.',
        param: 'card[number]',
        doc_url: 'https://stripe.com/docs/error-codes/incorrect-number',
      },
    });
  });

  it('maps every card input error to 402 without a decline_code', () => {
    for (const error of Object.values(CARD_INPUT_ERRORS)) {
      const wire = fromDomainError(cardInvalid(error));
      expect(wire.status).toBe(402);
      expect(wire.error).toMatchObject({ type: 'card_error', code: error.code, param: error.param });
      expect(wire.error.decline_code).toBeUndefined();
    }
  });
});
