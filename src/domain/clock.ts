/** Unix seconds. The domain never reads a clock: callers pass `nowSeconds` in. */
export type UnixSeconds = number;

export const SECONDS_PER_DAY = 86_400;
