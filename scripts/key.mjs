#!/usr/bin/env node
// `npm run --silent key -- --account acct_x [--scopes a,b] [--live]`  → prints exactly one line: the key
// `npm run --silent key -- --account acct_x --publishable [--live]`    → one line: a pk_test_ key (hosted checkout page)
// `npm run --silent key -- --revoke <kid or key id>`                  → one line saying what happened
// `npm run --silent key -- --rotate`                                  → adds a signing key, prints its kid
// `npm run --silent key -- --jwks`                                    → the public key set (API_KEY_JWKS)
// Errors go to stderr with exit code 1. Works whether or not `npm start` runs.
import { parseArgs } from 'node:util';
import { mintRegisteredKey, parseScopes } from './lib/mint.mjs';
import { revoke } from './lib/revoke.mjs';
import { publicKeySet } from './lib/keys.mjs';
import { activeSigningKeys, currentSigningKey, ensureSigningKeys, rotateSigningKeys, statePaths } from './lib/state.mjs';

const USAGE = `usage:
  npm run --silent key -- --account acct_<id> [--scopes customers:read,events:read] [--live]
  npm run --silent key -- --account acct_<id> --publishable [--live]
  npm run --silent key -- --revoke <key id (jti) or signing key id (kid)>
  npm run --silent key -- --rotate
  npm run --silent key -- --jwks`;

class UsageError extends Error {}

function parse(argv) {
  const { values, positionals } = parseArgs({
    args: argv,
    options: {
      account: { type: 'string' },
      scopes: { type: 'string' },
      live: { type: 'boolean', default: false },
      publishable: { type: 'boolean', default: false },
      revoke: { type: 'string' },
      rotate: { type: 'boolean', default: false },
      jwks: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
    allowPositionals: true,
  });
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
  const actions = [values.account !== undefined, values.revoke !== undefined, values.rotate, values.jwks].filter(Boolean);
  if (values.help) return { ...values, action: 'help' };
  if (actions.length !== 1) throw new UsageError('give exactly one of --account, --revoke, --rotate, --jwks');
  if (values.account === undefined && (values.scopes !== undefined || values.live || values.publishable)) {
    throw new UsageError('--scopes, --publishable and --live only go with --account');
  }
  if (values.publishable && values.scopes !== undefined) throw new UsageError('--publishable keys take no --scopes');
  if (values.account !== undefined) return { ...values, action: 'mint' };
  if (values.revoke !== undefined) return { ...values, action: 'revoke' };
  return { ...values, action: values.rotate ? 'rotate' : 'jwks' };
}

async function run(args, paths) {
  switch (args.action) {
    case 'help':
      return USAGE;
    case 'mint': {
      const scopes = args.scopes === undefined ? null : parseScopes(args.scopes);
      return (await mintRegisteredKey(paths, { account: args.account, livemode: args.live, scopes, publishable: args.publishable })).key;
    }
    case 'revoke':
      return revoke(paths, args.revoke);
    case 'rotate': {
      const kid = currentSigningKey(await rotateSigningKeys(paths)).kid;
      return `added signing key ${kid}: new keys are signed with it; existing keys stay valid (a running \`npm start\` reloads the key set within seconds)`;
    }
    case 'jwks':
      return publicKeySet(activeSigningKeys(await ensureSigningKeys(paths)));
  }
}

try {
  const args = parse(process.argv.slice(2));
  process.stdout.write(`${await run(args, statePaths())}\n`);
} catch (error) {
  const usage = error instanceof UsageError || error?.code?.startsWith?.('ERR_PARSE_ARGS');
  process.stderr.write(`key: ${error?.message ?? error}\n${usage ? `${USAGE}\n` : ''}`);
  process.exitCode = 1;
}
