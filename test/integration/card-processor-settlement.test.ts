/**
 * The simulated card processor's refunds and settlement through processorFor: refund limits
 * under concurrency, the pendingRefund / refundFail lifecycles, and the daily settlement report
 * with its 00:00 UTC cut-off (time moved with the test-only clock offset).
 */
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { testCardByPaymentMethodId } from '../../src/domain/cards/catalog';
import { profileOfTestCard } from '../../src/domain/cards/profile';
import type { AuthorizeRequest } from '../../src/domain/cards/processing/protocol';
import { REFUND_TRANSITION_DELAY_SECONDS } from '../../src/domain/limits';
import { randomBase62 } from '../../src/platform/ids';
import { processorFor } from '../../src/platform/processor';

const DAY_SECONDS = 86_400;
const nowSeconds = () => Math.floor(Date.now() / 1000);

function setup() {
  const merchant = `acct_${randomBase62(12)}:test`;
  const stub = env.CARD_PROCESSOR.getByName(merchant);
  /** Moves the processor's clock so that its "now" is `targetSeconds`. */
  const setClock = (targetSeconds: number) => stub.setClockOffsetForTest(targetSeconds - nowSeconds());
  return { merchant, client: processorFor(env, merchant), stub, setClock };
}

function payRequest(merchant: string, magicId: string, overrides: Partial<AuthorizeRequest> = {}): AuthorizeRequest {
  const card = profileOfTestCard(testCardByPaymentMethodId(magicId)!, nowSeconds());
  const reference = `ch_${randomBase62(12)}:authorize`;
  return { reference, merchant, amount: 1000, currency: 'usd', card, capture: true, offSession: false, authenticated: false, ...overrides };
}

async function pay(client: ReturnType<typeof processorFor>, merchant: string, magicId = 'pm_card_visa', overrides: Partial<AuthorizeRequest> = {}) {
  const request = payRequest(merchant, magicId, overrides);
  const result = await client.authorize(request);
  if (result.outcome !== 'approved') throw new Error(`expected approval, got ${JSON.stringify(result)}`);
  return { ...result, reference: request.reference };
}

const refundOf = (merchant: string, authorizationId: string, amount: number, reference = `re_${randomBase62(12)}:refund`) => ({
  merchant,
  reference,
  authorizationId,
  amount,
  currency: 'usd',
});

