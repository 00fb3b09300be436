// Minting an API key for an account and recording its id (never the key) in the register.
import { mintApiKey } from './keys.mjs';
import { currentSigningKey, ensureSigningKeys, registerKey } from './state.mjs';

/** Same rule as src/domain/ids.ts ACCOUNT_ID_PATTERN. */
export const ACCOUNT_ID_PATTERN = /^acct_[A-Za-z0-9_]{1,64}$/;
/** `<resource>` or `<resource>:read|write`, `*` for every resource (see src/http/account.ts). */
export const SCOPE_PATTERN = /^(\*|[a-z][a-z_]{0,63})(:(read|write))?$/;

export function parseScopes(text) {
  const scopes = text.split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (scopes.length === 0) throw new Error('--scopes needs at least one scope, e.g. --scopes customers:read');
  const bad = scopes.find((s) => !SCOPE_PATTERN.test(s));
  if (bad !== undefined) throw new Error(`invalid scope "${bad}": expected <resource>[:read|:write], e.g. customers:read`);
  return scopes;
}

/**
 * Mints a key for `account` (secret, restricted when `scopes` is given, publishable when asked) with the newest active
 * signing key, registers its id, and returns {key, keyId, entry}.
 */
export async function mintRegisteredKey(paths, { account, livemode = false, scopes = null, publishable = false }) {
  if (!ACCOUNT_ID_PATTERN.test(account)) {
    throw new Error(`invalid account id "${account}": expected acct_ followed by 1-64 letters, digits or underscores`);
  }
  const signingKey = currentSigningKey(await ensureSigningKeys(paths));
  const kind = publishable ? 'publishable' : scopes === null ? 'secret' : 'restricted';
  const { key, keyId } = await mintApiKey(signingKey, { accountId: account, livemode, kind, scopes: scopes ?? [] });
  const entry = { keyId, account, livemode, kind, kid: signingKey.kid, created: Math.floor(Date.now() / 1000) };
  if (scopes !== null) entry.scopes = scopes;
  registerKey(paths, entry);
  return { key, keyId, entry };
}
