/**
 * Processing-fee schedule (data) and the fee arithmetic for captured card charges and disputes.
 *
 * Rounding rule (the only one used): the percentage part is amount × bps / 10_000 rounded
 * half-up on the exact rational value, computed as floor((amount × bps + 5_000) / 10_000) with
 * integers only (amount ≤ 99,999,999 and bps < 10_000, so the product stays far below 2^53).
 * Example: 2.9 % of 50 = 1.45 → 1; of 500 = 14.5 → 15. Then the fixed part is added.
 * Guarantees: 0 ≤ fee ≤ amount (clamped), so net = amount − fee is never negative.
 * Pure: no I/O, no clock.
 */
import { assert } from '../assert';
import { AMOUNT_MINOR_MAX } from '../limits';
import type { CurrencyCode } from './currency';
import { divideFloor, type MinorUnits } from './minor-units';

export interface FeeSchedule {
  /** Percentage part in basis points (290 = 2.9 %). */
  readonly percentBps: number;
  /** Fixed part per successful charge, in minor units. */
  readonly fixedMinor: MinorUnits;
  /** Flat fee debited when a dispute opens (Stripe US: $15.00). */
  readonly disputeFeeMinor: MinorUnits;
}

/** Added for cards issued outside the merchant's country (Stripe US: +1.5 %). */
export const INTERNATIONAL_CARD_EXTRA_BPS = 150;
const BPS_PER_UNIT = 10_000;

/**
 * usd is Stripe's US standard pricing (2.9 % + 30¢, $15 disputes); eur/gbp/sek/nok/dkk/pln use the
 * European 1.5 % domestic rate with Stripe's local fixed fee; jpy and inr are percentage-only
 * (3.6 %, 2 %). The rest are 2.9 % plus about USD 0.30 (fixed) and USD 15 (disputes), rounded.
 * Every fixed part is below the currency's minimum charge.
 */
export const FEE_SCHEDULES = {
  usd: { percentBps: 290, fixedMinor: 30, disputeFeeMinor: 1_500 },
  eur: { percentBps: 150, fixedMinor: 25, disputeFeeMinor: 2_000 },
  gbp: { percentBps: 150, fixedMinor: 20, disputeFeeMinor: 2_000 },
  cad: { percentBps: 290, fixedMinor: 30, disputeFeeMinor: 1_500 },
  aud: { percentBps: 290, fixedMinor: 30, disputeFeeMinor: 2_500 },
  chf: { percentBps: 290, fixedMinor: 30, disputeFeeMinor: 1_500 },
  sek: { percentBps: 150, fixedMinor: 180, disputeFeeMinor: 15_000 },
  nok: { percentBps: 150, fixedMinor: 200, disputeFeeMinor: 15_000 },
  dkk: { percentBps: 150, fixedMinor: 180, disputeFeeMinor: 10_000 },
  nzd: { percentBps: 290, fixedMinor: 30, disputeFeeMinor: 2_500 },
  sgd: { percentBps: 290, fixedMinor: 40, disputeFeeMinor: 2_000 },
  hkd: { percentBps: 290, fixedMinor: 235, disputeFeeMinor: 11_500 },
  mxn: { percentBps: 290, fixedMinor: 300, disputeFeeMinor: 25_000 },
  brl: { percentBps: 290, fixedMinor: 39, disputeFeeMinor: 7_500 },
  pln: { percentBps: 150, fixedMinor: 100, disputeFeeMinor: 6_000 },
  czk: { percentBps: 290, fixedMinor: 650, disputeFeeMinor: 35_000 },
  huf: { percentBps: 290, fixedMinor: 10_000, disputeFeeMinor: 550_000 },
  inr: { percentBps: 200, fixedMinor: 0, disputeFeeMinor: 125_000 },
  bif: { percentBps: 290, fixedMinor: 900, disputeFeeMinor: 43_000 },
  clp: { percentBps: 290, fixedMinor: 300, disputeFeeMinor: 14_000 },
  djf: { percentBps: 290, fixedMinor: 50, disputeFeeMinor: 2_700 },
  gnf: { percentBps: 290, fixedMinor: 2_500, disputeFeeMinor: 130_000 },
  jpy: { percentBps: 360, fixedMinor: 0, disputeFeeMinor: 2_200 },
  kmf: { percentBps: 290, fixedMinor: 130, disputeFeeMinor: 6_800 },
  krw: { percentBps: 290, fixedMinor: 400, disputeFeeMinor: 20_000 },
  mga: { percentBps: 290, fixedMinor: 1_350, disputeFeeMinor: 68_000 },
  pyg: { percentBps: 290, fixedMinor: 2_200, disputeFeeMinor: 112_000 },
  rwf: { percentBps: 290, fixedMinor: 400, disputeFeeMinor: 20_000 },
  ugx: { percentBps: 290, fixedMinor: 1_100, disputeFeeMinor: 56_000 },
  vnd: { percentBps: 290, fixedMinor: 7_500, disputeFeeMinor: 380_000 },
  vuv: { percentBps: 290, fixedMinor: 35, disputeFeeMinor: 1_800 },
  xaf: { percentBps: 290, fixedMinor: 180, disputeFeeMinor: 9_000 },
  xof: { percentBps: 290, fixedMinor: 180, disputeFeeMinor: 9_000 },
  xpf: { percentBps: 290, fixedMinor: 35, disputeFeeMinor: 1_650 },
} as const satisfies Record<CurrencyCode, FeeSchedule>;

