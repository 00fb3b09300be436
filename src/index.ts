/** Worker entry: the HTTP API, plus (later) queue consumers and the reconciliation cron. */
import { createApp } from './app';

export { CardProcessor } from '../durable-objects/card-processor';
export { MerchantAccount } from '../durable-objects/merchant-account';

const app = createApp();

export default {
  fetch: (request, env, ctx) => app.fetch(request, env, ctx),
} satisfies ExportedHandler<Env>;
