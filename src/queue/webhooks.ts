/**
 * The events queue consumer: delivers one signed webhook per message, one try per delivery of the
 * message. For each message it asks the account (RPC) what to send, re-checks the URL against the
 * SSRF policy, signs at send time (a fresh `t` on every try), POSTs without following redirects
 * and with a timeout, logs the attempt in the account (status code or error and duration, never
 * the response body), then acks on 2xx, retries with backoff + jitter otherwise, and after the
 * mode's last try hands the message to the dead-letter queue. It never acks a failure it did not
 * record: anything unexpected retries the message. Messages of one batch are sent concurrently,
 * so a slow receiver does not hold up the others.
 */
import { WEBHOOK_SEND_TIMEOUT_MS } from '../domain/limits';
import { classifyStatus, decideNextStep, deliveryAttemptsMax, parseRetryAfter, type ResponseClass } from '../domain/webhooks/delivery';
import { checkWebhookUrl } from '../domain/webhooks/url-policy';
import type { AttemptReport, DeliveryPlan } from '../../durable-objects/webhook-delivery';
import type { WebhookMessage } from '../../durable-objects/outbox';
import { webhookUrlPolicy } from '../platform/webhook-policy';
import { signatureHeader } from '../platform/webhook-signature';

export const USER_AGENT = 'Stripe/1.0 (+https://stripe.com/docs/webhooks)';

/** How the consumer reaches the outside world; production passes the platform's. */
export interface WebhookTransport {
  readonly fetch: (request: Request) => Promise<Response>;
  readonly nowMs: () => number;
  readonly random: () => number;
  readonly timeoutMs: number;
}

export function platformTransport(): WebhookTransport {
  return { fetch: (request) => fetch(request), nowMs: () => Date.now(), random: Math.random, timeoutMs: WEBHOOK_SEND_TIMEOUT_MS };
}

type QueueEnv = Pick<Env, 'MERCHANT_ACCOUNT' | 'EVENTS_DLQ' | 'WEBHOOKS_ALLOW_LOCALHOST'>;

export function parseWebhookMessage(body: unknown): WebhookMessage | null {
  if (typeof body !== 'object' || body === null) return null;
  const { merchant, eventId, endpointId, manual } = body as Record<string, unknown>;
  if (typeof merchant !== 'string' || typeof eventId !== 'string' || typeof endpointId !== 'string') return null;
  return { merchant, eventId, endpointId, ...(manual === true ? { manual: true } : {}) };
}

interface SendResult {
  readonly outcome: ResponseClass;
  readonly statusCode: number | null;
  readonly error: string | null;
  readonly durationMs: number;
  readonly retryAfterSeconds: number | null;
}

async function send(plan: Extract<DeliveryPlan, { action: 'send' }>, env: QueueEnv, transport: WebhookTransport): Promise<SendResult> {
  const started = transport.nowMs();
  const elapsed = () => Math.max(0, transport.nowMs() - started);
  const url = checkWebhookUrl(plan.url, webhookUrlPolicy(env, plan.livemode));
  if (!url.ok) return { outcome: 'failed', statusCode: null, error: `url_refused: ${url.error.reason}`, durationMs: 0, retryAfterSeconds: null };
  const headers = new Headers({
    'Content-Type': 'application/json; charset=utf-8',
    'User-Agent': USER_AGENT,
    'Stripe-Signature': await signatureHeader(plan.body, plan.secrets, Math.floor(transport.nowMs() / 1000)),
  });
  const request = new Request(url.value, { method: 'POST', headers, body: plan.body, redirect: 'manual', signal: AbortSignal.timeout(transport.timeoutMs) });
  try {
    const response = await transport.fetch(request);
    await response.body?.cancel(); // never read: bodies are not logged or shown
    const retryAfterSeconds = parseRetryAfter(response.headers.get('Retry-After'));
    return { outcome: classifyStatus(response.status), statusCode: response.status, error: null, durationMs: elapsed(), retryAfterSeconds };
  } catch (error) {
    const timedOut = error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
    return { outcome: 'failed', statusCode: null, error: timedOut ? 'timeout' : 'connection_error', durationMs: elapsed(), retryAfterSeconds: null };
  }
}

async function deliverOne(message: Message<unknown>, env: QueueEnv, transport: WebhookTransport): Promise<void> {
  const job = parseWebhookMessage(message.body);
  if (job === null) {
    console.error(`events queue: dropping malformed message ${message.id}`);
    message.ack();
    return;
  }
  const account = env.MERCHANT_ACCOUNT.getByName(job.merchant);
  const plan = await account.webhookDeliveryPlan(job.eventId, job.endpointId, job.manual === true);
  if (plan.action === 'skip') {
    message.ack();
    return;
  }
  const { retryAfterSeconds, ...attempt } = await send(plan, env, transport);
  const manual = job.manual === true;
  await account.recordWebhookAttempt({ eventId: job.eventId, endpointId: job.endpointId, manual, ...attempt });
  // A manual redelivery is a single try; automatic ones follow the mode's retry schedule.
  const step = manual ? { action: 'ack' as const } : decideNextStep(attempt.outcome, message.attempts, deliveryAttemptsMax(plan.livemode), transport.random(), retryAfterSeconds);
  if (step.action === 'retry') {
    message.retry({ delaySeconds: step.delaySeconds });
    return;
  }
  if (step.action === 'dead_letter') await env.EVENTS_DLQ.send(job, { contentType: 'json' });
  message.ack();
}

/** Retry delay when the consumer itself failed (the account unreachable, the DLQ send failed). */
const CONSUMER_ERROR_RETRY_SECONDS = 30;

export async function deliverWebhookBatch(batch: MessageBatch<unknown>, env: QueueEnv, transport: WebhookTransport): Promise<void> {
  await Promise.all(
    batch.messages.map(async (message) => {
      try {
        await deliverOne(message, env, transport);
      } catch (error) {
        console.error(`events queue: delivery ${message.id} interrupted: ${error instanceof Error ? error.message : 'unknown'}`);
        message.retry({ delaySeconds: CONSUMER_ERROR_RETRY_SECONDS });
      }
    }),
  );
}

/**
 * The dead-letter queue's consumer: marks each delivery dead in the account's log (what the
 * merchant sees, and what operators list), then acks. Reached after the last try or when the
 * platform gave up on a message.
 */
export async function recordDeadWebhooks(batch: MessageBatch<unknown>, env: QueueEnv): Promise<void> {
  for (const message of batch.messages) {
    const job = parseWebhookMessage(message.body);
    if (job === null) {
      console.error(`events DLQ: malformed message ${message.id}`);
      message.ack();
      continue;
    }
    try {
      const dead: AttemptReport = { eventId: job.eventId, endpointId: job.endpointId, manual: job.manual === true, outcome: 'dead', statusCode: null, error: null, durationMs: null };
      await env.MERCHANT_ACCOUNT.getByName(job.merchant).recordWebhookAttempt(dead);
      console.warn(`webhook delivery dead: ${job.merchant} ${job.eventId} → ${job.endpointId}`);
      message.ack();
    } catch (error) {
      console.error(`events DLQ: could not record ${message.id}: ${error instanceof Error ? error.message : 'unknown'}`);
      message.retry({ delaySeconds: CONSUMER_ERROR_RETRY_SECONDS });
    }
  }
}
