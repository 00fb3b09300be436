/**
 * The simulated card processor Durable Object through its client adapter (processorFor), with
 * real SQLite storage: test-card outcomes, 3DS, idempotency by reference, capture/void/refund
 * rules, concurrency, refund lifecycles and crash windows. Settlement: card-processor-settlement.test.ts.
 */
import { env } from 'cloudflare:workers';
import { abortAllDurableObjects, runInDurableObject } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { TEST_CARDS, testCardByPaymentMethodId } from '../../src/domain/cards/catalog';
import { isLuhnValid } from '../../src/domain/cards/luhn';
import { profileOfTestCard } from '../../src/domain/cards/profile';
import type { AuthorizeRequest } from '../../src/domain/cards/processing/protocol';
import { AUTHORIZATION_VALIDITY_SECONDS } from '../../src/domain/limits';
import { randomBase62 } from '../../src/platform/ids';
import { processorFor } from '../../src/platform/processor';
import type { CardProcessor } from '../../durable-objects/card-processor';

const nowSeconds = () => Math.floor(Date.now() / 1000);

function setup() {
  const merchant = `acct_${randomBase62(12)}:test`;
  return { merchant, client: processorFor(env, merchant), stub: env.CARD_PROCESSOR.getByName(merchant) };
}

function authorizeRequest(merchant: string, magicId: string, overrides: Partial<AuthorizeRequest> = {}): AuthorizeRequest {
  const card = profileOfTestCard(testCardByPaymentMethodId(magicId)!, nowSeconds());
  const reference = `ch_${randomBase62(12)}:authorize`;
  return { reference, merchant, amount: 1000, currency: 'usd', card, capture: true, offSession: false, authenticated: false, ...overrides };
}

async function approved(client: ReturnType<typeof processorFor>, request: AuthorizeRequest) {
  const result = await client.authorize(request);
  if (result.outcome !== 'approved') throw new Error(`expected approval, got ${JSON.stringify(result)}`);
  return result;
}

