/**
 * The seeded random workload behind test/integration/payments-model.test.ts: each operation asks
 * the model (payments-model.ts) what the Worker must answer, sends the request over raw HTTP,
 * checks status, error code/param and key fields, then applies the effect to the model.
 */
import { expect } from 'vitest';
import { mintTestKey, newAccountId } from './api-keys';
import { chooseOffset, setClocks, settle } from './payments-clock';
import { directApi as api } from './http';
import { AMOUNT_MAX, CARDS, CURRENCIES, MINIMUM, type AccountModel, type CardSpec, type Currency, type MCharge, type MIntent, type Rng, AccountModel as Model } from './payments-model';

export interface Account {
  readonly id: string;
  readonly key: string;
  readonly model: AccountModel;
  readonly customers: readonly string[];
  lastReplayable: Sent | null;
}

interface Sent {
  readonly method: string;
  readonly path: string;
  readonly body: Record<string, string> | undefined;
  readonly idempotencyKey: string | null;
  readonly status: number;
  readonly text: string;
}

export interface Reply extends Sent {
  readonly json: any;
  readonly replayed: boolean;
}

export interface Expected {
  readonly status: number;
  readonly code?: string | null;
  readonly param?: string | null;
}

export class Workload {
  readonly accounts: Account[] = [];
  readonly history: string[] = [];
  /** How often each request shape got each answer (`POST /v1/refunds 200`), to check coverage. */
  readonly outcomes = new Map<string, number>();
  private keys = 0;

  constructor(readonly seed: number, readonly rng: Rng) {}

  async addAccount(): Promise<Account> {
    const id = newAccountId();
    const key = await mintTestKey(id);
    const customers: string[] = [];
    for (let i = 0; i < 2; i++) customers.push((await this.send({ id, key } as Account, 'POST', '/v1/customers', { email: `c${i}@example.com` })).json.id);
    const account: Account = { id, key, model: new Model(), customers, lastReplayable: null };
    await this.setClock(account, chooseOffset(account.model, 0, this.rng));
    this.accounts.push(account);
    return account;
  }

  async send(account: Account, method: string, path: string, body?: Record<string, string>, keyed = true): Promise<Reply> {
    const idempotencyKey = keyed && method === 'POST' ? `wl_${this.seed.toString(16)}_${++this.keys}` : null;
    const headers: Record<string, string> = idempotencyKey ? { 'Idempotency-Key': idempotencyKey } : {};
    const response = await api(method, path, { key: account.key, ...(body ? { body } : {}), headers });
    const text = await response.text();
    const reply: Reply = { method, path, body, idempotencyKey, status: response.status, text, json: JSON.parse(text), replayed: response.headers.get('idempotent-replayed') === 'true' };
    this.history.push(`[${account.id.slice(-4)}] ${method} ${path} ${body ? new URLSearchParams(body).toString() : ''} → ${response.status} ${reply.json?.error?.code ?? reply.json?.status ?? ''}`);
    const shape = `${method} ${path.replace(/\/(pi|ch|po|re)_[A-Za-z0-9]+/, '/:id')} ${response.status}${reply.json?.error?.code ? ` ${reply.json.error.code}` : ''}`;
    this.outcomes.set(shape, (this.outcomes.get(shape) ?? 0) + 1);
    expect(response.status, `5xx from ${method} ${path}: ${text}`).toBeLessThan(500);
    if (idempotencyKey && (response.status === 200 || response.status === 402)) account.lastReplayable = reply;
    return reply;
  }

  expectReply(reply: Reply, expected: Expected): void {
    const where = `${reply.method} ${reply.path} → ${reply.text.slice(0, 400)}`;
    expect(reply.status, where).toBe(expected.status);
    if (expected.status >= 400) {
      expect(reply.json.error?.type, where).toBe(expected.status === 402 ? 'card_error' : 'invalid_request_error');
      expect(typeof reply.json.error?.message, where).toBe('string');
      if (expected.code !== undefined) expect(reply.json.error?.code ?? null, where).toBe(expected.code);
      if (expected.param !== undefined) expect(reply.json.error?.param ?? null, where).toBe(expected.param);
    }
  }

  /** The last keyed 200/402 again, same key and body: the stored answer byte for byte, flagged, no effect. */
  async replay(account: Account): Promise<void> {
    const last = account.lastReplayable;
    if (!last || last.idempotencyKey === null) return;
    const headers = { 'Idempotency-Key': last.idempotencyKey };
    const response = await api(last.method, last.path, { key: account.key, ...(last.body ? { body: last.body } : {}), headers });
    const text = await response.text();
    this.history.push(`replay ${last.method} ${last.path} → ${response.status}`);
    this.outcomes.set('replay', (this.outcomes.get('replay') ?? 0) + 1);
    expect(response.status).toBe(last.status);
    expect(text).toBe(last.text);
    expect(response.headers.get('idempotent-replayed')).toBe('true');
  }