describe('CardProcessor refunds', () => {
  it('refunds only captured money, up to what is left, and replays a refund', async () => {
    const { merchant, client } = setup();
    const hold = await pay(client, merchant, 'pm_card_visa', { capture: false });
    expect(await client.refund(refundOf(merchant, hold.authorizationId, 100))).toMatchObject({ outcome: 'rejected', reason: 'not_captured' });
    const paid = await pay(client, merchant);
    const first = refundOf(merchant, paid.authorizationId, 600);
    const refunded = await client.refund(first);
    expect(refunded).toMatchObject({ outcome: 'refunded', amount: 600, status: 'succeeded', transition: null });
    expect(await client.refund(first)).toEqual(refunded);
    expect(await client.refund(refundOf(merchant, paid.authorizationId, 401))).toMatchObject({ outcome: 'rejected', reason: 'amount_exceeds_refundable' });
    expect(await client.refund(refundOf(merchant, paid.authorizationId, 400))).toMatchObject({ outcome: 'refunded', amount: 400 });
    expect(await client.refund(refundOf(merchant, paid.authorizationId, 1))).toMatchObject({ outcome: 'rejected', reason: 'amount_exceeds_refundable' });
  });

  it('never lets 50 concurrent refunds exceed the captured amount', async () => {
    const { merchant, client, stub } = setup();
    const paid = await pay(client, merchant);
    const results = await Promise.all(Array.from({ length: 50 }, () => client.refund(refundOf(merchant, paid.authorizationId, 30))));
    const accepted = results.filter((r) => r.outcome === 'refunded');
    const rejected = results.filter((r) => r.outcome === 'rejected');
    expect(accepted).toHaveLength(33);
    expect(rejected.every((r) => r.outcome === 'rejected' && r.reason === 'amount_exceeds_refundable')).toBe(true);
    expect(await stub.authorizationForTest(paid.authorizationId)).toMatchObject({ capturedAmount: 1000, refundedAmount: 990 });
    expect(await stub.operationCountForTest()).toBe(1 + 33);
  });

  it('moves a pendingRefund refund from pending to succeeded after the delay', async () => {
    const { merchant, client, setClock } = setup();
    const start = nowSeconds();
    await setClock(start);
    const paid = await pay(client, merchant, 'pm_card_pendingRefund');
    const request = refundOf(merchant, paid.authorizationId, 250);
    const refund = await client.refund(request);
    expect(refund).toMatchObject({ outcome: 'refunded', status: 'pending', transition: { status: 'succeeded', failureReason: null } });
    expect(await client.refundStatus({ merchant, reference: request.reference })).toMatchObject({ outcome: 'found', status: 'pending' });
    await setClock(start + REFUND_TRANSITION_DELAY_SECONDS + 1);
    expect(await client.refundStatus({ merchant, reference: request.reference })).toMatchObject({ outcome: 'found', status: 'succeeded', transition: null });
    expect(await client.refund(request)).toEqual(refund);
  });

  it('fails a refundFail refund after the delay and frees its amount again', async () => {
    const { merchant, client, stub, setClock } = setup();
    const start = nowSeconds();
    await setClock(start);
    const paid = await pay(client, merchant, 'pm_card_refundFail');
    const request = refundOf(merchant, paid.authorizationId, 1000);
    expect(await client.refund(request)).toMatchObject({ status: 'succeeded', transition: { status: 'failed', failureReason: 'expired_or_canceled_card' } });
    expect(await client.refund(refundOf(merchant, paid.authorizationId, 1))).toMatchObject({ reason: 'amount_exceeds_refundable' });
    await setClock(start + REFUND_TRANSITION_DELAY_SECONDS + 1);
    expect(await client.refundStatus({ merchant, reference: request.reference })).toMatchObject({ status: 'failed', failureReason: 'expired_or_canceled_card' });
    expect(await stub.authorizationForTest(paid.authorizationId)).toMatchObject({ refundedAmount: 0 });
  });

  it('reports an unknown refund reference as refund_missing', async () => {
    const { merchant, client } = setup();
    expect(await client.refundStatus({ merchant, reference: 're_nope:refund' })).toMatchObject({ outcome: 'rejected', reason: 'refund_missing' });
  });
});

