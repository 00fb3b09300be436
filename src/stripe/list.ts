/** Stripe list envelope: `{ object: 'list', url, has_more, data }`, newest first. */
import { LIST_LIMIT_DEFAULT } from '../domain/limits';

export interface ListJson<T> {
  object: 'list';
  url: string;
  has_more: boolean;
  data: T[];
}

export function toListJson<T>(url: string, data: T[], hasMore: boolean): ListJson<T> {
  return { object: 'list', url, has_more: hasMore, data };
}

export interface ListArgs {
  readonly limit: number;
  readonly startingAfter?: string;
  readonly endingBefore?: string;
  readonly created?: { gt?: number; gte?: number; lt?: number; lte?: number };
}

export interface ListParamsInput {
  limit?: number | undefined;
  starting_after?: string | undefined;
  ending_before?: string | undefined;
  created?: number | { gt?: number | undefined; gte?: number | undefined; lt?: number | undefined; lte?: number | undefined } | undefined;
}

function dropUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

export function toListArgs(params: ListParamsInput): ListArgs {
  const created = typeof params.created === 'number' ? { gte: params.created, lte: params.created } : params.created;
  return dropUndefined({
    limit: params.limit ?? LIST_LIMIT_DEFAULT,
    startingAfter: params.starting_after,
    endingBefore: params.ending_before,
    created: created ? dropUndefined(created) : undefined,
  });
}
