/**
 * A single-threaded model of one merchant account's payments, written independently of the
 * production code (its own fee table, availability rule, refund and payout rules), plus a small
 * seeded PRNG. The random workload (test/integration/payments-model.test.ts) asks the model what
 * every request must answer, then applies the effect using the ids the server handed out.
 */
export const CURRENCIES = ['usd', 'eur', 'jpy'] as const;
export type Currency = (typeof CURRENCIES)[number];

export const DAY_SECONDS = 86_400;
export const AUTHORIZATION_VALIDITY_SECONDS = 7 * DAY_SECONDS;
export const AMOUNT_MAX = 99_999_999;
export const MINIMUM: Readonly<Record<Currency, number>> = { usd: 50, eur: 50, jpy: 50 };

/** Stripe's published pricing for these currencies: [basis points, fixed minor units]. */
const FEES: Readonly<Record<Currency, readonly [number, number]>> = { usd: [290, 30], eur: [150, 25], jpy: [360, 0] };
const INTERNATIONAL_EXTRA_BPS = 150;

export function modelFee(amount: number, currency: Currency, cardCountry: string): number {
  const [bps, fixed] = FEES[currency];
  const rate = bps + (cardCountry === 'US' ? 0 : INTERNATIONAL_EXTRA_BPS);
  return Math.min(Math.floor((amount * rate + 5_000) / 10_000) + fixed, amount);
}

/** Captured funds become available two days later, at the following 00:00 UTC. */
export function modelAvailableOn(capturedAt: number): number {
  return Math.ceil((capturedAt + 2 * DAY_SECONDS) / DAY_SECONDS) * DAY_SECONDS;
}

// ── Cards ───────────────────────────────────────────────────────────────────

export interface CardSpec {
  readonly pm: string;
  /** Set for cards also used as raw numbers through POST /v1/payment_methods. */
  readonly number?: string;
  readonly country: string;
  readonly outcome: 'approve' | 'decline' | '3ds';
  readonly code?: string;
  readonly declineCode?: string;
  readonly bypassPending?: boolean;
  readonly refund?: 'succeed' | 'pending' | 'fail';
}

export const CARDS: readonly CardSpec[] = [
  { pm: 'pm_card_visa', number: '4242424242424242', country: 'US', outcome: 'approve' },
  { pm: 'pm_card_mastercard', number: '5555555555554444', country: 'US', outcome: 'approve' },
  { pm: 'pm_card_jcb', country: 'JP', outcome: 'approve' },
  { pm: 'pm_card_bypassPending', number: '4000000000000077', country: 'US', outcome: 'approve', bypassPending: true },
  { pm: 'pm_card_bypassPendingInternational', country: 'IE', outcome: 'approve', bypassPending: true },
  { pm: 'pm_card_pendingRefund', country: 'US', outcome: 'approve', refund: 'pending' },
  { pm: 'pm_card_refundFail', number: '4000000000005126', country: 'US', outcome: 'approve', refund: 'fail' },
  { pm: 'pm_card_chargeDeclined', number: '4000000000000002', country: 'US', outcome: 'decline', code: 'card_declined', declineCode: 'generic_decline' },
  { pm: 'pm_card_visa_chargeDeclinedInsufficientFunds', country: 'US', outcome: 'decline', code: 'card_declined', declineCode: 'insufficient_funds' },
  { pm: 'pm_card_chargeDeclinedExpiredCard', country: 'US', outcome: 'decline', code: 'expired_card', declineCode: 'expired_card' },
  { pm: 'pm_card_radarBlock', country: 'US', outcome: 'decline', code: 'card_declined', declineCode: 'fraudulent' },
  { pm: 'pm_card_authenticationRequired', country: 'DE', outcome: '3ds' },
];

export const CARD_NUMBERS: readonly string[] = CARDS.flatMap((c) => (c.number ? [c.number] : []));

// ── State ───────────────────────────────────────────────────────────────────

export type IntentStatus = 'requires_payment_method' | 'requires_action' | 'requires_capture' | 'succeeded' | 'canceled';

export interface MIntent {
  readonly id: string;
  readonly amount: number;
  readonly currency: Currency;
  readonly manual: boolean;
  status: IntentStatus;
  amountCapturable: number;
  amountReceived: number;
  latestCharge: string | null;
  /** While `requires_action`: the card of the attempt and its challenge page. */
  attempt: { readonly card: CardSpec; readonly url: string } | null;
}

export interface MCharge {
  readonly id: string;
  readonly intent: string;
  readonly amount: number;
  readonly currency: Currency;
  readonly card: CardSpec;
  readonly status: 'succeeded' | 'failed';
  /** Model time of the authorisation (for its 7-day validity). */
  readonly authorizedAt: number;
  captured: boolean;
  amountCaptured: number;
  amountRefunded: number;
}

export interface MRefund {
  readonly id: string;
  readonly charge: string;
  readonly amount: number;
  readonly currency: Currency;
  readonly created: number;
  status: 'pending' | 'succeeded' | 'failed';
}

