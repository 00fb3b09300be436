/**
 * RELIABILITY.md test 23 for webhooks: a crash between the committed state change and the queue
 * send loses no event. The fault seam sits in the alarm's drain right before `sendBatch`.
 */
import { runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { api, json } from '../support/http';
import { eventually, newReceiver } from '../support/webhook-receiver';
import { createEndpoint, newAccount, verifySignature } from '../support/webhooks';

const FAULT = 'after_commit_before_outbox_send';

async function faultArmed(merchant: string): Promise<boolean> {
  return runInDurableObject(env.MERCHANT_ACCOUNT.getByName(merchant), (_i, state) =>
    state.storage.sql.exec('SELECT 1 FROM settings WHERE name = ?', `fault:${FAULT}`).toArray().length > 0,
  );
}

async function webhookRowsInOutbox(merchant: string): Promise<number> {
  return runInDurableObject(env.MERCHANT_ACCOUNT.getByName(merchant), (_i, state) =>
    state.storage.sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM outbox WHERE kind = 'webhook'").one().n,
  );
}

describe('webhook outbox under crashes', () => {
  for (const action of ['throw', 'abort'] as const) {
    it(`loses no event when the drain dies (${action}) after the commit, before the queue send`, async () => {
      const account = await newAccount();
      const receiver = newReceiver();
      const endpoint = await createEndpoint(account.key, receiver.url);
      await account.stub.armFaultForTest(FAULT, action);
      const response = await api('POST', '/v1/customers', { key: account.key, body: { name: 'crash' } });
      expect(response.status).toBe(200); // committed before the crash
      const customer = await json(response);
      // The automatic alarm (or ours) reaches the send and dies there; a fresh stub each time,
      // since an aborted object leaves old stubs broken.
      await eventually(async () => {
        await runDurableObjectAlarm(env.MERCHANT_ACCOUNT.getByName(account.merchant)).catch(() => undefined);
        // While the object is being aborted a call into it may fail too: just look again.
        return (await faultArmed(account.merchant).catch(() => true)) ? undefined : true;
      }, 'the fault to fire');
      // The alarm retries (ours with backoff, or the platform's after an abort); force one more run.
      await eventually(async () => {
        await runDurableObjectAlarm(env.MERCHANT_ACCOUNT.getByName(account.merchant)).catch(() => undefined);
        return receiver.received.length > 0 ? true : undefined;
      }, 'the delivery after the crash');
      const event = await verifySignature(receiver.received[0]!, endpoint.secret);
      expect(event).toMatchObject({ type: 'customer.created', data: { object: { id: customer.id } } });
      expect(await webhookRowsInOutbox(account.merchant)).toBe(0);
      expect(new Set(await Promise.all(receiver.received.map(async (r) => (await verifySignature(r, endpoint.secret)).id)))).toEqual(new Set([event.id]));
    });
  }

  it('keeps the webhook row in the outbox while the send fails, and sends it on the next run', async () => {
    const account = await newAccount();
    const receiver = newReceiver();
    await createEndpoint(account.key, receiver.url);
    // Arm twice in a row: the automatic alarm after the request may take the first one.
    await account.stub.armFaultForTest(FAULT, 'throw');
    await api('POST', '/v1/customers', { key: account.key, body: { name: 'kept' } });
    await eventually(async () => ((await faultArmed(account.merchant)) ? undefined : true), 'the fault to fire');
    expect(await webhookRowsInOutbox(account.merchant)).toBe(1);
    expect(receiver.received).toEqual([]);
    await runDurableObjectAlarm(account.stub);
    await eventually(() => (receiver.received.length === 1 ? true : undefined), 'the delivery');
    expect(await webhookRowsInOutbox(account.merchant)).toBe(0);
  });
});