describe('CardProcessor authorize', () => {
  it('answers every catalogue card with its documented outcome', async () => {
    const { merchant, client } = setup();
    for (const card of TEST_CARDS) {
      const request = { ...authorizeRequest(merchant, 'pm_card_visa'), card: profileOfTestCard(card, nowSeconds()) };
      const result = await client.authorize(request);
      const behaviour = card.behaviour;
      if (behaviour.authentication !== 'none') {
        expect(result, card.number).toEqual({ outcome: 'requires_authentication' });
      } else if (behaviour.checks.cvcCheck === 'fail') {
        expect(result, card.number).toMatchObject({ outcome: 'declined', code: 'incorrect_cvc', declineCode: 'incorrect_cvc' });
      } else if (behaviour.authorization === 'approve') {
        expect(result, card.number).toMatchObject({ outcome: 'approved', amount: 1000, capturedAmount: 1000, availability: behaviour.availability });
      } else {
        const { code, declineCode, message, outcomeType } = behaviour.authorization.decline;
        expect(result, card.number).toMatchObject({ outcome: 'declined', code, declineCode, message, outcomeType });
      }
    }
  });

  it('requires 3DS on-session, approves after it and declines authentication_required off-session', async () => {
    const { merchant, client, stub } = setup();
    const request = authorizeRequest(merchant, 'pm_card_authenticationRequired');
    expect(await client.authorize(request)).toEqual({ outcome: 'requires_authentication' });
    expect(await stub.operationCountForTest(request.reference)).toBe(0);
    expect(await client.authorize({ ...request, authenticated: true })).toMatchObject({ outcome: 'approved' });
    const offSession = await client.authorize({ ...authorizeRequest(merchant, 'pm_card_authenticationRequired'), offSession: true });
    expect(offSession).toMatchObject({
      outcome: 'declined',
      code: 'authentication_required',
      declineCode: 'authentication_required',
      message: 'Your card was declined. This transaction requires authentication.',
    });
  });

  it('charges the authenticationRequiredOnSetup card off-session without 3DS', async () => {
    const { merchant, client } = setup();
    const request = authorizeRequest(merchant, 'pm_card_authenticationRequiredOnSetup');
    expect(await client.authorize(request)).toEqual({ outcome: 'requires_authentication' });
    expect(await client.authorize({ ...request, offSession: true })).toMatchObject({ outcome: 'approved' });
  });

  it('declines the 3DS insufficient-funds card after authentication', async () => {
    const { merchant, client } = setup();
    const request = authorizeRequest(merchant, 'pm_card_authenticationRequiredChargeDeclinedInsufficientFunds', { authenticated: true });
    expect(await client.authorize(request)).toMatchObject({ outcome: 'declined', declineCode: 'insufficient_funds' });
  });

  it('records declines as operations', async () => {
    const { merchant, client, stub } = setup();
    const request = authorizeRequest(merchant, 'pm_card_chargeDeclined');
    const first = await client.authorize(request);
    expect(first).toMatchObject({ outcome: 'declined', declineCode: 'generic_decline' });
    expect(await client.authorize(request)).toEqual(first);
    expect(await stub.operationCountForTest(request.reference)).toBe(1);
  });

  it('returns the stored result for a repeated reference, with one effect', async () => {
    const { merchant, client, stub } = setup();
    const request = authorizeRequest(merchant, 'pm_card_visa');
    const first = await approved(client, request);
    const second = await client.authorize(request);
    expect(second).toEqual(first);
    expect(await stub.operationCountForTest(request.reference)).toBe(1);
    const authorizations = await runInDurableObject(stub, (_i, state) => state.storage.sql.exec<{ n: number }>('SELECT COUNT(*) AS n FROM authorizations').one().n);
    expect(authorizations).toBe(1);
  });

  it('rejects a reused reference with a different request and changes nothing', async () => {
    const { merchant, client, stub } = setup();
    const request = authorizeRequest(merchant, 'pm_card_visa');
    const first = await approved(client, request);
    expect(await client.authorize({ ...request, amount: 2000 })).toMatchObject({ outcome: 'rejected', reason: 'reference_reused' });
    const asCapture = { reference: request.reference, authorizationId: first.authorizationId, amount: 1000, currency: 'usd', merchant };
    expect(await client.capture(asCapture)).toMatchObject({ outcome: 'rejected', reason: 'reference_reused' });
    expect(await client.authorize(request)).toEqual(first);
    expect(await stub.operationCountForTest()).toBe(1);
  });

  it('keeps no card number or Luhn-valid digit run in its storage', async () => {
    const { merchant, client, stub } = setup();
    for (const id of ['pm_card_visa', 'pm_card_amex', 'pm_card_chargeDeclined', 'pm_card_refundFail']) {
      const request = authorizeRequest(merchant, id);
      const result = await client.authorize(request);
      if (result.outcome === 'approved') {
        await client.refund({ merchant, reference: `re_${randomBase62(8)}:refund`, authorizationId: result.authorizationId, amount: 100, currency: 'usd' });
      }
    }
    const dump = await runInDurableObject(stub, (_i, state) => {
      const tables = state.storage.sql.exec<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '\\_%' ESCAPE '\\' AND name NOT LIKE 'sqlite%'").toArray();
      return JSON.stringify(tables.map(({ name }) => state.storage.sql.exec(`SELECT * FROM ${name}`).toArray()));
    });
    expect(dump).toContain('authorize');
    for (const card of TEST_CARDS) expect(dump).not.toContain(card.number);
    const digitRuns = dump.match(/\d{12,19}/g) ?? [];
    expect(digitRuns.filter((run) => isLuhnValid(run))).toEqual([]);
    expect(dump).not.toMatch(/"(number|cvc|cvv|pan)"/);
  });
});

