/** Worker entry: the HTTP API, plus (later) queue consumers and the reconciliation cron. */
import { createApp } from './app';
import { handleQueueBatch } from './queue';

export { CardProcessor } from '../durable-objects/card-processor';
export { MerchantAccount } from '../durable-objects/merchant-account';

const app = createApp();

export default {
  fetch: (request, env, ctx) => app.fetch(request, env, ctx),
  queue: (batch, env, ctx) => handleQueueBatch(batch, env, ctx),
} satisfies ExportedHandler<Env>;
