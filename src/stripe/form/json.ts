/**
 * JSON request bodies, accepted as a convenience, are folded into the same string-leaf tree as
 * form bodies so that one validation path (and one idempotency fingerprint) serves both.
 */
import { FORM_DEPTH_MAX, FORM_PAIRS_MAX } from '../../domain/limits';
import { err, ok, type Result } from '../../domain/result';
import { emptyTree, type DecodeFailure, type ParamTree, type ParamValue } from './tree';

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

export function treeFromJson(text: string): Result<ParamTree, DecodeFailure> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return err({ message: 'Invalid JSON in request body.', param: null, status: 400 });
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return err({ message: 'A JSON request body must be an object.', param: null, status: 400 });
  }
  const budget = { leaves: 0 };
  const converted = convert(parsed, 0, budget);
  if (typeof converted === 'string' || converted === null) {
    return err({ message: 'Request body is too deeply nested, too large, or has an invalid key.', param: null, status: 400 });
  }
  return ok(converted);
}

function convert(value: unknown, depth: number, budget: { leaves: number }): ParamValue | null {
  if (depth > FORM_DEPTH_MAX) return null;
  if (value === null) return '';
  if (typeof value === 'string') return countLeaf(value, budget);
  if (typeof value === 'boolean') return countLeaf(value ? 'true' : 'false', budget);
  if (typeof value === 'number') {
    // Numbers travel as their exact JSON spelling; non-integers are then refused by the schema.
    return Number.isFinite(value) ? countLeaf(String(value), budget) : null;
  }
  if (typeof value !== 'object') return null;
  const node = emptyTree();
  const entries: Array<[string, unknown]> = Array.isArray(value)
    ? value.map((v, i) => [String(i), v])
    : Object.entries(value as Record<string, unknown>);
  for (const [k, v] of entries) {
    // Like the form decoder: no prototype-polluting names, no empty names (a form cannot send them).
    if (FORBIDDEN_KEYS.has(k) || k === '') return null;
    const child = convert(v, depth + 1, budget);
    if (child === null) return null;
    node[k] = child;
  }
  return node;
}

function countLeaf(value: string, budget: { leaves: number }): string | null {
  budget.leaves += 1;
  return budget.leaves > FORM_PAIRS_MAX ? null : value;
}
