/** /v1/tokens — card tokens (what Stripe.js v2 and legacy integrations create); adapters only. */
import { Hono } from 'hono';
import { toValidatedCard } from '../../stripe/params/payment-methods';
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
  const valid = toValidatedCard(card, Math.floor(Date.now() / 1000));
  if (!valid.ok) return errorResponse(c, valid.error);
  return callAccount(c, WRITE, { name: 'tokens.create', input: { card: valid.value, name: card.name ?? null } });
});

tokens.get('/:id', async (c) => {
  const params = parseParams(TokenRetrieveParams, c.get('params'));
  if (!params.ok) return errorResponse(c, params.error);
  return callAccount(c, READ, { name: 'tokens.retrieve', input: { id: c.req.param('id') } });
});
