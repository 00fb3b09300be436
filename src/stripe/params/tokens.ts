/** `POST /v1/tokens` parameters: card tokens only (bank accounts, PII and account tokens are not offered). */
import { z } from 'zod';
import { SHORT_STRING_LENGTH_MAX } from '../../domain/limits';
import { expandParam, integerParam } from './common';

export const TokenCreateParams = z.strictObject({
  card: z.strictObject({
    number: z.string().max(64),
    exp_month: integerParam,
    exp_year: integerParam,
    cvc: z.string().max(8).optional(),
    name: z.string().max(SHORT_STRING_LENGTH_MAX).optional(),
  }),
  expand: expandParam.optional(),
});

export const TokenRetrieveParams = z.strictObject({ expand: expandParam.optional() });
