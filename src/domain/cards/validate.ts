/**
 * Validation of raw card fields (`card[number]`, `card[exp_month]`, `card[exp_year]`,
 * `card[cvc]`), in Stripe's order and with Stripe's codes and messages. These are
 * `card_error`s (HTTP 402) on the wire, raised at PaymentMethod/token creation.
 *
 * The validated card still holds the number (the caller needs it once, for the profile and the
 * keyed fingerprint) but never the CVC: only whether one was given. Nothing here logs or stores.
 */
import {
  CARD_EXPIRY_YEARS_AHEAD_MAX,
  CARD_NUMBER_DIGITS_MAX,
  CARD_NUMBER_DIGITS_MIN,
  CARD_NUMBER_INPUT_LENGTH_MAX,
} from '../limits';
import type { UnixSeconds } from '../clock';
import { err, ok, type Result } from '../result';
import { brandOf, cvcLengthFor, type CardBrand } from './brand';
import { utcYearMonth } from './expiry';
import { isLuhnValid } from './luhn';

export interface CardInput {
  readonly number: string;
  readonly expMonth: number | string;
  readonly expYear: number | string;
  readonly cvc?: string | null;
}

export interface ValidatedCard {
  /** ASCII digits only. Hold it no longer than needed; never persist or log it. */
  readonly number: string;
  readonly brand: CardBrand;
  readonly expMonth: number;
  /** Four digits (a two-digit input year is read as 20xx). */
  readonly expYear: number;
  readonly cvcProvided: boolean;
}

export type CardInputErrorCode = 'incorrect_number' | 'invalid_expiry_month' | 'invalid_expiry_year' | 'invalid_cvc';

export interface CardInputError {
  readonly code: CardInputErrorCode;
  readonly message: string;
  /** Bracket notation, e.g. `card[number]`. */
  readonly param: string;
}

export const CARD_INPUT_ERRORS: Readonly<Record<CardInputErrorCode, CardInputError>> = {
  incorrect_number: { code: 'incorrect_number', message: 'Your card number is incorrect.', param: 'card[number]' },
  invalid_expiry_month: {
    code: 'invalid_expiry_month',
    message: "Your card's expiration month is invalid.",
    param: 'card[exp_month]',
  },
  invalid_expiry_year: {
    code: 'invalid_expiry_year',
    message: "Your card's expiration year is invalid.",
    param: 'card[exp_year]',
  },
  invalid_cvc: { code: 'invalid_cvc', message: "Your card's security code is invalid.", param: 'card[cvc]' },
};

const DIGITS = /^[0-9]+$/;
const SEPARATORS = /[ -]/g;

/** Strips spaces and dashes; `null` unless what remains is 12–19 ASCII digits passing Luhn. */
export function normalizeCardNumber(raw: string): string | null {
  if (raw.length > CARD_NUMBER_INPUT_LENGTH_MAX) return null;
  const digits = raw.replace(SEPARATORS, '');
  if (!DIGITS.test(digits)) return null;
  if (digits.length < CARD_NUMBER_DIGITS_MIN || digits.length > CARD_NUMBER_DIGITS_MAX) return null;
  return isLuhnValid(digits) ? digits : null;
}

function parseSmallInteger(value: number | string, maxDigits: number): number | null {
  if (typeof value === 'number') return Number.isSafeInteger(value) ? value : null;
  const trimmed = value.trim();
  if (trimmed.length === 0 || trimmed.length > maxDigits || !DIGITS.test(trimmed)) return null;
  return Number(trimmed);
}

function parseExpMonth(value: number | string): number | null {
  const month = parseSmallInteger(value, 2);
  return month !== null && month >= 1 && month <= 12 ? month : null;
}

/** A 4-digit year, or a 2-digit one read as 20xx; `null` when expired or implausibly far ahead. */
function parseExpYear(value: number | string, expMonth: number, nowSeconds: UnixSeconds): number | null {
  const raw = parseSmallInteger(value, 4);
  if (raw === null) return null;
  const isTwoDigits = typeof value === 'string' ? value.trim().length <= 2 : raw < 100;
  const year = isTwoDigits ? 2000 + raw : raw;
  if (year < 1000) return null;
  const now = utcYearMonth(nowSeconds);
  if (year < now.year || (year === now.year && expMonth < now.month)) return null;
  return year - now.year <= CARD_EXPIRY_YEARS_AHEAD_MAX ? year : null;
}

function isCvcValid(cvc: string, brand: CardBrand): boolean {
  return DIGITS.test(cvc) && cvc.length === cvcLengthFor(brand);
}

/** Checks number, expiry month, expiry year and CVC in that order; the first failure wins. */
export function validateCardInput(input: CardInput, nowSeconds: UnixSeconds): Result<ValidatedCard, CardInputError> {
  const number = normalizeCardNumber(input.number);
  if (number === null) return err(CARD_INPUT_ERRORS.incorrect_number);
  const expMonth = parseExpMonth(input.expMonth);
  if (expMonth === null) return err(CARD_INPUT_ERRORS.invalid_expiry_month);
  const expYear = parseExpYear(input.expYear, expMonth, nowSeconds);
  if (expYear === null) return err(CARD_INPUT_ERRORS.invalid_expiry_year);
  const brand = brandOf(number);
  const cvc = input.cvc ?? '';
  if (cvc !== '' && !isCvcValid(cvc, brand)) return err(CARD_INPUT_ERRORS.invalid_cvc);
  return ok({ number, brand, expMonth, expYear, cvcProvided: cvc !== '' });
}
