/**
 * Test clocks (`/v1/test_helpers/test_clocks`): frozen time for the customers attached to them and
 * everything those customers own. `advance` moves the frozen time forward and marks the clock
 * `advancing`; the account alarm then runs every subscription step due up to the new time (each
 * dated at its own due time) and marks the clock `ready` (billing-schedule.ts).
 */
import type { TestClock } from '../../src/domain/billing/catalog';
import type { Subscription } from '../../src/domain/billing/subscription';
import { invalidRequestError, resourceMissing } from '../../src/domain/errors';
import { TEST_CLOCK_LIFETIME_SECONDS } from '../../src/domain/limits';
import { err, ok } from '../../src/domain/result';
import type { ListArgs } from '../../src/stripe/list';
import { toTestClockJson } from '../../src/stripe/objects/catalog';
import { emit, project, type Handler, type OperationContext } from '../context';
import { clearDueCheck, scheduleDueCheck } from '../ledger-store';
import { insertObject, listObjects, updateObject, type StoredObject } from '../store';
import { loadTestClock, TEST_CLOCK } from './invoice-store';
import { listPage } from './lists';
import { commitSubscription, endSubscription } from './subscription-settle';
import { SUBSCRIPTION } from './subscription-store';

/** Stripe's bound on a test clock's subscriptions is 3 customers × 3 subscriptions; we page generously. */
const CLOCK_SUBSCRIPTIONS_MAX = 100;

export function saveTestClock(ctx: OperationContext, stored: StoredObject<TestClock> | null, clock: TestClock): StoredObject<TestClock> {
  const index = { status: clock.status };
  const saved = stored
    ? (updateObject(ctx.sql, stored, clock, index, { deleted: clock.deleted }) as StoredObject<TestClock>)
    : (insertObject(ctx.sql, { id: clock.id, type: TEST_CLOCK, created: clock.created, data: clock }, index) as StoredObject<TestClock>);
  project(ctx, saved, toTestClockJson(clock), index);
  return saved;
}

/** Ids of the subscriptions living on the clock. */
export function clockSubscriptions(ctx: OperationContext, clockId: string): StoredObject<Subscription>[] {
  return listObjects<Subscription>(ctx.sql, { type: SUBSCRIPTION, limit: CLOCK_SUBSCRIPTIONS_MAX, equals: { parent: clockId } }).objects;
}

export const createTestClock: Handler<{ frozenTime: number; name?: string }> = (ctx, { frozenTime, name }) => {
  const clock: TestClock = {
    id: ctx.newId('clock'),
    created: ctx.nowSeconds,
    livemode: ctx.livemode,
    name: name ?? null,
    frozenTime,
    status: 'ready',
    advancingFrom: null,
    deletesAfter: ctx.nowSeconds + TEST_CLOCK_LIFETIME_SECONDS,
    deleted: false,
  };
  saveTestClock(ctx, null, clock);
  const json = toTestClockJson(clock);
  emit(ctx, 'test_helpers.test_clock.created', json);
  return ok(json);
};

export const retrieveTestClock: Handler<{ id: string }> = (ctx, { id }) => {
  const stored = loadTestClock(ctx, id);
  if (!stored) return err(resourceMissing('test_helpers.test_clock', id));
  return ok(toTestClockJson(stored.data));
};

export const advanceTestClock: Handler<{ id: string; frozenTime: number }> = (ctx, { id, frozenTime }) => {
  const stored = loadTestClock(ctx, id);
  if (!stored) return err(resourceMissing('test_helpers.test_clock', id));
  if (stored.data.status !== 'ready') {
    return err(invalidRequestError(`The test clock ${id} is ${stored.data.status}; wait until it is ready before advancing it again.`, null, 'test_clock_not_ready'));
  }
  if (frozenTime <= stored.data.frozenTime) {
    return err(invalidRequestError(`The frozen_time must be after the clock's current frozen_time (${stored.data.frozenTime}).`, 'frozen_time'));
  }
  const clock: TestClock = { ...stored.data, frozenTime, status: 'advancing', advancingFrom: stored.data.frozenTime };
  saveTestClock(ctx, stored, clock);
  scheduleDueCheck(ctx.sql, 'test_clock', id, ctx.nowSeconds);
  const json = toTestClockJson(clock);
  emit(ctx, 'test_helpers.test_clock.advancing', json);
  return ok(json);
};

/** Marks an advancing clock ready once nothing is left to do up to its frozen time. */
export function markClockReady(ctx: OperationContext, id: string): void {
  const stored = loadTestClock(ctx, id);
  clearDueCheck(ctx.sql, 'test_clock', id);
  if (!stored || stored.data.status !== 'advancing') return;
  const clock: TestClock = { ...stored.data, status: 'ready', advancingFrom: null };
  saveTestClock(ctx, stored, clock);
  emit(ctx, 'test_helpers.test_clock.ready', toTestClockJson(clock));
}

/** Deletes the clock and ends the subscriptions on it. */
export const deleteTestClock: Handler<{ id: string }> = (ctx, { id }) => {
  const stored = loadTestClock(ctx, id);
  if (!stored) return err(resourceMissing('test_helpers.test_clock', id));
  for (const subscription of clockSubscriptions(ctx, id)) {
    if (subscription.data.status !== 'canceled' && subscription.data.status !== 'incomplete_expired') {
      commitSubscription(ctx, subscription, endSubscription(subscription.data, stored.data.frozenTime, 'cancellation_requested'));
    }
  }
  const clock: TestClock = { ...stored.data, deleted: true };
  saveTestClock(ctx, stored, clock);
  clearDueCheck(ctx.sql, 'test_clock', id);
  emit(ctx, 'test_helpers.test_clock.deleted', toTestClockJson(stored.data));
  return ok(toTestClockJson(clock));
};

export const listTestClocks: Handler<{ list: ListArgs }> = (ctx, { list }) =>
  listPage<TestClock>(ctx, { type: TEST_CLOCK, url: '/v1/test_helpers/test_clocks', list, equals: {}, render: toTestClockJson });
