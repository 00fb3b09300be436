/**
 * Card tokens: create from entered card details (validated digits, fingerprinted under the account
 * key and dropped, like a PaymentMethod), retrieve, and redeem once — as `card[token]` for a new
 * PaymentMethod or as a legacy charge's `source`. Redeeming marks the token used in the caller's
 * transaction, so a refused or rolled-back use leaves it usable.
 */
import { profileOf, type CardProfile } from '../../src/domain/cards/profile';
import { resourceMissing, type DomainError } from '../../src/domain/errors';
import { checkTokenUse, type CardToken } from '../../src/domain/payments/token';
import { err, ok, type Result } from '../../src/domain/result';
import { toTokenJson } from '../../src/stripe/objects/token';
import type { ValidatedCard } from '../../src/domain/cards/validate';
import { project, type Handler, type OperationContext } from '../context';
import { cardFingerprint } from './card-fingerprint';
import { insertObject, readObject, updateObject } from '../store';

const TYPE = 'token';

export interface TokenCreateCommand {
  readonly card: ValidatedCard;
  readonly name: string | null;
}

export const createToken: Handler<TokenCreateCommand> = (ctx, command) => {
  const token: CardToken = {
    id: ctx.newId('tok'),
    created: ctx.nowSeconds,
    livemode: ctx.livemode,
    cardId: ctx.newId('card'),
    card: profileOf(command.card),
    fingerprint: cardFingerprint(ctx, command.card.number),
    name: command.name,
    used: false,
  };
  const stored = insertObject(ctx.sql, { id: token.id, type: TYPE, created: token.created, data: token }, {});
  const json = toTokenJson(token);
  project(ctx, stored, json);
  return ok(json);
};

export const retrieveToken: Handler<{ id: string }> = (ctx, { id }) => {
  const stored = readObject<CardToken>(ctx.sql, id, TYPE);
  return stored ? ok(toTokenJson(stored.data)) : err(resourceMissing('token', id));
};

/** The card behind a created token, marking it used; null when no such token exists here. */
export function redeemToken(ctx: OperationContext, id: string, param: string): Result<{ profile: CardProfile; fingerprint: string }, DomainError> | null {
  const stored = readObject<CardToken>(ctx.sql, id, TYPE);
  if (stored === null) return null;
  const used = checkTokenUse(stored.data, param);
  if (!used.ok) return used;
  project(ctx, updateObject(ctx.sql, stored, used.value, {}), toTokenJson(used.value));
  return ok({ profile: stored.data.card, fingerprint: stored.data.fingerprint });
}
