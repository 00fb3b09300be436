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

export function parsePairs(text: string): Result<Pair[], DecodeFailure> {
  if (text.length > FORM_BYTES_MAX) {
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
