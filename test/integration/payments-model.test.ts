/**
 * Issue #4: seeded random sequences of pay / confirm / capture / cancel / refund / payout / clock
 * jumps across usd, eur and jpy on several accounts, each answer predicted by a single-threaded
 * model (test/support/payments-model.ts), the auditor (test/support/audit.ts) run every few
 * operations and at the end, and the final balances and charges compared with the model.
 * A failure names the seed and the last requests, so the run can be replayed exactly.
 */
import { describe, expect, it } from 'vitest';
import { auditAccount } from '../support/audit';
import { CARD_NUMBERS, MINIMUM, Rng, type MIntent } from '../support/payments-model';
import { Workload, type Account } from '../support/payments-workload';

const SEEDS = [0x5eed0001, 0x5eed0002, 0x5eed0003, 0x5eed0004, 0x5eed0005];
const ACCOUNTS_PER_SEED = 3;
const OPERATIONS_PER_SEED = 300;
const AUDIT_EVERY = 20;

/** Answers seen over all seeds: the last test checks the workload reached every interesting one. */
const COVERAGE = new Map<string, number>();
const MUST_COVER = [
  'POST /v1/payment_intents 200',
  'POST /v1/payment_intents 402 card_declined',
  'POST /v1/payment_intents 402 authentication_required',
  'POST /v1/payment_intents 400 amount_too_small',
  'POST /v1/payment_intents/:id/confirm 200',
  'POST /v1/payment_intents/:id/capture 200',
  'POST /v1/payment_intents/:id/capture 400 amount_too_large',
  'POST /v1/payment_intents/:id/capture 400 charge_expired_for_capture',
  'POST /v1/payment_intents/:id/cancel 200',
  'POST /v1/refunds 200',
  'POST /v1/refunds 400 amount_too_large',
  'POST /v1/refunds 400 charge_already_refunded',
  'POST /v1/refunds 400 resource_missing',
  'POST /v1/payouts 200',
  'POST /v1/payouts 400 balance_insufficient',
  'POST /v1/payouts/:id/cancel 200',
  'replay',
  'confirm again',
  'challenge complete',
  'challenge fail',
  'funds_available',
  'refund_failed',
  'refund_succeeded_later',
  'payout_moved',
];

const WEIGHTS = { pay: 28, create: 4, confirm: 8, challenge: 3, capture: 14, cancel: 6, refund: 20, payout: 8, cancelPayout: 3, advance: 3, foreign: 2, replay: 4 } as const;

function pickIntent(w: Workload, account: Account, preferred: MIntent['status'][]): MIntent | null {
  const all = [...account.model.intents.values()];
  if (all.length === 0) return null;
  const matching = all.filter((i) => preferred.includes(i.status));
  return matching.length > 0 && w.rng.chance(0.9) ? w.rng.pick(matching) : w.rng.pick(all);
}

async function capture(w: Workload, account: Account): Promise<void> {
  const intent = pickIntent(w, account, ['requires_capture']);
  if (!intent) return;
  const capturable = intent.amountCapturable;
  const kind = w.rng.weighted({ full: 50, partial: 30, over: 8, small: 6, zero: 3, negative: 3 });
  const amount = { full: undefined, partial: w.rng.int(MINIMUM[intent.currency], Math.max(MINIMUM[intent.currency], capturable)), over: capturable + w.rng.int(1, 1_000), small: w.rng.int(1, MINIMUM[intent.currency] - 1), zero: 0, negative: -w.rng.int(1, 99) }[kind];
  const reply = await w.send(account, 'POST', `/v1/payment_intents/${intent.id}/capture`, amount === undefined ? undefined : { amount_to_capture: String(amount) });
  if (intent.status !== 'requires_capture') return w.expectReply(reply, { status: 400, code: 'payment_intent_unexpected_state' });
  const toCapture = amount ?? capturable;
  if (toCapture <= 0 || toCapture > capturable) return w.expectReply(reply, { status: 400, code: 'amount_too_large', param: 'amount_to_capture' });
  if (toCapture < MINIMUM[intent.currency]) return w.expectReply(reply, { status: 400, code: 'amount_too_small', param: 'amount_to_capture' });
  const charge = account.model.charges.get(intent.latestCharge!)!;
  if (account.model.authorizationExpired(charge)) return w.expectReply(reply, { status: 400, code: 'charge_expired_for_capture' });
  w.expectReply(reply, { status: 200 });
  account.model.capture(charge, toCapture);
  Object.assign(intent, { status: 'succeeded', amountReceived: toCapture, amountCapturable: 0 });
  expect(reply.json).toMatchObject({ status: 'succeeded', amount_received: toCapture, amount_capturable: 0 });
}

