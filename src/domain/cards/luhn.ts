/**
 * The Luhn (mod 10) check digit used by every card network. Pure; input is ASCII digits only
 * (callers strip separators first). A string with any other character is not Luhn-valid.
 */
import { InvariantViolation } from '../assert';

const ASCII_DIGITS = /^[0-9]+$/;

/** True when `digits` (ASCII digits, check digit last) passes the Luhn check. */
export function isLuhnValid(digits: string): boolean {
  if (!ASCII_DIGITS.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/** The check digit that makes `payload + digit` Luhn-valid (used by tests and generators). */
export function luhnCheckDigit(payload: string): string {
  for (let digit = 0; digit <= 9; digit++) {
    if (isLuhnValid(`${payload}${digit}`)) return String(digit);
  }
  throw new InvariantViolation(`luhnCheckDigit needs ASCII digits, got ${payload.length} other characters`);
}
