/** Who is calling, established from a verified API key. The account never comes from the URL or body. */
export type KeyKind = 'secret' | 'restricted' | 'publishable';

export interface Principal {
  readonly accountId: string;
  readonly livemode: boolean;
  readonly kind: KeyKind;
  /** The API key's own id (JWT `jti`): what revocation names. */
  readonly keyId: string;
  /** The signing key id (JWT header `kid`). */
  readonly signingKeyId: string;
  /** For restricted keys: e.g. ['customers:read', 'customers:write']. Empty for secret keys (full access). */
  readonly scopes: readonly string[];
}