async function cancel(w: Workload, account: Account): Promise<void> {
  const intent = pickIntent(w, account, ['requires_capture', 'requires_action', 'requires_payment_method']);
  if (!intent) return;
  const reply = await w.send(account, 'POST', `/v1/payment_intents/${intent.id}/cancel`, w.rng.chance(0.5) ? { cancellation_reason: 'requested_by_customer' } : undefined);
  if (intent.status === 'succeeded' || intent.status === 'canceled') return w.expectReply(reply, { status: 400, code: 'payment_intent_unexpected_state' });
  w.expectReply(reply, { status: 200 });
  Object.assign(intent, { status: 'canceled', amountCapturable: 0, attempt: null });
  expect(reply.json).toMatchObject({ status: 'canceled', amount_capturable: 0, amount_received: 0 });
}

async function refund(w: Workload, account: Account): Promise<void> {
  const model = account.model;
  const charges = [...model.charges.values()];
  if (charges.length === 0) return;
  const refundable = charges.filter((c) => model.refundable(c) > 0);
  const charge = refundable.length > 0 && w.rng.chance(0.7) ? w.rng.pick(refundable) : w.rng.pick(charges);
  const byIntent = w.rng.chance(0.4);
  const remaining = model.refundable(charge);
  const kind = w.rng.weighted({ full: 40, partial: 30, exact: 10, over: 12, zero: 4, negative: 4 });
  const amount = { full: undefined, partial: w.rng.int(1, Math.max(1, remaining)), exact: remaining, over: remaining + w.rng.int(1, 500), zero: 0, negative: -w.rng.int(1, 99) }[kind];
  const body: Record<string, string> = byIntent ? { payment_intent: charge.intent } : { charge: charge.id };
  if (amount !== undefined) body['amount'] = String(amount);
  const reply = await w.send(account, 'POST', '/v1/refunds', body);
  const intent = model.intents.get(charge.intent)!;
  if (byIntent && (intent.latestCharge === null || intent.amountReceived === 0)) return w.expectReply(reply, { status: 400, code: 'charge_not_refundable', param: 'payment_intent' });
  // By intent, the refund goes to the intent's latest charge (the captured one).
  const target = byIntent ? model.charges.get(intent.latestCharge!)! : charge;
  const left = model.refundable(target);
  if (!target.captured) return w.expectReply(reply, { status: 400, code: 'charge_not_refundable', param: 'charge' });
  if (amount !== undefined && amount < 1) return w.expectReply(reply, { status: 400, param: 'amount' });
  if (left === 0) return w.expectReply(reply, { status: 400, code: 'charge_already_refunded' });
  if (amount !== undefined && amount > left) return w.expectReply(reply, { status: 400, code: 'amount_too_large', param: 'amount' });
  w.expectReply(reply, { status: 200 });
  const made = model.refund(reply.json.id, target, amount ?? left);
  expect(reply.json).toMatchObject({ object: 'refund', amount: made.amount, currency: made.currency, charge: target.id, payment_intent: target.intent, status: made.status });
}

async function payout(w: Workload, account: Account): Promise<void> {
  const currency = w.rng.pick(['usd', 'eur', 'jpy'] as const);
  const available = account.model.balances[currency].available;
  const kind = w.rng.weighted({ within: available >= 1 ? 60 : 0, over: 30, zero: 10 });
  const amount = { within: w.rng.int(1, Math.max(1, available)), over: Math.max(available, 0) + w.rng.int(1, 1_000), zero: 0 }[kind];
  const reply = await w.send(account, 'POST', '/v1/payouts', { amount: String(amount), currency });
  if (amount < 1) return w.expectReply(reply, { status: 400, param: 'amount' });
  if (amount > available) return w.expectReply(reply, { status: 400, code: 'balance_insufficient' });
  w.expectReply(reply, { status: 200 });
  expect(reply.json).toMatchObject({ object: 'payout', amount, currency, status: 'pending' });
  account.model.payout(reply.json.id, amount, currency);
}

async function cancelPayout(w: Workload, account: Account): Promise<void> {
  const payouts = [...account.model.payouts.values()];
  if (payouts.length === 0) return;
  const p = w.rng.pick(payouts);
  // A pending payout moves on its own LATER_SECONDS after creation: stay clear of that moment.
  if (p.status === 'pending' && account.model.now() > p.created + 30) return;
  const reply = await w.send(account, 'POST', `/v1/payouts/${p.id}/cancel`);
  if (p.status !== 'pending') return w.expectReply(reply, { status: 400, code: 'payout_unexpected_state' });
  w.expectReply(reply, { status: 200 });
  expect(reply.json).toMatchObject({ status: 'canceled', amount: p.amount });
  account.model.cancelPayout(p);
}

