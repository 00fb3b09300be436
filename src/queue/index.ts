/**
 * Queue dispatch for the Worker's `queue` handler: one consumer per queue name. Add a queue by
 * adding an entry; a batch from an unknown queue is retried (and dead-lettered), never dropped.
 */
import { handleReconciliationBatch, recordDeadReconciliations } from './reconciliation';
import { deliverWebhookBatch, platformTransport, recordDeadWebhooks } from './webhooks';

export type QueueConsumer = (batch: MessageBatch<unknown>, env: Env, ctx: ExecutionContext) => Promise<void>;

export const QUEUE_CONSUMERS: Readonly<Record<string, QueueConsumer>> = {
  'edgepay-events': (batch, env) => deliverWebhookBatch(batch, env, platformTransport()),
  'edgepay-events-dlq': (batch, env) => recordDeadWebhooks(batch, env),
  'edgepay-reconciliation': (batch, env) => handleReconciliationBatch(batch, env),
  'edgepay-reconciliation-dlq': (batch, env) => recordDeadReconciliations(batch, env),
};

export async function handleQueueBatch(batch: MessageBatch<unknown>, env: Env, ctx: ExecutionContext): Promise<void> {
  const consumer = QUEUE_CONSUMERS[batch.queue];
  if (consumer === undefined) {
    console.error(`no consumer for queue ${batch.queue}: retrying ${batch.messages.length} messages`);
    batch.retryAll();
    return;
  }
  await consumer(batch, env, ctx);
}
