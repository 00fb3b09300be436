#!/usr/bin/env node
// `node scripts/events.mjs --key sk_test_… [--types charge.*,customer.created] [--forward-to http://localhost:4242/webhooks]
//    [--secret whsec_…] [--api http://127.0.0.1:8787] [--interval 2] [--all] [--once]`
// Tails new events of the key's account; with --forward-to, POSTs each one to your local endpoint
// signed with --secret (or a generated one, printed at start) so `stripe.webhooks.constructEvent`
// verifies it. --all starts from the oldest kept event instead of now; --once polls a single time.
import { parseArgs } from 'node:util';
import { describeEvent, eventsSince, forwardEvent, latestEventId, newLocalSecret } from './lib/events-cli.mjs';
import { baseUrl, runningServerPort } from './lib/server.mjs';
import { statePaths } from './lib/state.mjs';

const USAGE = 'usage: node scripts/events.mjs --key sk_test_… [--types a,b] [--forward-to URL] [--secret whsec_…] [--api URL] [--interval s] [--all] [--once]';

function parse(argv) {
  const { values } = parseArgs({
    args: argv,
    options: {
      key: { type: 'string' },
      types: { type: 'string' },
      'forward-to': { type: 'string' },
      secret: { type: 'string' },
      api: { type: 'string' },
      interval: { type: 'string', default: '2' },
      all: { type: 'boolean', default: false },
      once: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  if (values.help) return null;
  if (!values.key) throw new Error('--key is required');
  const interval = Number(values.interval);
  if (!Number.isFinite(interval) || interval < 0.2 || interval > 3600) throw new Error('--interval must be between 0.2 and 3600 seconds');
  if (values.secret !== undefined && !values.secret.startsWith('whsec_')) throw new Error('--secret must start with whsec_');
  return { ...values, interval, types: values.types ? values.types.split(',').map((t) => t.trim()).filter(Boolean) : [] };
}

async function apiBase(explicit) {
  if (explicit) return explicit;
  const port = await runningServerPort(statePaths());
  return baseUrl(port ?? 8787);
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function main() {
  const args = parse(process.argv.slice(2));
  if (args === null) return console.log(USAGE);
  const options = { api: await apiBase(args.api), key: args.key, types: args.types };
  const forward = args['forward-to'] ? { to: args['forward-to'], secret: args.secret ?? newLocalSecret() } : null;
  if (forward) console.error(`Forwarding events to ${forward.to}. Your webhook signing secret is ${forward.secret}`);
  let cursor = args.all ? null : await latestEventId(fetch, options);
  let stopped = false;
  process.on('SIGINT', () => (stopped = true));
  while (!stopped) {
    const events = await eventsSince(fetch, options, cursor);
    for (const event of events) {
      const outcome = forward ? await forwardEvent(fetch, event, forward) : undefined;
      console.log(describeEvent(event, outcome));
    }
    if (events.length > 0) cursor = events.at(-1).id;
    if (args.once) break;
    await sleep(args.interval * 1000);
  }
}

main().catch((error) => {
  console.error(`events: ${error instanceof Error ? error.message : error}\n${USAGE}`);
  process.exit(1);
});
