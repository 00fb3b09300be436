/** Secrets and test-only bindings that `wrangler types` cannot see in wrangler.toml. */
declare namespace Cloudflare {
  interface Env {
    /** JSON Web Key Set of the active API-key verification keys (public keys only). */
    API_KEY_JWKS?: string;
    /** Local development only: `"true"` lets test-mode webhook endpoints use localhost (README). */
    WEBHOOKS_ALLOW_LOCALHOST?: string;
  }
}
