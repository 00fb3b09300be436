/**
 * Replaces ids with full objects along `expand[]` paths, inside the operation's transaction (so
 * the expanded objects are consistent with the result). Paths were validated at the edge.
 */
import type { OperationContext } from './context';
import { readAnyObject } from './store';
import { renderStored } from './operations/render';

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function expandAt(ctx: OperationContext, node: unknown, segments: readonly string[]): void {
  const [field, ...rest] = segments;
  if (field === undefined || !isObject(node)) return;
  if (field === 'data' && Array.isArray(node['data']) && node['object'] === 'list') {
    for (const item of node['data'] as unknown[]) expandAt(ctx, item, rest);
    return;
  }
  const value = node[field];
  if (typeof value === 'string') {
    const stored = readAnyObject(ctx.sql, value);
    if (stored) node[field] = renderStored(ctx, stored);
  }
  if (rest.length > 0) expandAt(ctx, node[field], rest);
}

export function applyExpansions(ctx: OperationContext, json: unknown, paths: readonly string[]): unknown {
  for (const path of paths) expandAt(ctx, json, path.split('.'));
  return json;
}
