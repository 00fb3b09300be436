/** Test-only bindings added by test/vitest.workers.config.mts. */
declare namespace Cloudflare {
  interface Env {
    TEST_SIGNING_JWK: string;
    TEST_RETIRED_SIGNING_JWK: string;
    TEST_CLI_MINTED_KEY: string;
    TEST_MIGRATIONS: import('cloudflare:test').D1Migration[];
  }
}
