/** /v1/tokens — card tokens (what Stripe.js v2 and legacy integrations create); adapters only. */
import { Hono } from 'hono';
import { validateCardInput } from '../../domain/cards/validate';
import { wireError } from '../../stripe/errors';
import { TokenCreateParams, TokenRetrieveParams } from '../../stripe/params/tokens';
import { parseParams } from '../../stripe/validate';
import { callAccount } from '../account';
import type { AppEnv } from '../context';
import { errorResponse } from '../respond';

export const tokens = new Hono<AppEnv>();
const READ = ['tokens', 'read'] as const;
const WRITE = ['tokens', 'write'] as const;

tokens.post('/', async (c) => {
  const params = parseParams(TokenCreateParams, c.get('params'));
  if (!params.ok) return errorResponse(c, params.error);
  const { card } = params.value;
  const valid = validateCardInput({ number: card.number, expMonth: card.exp_month, expYear: card.exp_year, cvc: card.cvc ?? null }, Math.floor(Date.now() / 1000));
  if (!valid.ok) return errorResponse(c, wireError(402, 'card_error', valid.error.message, { code: valid.error.code, param: valid.error.param }));
  return callAccount(c, WRITE, { name: 'tokens.create', input: { card: valid.value, name: card.name ?? null } });
});

tokens.get('/:id', async (c) => {
  const params = parseParams(TokenRetrieveParams, c.get('params'));
  if (!params.ok) return errorResponse(c, params.error);
  return callAccount(c, READ, { name: 'tokens.retrieve', input: { id: c.req.param('id') } });
});
