/**
 * Stripe's per-account request rate limit as a token bucket: `ratePerSecond` tokens per second,
 * holding at most one second's worth (the burst), and never less than one request. Pure: the
 * caller keeps the bucket and passes the time in. A rate of 0 means "no limit".
 */
export interface TokenBucket {
  readonly tokens: number;
  readonly atMs: number;
}

const burstOf = (ratePerSecond: number) => Math.max(1, ratePerSecond);

export function fullBucket(ratePerSecond: number, nowMs: number): TokenBucket {
  return { tokens: burstOf(ratePerSecond), atMs: nowMs };
}

/** Takes one token if there is one; `allowed` says whether the request may go ahead. */
export function takeToken(bucket: TokenBucket, ratePerSecond: number, nowMs: number): { readonly bucket: TokenBucket; readonly allowed: boolean } {
  if (ratePerSecond <= 0) return { bucket, allowed: true };
  // A clock that steps back refills nothing and does not move the bucket's time back either.
  const atMs = Math.max(bucket.atMs, nowMs);
  const tokens = Math.min(burstOf(ratePerSecond), bucket.tokens + ((atMs - bucket.atMs) * ratePerSecond) / 1000);
  if (tokens < 1) return { bucket: { tokens, atMs }, allowed: false };
  return { bucket: { tokens: tokens - 1, atMs }, allowed: true };
}

/** A rate setting from configuration text: a non-negative integer, else the fallback. */
export function parseRate(text: string | undefined, fallback: number): number {
  if (text === undefined || !/^\d{1,6}$/.test(text.trim())) return fallback;
  return Number(text.trim());
}
