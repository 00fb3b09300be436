/** Test helpers: the real form decoder end to end, and trees as plain JSON for comparisons. */
import { assemblePairs } from '../../../src/stripe/form/assemble';
import { parsePairs } from '../../../src/stripe/form/pairs';
import type { DecodeFailure, ParamTree } from '../../../src/stripe/form/tree';
import type { Result } from '../../../src/domain/result';

export function decodeForm(text: string): Result<ParamTree, DecodeFailure> {
  const pairs = parsePairs(text);
  return pairs.ok ? assemblePairs(pairs.value) : pairs;
}

/** Decodes and returns the tree, failing the test with the decoder's message otherwise. */
export function tree(text: string): ParamTree {
  const decoded = decodeForm(text);
  if (!decoded.ok) throw new Error(`expected ${JSON.stringify(text)} to decode, got: ${decoded.error.message}`);
  return decoded.value;
}

/** Decodes and returns the failure, failing the test if the text decoded. */
export function failure(text: string): DecodeFailure {
  const decoded = decodeForm(text);
  if (decoded.ok) throw new Error(`expected ${JSON.stringify(text).slice(0, 120)} to be refused, got ${JSON.stringify(decoded.value).slice(0, 200)}`);
  return decoded.error;
}

/** A tree (null-prototype nodes) as plain JSON data, so `toEqual` compares content only. */
export function plain(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value));
}

/** True when every inner node of the tree has a null prototype. */
export function allNullPrototype(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return true;
  if (Object.getPrototypeOf(value) !== null) return false;
  return Object.values(value).every(allNullPrototype);
}