describe('CardProcessor capture and void', () => {
  it('captures part of a hold once, releases the rest, and replays the capture', async () => {
    const { merchant, client, stub } = setup();
    const auth = await approved(client, authorizeRequest(merchant, 'pm_card_visa', { capture: false }));
    expect(auth.capturedAmount).toBe(0);
    const capture = { merchant, reference: 'ch_x:capture', authorizationId: auth.authorizationId, amount: 600, currency: 'usd' };
    const captured = await client.capture(capture);
    expect(captured).toMatchObject({ outcome: 'captured', capturedAmount: 600, releasedAmount: 400 });
    expect(await client.capture(capture)).toEqual(captured);
    expect(await client.capture({ ...capture, reference: 'ch_x:capture2', amount: 100 })).toMatchObject({ outcome: 'rejected', reason: 'already_captured' });
    expect(await stub.authorizationForTest(auth.authorizationId)).toMatchObject({ status: 'captured', capturedAmount: 600 });
  });

  it('rejects capturing more than authorised without recording, so the reference can be corrected', async () => {
    const { merchant, client, stub } = setup();
    const auth = await approved(client, authorizeRequest(merchant, 'pm_card_visa', { capture: false }));
    const capture = { merchant, reference: 'ch_y:capture', authorizationId: auth.authorizationId, amount: 1001, currency: 'usd' };
    expect(await client.capture(capture)).toMatchObject({ outcome: 'rejected', reason: 'amount_exceeds_capturable' });
    expect(await stub.operationCountForTest(capture.reference)).toBe(0);
    expect(await client.capture({ ...capture, amount: 1000 })).toMatchObject({ outcome: 'captured', capturedAmount: 1000 });
  });

  it('voids only uncaptured holds', async () => {
    const { merchant, client } = setup();
    const hold = await approved(client, authorizeRequest(merchant, 'pm_card_visa', { capture: false }));
    expect(await client.void({ merchant, reference: 'ch_v:void', authorizationId: hold.authorizationId })).toMatchObject({ outcome: 'voided', releasedAmount: 1000 });
    const capture = { merchant, reference: 'ch_v:capture', authorizationId: hold.authorizationId, amount: 1000, currency: 'usd' };
    expect(await client.capture(capture)).toMatchObject({ outcome: 'rejected', reason: 'already_voided' });
    const paid = await approved(client, authorizeRequest(merchant, 'pm_card_visa'));
    expect(await client.void({ merchant, reference: 'ch_w:void', authorizationId: paid.authorizationId })).toMatchObject({ outcome: 'rejected', reason: 'already_captured' });
    expect(await client.void({ merchant, reference: 'ch_z:void', authorizationId: 'auth_missing' })).toMatchObject({ reason: 'authorization_missing' });
  });

  it('expires uncaptured holds after the validity window', async () => {
    const { merchant, client, stub } = setup();
    const hold = await approved(client, authorizeRequest(merchant, 'pm_card_visa', { capture: false }));
    await stub.setClockOffsetForTest(AUTHORIZATION_VALIDITY_SECONDS);
    const capture = { merchant, reference: 'ch_e:capture', authorizationId: hold.authorizationId, amount: 1000, currency: 'usd' };
    expect(await client.capture(capture)).toMatchObject({ outcome: 'rejected', reason: 'authorization_expired' });
  });
});

/**
 * Calls that are meant to throw go to the instance directly (runInDurableObject): through a stub,
 * every rejecting DO RPC leaks one unhandled rejection in vitest-pool-workers even when the test
 * handles it (cloudflare/workers-sdk#14736). Same method, same storage, no RPC hop.
 */
function callDirect<R>(stub: DurableObjectStub<CardProcessor>, call: (processor: CardProcessor) => Promise<R>): Promise<R> {
  return runInDurableObject(stub, (instance) => call(instance));
}