describe('CardProcessor settlementReport', () => {
  it('settles each money movement at the next 00:00 UTC, once that cut-off has passed', async () => {
    const { merchant, client, setClock } = setup();
    const midnight = (Math.floor(nowSeconds() / DAY_SECONDS) + 2) * DAY_SECONDS;
    await setClock(midnight - 10);
    const early = await pay(client, merchant);
    expect(await client.authorize(payRequest(merchant, 'pm_card_chargeDeclined'))).toMatchObject({ outcome: 'declined' });
    await setClock(midnight + 10);
    const hold = await pay(client, merchant, 'pm_card_visa', { capture: false, amount: 2000 });
    const capture = { merchant, reference: 'ch_late:capture', authorizationId: hold.authorizationId, amount: 1500, currency: 'usd' };
    expect(await client.capture(capture)).toMatchObject({ outcome: 'captured' });
    const refund = refundOf(merchant, early.authorizationId, 300, 're_late:refund');
    await client.refund(refund);
    await pay(client, merchant, 'pm_card_visa', { capture: false });

    const wide = { merchant, fromSeconds: midnight - 5 * DAY_SECONDS, toSeconds: midnight + 5 * DAY_SECONDS };
    const beforeSecondCutoff = await client.settlementReport(wide);
    expect(beforeSecondCutoff.lines.map((l) => l.reference)).toEqual([early.reference]);

    await setClock(midnight + DAY_SECONDS + 5);
    const dayOne = await client.settlementReport({ merchant, fromSeconds: midnight, toSeconds: midnight + 1 });
    expect(dayOne.lines).toEqual([
      {
        lineId: `capture:${early.reference}`,
        reference: early.reference,
        authorizationId: early.authorizationId,
        operation: 'capture',
        amount: 1000,
        currency: 'usd',
        effectiveAtSeconds: expect.any(Number),
        settledAtSeconds: midnight,
      },
    ]);
    expect(dayOne.lines[0]!.effectiveAtSeconds).toBeLessThan(midnight);
    expect(dayOne.lines[0]!.processorFee).toBeUndefined();
    const dayTwo = await client.settlementReport({ merchant, fromSeconds: midnight + DAY_SECONDS, toSeconds: midnight + 2 * DAY_SECONDS });
    expect(dayTwo.lines.map((l) => [l.operation, l.reference, l.amount, l.settledAtSeconds])).toEqual([
      ['capture', 'ch_late:capture', 1500, midnight + DAY_SECONDS],
      ['refund', 're_late:refund', -300, midnight + DAY_SECONDS],
    ]);
    expect(dayTwo.hasMore).toBe(false);
  });

  it('pages through a window with limit and startingAfter', async () => {
    const { merchant, client, setClock } = setup();
    const midnight = (Math.floor(nowSeconds() / DAY_SECONDS) + 2) * DAY_SECONDS;
    await setClock(midnight - 100);
    for (let i = 0; i < 3; i++) await pay(client, merchant);
    await setClock(midnight + 1);
    const window = { merchant, fromSeconds: midnight, toSeconds: midnight + DAY_SECONDS };
    const all = await client.settlementReport(window);
    expect(all.lines).toHaveLength(3);
    const first = await client.settlementReport({ ...window, limit: 2 });
    expect(first).toMatchObject({ hasMore: true });
    const rest = await client.settlementReport({ ...window, limit: 2, startingAfter: first.lines.at(-1)!.lineId });
    expect(rest.hasMore).toBe(false);
    expect([...first.lines, ...rest.lines]).toEqual(all.lines);
  });

  it('reports pending refunds when they succeed and failed refunds as a credit back', async () => {
    const { merchant, client, setClock } = setup();
    const midnight = (Math.floor(nowSeconds() / DAY_SECONDS) + 2) * DAY_SECONDS;
    await setClock(midnight - 30);
    const pending = await pay(client, merchant, 'pm_card_pendingRefund');
    const failing = await pay(client, merchant, 'pm_card_refundFail');
    await client.refund(refundOf(merchant, pending.authorizationId, 100, 're_pending:refund'));
    await client.refund(refundOf(merchant, failing.authorizationId, 200, 're_failing:refund'));
    await setClock(midnight + DAY_SECONDS + 1);
    const report = await client.settlementReport({ merchant, fromSeconds: midnight, toSeconds: midnight + 2 * DAY_SECONDS });
    const lines = report.lines.map((l) => [l.operation, l.reference, l.amount, l.settledAtSeconds]);
    expect(lines).toEqual(
      expect.arrayContaining([
        ['refund', 're_failing:refund', -200, midnight],
        ['refund', 're_pending:refund', -100, midnight + DAY_SECONDS],
        ['refund_failure', 're_failing:refund', 200, midnight + DAY_SECONDS],
      ]),
    );
    expect(lines).toHaveLength(5);
    expect(report.lines.reduce((sum, l) => sum + l.amount, 0)).toBe(1000 + 1000 - 100);
  });

  it('shows each merchant only its own lines', async () => {
    const a = setup();
    const b = setup();
    const paidA = await pay(a.client, a.merchant);
    const paidB = await pay(b.client, b.merchant);
    const window = { fromSeconds: 0, toSeconds: nowSeconds() + 10 * DAY_SECONDS };
    await a.setClock(nowSeconds() + 2 * DAY_SECONDS);
    await b.setClock(nowSeconds() + 2 * DAY_SECONDS);
    expect((await a.client.settlementReport({ merchant: a.merchant, ...window })).lines.map((l) => l.reference)).toEqual([paidA.reference]);
    expect((await b.client.settlementReport({ merchant: b.merchant, ...window })).lines.map((l) => l.reference)).toEqual([paidB.reference]);
  });
});
