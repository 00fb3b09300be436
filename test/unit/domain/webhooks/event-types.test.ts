import { describe, expect, it } from 'vitest';
import { endpointWantsEvent, EVENT_TYPES, isSubscribableEventType, matchesTypePattern, parseTypePattern } from '../../../../src/domain/webhooks/event-types';

describe('event types', () => {
  it('lists every type the issue requires, once', () => {
    const required = [
      'customer.created', 'customer.updated', 'customer.deleted', 'payment_method.attached', 'payment_method.detached',
      'payment_intent.created', 'payment_intent.requires_action', 'payment_intent.amount_capturable_updated', 'payment_intent.succeeded',
      'payment_intent.payment_failed', 'payment_intent.canceled', 'charge.succeeded', 'charge.failed', 'charge.captured', 'charge.refunded',
      'refund.created', 'refund.updated', 'payout.created', 'payout.paid', 'payout.failed', 'payout.canceled', 'balance.available',
    ];
    for (const type of required) expect(EVENT_TYPES, type).toContain(type);
    expect(new Set(EVENT_TYPES).size).toBe(EVENT_TYPES.length);
  });

  it('accepts `*` and known types as enabled_events, nothing else', () => {
    expect(isSubscribableEventType('*')).toBe(true);
    expect(isSubscribableEventType('charge.succeeded')).toBe(true);
    for (const bad of ['charge.*', 'charge', '', 'charge.succeeded ', 'CHARGE.SUCCEEDED', '__proto__']) expect(isSubscribableEventType(bad), bad).toBe(false);
  });

  it('matches an endpoint by `*` or the exact type', () => {
    expect(endpointWantsEvent(['*'], 'charge.succeeded')).toBe(true);
    expect(endpointWantsEvent(['charge.failed', 'charge.succeeded'], 'charge.succeeded')).toBe(true);
    expect(endpointWantsEvent(['charge.failed'], 'charge.succeeded')).toBe(false);
    expect(endpointWantsEvent([], 'charge.succeeded')).toBe(false);
  });
});

describe('parseTypePattern', () => {
  it('reads exact types and trailing wildcards', () => {
    expect(parseTypePattern('charge.succeeded')).toEqual({ exact: 'charge.succeeded' });
    expect(parseTypePattern('charge.*')).toEqual({ prefix: 'charge.' });
    expect(parseTypePattern('charge.dispute.*')).toEqual({ prefix: 'charge.dispute.' });
    expect(parseTypePattern('*')).toEqual({ prefix: '' });
  });

  it('refuses wildcards elsewhere and SQL-looking text', () => {
    for (const bad of ['*.succeeded', 'char*', 'charge.*.x', "charge.%'", 'charge.', '', 'Charge.succeeded']) expect(parseTypePattern(bad), bad).toBeNull();
  });

  it('matches by exact type or prefix', () => {
    expect(matchesTypePattern({ prefix: 'charge.' }, 'charge.refunded')).toBe(true);
    expect(matchesTypePattern({ prefix: 'charge.' }, 'payment_intent.created')).toBe(false);
    expect(matchesTypePattern({ exact: 'charge.refunded' }, 'charge.refunded')).toBe(true);
  });
});
