/**
 * The clocks of a workload account: jumps that stay clear of every boundary the model cannot place
 * to the second, and running the account's alarm until nothing is due.
 */
import { env, runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test';
import { DAY_SECONDS, type AccountModel, type Rng } from './payments-model';

/** Sets the account's and its processor's test clocks to real time + `offset` seconds. */
export async function setClocks(accountId: string, offset: number): Promise<void> {
  // The processor first: an alarm running in between must never see the account's clock ahead of
  // the processor's, or a refund check finds its transition still in the future and waits 30 s more.
  await env.CARD_PROCESSOR.getByName(`${accountId}:test`).setClockOffsetForTest(offset);
  await env.MERCHANT_ACCOUNT.getByName(`${accountId}:test`).setClockOffsetForTest(offset);
}

/**
 * Runs the account's alarm until nothing is due at `now` (funds to make available, refund or
 * payout checks). One run is not always enough: the runtime may be running the alarm itself (it
 * fires shortly after every request), and then runDurableObjectAlarm finds none scheduled and
 * returns at once while that run is still draining the outbox.
 */
export async function settle(accountId: string, now: number): Promise<void> {
  const stub = env.MERCHANT_ACCOUNT.getByName(`${accountId}:test`);
  for (let attempt = 0; attempt < 100; attempt++) {
    await runDurableObjectAlarm(stub);
    const due = await runInDurableObject(stub, (_instance, state) =>
      state.storage.sql
        .exec<{ n: number }>('SELECT (SELECT COUNT(*) FROM pending_availability WHERE available_on <= ?1) + (SELECT COUNT(*) FROM due_checks WHERE due <= ?1) AS n', now)
        .one().n,
    );
    if (due === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`account ${accountId} still has work due after 100 alarm runs`);
}

const MIDNIGHT_MARGIN_SECONDS = 1_800;
const BOUNDARY_MARGIN_SECONDS = 600;

/**
 * An offset ≥ `atLeast` that puts the account's clock well away from 00:00 UTC (availability and
 * payout arrival) and from any authorisation's expiry, so no outcome depends on how many seconds
 * of real time the run takes.
 */
export function chooseOffset(model: AccountModel, atLeast: number, rng: Rng): number {
  const real = Math.floor(Date.now() / 1000);
  const boundaries = model.boundaries();
  let offset = atLeast;
  for (let attempt = 0; attempt < 100; attempt++) {
    const now = real + offset;
    const timeOfDay = now % DAY_SECONDS;
    const clear = timeOfDay > MIDNIGHT_MARGIN_SECONDS && timeOfDay < DAY_SECONDS - MIDNIGHT_MARGIN_SECONDS && boundaries.every((b) => Math.abs(b - now) > BOUNDARY_MARGIN_SECONDS);
    if (clear) return offset;
    offset += rng.int(900, 3_600);
  }
  throw new Error('no clock offset clear of every boundary');
}
