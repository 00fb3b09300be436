/**
 * zod building blocks for Stripe parameters. Every wire value arrives as a string (form
 * encoding), so these schemas parse strings strictly: integers are plain ASCII digits, booleans
 * are exactly "true"/"false", and an empty string means "unset" where Stripe allows it.
 * Failures carry a Stripe error `code` in `params.stripeCode`, read by `src/stripe/validate.ts`.
 */
import { z } from 'zod';
import {
  EXPAND_DEPTH_MAX,
  EXPAND_PATHS_MAX,
  FORM_ARRAY_INDEX_MAX,
  LIST_LIMIT_MAX,
  METADATA_KEY_LENGTH_MAX,
  METADATA_KEYS_MAX,
  METADATA_VALUE_LENGTH_MAX,
  OBJECT_ID_LENGTH_MAX,
} from '../../domain/limits';
import { isTree, type ParamTree } from '../form/tree';
import { invalidRequestError, type DomainError } from '../../domain/errors';
import { err, ok, type Result } from '../../domain/result';

type Ctx = z.core.$RefinementCtx;

export function issue(ctx: Ctx, message: string, stripeCode?: string): typeof z.NEVER {
  ctx.addIssue({ code: 'custom', message, params: stripeCode ? { stripeCode } : {} });
  return z.NEVER;
}

const INTEGER_TEXT = /^-?[0-9]{1,16}$/;

/** A wire integer: ASCII digits only (no spaces, exponents, hex, separators), a safe integer. */
export const integerParam = z.string().transform((text, ctx) => {
  if (!INTEGER_TEXT.test(text)) return issue(ctx, `Invalid integer: ${text.slice(0, 40)}`, 'parameter_invalid_integer');
  const value = Number(text);
  if (!Number.isSafeInteger(value)) return issue(ctx, `Invalid integer: ${text.slice(0, 40)}`, 'parameter_invalid_integer');
  return value;
});

export const booleanParam = z.string().transform((text, ctx) => {
  if (text === 'true') return true;
  if (text === 'false') return false;
  return issue(ctx, `Invalid boolean: ${text.slice(0, 40)}`, 'parameter_invalid_boolean');
});

/** A non-empty string of at most `max` characters ('' is refused: the field cannot be unset). */
export function requiredString(max: number) {
  return z.string().transform((text, ctx) => {
    if (text === '') return issue(ctx, 'You passed an empty string, but this field cannot be unset.', 'parameter_invalid_empty');
    if (text.length > max) return issue(ctx, `This value must be at most ${max} characters.`, 'parameter_invalid_string_too_long');
    return text;
  });
}

/** An optional string where '' means "unset" (null). */
export function clearableString(max: number) {
  return z.string().transform((text, ctx) => {
    if (text === '') return null;
    if (text.length > max) return issue(ctx, `This value must be at most ${max} characters.`, 'parameter_invalid_string_too_long');
    return text;
  });
}

export function enumParam<const T extends readonly [string, ...string[]]>(values: T) {
  return z.string().transform((text, ctx) => {
    if ((values as readonly string[]).includes(text)) return text as T[number];
    return issue(ctx, `Invalid value: must be one of ${values.join(', ')}`, 'parameter_invalid_enum');
  });
}

export function idParam(prefix: string) {
  return z.string().transform((text, ctx) => {
    if (text === '') return issue(ctx, 'You passed an empty string, but this field cannot be unset.', 'parameter_invalid_empty');
    if (text.length > OBJECT_ID_LENGTH_MAX) return issue(ctx, `No such ${prefix} id: too long.`, 'resource_missing');
    return text;
  });
}

/** Array indices as sent: canonical decimal (`0`, `12`; not `012`), at most FORM_ARRAY_INDEX_MAX. */
const ARRAY_INDEX = /^(?:0|[1-9][0-9]{0,15})$/;

/** The keys of an integer-keyed node in index order, or null when the node is not one. */
export function arrayKeys(node: ParamTree): string[] | null {
  const keys = Object.keys(node);
  if (!keys.every((k) => ARRAY_INDEX.test(k) && Number(k) <= FORM_ARRAY_INDEX_MAX)) return null;
  return keys.sort((a, b) => Number(a) - Number(b));
}

/** Integer-keyed node (`a[0]`, `a[]`) → array ordered by index; sparse indexes are compacted. */
export function toArray(value: unknown): unknown {
  if (!isTree(value)) return value;
  return arrayKeys(value)?.map((k) => value[k]) ?? value;
}

