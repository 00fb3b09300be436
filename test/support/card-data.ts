/**
 * Card data at rest (RELIABILITY.md I12): full card numbers — a 13–19-digit Luhn-valid run, plain
 * or in the printed groupings — and CVC fields, in any stored text.
 */
export function luhnValid(digits: string): boolean {
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

/**
 * Candidate card numbers not inside a longer word: a plain 13–19-digit run, or the printed groupings
 * (4-4-4-4[-1..3] and amex 4-6-5, with spaces or dashes).
 */
const DIGIT_RUN = /(?<![0-9A-Za-z])(?:[0-9]{13,19}|[0-9]{4}([ -])[0-9]{4}\1[0-9]{4}\1[0-9]{4}(?:\1[0-9]{1,3})?|[0-9]{4}([ -])[0-9]{6}\2[0-9]{5})(?![0-9A-Za-z])/g;
const CVC_FIELD = /"cvc"\s*:|[?&]cvc=|\[cvc\]/i;

/** Full card numbers and CVC fields in a piece of stored text. */
export function cardDataIn(text: string, cardNumbers: readonly string[] = []): string[] {
  const found: string[] = [];
  for (const match of text.matchAll(DIGIT_RUN)) {
    const digits = match[0].replace(/[ -]/g, '');
    if (digits.length >= 13 && digits.length <= 19 && luhnValid(digits)) found.push(`card number ${digits.slice(0, 6)}…${digits.slice(-4)}`);
  }
  for (const number of cardNumbers) if (text.includes(number)) found.push(`test card number ${number.slice(0, 6)}…${number.slice(-4)}`);
  if (CVC_FIELD.test(text)) found.push('a cvc field');
  return found;
}

function cellText(value: unknown): string {
  if (value instanceof ArrayBuffer) return new TextDecoder().decode(value);
  return String(value);
}

/** Every card number or CVC field in raw table rows (`table → rows of cells`), as readable problems. */
export function scanTables(tables: Readonly<Record<string, readonly (readonly unknown[])[]>>, cardNumbers: readonly string[] = []): string[] {
  const problems: string[] = [];
  for (const [name, rows] of Object.entries(tables)) {
    for (const row of rows) {
      for (const cell of row) {
        if (cell === null) continue;
        for (const hit of cardDataIn(cellText(cell), cardNumbers)) problems.push(`table ${name} holds ${hit}`);
      }
    }
  }
  return problems;
}
