/**
 * The decoded parameter tree: every leaf is a string (as on the wire), every inner node a
 * null-prototype record. Arrays stay integer-keyed records until a schema asks for an array
 * (see `src/stripe/params/common.ts`), because `metadata[0]=x` is a map, not a list.
 */
export type ParamValue = string | ParamTree;
export interface ParamTree {
  [key: string]: ParamValue;
}

export function emptyTree(): ParamTree {
  return Object.create(null) as ParamTree;
}

export function isTree(value: unknown): value is ParamTree {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export type DecodeFailure = { readonly message: string; readonly param: string | null; readonly status: 400 | 413 | 415 };
