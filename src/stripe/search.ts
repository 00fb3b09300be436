/**
 * Stripe's search envelope and parameters: `GET /v1/<resource>/search?query=…&limit=…&page=…`
 * answers `{ object: 'search_result', url, has_more, data, next_page }`; stripe-node's
 * auto-pagination re-sends the same parameters with `page=<next_page>`. The page token is opaque
 * to clients: base64url of the last item's (created, id), checked on the way back in.
 */
import { z } from 'zod';
import { invalidRequestError, type DomainError } from '../domain/errors';
import { LIST_LIMIT_MAX, SEARCH_QUERY_LENGTH_MAX } from '../domain/limits';
import { err, ok, type Result } from '../domain/result';
import type { SearchCursor } from '../domain/search/query';
import { expandParam, integerParam, requiredString } from './params/common';

const PAGE_TOKEN_LENGTH_MAX = 512;

export const SearchParams = z.strictObject({
  query: requiredString(SEARCH_QUERY_LENGTH_MAX),
  limit: integerParam.refine((n) => n >= 1 && n <= LIST_LIMIT_MAX, { message: `Invalid limit: must be between 1 and ${LIST_LIMIT_MAX}.` }).optional(),
  page: requiredString(PAGE_TOKEN_LENGTH_MAX).optional(),
  expand: expandParam.optional(),
});

function base64url(text: string): string {
  return btoa(text).replaceAll('+', '-').replaceAll('/', '_').replaceAll('=', '');
}

export function encodePageToken(cursor: SearchCursor): string {
  return `page_${base64url(JSON.stringify([cursor.created, cursor.id]))}`;
}

const ID = /^[a-z]+_[A-Za-z0-9]+$/;

export function decodePageToken(token: string): Result<SearchCursor, DomainError> {
  const invalid = err(invalidRequestError('Invalid page: pass the next_page of the previous search result.', 'page'));
  if (!token.startsWith('page_')) return invalid;
  try {
    const parsed: unknown = JSON.parse(atob(token.slice(5).replaceAll('-', '+').replaceAll('_', '/')));
    if (!Array.isArray(parsed) || parsed.length !== 2) return invalid;
    const [created, id] = parsed as [unknown, unknown];
    if (!Number.isSafeInteger(created) || typeof id !== 'string' || !ID.test(id)) return invalid;
    return ok({ created: created as number, id });
  } catch {
    return invalid;
  }
}

export interface SearchResultJson<T> {
  object: 'search_result';
  url: string;
  has_more: boolean;
  data: T[];
  next_page: string | null;
}

export function toSearchResultJson<T>(url: string, data: T[], next: SearchCursor | null): SearchResultJson<T> {
  return { object: 'search_result', url, has_more: next !== null, data, next_page: next === null ? null : encodePageToken(next) };
}
