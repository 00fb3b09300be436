/**
 * Raw `application/x-www-form-urlencoded` text → ordered [key, value] pairs.
 * Accepts `+` as space (HTML forms, curl) and percent-encoded brackets; bounded in size and count.
 */
import { FORM_BYTES_MAX, FORM_KEY_LENGTH_MAX, FORM_PAIRS_MAX } from '../../domain/limits';
import { err, ok, type Result } from '../../domain/result';
import type { DecodeFailure } from './tree';

export type Pair = readonly [key: string, value: string];

function decodeComponent(raw: string): string | null {
  try {
    return decodeURIComponent(raw.replaceAll('+', ' '));
  } catch {
    return null;
  }
}

/** UTF-8 length of `text` (a lone surrogate counts as the 3-byte U+FFFD it would encode to). */
function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit < 0x80) bytes += 1;
    else if (unit < 0x800) bytes += 2;
    else if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      bytes += 4;
      i += 1;
    } else bytes += 3;
  }
  return bytes;
}

export function parsePairs(text: string): Result<Pair[], DecodeFailure> {
  // Cheap test first: a UTF-16 unit is 1 to 3 UTF-8 bytes, so only mid-sized texts need counting.
  if (text.length > FORM_BYTES_MAX || (text.length * 3 > FORM_BYTES_MAX && utf8Length(text) > FORM_BYTES_MAX)) {
    return err({ message: `Request body is larger than ${FORM_BYTES_MAX} bytes.`, param: null, status: 413 });
  }
  const pairs: Pair[] = [];
  if (text === '') return ok(pairs);
  for (const part of text.split('&')) {
    if (part === '') continue;
    if (pairs.length >= FORM_PAIRS_MAX) {
      return err({ message: `Too many parameters (at most ${FORM_PAIRS_MAX}).`, param: null, status: 400 });
    }
    const eq = part.indexOf('=');
    const key = decodeComponent(eq === -1 ? part : part.slice(0, eq));
    const value = decodeComponent(eq === -1 ? '' : part.slice(eq + 1));
    if (key === null || value === null) {
      return err({ message: 'Invalid percent-encoding in request parameters.', param: null, status: 400 });
    }
    if (key.length > FORM_KEY_LENGTH_MAX) {
      return err({ message: 'A parameter name is too long.', param: null, status: 400 });
    }
    pairs.push([key, value]);
  }
  return ok(pairs);
}
