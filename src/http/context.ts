/** Hono context typing shared by middleware and routes. */
import type { Principal } from '../auth/principal';
import type { ParamTree } from '../stripe/form/tree';

export interface IdempotencyContext {
  readonly key: string;
  /** Canonical request text; the account DO turns it into a keyed fingerprint. */
  readonly canonical: string;
  readonly endpoint: string;
}

export interface AppEnv {
  Bindings: Env;
  Variables: {
    requestId: string;
    principal: Principal;
    params: ParamTree;
    apiVersion: string;
    /** `expand[]` paths of this request (validated against the operation in callAccount). */
    expand: readonly string[];
    idempotency: IdempotencyContext | null;
  };
}