export interface MPayout {
  readonly id: string;
  readonly amount: number;
  readonly currency: Currency;
  readonly created: number;
  status: 'pending' | 'moved' | 'canceled';
}

interface Pending {
  readonly net: number;
  readonly currency: Currency;
  readonly availableOn: number;
}

/** Refund status changes and payout steps happen this long after creation (processor / schedule). */
export const LATER_SECONDS = 60;

export class AccountModel {
  readonly intents = new Map<string, MIntent>();
  readonly charges = new Map<string, MCharge>();
  readonly refunds = new Map<string, MRefund>();
  readonly payouts = new Map<string, MPayout>();
  readonly balances: Record<Currency, { available: number; pending: number }> = {
    usd: { available: 0, pending: 0 },
    eur: { available: 0, pending: 0 },
    jpy: { available: 0, pending: 0 },
  };
  private pendings: Pending[] = [];
  /** Seconds added to the real clock of the account DO and its processor. */
  offset = 0;
  /** How often each delayed change happened (`funds_available`, `refund_failed`, …), for coverage. */
  readonly tally = new Map<string, number>();

  private count(what: string): void {
    this.tally.set(what, (this.tally.get(what) ?? 0) + 1);
  }

  now(): number {
    return Math.floor(Date.now() / 1000) + this.offset;
  }

  capture(charge: MCharge, amount: number): void {
    const net = amount - modelFee(amount, charge.currency, charge.card.country);
    charge.captured = true;
    charge.amountCaptured = amount;
    if (charge.card.bypassPending) this.balances[charge.currency].available += net;
    else {
      this.balances[charge.currency].pending += net;
      this.pendings.push({ net, currency: charge.currency, availableOn: modelAvailableOn(this.now()) });
    }
  }

  refundable(charge: MCharge): number {
    return charge.amountCaptured - charge.amountRefunded;
  }

  refund(id: string, charge: MCharge, amount: number): MRefund {
    charge.amountRefunded += amount;
    this.balances[charge.currency].available -= amount;
    const refund: MRefund = { id, charge: charge.id, amount, currency: charge.currency, created: this.now(), status: charge.card.refund === 'pending' ? 'pending' : 'succeeded' };
    this.refunds.set(id, refund);
    return refund;
  }

  payout(id: string, amount: number, currency: Currency): void {
    this.balances[currency].available -= amount;
    this.payouts.set(id, { id, amount, currency, created: this.now(), status: 'pending' });
  }

  cancelPayout(payout: MPayout): void {
    payout.status = 'canceled';
    this.balances[payout.currency].available += payout.amount;
  }

  authorizationExpired(charge: MCharge): boolean {
    return this.now() >= charge.authorizedAt + AUTHORIZATION_VALIDITY_SECONDS;
  }

  /** Times near which a clock jump would make the outcome depend on a few seconds of real time. */
  boundaries(): number[] {
    const times = this.pendings.map((p) => p.availableOn);
    for (const c of this.charges.values()) if (c.status === 'succeeded' && !c.captured) times.push(c.authorizedAt + AUTHORIZATION_VALIDITY_SECONDS);
    return times;
  }

  /** What the account's alarm does once the clock reads `this.now()` (called after a jump). */
  advance(): void {
    const now = this.now();
    const due = this.pendings.filter((p) => p.availableOn <= now);
    this.pendings = this.pendings.filter((p) => p.availableOn > now);
    for (const p of due) {
      this.balances[p.currency].pending -= p.net;
      this.balances[p.currency].available += p.net;
      this.count('funds_available');
    }
    for (const refund of this.refunds.values()) {
      if (refund.created + LATER_SECONDS > now) continue;
      if (refund.status === 'pending') {
        refund.status = 'succeeded';
        this.count('refund_succeeded_later');
      }
      const charge = this.charges.get(refund.charge)!;
      if (refund.status === 'succeeded' && charge.card.refund === 'fail') {
        refund.status = 'failed';
        charge.amountRefunded -= refund.amount;
        this.balances[refund.currency].available += refund.amount;
        this.count('refund_failed');
      }
    }
    for (const payout of this.payouts.values()) {
      if (payout.status !== 'pending' || payout.created + LATER_SECONDS > now) continue;
      payout.status = 'moved';
      this.count('payout_moved');
    }
  }
}

// ── Seeded PRNG (mulberry32) ────────────────────────────────────────────────

export class Rng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  }

  /** Integer in [lo, hi]. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }

  /** Picks a key by weight. */
  weighted<K extends string>(weights: Readonly<Record<K, number>>): K {
    const entries = Object.entries(weights) as [K, number][];
    let roll = this.next() * entries.reduce((s, [, w]) => s + w, 0);
    for (const [key, weight] of entries) {
      roll -= weight;
      if (roll < 0) return key;
    }
    return entries[entries.length - 1]![0];
  }
}
