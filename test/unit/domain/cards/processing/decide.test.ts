import { describe, expect, it } from 'vitest';
import { DECLINES } from '../../../../../src/domain/cards/behaviour';
import { testCardByPaymentMethodId } from '../../../../../src/domain/cards/catalog';
import {
  decideAuthorize,
  decideCapture,
  decideRefund,
  decideVoid,
  type AuthorizationState,
} from '../../../../../src/domain/cards/processing/decide';
import type { AuthorizeRequest } from '../../../../../src/domain/cards/processing/protocol';
import { profileOfTestCard } from '../../../../../src/domain/cards/profile';
import { AUTHORIZATION_VALIDITY_SECONDS, REFUND_TRANSITION_DELAY_SECONDS } from '../../../../../src/domain/limits';

const NOW_SECONDS = Date.UTC(2026, 10, 27, 19) / 1000;

function authorizeRequest(magicId: string, overrides: Partial<AuthorizeRequest> = {}): AuthorizeRequest {
  const card = profileOfTestCard(testCardByPaymentMethodId(magicId)!, NOW_SECONDS);
  return { reference: 'ch_1:authorize', merchant: 'acct_1:test', amount: 1000, currency: 'usd', card, capture: true, offSession: false, authenticated: false, ...overrides };
}

const hold: AuthorizationState = {
  id: 'auth_1',
  amount: 1000,
  currency: 'usd',
  status: 'authorized',
  capturedAmount: 0,
  refundedAmount: 0,
  refundBehaviour: 'succeed',
  createdSeconds: NOW_SECONDS,
};
const captured: AuthorizationState = { ...hold, status: 'captured', capturedAmount: 800 };

describe('decideAuthorize', () => {
  it('approves a successful card and declines a declining one with its error', () => {
    expect(decideAuthorize(authorizeRequest('pm_card_visa'), NOW_SECONDS)).toEqual({ kind: 'approve' });
    expect(decideAuthorize(authorizeRequest('pm_card_chargeDeclinedInsufficientFunds'), NOW_SECONDS)).toEqual({
      kind: 'decline',
      decline: DECLINES.insufficientFunds,
    });
  });

  it('asks for 3DS on-session and declines authentication_required off-session', () => {
    const request = authorizeRequest('pm_card_authenticationRequired');
    expect(decideAuthorize(request, NOW_SECONDS)).toEqual({ kind: 'requires_authentication' });
    expect(decideAuthorize({ ...request, offSession: true }, NOW_SECONDS)).toEqual({ kind: 'decline', decline: DECLINES.authenticationRequired });
    expect(decideAuthorize({ ...request, authenticated: true }, NOW_SECONDS)).toEqual({ kind: 'approve' });
  });

  it('lets the authenticationRequiredOnSetup card charge off-session without 3DS', () => {
    const request = authorizeRequest('pm_card_authenticationRequiredOnSetup');
    expect(decideAuthorize(request, NOW_SECONDS)).toEqual({ kind: 'requires_authentication' });
    expect(decideAuthorize({ ...request, offSession: true }, NOW_SECONDS)).toEqual({ kind: 'approve' });
  });

  it('declines the 3DS insufficient-funds card after authentication', () => {
    const request = authorizeRequest('pm_card_authenticationRequiredChargeDeclinedInsufficientFunds', { authenticated: true });
    expect(decideAuthorize(request, NOW_SECONDS)).toEqual({ kind: 'decline', decline: DECLINES.insufficientFunds });
  });

  it('declines incorrect_cvc when the CVC check fails', () => {
    expect(decideAuthorize(authorizeRequest('pm_card_cvcCheckFail'), NOW_SECONDS)).toEqual({ kind: 'decline', decline: DECLINES.incorrectCvc });
  });

  it('declines expired_card once the card has expired', () => {
    const request = authorizeRequest('pm_card_visa');
    const later = Date.UTC(request.card.expYear, request.card.expMonth, 1) / 1000;
    expect(decideAuthorize(request, later - 1)).toEqual({ kind: 'approve' });
    expect(decideAuthorize(request, later)).toEqual({ kind: 'decline', decline: DECLINES.expiredCard });
  });

  it('rejects bad amounts, currencies and references', () => {
    for (const bad of [{ amount: 0 }, { amount: -5 }, { amount: 1.5 }, { currency: 'USD' }, { reference: '' }, { reference: 'x'.repeat(256) }]) {
      expect(decideAuthorize(authorizeRequest('pm_card_visa', bad), NOW_SECONDS), JSON.stringify(bad)).toMatchObject({
        kind: 'reject',
        rejection: { outcome: 'rejected', reason: 'invalid_request' },
      });
    }
  });
});

