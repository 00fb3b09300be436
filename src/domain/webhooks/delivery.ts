/**
 * Webhook delivery policy, pure: what a receiver's answer means, how long to wait before the next
 * try (exponential backoff with equal jitter, honouring `Retry-After` within the queue's bounds),
 * and when to give up. Randomness and time come in as arguments.
 */
import {
  WEBHOOK_ATTEMPTS_LIVE_MAX,
  WEBHOOK_ATTEMPTS_TEST_MAX,
  WEBHOOK_RETRY_BASE_DELAY_SECONDS,
  WEBHOOK_RETRY_DELAY_MAX_SECONDS,
  WEBHOOK_RETRY_MULTIPLIER,
} from '../limits';

/**
 * `delivered`: any 2xx. `gone`: 410, the receiver says the endpoint no longer exists (Standard
 * Webhooks): the endpoint is disabled. Everything else — 3xx (redirects are never followed), 4xx,
 * 5xx, timeouts, connection errors — is `failed` and retried.
 */
export type ResponseClass = 'delivered' | 'gone' | 'failed';

export function classifyStatus(status: number): ResponseClass {
  if (status >= 200 && status <= 299) return 'delivered';
  if (status === 410) return 'gone';
  return 'failed';
}

/** Total tries (first plus retries) before a delivery is dead-lettered. */
export function deliveryAttemptsMax(livemode: boolean): number {
  return livemode ? WEBHOOK_ATTEMPTS_LIVE_MAX : WEBHOOK_ATTEMPTS_TEST_MAX;
}

/**
 * Seconds to wait after failed try number `attempt` (1-based): base × multiplier^(attempt−1),
 * capped at the queue's 12 h maximum, with equal jitter (between half and all of it) so many
 * endpoints failing together do not retry in lockstep. A `Retry-After` longer than that wins,
 * still capped. `random` is in [0, 1).
 */
export function retryDelaySeconds(attempt: number, random: number, retryAfterSeconds: number | null = null): number {
  const exponent = Math.max(0, attempt - 1);
  const ceiling = Math.min(WEBHOOK_RETRY_DELAY_MAX_SECONDS, WEBHOOK_RETRY_BASE_DELAY_SECONDS * WEBHOOK_RETRY_MULTIPLIER ** exponent);
  const jittered = Math.ceil(ceiling / 2 + (ceiling / 2) * Math.min(Math.max(random, 0), 1));
  const wanted = retryAfterSeconds !== null && retryAfterSeconds > jittered ? retryAfterSeconds : jittered;
  return Math.min(WEBHOOK_RETRY_DELAY_MAX_SECONDS, wanted);
}

/** `Retry-After` as delta-seconds (the HTTP-date form is ignored: it needs a clock). */
export function parseRetryAfter(header: string | null): number | null {
  if (header === null || !/^[0-9]{1,9}$/.test(header.trim())) return null;
  return Number(header.trim());
}

export type NextStep = { readonly action: 'ack' } | { readonly action: 'retry'; readonly delaySeconds: number } | { readonly action: 'dead_letter' };

/**
 * What the consumer does after try number `attempt`: ack when delivered or gone (or when the
 * delivery no longer applies), otherwise retry with backoff until `attemptsMax`, then dead-letter.
 */
export function decideNextStep(
  outcome: ResponseClass | 'skipped',
  attempt: number,
  attemptsMax: number,
  random: number,
  retryAfterSeconds: number | null,
): NextStep {
  if (outcome !== 'failed') return { action: 'ack' };
  if (attempt >= attemptsMax) return { action: 'dead_letter' };
  return { action: 'retry', delaySeconds: retryDelaySeconds(attempt, random, retryAfterSeconds) };
}
