/**
 * Supported currencies (data) and the one parser that turns wire text into a CurrencyCode.
 *
 * Guarantees: a CurrencyCode is always one of the lower-case keys of CURRENCIES, so its exponent
 * and minimum are known. parseCurrency accepts ASCII letters only, checked before any case folding
 * (full-width "ＵＳＤ", Cyrillic look-alikes and NUL never reach the table). Three-decimal
 * currencies (bhd jod kwd omr tnd) are refused outright rather than mis-scaled by 10.
 * Pure: no I/O, no clock.
 */
import { err, ok, type Result } from '../result';
import { invalidRequestError, type DomainError } from '../errors';

export interface CurrencyInfo {
  /** Digits after the decimal point: 2 for usd (cents), 0 for jpy (whole yen). */
  readonly exponent: 0 | 2;
  /** Smallest chargeable amount, in minor units. */
  readonly minimumChargeMinor: number;
  /** Prefix for human-readable messages ("$0.50 usd"); null prints the bare number. */
  readonly symbol: string | null;
}

/**
 * Minimums for usd … inr are Stripe's published per-currency minimums. Stripe publishes none for
 * the other zero-decimal currencies (they convert to a settlement currency whose minimum applies),
 * so ours are about USD 0.50 at 2024 rates, rounded (krw 700, vnd 13000, clp 500, …).
 * huf charges are two-decimal on the wire (Stripe: 175.00 Ft is amount=17500); Stripe only
 * treats huf as zero-decimal for payouts, which we do not model.
 */
export const CURRENCIES = {
  usd: { exponent: 2, minimumChargeMinor: 50, symbol: '$' },
  eur: { exponent: 2, minimumChargeMinor: 50, symbol: '€' },
  gbp: { exponent: 2, minimumChargeMinor: 30, symbol: '£' },
  cad: { exponent: 2, minimumChargeMinor: 50, symbol: '$' },
  aud: { exponent: 2, minimumChargeMinor: 50, symbol: '$' },
  chf: { exponent: 2, minimumChargeMinor: 50, symbol: null },
  sek: { exponent: 2, minimumChargeMinor: 300, symbol: null },
  nok: { exponent: 2, minimumChargeMinor: 300, symbol: null },
  dkk: { exponent: 2, minimumChargeMinor: 250, symbol: null },
  nzd: { exponent: 2, minimumChargeMinor: 50, symbol: '$' },
  sgd: { exponent: 2, minimumChargeMinor: 50, symbol: '$' },
  hkd: { exponent: 2, minimumChargeMinor: 400, symbol: '$' },
  mxn: { exponent: 2, minimumChargeMinor: 1000, symbol: '$' },
  brl: { exponent: 2, minimumChargeMinor: 50, symbol: 'R$' },
  pln: { exponent: 2, minimumChargeMinor: 200, symbol: null },
  czk: { exponent: 2, minimumChargeMinor: 1500, symbol: null },
  huf: { exponent: 2, minimumChargeMinor: 17500, symbol: null },
  inr: { exponent: 2, minimumChargeMinor: 50, symbol: '₹' },
  // Zero-decimal (Stripe's list): the amount is in whole units.
  bif: { exponent: 0, minimumChargeMinor: 1500, symbol: null },
  clp: { exponent: 0, minimumChargeMinor: 500, symbol: '$' },
  djf: { exponent: 0, minimumChargeMinor: 100, symbol: null },
  gnf: { exponent: 0, minimumChargeMinor: 5000, symbol: null },
  jpy: { exponent: 0, minimumChargeMinor: 50, symbol: '¥' },
  kmf: { exponent: 0, minimumChargeMinor: 250, symbol: null },
  krw: { exponent: 0, minimumChargeMinor: 700, symbol: '₩' },
  mga: { exponent: 0, minimumChargeMinor: 2500, symbol: null },
  pyg: { exponent: 0, minimumChargeMinor: 4000, symbol: null },
  rwf: { exponent: 0, minimumChargeMinor: 700, symbol: null },
  ugx: { exponent: 0, minimumChargeMinor: 2000, symbol: null },
  vnd: { exponent: 0, minimumChargeMinor: 13000, symbol: '₫' },
  vuv: { exponent: 0, minimumChargeMinor: 60, symbol: null },
  xaf: { exponent: 0, minimumChargeMinor: 300, symbol: null },
  xof: { exponent: 0, minimumChargeMinor: 300, symbol: null },
  xpf: { exponent: 0, minimumChargeMinor: 60, symbol: null },
} as const satisfies Record<string, CurrencyInfo>;

export type CurrencyCode = keyof typeof CURRENCIES;

/** Real ISO currencies with three decimals. Stripe takes them; we refuse them explicitly. */
export const THREE_DECIMAL_CURRENCIES: readonly string[] = ['bhd', 'jod', 'kwd', 'omr', 'tnd'];

/** usd first, then alphabetical: the order Stripe uses in its "supports these currencies" list. */
export const SUPPORTED_CURRENCY_CODES: readonly CurrencyCode[] = (Object.keys(CURRENCIES) as CurrencyCode[]).sort((a, b) =>
  a === 'usd' ? -1 : b === 'usd' ? 1 : a < b ? -1 : a > b ? 1 : 0,
);

const ASCII_CODE = /^[A-Za-z]{3}$/;
const ECHOABLE = /^[\x20-\x7e]{1,16}$/;

export function isCurrencyCode(text: string): text is CurrencyCode {
  return Object.hasOwn(CURRENCIES, text);
}

export function currencyInfo(currency: CurrencyCode): CurrencyInfo {
  return CURRENCIES[currency];
}

/**
 * Wire text → canonical lower-case CurrencyCode. Errors use Stripe's message shape on param
 * `currency`: unknown codes carry no `code` (as Stripe sends), refused three-decimal ones carry
 * `currency_not_supported`. Unprintable or long input is not echoed back.
 */
export function parseCurrency(text: string, param = 'currency'): Result<CurrencyCode, DomainError> {
  if (ASCII_CODE.test(text)) {
    const lower = text.toLowerCase();
    if (isCurrencyCode(lower)) return ok(lower);
    if (THREE_DECIMAL_CURRENCIES.includes(lower)) {
      return err(
        invalidRequestError(
          `Invalid currency: ${lower}. Three-decimal currencies are not supported. ` + supportedList(),
          param,
          'currency_not_supported',
        ),
      );
    }
  }
  const shown = ECHOABLE.test(text) ? `: ${text.toLowerCase()}` : '';
  return err(invalidRequestError(`Invalid currency${shown}. ${supportedList()}`, param));
}

function supportedList(): string {
  return `Stripe currently supports these currencies: ${SUPPORTED_CURRENCY_CODES.join(', ')}`;
}
