// Talking to a local edgepay server over HTTP: readiness, liveness and key revocation.
import { mintAdminToken } from './keys.mjs';
import { currentSigningKey, processAlive, readServerInfo, readSigningKeys } from './state.mjs';

export const HOST = '127.0.0.1';
const PROBE_TIMEOUT_MS = 2_000;
const REVOKE_TIMEOUT_MS = 10_000;

export function baseUrl(port) {
  return `http://${HOST}:${port}`;
}

/** True when edgepay answers on that port (an unauthenticated /v1 call gets a Stripe-shaped 401). */
export async function answers(port) {
  try {
    const res = await fetch(`${baseUrl(port)}/v1/customers`, { signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) });
    const body = await res.json().catch(() => null);
    return res.status === 401 && typeof body?.error?.type === 'string';
  } catch {
    return false;
  }
}

/** Polls until the server answers, the deadline passes, or `stillRunning()` turns false. */
export async function waitUntilAnswering(port, { timeoutMs, intervalMs = 250, stillRunning = () => true }) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!stillRunning()) return false;
    if (await answers(port)) return true;
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  return false;
}

/** The port of the server started from this state dir, if it is running and answering. */
export async function runningServerPort(paths) {
  const info = readServerInfo(paths);
  if (info === null || !processAlive(info.pid)) return null;
  return (await answers(info.port)) ? info.port : null;
}

/**
 * POST /_edgepay/admin/revocations with a fresh admin token. Returns {ok: true} or
 * {ok: false, reason}.
 */
export async function postRevocation(paths, port, { account, livemode, keyId }) {
  const signingKey = currentSigningKey(readSigningKeys(paths));
  if (signingKey === null) return { ok: false, reason: 'no active signing key' };
  try {
    const res = await fetch(`${baseUrl(port)}/_edgepay/admin/revocations`, {
      method: 'POST',
      headers: { authorization: `Bearer ${await mintAdminToken(signingKey)}`, 'content-type': 'application/json' },
      body: JSON.stringify({ account, livemode, key_id: keyId }),
      signal: AbortSignal.timeout(REVOKE_TIMEOUT_MS),
    });
    if (res.ok) return { ok: true };
    return { ok: false, reason: `HTTP ${res.status}: ${(await res.text()).slice(0, 300)}` };
  } catch (error) {
    return { ok: false, reason: String(error?.message ?? error) };
  }
}
