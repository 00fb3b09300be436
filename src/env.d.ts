/** Secrets and test-only bindings that `wrangler types` cannot see in wrangler.toml. */
declare namespace Cloudflare {
  interface Env {
    /** JSON Web Key Set of the active API-key verification keys (public keys only). */
    API_KEY_JWKS?: string;
  }
}