describe('decideCapture', () => {
  const request = { authorizationId: 'auth_1', amount: 600, currency: 'usd' };

  it('captures up to the authorised amount and releases the rest', () => {
    expect(decideCapture(hold, request, NOW_SECONDS)).toEqual({ ok: true, value: { capturedAmount: 600, releasedAmount: 400 } });
    expect(decideCapture(hold, { ...request, amount: 1000 }, NOW_SECONDS)).toEqual({ ok: true, value: { capturedAmount: 1000, releasedAmount: 0 } });
  });

  it.each([
    ['more than authorised', hold, { amount: 1001 }, 'amount_exceeds_capturable'],
    ['a captured authorisation', captured, {}, 'already_captured'],
    ['a voided authorisation', { ...hold, status: 'voided' as const }, {}, 'already_voided'],
    ['another currency', hold, { currency: 'eur' }, 'currency_mismatch'],
    ['a missing authorisation', null, {}, 'authorization_missing'],
  ])('rejects capturing %s', (_label, auth, change, reason) => {
    expect(decideCapture(auth, { ...request, ...change }, NOW_SECONDS)).toMatchObject({ ok: false, error: { reason } });
  });

  it('rejects capture once the authorisation has expired', () => {
    const expiry = hold.createdSeconds + AUTHORIZATION_VALIDITY_SECONDS;
    expect(decideCapture(hold, request, expiry - 1).ok).toBe(true);
    expect(decideCapture(hold, request, expiry)).toMatchObject({ ok: false, error: { reason: 'authorization_expired' } });
  });
});

describe('decideVoid', () => {
  it('voids only an uncaptured authorisation', () => {
    expect(decideVoid(hold, 'auth_1', NOW_SECONDS)).toEqual({ ok: true, value: { releasedAmount: 1000 } });
    expect(decideVoid(captured, 'auth_1', NOW_SECONDS)).toMatchObject({ ok: false, error: { reason: 'already_captured' } });
    expect(decideVoid({ ...hold, status: 'voided' }, 'auth_1', NOW_SECONDS)).toMatchObject({ ok: false, error: { reason: 'already_voided' } });
    expect(decideVoid(null, 'auth_x', NOW_SECONDS)).toMatchObject({ ok: false, error: { reason: 'authorization_missing' } });
  });
});

describe('decideRefund', () => {
  const request = { authorizationId: 'auth_1', amount: 300, currency: 'usd' };

  it('refunds up to captured minus refunded', () => {
    expect(decideRefund({ ...captured, refundedAmount: 500 }, request, NOW_SECONDS)).toEqual({ ok: true, value: { status: 'succeeded', transition: null } });
    expect(decideRefund({ ...captured, refundedAmount: 501 }, request, NOW_SECONDS)).toMatchObject({
      ok: false,
      error: { reason: 'amount_exceeds_refundable' },
    });
  });

  it('refuses uncaptured, voided, missing and other-currency payments', () => {
    expect(decideRefund(hold, request, NOW_SECONDS)).toMatchObject({ ok: false, error: { reason: 'not_captured' } });
    expect(decideRefund({ ...hold, status: 'voided' }, request, NOW_SECONDS)).toMatchObject({ ok: false, error: { reason: 'already_voided' } });
    expect(decideRefund(null, request, NOW_SECONDS)).toMatchObject({ ok: false, error: { reason: 'authorization_missing' } });
    expect(decideRefund(captured, { ...request, currency: 'eur' }, NOW_SECONDS)).toMatchObject({ ok: false, error: { reason: 'currency_mismatch' } });
  });

  it('schedules the pendingRefund and refundFail lifecycles', () => {
    const at = NOW_SECONDS + REFUND_TRANSITION_DELAY_SECONDS;
    expect(decideRefund({ ...captured, refundBehaviour: 'pending_then_succeed' }, request, NOW_SECONDS)).toEqual({
      ok: true,
      value: { status: 'pending', transition: { status: 'succeeded', atSeconds: at, failureReason: null } },
    });
    expect(decideRefund({ ...captured, refundBehaviour: 'succeed_then_fail' }, request, NOW_SECONDS)).toEqual({
      ok: true,
      value: { status: 'succeeded', transition: { status: 'failed', atSeconds: at, failureReason: 'expired_or_canceled_card' } },
    });
  });
});