/** Another account's ids: 404 on a path, 400 resource_missing naming the body param. */
async function foreign(w: Workload, account: Account): Promise<void> {
  const other = w.rng.pick(w.accounts.filter((a) => a !== account && a.model.charges.size > 0));
  if (!other) return;
  const charge = w.rng.pick([...other.model.charges.values()]);
  const which = w.rng.int(0, 3);
  if (which === 0) w.expectReply(await w.send(account, 'GET', `/v1/charges/${charge.id}`), { status: 404, code: 'resource_missing', param: 'id' });
  if (which === 1) w.expectReply(await w.send(account, 'POST', `/v1/payment_intents/${charge.intent}/capture`), { status: 404, code: 'resource_missing', param: 'id' });
  if (which === 2) w.expectReply(await w.send(account, 'POST', '/v1/refunds', { charge: charge.id }), { status: 400, code: 'resource_missing', param: 'charge' });
  if (which === 3) w.expectReply(await w.send(account, 'POST', '/v1/refunds', { payment_intent: charge.intent }), { status: 400, code: 'resource_missing', param: 'payment_intent' });
}

async function check(account: Account): Promise<void> {
  const snapshot = await auditAccount({ accountId: account.id, key: account.key }, { cardNumbers: CARD_NUMBERS });
  const model = account.model;
  for (const currency of ['usd', 'eur', 'jpy'] as const) {
    expect(snapshot.balances[currency] ?? { available: 0, pending: 0 }, `${currency} balance`).toEqual(model.balances[currency]);
  }
  expect(snapshot.charges.length).toBe(model.charges.size);
  for (const c of snapshot.charges) {
    const m = model.charges.get(c.id);
    expect(m, `unexpected charge ${c.id}`).toBeDefined();
    expect({ id: c.id, captured: c.captured, amountCaptured: c.amountCaptured, amountRefunded: c.amountRefunded, status: c.status }).toEqual({
      id: m!.id,
      captured: m!.captured,
      amountCaptured: m!.amountCaptured,
      amountRefunded: m!.amountRefunded,
      status: m!.status,
    });
  }
  expect(snapshot.refunds.length).toBe(model.refunds.size);
  for (const r of snapshot.refunds) {
    const m = model.refunds.get(r.id);
    expect({ id: r.id, status: r.status, amount: r.amount, charge: r.charge }).toEqual({ id: r.id, status: m?.status, amount: m?.amount, charge: m?.charge });
  }
}

async function step(w: Workload, account: Account): Promise<void> {
  const op = w.rng.weighted(WEIGHTS);
  switch (op) {
    case 'pay':
      return w.pay(account, true);
    case 'create':
      return w.pay(account, false);
    case 'confirm': {
      const intent = pickIntent(w, account, ['requires_payment_method', 'requires_action']);
      return intent ? w.confirm(account, intent) : undefined;
    }
    case 'challenge': {
      const waiting = [...account.model.intents.values()].filter((i) => i.status === 'requires_action');
      return waiting.length > 0 ? w.challenge(account, w.rng.pick(waiting)) : undefined;
    }
    case 'capture':
      return capture(w, account);
    case 'cancel':
      return cancel(w, account);
    case 'refund':
      return refund(w, account);
    case 'payout':
      return payout(w, account);
    case 'cancelPayout':
      return cancelPayout(w, account);
    case 'advance':
      return w.advance(account);
    case 'foreign':
      return foreign(w, account);
    case 'replay':
      return w.replay(account);
  }
}

async function runSeed(seed: number): Promise<void> {
  const w = new Workload(seed, new Rng(seed));
  for (let i = 0; i < ACCOUNTS_PER_SEED; i++) await w.addAccount();
  const counts = new Map<Account, number>();
  try {
    for (let op = 0; op < OPERATIONS_PER_SEED; op++) {
      const account = w.rng.pick(w.accounts);
      await step(w, account);
      counts.set(account, (counts.get(account) ?? 0) + 1);
      if (counts.get(account)! % AUDIT_EVERY === 0) await check(account);
    }
    for (const account of w.accounts) {
      await w.advance(account);
      await check(account);
    }
    for (const [shape, n] of w.outcomes) COVERAGE.set(shape, (COVERAGE.get(shape) ?? 0) + n);
    for (const account of w.accounts) for (const [what, n] of account.model.tally) COVERAGE.set(what, (COVERAGE.get(what) ?? 0) + n);
  } catch (error) {
    const message = `seed 0x${seed.toString(16)} failed after ${w.history.length} requests; last ones:\n  ${w.history.slice(-15).join('\n  ')}`;
    throw new Error(`${message}\n${(error as Error).message}`, { cause: error });
  }
}

describe('payments model', () => {
  it.each(SEEDS.map((seed) => [`0x${seed.toString(16)}`, seed] as const))('keeps every invariant and matches the model (seed %s)', async (_name, seed) => {
    await runSeed(seed);
  }, 60_000);

  it('reaches every interesting answer over the seeds', () => {
    const missing = MUST_COVER.filter((shape) => !COVERAGE.has(shape));
    expect(missing, [...COVERAGE].sort().map(([k, v]) => `${v}\t${k}`).join('\n')).toEqual([]);
  });
});
