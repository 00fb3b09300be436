import { describe, expect, it } from 'vitest';
import {
  WEBHOOK_ATTEMPTS_LIVE_MAX,
  WEBHOOK_ATTEMPTS_TEST_MAX,
  WEBHOOK_RETRY_BASE_DELAY_SECONDS,
  WEBHOOK_RETRY_DELAY_MAX_SECONDS,
} from '../../../../src/domain/limits';
import { classifyStatus, decideNextStep, deliveryAttemptsMax, parseRetryAfter, retryDelaySeconds } from '../../../../src/domain/webhooks/delivery';

describe('classifyStatus', () => {
  it('treats every 2xx as delivered, 410 as gone, and everything else (3xx included) as failed', () => {
    for (const status of [200, 201, 202, 204, 299]) expect(classifyStatus(status), String(status)).toBe('delivered');
    expect(classifyStatus(410)).toBe('gone');
    for (const status of [100, 199, 300, 301, 302, 303, 307, 308, 400, 401, 404, 429, 500, 502, 503, 504]) expect(classifyStatus(status), String(status)).toBe('failed');
  });
});

describe('retryDelaySeconds', () => {
  it('grows exponentially from the base and stays within [half, all] of each step (equal jitter)', () => {
    let previousCeiling = 0;
    for (let attempt = 1; attempt <= 4; attempt++) {
      const low = retryDelaySeconds(attempt, 0);
      const high = retryDelaySeconds(attempt, 0.999999);
      expect(high).toBeGreaterThan(previousCeiling);
      expect(low).toBe(Math.ceil(high / 2));
      previousCeiling = high;
    }
    expect(retryDelaySeconds(1, 0.999999)).toBe(WEBHOOK_RETRY_BASE_DELAY_SECONDS);
  });

  it('never exceeds the queue’s 12-hour delay cap, even for late attempts or a long Retry-After', () => {
    for (let attempt = 1; attempt <= 30; attempt++) expect(retryDelaySeconds(attempt, 0.999)).toBeLessThanOrEqual(WEBHOOK_RETRY_DELAY_MAX_SECONDS);
    expect(retryDelaySeconds(1, 0.5, 10 * 24 * 3600)).toBe(WEBHOOK_RETRY_DELAY_MAX_SECONDS);
  });

  it('waits at least as long as Retry-After asks', () => {
    expect(retryDelaySeconds(1, 0, 3600)).toBe(3600);
    expect(retryDelaySeconds(3, 0.5, 1)).toBe(retryDelaySeconds(3, 0.5));
  });

  it('spreads live-mode retries over roughly three days, test-mode retries over a few hours', () => {
    const span = (tries: number, random: number) => Array.from({ length: tries - 1 }, (_, i) => retryDelaySeconds(i + 1, random)).reduce((a, b) => a + b, 0);
    expect(span(WEBHOOK_ATTEMPTS_LIVE_MAX, 0.5) / 86_400).toBeGreaterThan(2);
    expect(span(WEBHOOK_ATTEMPTS_LIVE_MAX, 1) / 86_400).toBeLessThanOrEqual(3.5);
    expect(span(WEBHOOK_ATTEMPTS_TEST_MAX, 0.5) / 3600).toBeGreaterThan(1);
    expect(span(WEBHOOK_ATTEMPTS_TEST_MAX, 1) / 3600).toBeLessThan(3);
  });
});

describe('parseRetryAfter', () => {
  it('reads delta-seconds and ignores dates and junk', () => {
    expect(parseRetryAfter('120')).toBe(120);
    expect(parseRetryAfter(' 5 ')).toBe(5);
    expect(parseRetryAfter(null)).toBeNull();
    expect(parseRetryAfter('Wed, 21 Oct 2015 07:28:00 GMT')).toBeNull();
    expect(parseRetryAfter('-1')).toBeNull();
    expect(parseRetryAfter('1e9')).toBeNull();
  });
});

describe('decideNextStep', () => {
  it('acks deliveries, gone endpoints and skipped work', () => {
    for (const outcome of ['delivered', 'gone', 'skipped'] as const) expect(decideNextStep(outcome, 1, 4, 0.5, null)).toEqual({ action: 'ack' });
  });

  it('retries failures before the last try and dead-letters on it', () => {
    expect(decideNextStep('failed', 1, 4, 0.5, null)).toEqual({ action: 'retry', delaySeconds: retryDelaySeconds(1, 0.5) });
    expect(decideNextStep('failed', 3, 4, 0.5, 600)).toEqual({ action: 'retry', delaySeconds: retryDelaySeconds(3, 0.5, 600) });
    expect(decideNextStep('failed', 4, 4, 0.5, null)).toEqual({ action: 'dead_letter' });
    expect(decideNextStep('failed', 9, 4, 0.5, null)).toEqual({ action: 'dead_letter' });
  });

  it('gives live mode more tries than test mode', () => {
    expect(deliveryAttemptsMax(true)).toBe(WEBHOOK_ATTEMPTS_LIVE_MAX);
    expect(deliveryAttemptsMax(false)).toBe(WEBHOOK_ATTEMPTS_TEST_MAX);
    expect(WEBHOOK_ATTEMPTS_LIVE_MAX).toBeGreaterThan(WEBHOOK_ATTEMPTS_TEST_MAX);
  });
});