  async setClock(account: Account, offset: number): Promise<void> {
    account.model.offset = offset;
    await setClocks(account.id, offset);
  }

  /**
   * Jumps the clock forward (hours, or sometimes past the 7-day authorisation validity), lets the
   * account's alarm do everything now due, updates the model.
   */
  async advance(account: Account): Promise<void> {
    await this.setClock(account, chooseOffset(account.model, account.model.offset + (this.rng.chance(0.2) ? this.rng.int(168, 216) : this.rng.int(1, 72)) * 3_600, this.rng));
    await settle(account.id, account.model.now());
    account.model.advance();
    // Keys are pruned 24 h after use (a later reuse is a new request): replay only within an epoch.
    account.lastReplayable = null;
    this.history.push(`clock → +${account.model.offset}s`);
  }

  // ── Paying ────────────────────────────────────────────────────────────────

  amountFor(currency: Currency): { amount: number; expect: Expected | null } {
    const kind = this.rng.weighted({ ok: 90, small: 4, large: 3, max: 3 });
    if (kind === 'small') return { amount: this.rng.int(1, MINIMUM[currency] - 1), expect: { status: 400, code: 'amount_too_small', param: 'amount' } };
    if (kind === 'large') return { amount: AMOUNT_MAX + this.rng.int(1, 1_000), expect: { status: 400, code: 'amount_too_large', param: 'amount' } };
    if (kind === 'max') return { amount: AMOUNT_MAX, expect: null };
    return { amount: this.rng.int(MINIMUM[currency], currency === 'jpy' ? 50_000 : 500_000), expect: null };
  }

  /** A magic `pm_card_…` id, or (sometimes) a PaymentMethod created from the raw test number. */
  async paymentMethodFor(account: Account, card: CardSpec): Promise<string> {
    if (!card.number || !this.rng.chance(0.3)) return card.pm;
    const body = { type: 'card', 'card[number]': card.number, 'card[exp_month]': '12', 'card[exp_year]': '2034', 'card[cvc]': '123' };
    const reply = await this.send(account, 'POST', '/v1/payment_methods', body);
    this.expectReply(reply, { status: 200 });
    return reply.json.id as string;
  }

  /** Checks a confirmation's answer against the card's script and records intent and charge. */
  settleAttempt(account: Account, reply: Reply, intent: MIntent, card: CardSpec, offSession: boolean): void {
    const model = account.model;
    intent.attempt = null;
    if (card.outcome === 'decline' || (card.outcome === '3ds' && offSession)) {
      const code = card.code ?? 'authentication_required';
      this.expectReply(reply, { status: 402, code });
      const error = reply.json.error;
      expect(error.decline_code).toBe(card.declineCode ?? 'authentication_required');
      expect(error.charge).toMatch(/^ch_/);
      expect(error.payment_intent).toMatchObject({ id: intent.id, status: 'requires_payment_method', last_payment_error: { code } });
      intent.status = 'requires_payment_method';
      intent.latestCharge = error.charge;
      model.charges.set(error.charge, failedCharge(error.charge, intent, card, model.now()));
      return;
    }
    this.expectReply(reply, { status: 200 });
    if (card.outcome === '3ds') {
      expect(reply.json).toMatchObject({ id: intent.id, status: 'requires_action', next_action: { type: 'redirect_to_url' } });
      intent.status = 'requires_action';
      intent.attempt = { card, url: reply.json.next_action.redirect_to_url.url };
      return;
    }
    this.approved(account, intent, card, reply.json.latest_charge);
    expect(reply.json).toMatchObject({ id: intent.id, status: intent.status, amount: intent.amount, currency: intent.currency, amount_received: intent.amountReceived, amount_capturable: intent.amountCapturable });
  }

  /** An approved authorisation: a succeeded charge, captured at once unless the intent is manual. */
  private approved(account: Account, intent: MIntent, card: CardSpec, chargeId: string): void {
    const model = account.model;
    expect(chargeId).toMatch(/^ch_/);
    const charge: MCharge = { ...failedCharge(chargeId, intent, card, model.now()), status: 'succeeded' };
    model.charges.set(chargeId, charge);
    intent.latestCharge = chargeId;
    if (intent.manual) {
      intent.status = 'requires_capture';
      intent.amountCapturable = intent.amount;
    } else {
      model.capture(charge, intent.amount);
      intent.status = 'succeeded';
      intent.amountReceived = intent.amount;
    }
  }