describe('CardProcessor faults (test-only)', () => {
  it('fail_after_effect commits the effect; the retry returns the original result with one effect', async () => {
    const { merchant, client, stub } = setup();
    const request = authorizeRequest(merchant, 'pm_card_visa');
    await stub.setFaultForTest({ mode: 'fail_after_effect', operations: ['authorize'] });
    await expect(callDirect(stub, (p) => p.authorize(request))).rejects.toThrow(/failed after the effect/);
    expect(await stub.operationCountForTest(request.reference)).toBe(1);
    const retried = await approved(client, request);
    const stored = await runInDurableObject(stub, (_i, state) =>
      state.storage.sql.exec<{ result: string }>('SELECT result FROM operations WHERE reference = ?', request.reference).one(),
    );
    expect(retried).toEqual(JSON.parse(stored.result));
    expect(await stub.authorizationForTest(retried.authorizationId)).toMatchObject({ capturedAmount: 1000 });
    expect(await stub.operationCountForTest()).toBe(1);
  });

  it('fail_after_effect on a refund counts the refund once', async () => {
    const { merchant, client, stub } = setup();
    const paid = await approved(client, authorizeRequest(merchant, 'pm_card_visa'));
    const refund = { merchant, reference: 're_a:refund', authorizationId: paid.authorizationId, amount: 400, currency: 'usd' };
    await stub.setFaultForTest({ mode: 'fail_after_effect', operations: ['refund'] });
    await expect(callDirect(stub, (p) => p.refund(refund))).rejects.toThrow(/failed after the effect/);
    expect(await client.refund(refund)).toMatchObject({ outcome: 'refunded', amount: 400 });
    expect(await stub.authorizationForTest(paid.authorizationId)).toMatchObject({ refundedAmount: 400 });
  });

  it('fail_before_effect changes nothing; the retry performs the effect once', async () => {
    const { merchant, client, stub } = setup();
    const request = authorizeRequest(merchant, 'pm_card_visa');
    await stub.setFaultForTest({ mode: 'fail_before_effect' });
    await expect(callDirect(stub, (p) => p.authorize(request))).rejects.toThrow(/failed before the effect/);
    expect(await stub.operationCountForTest()).toBe(0);
    await approved(client, request);
    expect(await stub.operationCountForTest(request.reference)).toBe(1);
  });

  it('trips only the named operations, the given number of times', async () => {
    const { merchant, client, stub } = setup();
    await stub.setFaultForTest({ mode: 'fail_before_effect', operations: ['refund'], times: 2 });
    const paid = await approved(client, authorizeRequest(merchant, 'pm_card_visa'));
    const refund = { merchant, reference: 're_f:refund', authorizationId: paid.authorizationId, amount: 100, currency: 'usd' };
    await expect(callDirect(stub, (p) => p.refund(refund))).rejects.toThrow();
    await expect(callDirect(stub, (p) => p.refund(refund))).rejects.toThrow();
    expect(await client.refund(refund)).toMatchObject({ outcome: 'refunded', status: 'succeeded' });
  });

  it('delay_ms holds a call while a duplicate with the same reference waits for its result', async () => {
    const { merchant, client, stub } = setup();
    const request = authorizeRequest(merchant, 'pm_card_visa');
    await stub.setFaultForTest({ mode: 'delay_ms', delayMs: 150, phase: 'before_effect' });
    const started = Date.now();
    const [a, b] = await Promise.all([client.authorize(request), client.authorize(request)]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(100);
    expect(a).toEqual(b);
    expect(await stub.operationCountForTest()).toBe(1);
  });

  it('keeps an armed fault across an object restart', async () => {
    const { merchant, stub } = setup();
    await stub.setFaultForTest({ mode: 'fail_before_effect' });
    await abortAllDurableObjects();
    const restarted = env.CARD_PROCESSOR.getByName(merchant);
    const request = authorizeRequest(merchant, 'pm_card_visa');
    await expect(callDirect(restarted, (p) => p.authorize(request))).rejects.toThrow(/failed before the effect/);
    expect(await restarted.operationCountForTest()).toBe(0);
  });
});
