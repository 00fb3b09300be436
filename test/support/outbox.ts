/**
 * Waits until an account's outbox is empty — rows leave it only once D1 (and the events queue)
 * took them — running its alarm at once on each try. An alarm that fired on its own may still be
 * running when runDurableObjectAlarm finds none due, hence the polling.
 */
import { runDurableObjectAlarm } from 'cloudflare:test';

export async function drainOutbox(stub: DurableObjectStub<import('../../src/index').MerchantAccount>): Promise<void> {
  for (let i = 0; i < 100; i++) {
    await runDurableObjectAlarm(stub);
    if ((await stub.outboxSizeForTest()) === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error('outbox did not drain');
}
