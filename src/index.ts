/** Worker entry: the HTTP API, the queue consumers (dispatched by queue name) and the reconciliation cron. */
import { createApp } from './app';
import { handleQueueBatch } from './queue';
import { enqueueScheduledRuns } from './queue/reconciliation-cron';

export { CardProcessor } from '../durable-objects/card-processor';
export { MerchantAccount } from '../durable-objects/merchant-account';

const app = createApp();

export default {
  fetch: (request, env, ctx) => app.fetch(request, env, ctx),
  queue: (batch, env, ctx) => handleQueueBatch(batch, env, ctx),
  scheduled: async (controller, env) => {
    await enqueueScheduledRuns(env, controller.scheduledTime);
  },
} satisfies ExportedHandler<Env>;