  /** Completes or fails the test-mode 3DS challenge of an intent awaiting authentication. */
  async challenge(account: Account, intent: MIntent): Promise<void> {
    const attempt = intent.attempt;
    if (intent.status !== 'requires_action' || attempt === null) return;
    const outcome = this.rng.chance(0.7) ? 'complete' : 'fail';
    const page = await api('POST', new URL(attempt.url).pathname, { body: { outcome } });
    this.history.push(`[${account.id.slice(-4)}] 3DS ${outcome} ${intent.id} → ${page.status}`);
    this.outcomes.set(`challenge ${outcome}`, (this.outcomes.get(`challenge ${outcome}`) ?? 0) + 1);
    expect(page.status).toBe(200);
    const after = (await this.send(account, 'GET', `/v1/payment_intents/${intent.id}`)).json;
    intent.attempt = null;
    if (outcome === 'fail') {
      intent.status = 'requires_payment_method';
      expect(after).toMatchObject({ status: 'requires_payment_method', payment_method: null, latest_charge: intent.latestCharge, last_payment_error: { code: 'payment_intent_authentication_failure' } });
      return;
    }
    this.approved(account, intent, attempt.card, after.latest_charge);
    expect(after).toMatchObject({ status: intent.status, amount_received: intent.amountReceived, amount_capturable: intent.amountCapturable });
  }

  pickCard(): { card: CardSpec; offSession: boolean } {
    const card = this.rng.pick(CARDS);
    return { card, offSession: card.outcome === '3ds' && this.rng.chance(0.3) };
  }

  async pay(account: Account, confirm: boolean): Promise<void> {
    const currency = this.rng.pick(CURRENCIES);
    const { amount, expect: refused } = this.amountFor(currency);
    const manual = this.rng.chance(0.35);
    const body: Record<string, string> = { amount: String(amount), currency, 'allowed_payment_method_types[0]': 'card' };
    if (manual) body['capture_method'] = 'manual';
    if (this.rng.chance(0.5)) body['customer'] = this.rng.pick(account.customers);
    const { card, offSession } = this.pickCard();
    if (confirm) {
      Object.assign(body, { confirm: 'true', payment_method: await this.paymentMethodFor(account, card) });
      if (offSession) body['off_session'] = 'true';
    }
    const reply = await this.send(account, 'POST', '/v1/payment_intents', body);
    if (refused) return this.expectReply(reply, refused);
    const id = (reply.status === 402 ? reply.json.error.payment_intent.id : reply.json.id) as string;
    const intent: MIntent = { id, amount, currency, manual, status: 'requires_payment_method', amountCapturable: 0, amountReceived: 0, latestCharge: null, attempt: null };
    account.model.intents.set(id, intent);
    if (confirm) this.settleAttempt(account, reply, intent, card, offSession);
    else {
      this.expectReply(reply, { status: 200 });
      expect(reply.json).toMatchObject({ status: 'requires_payment_method', amount, currency, latest_charge: null });
    }
  }

  /** Confirms with a new card, or (awaiting 3DS) sometimes again with the attempt's own method. */
  async confirm(account: Account, intent: MIntent): Promise<void> {
    const again = intent.status === 'requires_action' && intent.attempt !== null && this.rng.chance(0.35);
    const { card, offSession } = again ? { card: intent.attempt!.card, offSession: this.rng.chance(0.3) } : this.pickCard();
    const body: Record<string, string> = again ? {} : { payment_method: card.pm };
    if (again) this.outcomes.set('confirm again', (this.outcomes.get('confirm again') ?? 0) + 1);
    if (offSession) body['off_session'] = 'true';
    const reply = await this.send(account, 'POST', `/v1/payment_intents/${intent.id}/confirm`, body);
    if (intent.status !== 'requires_payment_method' && intent.status !== 'requires_action') {
      return this.expectReply(reply, { status: 400, code: 'payment_intent_unexpected_state' });
    }
    this.settleAttempt(account, reply, intent, card, offSession);
  }
}

function failedCharge(id: string, intent: MIntent, card: CardSpec, now: number): MCharge {
  return { id, intent: intent.id, amount: intent.amount, currency: intent.currency, card, status: 'failed', authorizedAt: now, captured: false, amountCaptured: 0, amountRefunded: 0 };
}
