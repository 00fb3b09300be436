import { describe, expect, it } from 'vitest';
import { fullBucket, parseRate, takeToken, type TokenBucket } from '../../../src/domain/rate-limit';

function run(rate: number, times: readonly number[]): boolean[] {
  let bucket: TokenBucket = fullBucket(rate, 0);
  return times.map((t) => {
    const step = takeToken(bucket, rate, t);
    bucket = step.bucket;
    return step.allowed;
  });
}

describe('request rate limit (token bucket)', () => {
  it('allows a burst of one second’s worth, then refuses until tokens come back', () => {
    expect(run(3, [0, 0, 0, 0, 0])).toEqual([true, true, true, false, false]);
    expect(run(3, [0, 0, 0, 0, 333, 334, 1000])).toEqual([true, true, true, false, false, true, true]);
  });

  it('sustains exactly the rate over time', () => {
    const times = Array.from({ length: 250 }, (_, i) => 1000 + i * 20); // 50 requests/s for 5 s
    const allowed = run(25, times).filter(Boolean).length;
    expect(allowed).toBeGreaterThanOrEqual(25 + 5 * 25 - 2);
    expect(allowed).toBeLessThanOrEqual(25 + 5 * 25 + 1);
  });

  it('never stores more than the burst, nor goes backwards with the clock', () => {
    expect(run(2, [0, 60_000, 60_000, 60_000])).toEqual([true, true, true, false]); // a minute idle still buys 2
    expect(run(1, [1000, 0, 1000, 1999, 2000])).toEqual([true, false, false, false, true]);
  });

  it('admits at least one request for a rate below one per second', () => {
    expect(run(0.5, [0, 0, 1999, 2000, 2000])).toEqual([true, false, false, true, false]);
  });

  it('does not limit at rate 0, and reads configuration strictly', () => {
    expect(run(0, [0, 0, 0, 0])).toEqual([true, true, true, true]);
    expect([parseRate('25', 1), parseRate(' 100 ', 1), parseRate('0', 1), parseRate('-1', 7), parseRate('1e3', 7), parseRate(undefined, 7)]).toEqual([25, 100, 0, 7, 7, 7]);
  });
});