function tooLargeIndex(value: unknown): boolean {
  return isTree(value) && Object.keys(value).some((k) => ARRAY_INDEX.test(k) && Number(k) > FORM_ARRAY_INDEX_MAX);
}

export function arrayParam<T extends z.ZodType>(item: T, max: number) {
  return z.preprocess(
    (value, ctx) =>
      tooLargeIndex(value) ? issue(ctx, `Array index too large (at most ${FORM_ARRAY_INDEX_MAX}).`, 'parameter_invalid') : toArray(value),
    z.array(item).max(max, { message: `At most ${max} items are allowed.` }),
  );
}

const EXPAND_PATH = /^[a-z_]+(\.[a-z_]+)*$/;

export const expandParam = arrayParam(
  z.string().refine((p) => EXPAND_PATH.test(p) && p.split('.').length <= EXPAND_DEPTH_MAX, {
    message: `Invalid expand path (at most ${EXPAND_DEPTH_MAX} levels).`,
  }),
  EXPAND_PATHS_MAX,
);

/**
 * Metadata update: a map of key → value, where value '' deletes that key; `metadata=` (the
 * whole field empty) clears all keys. Output: null = clear all; otherwise key → value | null.
 */
export type MetadataPatch = null | Record<string, string | null>;

export const metadataParam = z.union([z.string(), z.record(z.string(), z.unknown())]).transform((value, ctx): MetadataPatch => {
  if (typeof value === 'string') {
    if (value === '') return null;
    return issue(ctx, 'Invalid metadata: must be a hash of key-value pairs.', 'parameter_invalid_metadata');
  }
  const entries = Object.entries(value);
  if (entries.length > METADATA_KEYS_MAX) {
    return issue(ctx, `Metadata can have at most ${METADATA_KEYS_MAX} keys.`, 'metadata_too_many_keys');
  }
  // A plain object (it crosses DO RPC, where null-prototype objects cannot be cloned); the form
  // decoder has already refused `__proto__`, `constructor` and `prototype` as names.
  const patch: Array<[string, string | null]> = [];
  for (const [key, v] of entries) {
    if (typeof v !== 'string') return issue(ctx, `Invalid value for metadata[${key}]: must be a string.`, 'parameter_invalid_metadata');
    if (key.length > METADATA_KEY_LENGTH_MAX || key.includes('[') || key.includes(']')) {
      return issue(ctx, `Metadata keys must be at most ${METADATA_KEY_LENGTH_MAX} characters and may not contain brackets.`, 'metadata_key_invalid');
    }
    if (v.length > METADATA_VALUE_LENGTH_MAX) {
      return issue(ctx, `Metadata values must be at most ${METADATA_VALUE_LENGTH_MAX} characters (metadata[${key}]).`, 'metadata_value_too_long');
    }
    patch.push([key, v === '' ? null : v]);
  }
  return Object.fromEntries(patch);
});

/** Applies a metadata patch to the stored metadata (merge; '' unsets; null clears all). */
export function applyMetadataPatch(current: Readonly<Record<string, string>>, patch: MetadataPatch | undefined): Record<string, string> {
  if (patch === undefined) return { ...current };
  if (patch === null) return {};
  const next: Record<string, string> = { ...current };
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete next[key];
    else next[key] = value;
  }
  return next;
}

/**
 * Applies a patch to stored metadata and checks the merged result still fits Stripe's 50-key limit
 * (the request alone may be small while stored + new keys exceed it).
 */
export function mergeMetadata(
  current: Readonly<Record<string, string>>,
  patch: MetadataPatch | undefined,
): Result<Record<string, string>, DomainError> {
  const merged = applyMetadataPatch(current, patch);
  if (Object.keys(merged).length > METADATA_KEYS_MAX) {
    return err(invalidRequestError(`Metadata can have at most ${METADATA_KEYS_MAX} keys; this update would leave ${Object.keys(merged).length}.`, 'metadata', 'metadata_too_many_keys'));
  }
  return ok(merged);
}

export const createdFilterParam = z.union([
  integerParam,
  z.strictObject({
    gt: integerParam.optional(),
    gte: integerParam.optional(),
    lt: integerParam.optional(),
    lte: integerParam.optional(),
  }),
]);

export const listParams = {
  limit: integerParam
    .refine((n) => n >= 1 && n <= LIST_LIMIT_MAX, { message: `Invalid limit: must be between 1 and ${LIST_LIMIT_MAX}.` })
    .optional(),
  starting_after: idParam('object').optional(),
  ending_before: idParam('object').optional(),
  created: createdFilterParam.optional(),
  expand: expandParam.optional(),
};