export type FeeType = 'stripe_fee' | 'application_fee' | 'payment_method_passthrough_fee' | 'tax' | 'withheld_tax';

/** One `fee_details[]` row, camelCase. */
export interface FeeDetail {
  readonly amount: MinorUnits;
  readonly currency: CurrencyCode;
  readonly description: string;
  readonly type: FeeType;
  readonly application: string | null;
}

export interface FeeBreakdown {
  readonly fee: MinorUnits;
  /** One row per non-zero component; empty when the fee is 0. */
  readonly feeDetails: readonly FeeDetail[];
}

export const PROCESSING_FEE_DESCRIPTION = 'Stripe processing fees';
export const DISPUTE_FEE_DESCRIPTION = 'Dispute fee';

/** Half-up rounding of amount × bps / 10_000, integers only. */
export function percentOfMinor(amount: MinorUnits, bps: number): MinorUnits {
  assert(Number.isSafeInteger(bps) && bps >= 0 && bps < BPS_PER_UNIT, `bps must be an integer in [0, 10000), got ${bps}`);
  return divideFloor(amount * bps + BPS_PER_UNIT / 2, BPS_PER_UNIT);
}

export function computeProcessingFee(
  amount: MinorUnits,
  currency: CurrencyCode,
  options: { readonly international: boolean },
): FeeBreakdown {
  assert(Number.isSafeInteger(amount) && amount >= 0 && amount <= AMOUNT_MINOR_MAX, `fee base out of range: ${amount}`);
  const schedule = FEE_SCHEDULES[currency];
  const bps = schedule.percentBps + (options.international ? INTERNATIONAL_CARD_EXTRA_BPS : 0);
  const fee = Math.min(percentOfMinor(amount, bps) + schedule.fixedMinor, amount);
  return stripeFee(fee, currency, PROCESSING_FEE_DESCRIPTION);
}

export function computeDisputeFee(currency: CurrencyCode): FeeBreakdown {
  return stripeFee(FEE_SCHEDULES[currency].disputeFeeMinor, currency, DISPUTE_FEE_DESCRIPTION);
}

function stripeFee(fee: MinorUnits, currency: CurrencyCode, description: string): FeeBreakdown {
  const feeDetails: FeeDetail[] = fee === 0 ? [] : [{ amount: fee, currency, description, type: 'stripe_fee', application: null }];
  return { fee, feeDetails };
}
