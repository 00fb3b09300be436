/**
 * Bracket keys → a nested, null-prototype parameter tree (Rack / stripe-mock semantics):
 * `a[b][c]=1` nests, `a[0]=x` and `a[]=x` build integer-keyed nodes, the last scalar wins.
 * Rejects prototype-polluting names, names mixing a scalar and a node, and excessive depth.
 */
import { FORM_ARRAY_INDEX_MAX, FORM_DEPTH_MAX } from '../../domain/limits';
import { err, ok, type Result } from '../../domain/result';
import type { Pair } from './pairs';
import { emptyTree, isTree, type DecodeFailure, type ParamTree } from './tree';

const FORBIDDEN_SEGMENTS = new Set(['__proto__', 'constructor', 'prototype']);

/** `a[b][]` → ['a', 'b', ''] ; returns null when the brackets are malformed. */
export function splitKey(key: string): string[] | null {
  const open = key.indexOf('[');
  if (open === -1) return key === '' ? null : [key];
  const head = key.slice(0, open);
  if (head === '') return null;
  const segments = [head];
  let rest = key.slice(open);
  while (rest.length > 0) {
    if (!rest.startsWith('[')) return null;
    const close = rest.indexOf(']');
    if (close === -1) return null;
    segments.push(rest.slice(1, close));
    rest = rest.slice(close + 1);
  }
  return segments;
}

function nextIndex(node: ParamTree): string {
  let count = 0;
  for (const k of Object.keys(node)) if (/^\d+$/.test(k)) count = Math.max(count, Number(k) + 1);
  return String(count);
}

function failure(message: string, param: string): DecodeFailure {
  return { message, param, status: 400 };
}

function insert(root: ParamTree, key: string, segments: string[], value: string): DecodeFailure | null {
  if (segments.length > FORM_DEPTH_MAX) return failure(`Parameter nesting is too deep (at most ${FORM_DEPTH_MAX}).`, key);
  let node = root;
  for (let i = 0; i < segments.length; i++) {
    let segment = segments[i]!;
    if (FORBIDDEN_SEGMENTS.has(segment)) return failure(`Invalid parameter name: ${key}`, key);
    const last = i === segments.length - 1;
    if (segment === '') {
      if (i === 0) return failure(`Invalid parameter name: ${key}`, key);
      segment = last ? nextIndex(node) : lastOrNextIndex(node, segments[i + 1]!);
    }
    if (/^\d+$/.test(segment) && Number(segment) > FORM_ARRAY_INDEX_MAX) {
      return failure(`Array index too large in ${key} (at most ${FORM_ARRAY_INDEX_MAX}).`, key);
    }
    const existing = node[segment];
    if (last) {
      if (isTree(existing)) return failure(`Parameter ${key} was given both as a value and as a hash.`, key);
      node[segment] = value;
      return null;
    }
    if (existing === undefined) {
      const child = emptyTree();
      node[segment] = child;
      node = child;
    } else if (isTree(existing)) {
      node = existing;
    } else {
      return failure(`Parameter ${key} was given both as a value and as a hash.`, key);
    }
  }
  return null;
}

/**
 * `items[][price]=a&items[][quantity]=1` (curl style): an empty index followed by a field
 * starts a new element only when the current last element already has that field.
 */
function lastOrNextIndex(node: ParamTree, childSegment: string): string {
  const next = nextIndex(node);
  if (next === '0') return next;
  const lastKey = String(Number(next) - 1);
  const lastNode = node[lastKey];
  if (isTree(lastNode) && !(childSegment in lastNode) && childSegment !== '') return lastKey;
  return next;
}

export function assemblePairs(pairs: readonly Pair[]): Result<ParamTree, DecodeFailure> {
  const root = emptyTree();
  for (const [key, value] of pairs) {
    const segments = splitKey(key);
    if (segments === null) return err(failure(`Invalid parameter name: ${key}`, key));
    const problem = insert(root, key, segments, value);
    if (problem) return err(problem);
  }
  return ok(root);
}
