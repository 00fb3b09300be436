/**
 * Reconciliation, ledger ↔ processor settlement: real payments and refunds through the API on a
 * past day, a settlement fault injected at the processor (test-only seam), then one run of the
 * queue consumer must report exactly the injected discrepancy, and a clean day nothing.
 */
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { processorFor } from '../../src/platform/processor';
import { profileOfTestCard } from '../../src/domain/cards/profile';
import { testCardByPaymentMethodId } from '../../src/domain/cards/catalog';
import { api, json } from '../support/http';
import { eventually, newReceiver } from '../support/webhook-receiver';
import { createEndpoint, verifySignature } from '../support/webhooks';
import { classesOf, drain, pay, reconAccount, reconcile, settle, type ReconAccount } from '../support/reconciliation';

/** One automatic capture of 2000, reconciled after `fault` ran against its settlement line. */
async function paidDay(fault?: (account: ReconAccount, reference: string) => Promise<unknown>) {
  const account = await reconAccount();
  const { charge } = await pay(account.stripe, 2000);
  await drain(account);
  const reference = `${charge}:authorize`;
  if (fault) expect(await fault(account, reference)).toBe(1);
  await settle(account);
  return { account, charge, reference, ...(await reconcile(account)) };
}

describe('reconciliation against the processor settlement', () => {
  it('reports zero discrepancies for a clean day of captures, manual captures and refunds', async () => {
    const account = await reconAccount();
    const auto = await pay(account.stripe, 2000);
    const manual = await pay(account.stripe, 1500, 'pm_card_visa', { capture_method: 'manual' });
    await account.stripe.paymentIntents.capture(manual.intent.id, { amount_to_capture: 1200 });
    await account.stripe.refunds.create({ charge: auto.charge, amount: 500 });
    await pay(account.stripe, 1000, 'pm_card_chargeDeclined').catch(() => undefined);
    await drain(account);
    await settle(account);
    const { run, discrepancies } = await reconcile(account);
    expect(discrepancies).toEqual([]);
    expect(run).toMatchObject({ object: 'reconciliation.run', status: 'completed', passes: 1, window: { start: account.windowStart, end: account.windowEnd } });
    expect(Object.values(run.discrepancy_counts).every((n) => n === 0)).toBe(true);
    expect(run.totals.ledger.usd).toMatchObject({ count: 3, amount: 2000 + 1200 - 500 });
    expect(run.totals.processor.usd).toEqual({ count: 3, amount: 2000 + 1200 - 500, fee: 0 });
    expect(run.checked).toMatchObject({ movements: 3, settlement_lines: 3 });
    expect(run.checked.ledger_entries).toBeGreaterThan(6);
  });

  it('classifies a dropped line as missing_at_processor, and nothing else', async () => {
    const { discrepancies, reference } = await paidDay((a, ref) => a.processor.alterSettlementForTest({ kind: 'drop', reference: ref }));
    expect(classesOf(discrepancies)).toEqual(['missing_at_processor']);
    expect(discrepancies[0]).toMatchObject({ status: 'open', reference, ledger: { amount: 2000, operation: 'capture' }, processor: [] });
  });

  it('classifies a settled payment we never booked as missing_in_ledger, and nothing else', async () => {
    const ghost = 'ch_ghost1234:authorize';
    const { discrepancies } = await paidDay(async (account) => {
      const card = profileOfTestCard(testCardByPaymentMethodId('pm_card_visa')!, account.base);
      const request = { reference: ghost, merchant: account.merchant, amount: 700, currency: 'usd', card, capture: true, offSession: false, authenticated: false };
      return (await processorFor(env, account.merchant).authorize(request)).outcome === 'approved' ? 1 : 0;
    });
    expect(classesOf(discrepancies)).toEqual(['missing_in_ledger']);
    expect(discrepancies[0]).toMatchObject({ reference: ghost, ledger: null, processor: [{ amount: 700, operation: 'capture' }] });
  });

  it('classifies a changed amount as amount, and nothing else', async () => {
    const { discrepancies } = await paidDay((a, ref) => a.processor.alterSettlementForTest({ kind: 'alter', reference: ref, amount: 1999 }));
    expect(classesOf(discrepancies)).toEqual(['amount']);
    expect(discrepancies[0]).toMatchObject({ ledger: { amount: 2000 }, processor: [{ amount: 1999 }] });
  });

  it('classifies a changed currency as currency, and nothing else', async () => {
    const { discrepancies } = await paidDay((a, ref) => a.processor.alterSettlementForTest({ kind: 'alter', reference: ref, currency: 'eur' }));
    expect(classesOf(discrepancies)).toEqual(['currency']);
  });

  it('classifies a processor fee on the line as fee, and nothing else', async () => {
    const { discrepancies } = await paidDay((a, ref) => a.processor.alterSettlementForTest({ kind: 'alter', reference: ref, processorFee: 25 }));
    expect(classesOf(discrepancies)).toEqual(['fee']);
    expect(discrepancies[0]).toMatchObject({ ledger: { fee: 88, expected_fee: 88 }, processor: [{ fee: 25 }] });
  });

  it('classifies a duplicated line as duplicate, and nothing else', async () => {
    const { discrepancies, run } = await paidDay((a, ref) => a.processor.alterSettlementForTest({ kind: 'duplicate', reference: ref }));
    expect(classesOf(discrepancies)).toEqual(['duplicate']);
    expect(discrepancies[0]!.processor).toHaveLength(2);
    expect(run.totals.processor.usd).toMatchObject({ count: 2, amount: 4000 });
  });

  it('classifies a line settled a day late as late, and nothing else', async () => {
    const { discrepancies, account } = await paidDay((a, ref) => a.processor.alterSettlementForTest({ kind: 'late', reference: ref, days: 1 }));
    expect(classesOf(discrepancies)).toEqual(['late']);
    expect(discrepancies[0]!.processor[0].settled_at).toBe(account.windowEnd + 86_400);
  });

  it('classifies a refund the processor failed, that we still hold as succeeded, as status, and nothing else', async () => {
    const account = await reconAccount();
    const { charge } = await pay(account.stripe, 3000, 'pm_card_refundFail');
    const refund = await account.stripe.refunds.create({ charge });
    expect(refund.status).toBe('succeeded');
    await drain(account);
    await settle(account); // the processor fails the refund 60 s later; our DO's clock never gets there
    const { discrepancies } = await reconcile(account);
    expect(classesOf(discrepancies)).toEqual(['status']);
    expect(discrepancies[0]).toMatchObject({ reference: `${refund.id}:refund`, object_status: 'succeeded', processor: [{ operation: 'refund_failure', amount: 3000 }] });
  });

  it('emits reconciliation.discrepancy_found and reconciliation.completed as events', async () => {
    const { account, discrepancies, run } = await paidDay((a, ref) => a.processor.alterSettlementForTest({ kind: 'alter', reference: ref, amount: 1 }));
    await drain(account);
    const found = await json<{ data: Array<Record<string, any>> }>(await api('GET', '/v1/events?type=reconciliation.discrepancy_found', { key: account.key }));
    expect(found.data.map((e) => e.data.object.id)).toEqual([discrepancies[0]!.id]);
    const completed = await json<{ data: Array<Record<string, any>> }>(await api('GET', '/v1/events?type=reconciliation.completed', { key: account.key }));
    expect(completed.data).toHaveLength(1);
    expect(completed.data[0]!.data.object).toMatchObject({ id: run.id, status: 'completed', discrepancy_counts: { amount: 1 } });
  });

  it('delivers reconciliation events to a webhook endpoint subscribed to them, signed like any other', async () => {
    const account = await reconAccount();
    const receiver = newReceiver();
    const endpoint = await createEndpoint(account.key, receiver.url, ['reconciliation.discrepancy_found']);
    const { charge } = await pay(account.stripe, 2000);
    await drain(account);
    await account.processor.alterSettlementForTest({ kind: 'drop', reference: `${charge}:authorize` });
    await settle(account);
    const { discrepancies } = await reconcile(account);
    await drain(account);
    await eventually(() => (receiver.received.length > 0 ? true : undefined), 'a delivery');
    const event = await verifySignature(receiver.received[0]!, endpoint.secret);
    expect(event).toMatchObject({ type: 'reconciliation.discrepancy_found', data: { object: { id: discrepancies[0]!.id, class: 'missing_at_processor' } } });
    expect(receiver.received).toHaveLength(1);
  });
});
