// Integration tests inside workerd with the real DO, D1 and Queue bindings from wrangler.toml.
// A fresh signing key is generated per run: its public half is the Worker's API_KEY_JWKS, its
// private half a test-only binding so tests can mint keys (test/support/api-keys.ts).
import { cloudflareTest, readD1Migrations } from '@cloudflare/vitest-pool-workers';
import path from 'node:path';
import { defineConfig } from 'vitest/config';
import { generateSigningKey, mintApiKey, publicKeySet } from '../scripts/lib/keys.mjs';

const root = path.resolve(import.meta.dirname, '..');
process.env.CLOUDFLARE_CF_FETCH_ENABLED = 'false';
process.env.WRANGLER_SEND_METRICS = 'false';

export default defineConfig(async () => {
  const signingKey = await generateSigningKey();
  const retiredKey = await generateSigningKey();
  const cliMinted = await mintApiKey(signingKey, { accountId: 'acct_cli_minted' });
  return {
    plugins: [
      cloudflareTest({
        wrangler: { configPath: path.join(root, 'wrangler.toml') },
        miniflare: {
          bindings: {
            ENVIRONMENT: 'test',
            // Off here (tests fire hundreds of requests at one account); a test turns it on per account.
            RATE_LIMIT_TEST_PER_SECOND: '0',
            RATE_LIMIT_LIVE_PER_SECOND: '0',
            API_KEY_JWKS: publicKeySet([signingKey]),
            TEST_SIGNING_JWK: JSON.stringify(signingKey.privateJwk),
            TEST_RETIRED_SIGNING_JWK: JSON.stringify(retiredKey.privateJwk),
            TEST_CLI_MINTED_KEY: cliMinted.key,
            TEST_MIGRATIONS: await readD1Migrations(path.join(root, 'migrations')),
          },
        },
      }),
    ],
    test: {
      root,
      include: ['test/integration/**/*.test.ts', 'test/compat/**/*.test.ts'],
      setupFiles: ['test/support/apply-migrations.ts'],
      testTimeout: 30_000,
    },
  };
});
