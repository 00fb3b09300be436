/**
 * Bracket keys → a nested, null-prototype parameter tree (Rack / stripe-mock semantics):
 * `a[b][c]=1` nests, `a[0]=x` and `a[]=x` build integer-keyed nodes, the last scalar wins.
 * Rejects prototype-polluting names, names mixing a scalar and a node, and excessive depth.
 * Numeric keys stay map keys of any size (`metadata[20231101]` is a map entry): whether a node
 * is an array, and how large an index may be, is decided by the schema (`toArray`).
 */
import { FORM_DEPTH_MAX } from '../../domain/limits';
import { err, ok, type Result } from '../../domain/result';
import type { Pair } from './pairs';
import { emptyTree, isTree, type DecodeFailure, type ParamTree, type ParamValue } from './tree';

const FORBIDDEN_SEGMENTS = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * `a[b][]` → ['a', 'b', ''] ; returns null when the brackets are malformed: an empty name, a
 * stray `]` in the name (`a]b`), text between groups (`a[b]c`) or a `[` inside a group (`a[b[c]`).
 */
export function splitKey(key: string): string[] | null {
  const open = key.indexOf('[');
  const head = open === -1 ? key : key.slice(0, open);
  if (head === '' || head.includes(']')) return null;
  const segments = [head];
  let rest = open === -1 ? '' : key.slice(open);
  while (rest.length > 0) {
    if (!rest.startsWith('[')) return null;
    const close = rest.indexOf(']');
    if (close === -1) return null;
    const segment = rest.slice(1, close);
    if (segment.includes('[')) return null;
    segments.push(segment);
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
      segment = last ? nextIndex(node) : lastOrNextIndex(node, segments.slice(i + 1));
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
 * `items[][price]=a&items[][quantity]=1` (curl style), with Rack's rule: the pair joins the last
 * element unless that element already holds its whole remaining path, and a remaining path that
 * itself contains `[]` always joins the last element (`a[][tags][]=x&a[][tags][]=y` is one element).
 */
function lastOrNextIndex(node: ParamTree, rest: readonly string[]): string {
  const next = nextIndex(node);
  if (next === '0') return next;
  const lastKey = String(Number(next) - 1);
  const lastNode = node[lastKey];
  if (!isTree(lastNode)) return next;
  return rest.includes('') || !hasPath(lastNode, rest) ? lastKey : next;
}

function hasPath(node: ParamTree, path: readonly string[]): boolean {
  let current: ParamValue = node;
  for (const part of path) {
    if (!isTree(current) || !(part in current)) return false;
    current = current[part]!;
  }
  return true;
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
