// Revoking a signing key (by kid) or one API key (by its id, the JWT `jti`).
import { postRevocation, runningServerPort } from './server.mjs';
import {
  findRegisteredKey,
  queueRevocation,
  readPendingRevocations,
  readSigningKeys,
  replacePendingRevocations,
  retireSigningKey,
} from './state.mjs';

/**
 * Returns the one line to print. Throws for an unknown id, and when a running server refused the
 * revocation (it is then also queued for the next `npm start`).
 */
export async function revoke(paths, id) {
  if (readSigningKeys(paths).some((k) => k.kid === id)) return retireKid(paths, id);
  const entry = findRegisteredKey(paths, id);
  if (entry === null) throw new Error(`unknown key id "${id}": not a signing key id nor a key id in ${paths.register}`);
  const request = { account: entry.account, livemode: entry.livemode, keyId: entry.keyId };
  const port = await runningServerPort(paths);
  if (port === null) {
    queueRevocation(paths, { ...request, queued: Math.floor(Date.now() / 1000) });
    return `queued revocation of ${id} (${entry.account}, ${mode(entry)}): the server is not running; \`npm start\` applies it on boot`;
  }
  const result = await postRevocation(paths, port, request);
  if (!result.ok) {
    queueRevocation(paths, { ...request, queued: Math.floor(Date.now() / 1000) });
    throw new Error(`the server refused the revocation of ${id} (${result.reason}); queued for the next \`npm start\``);
  }
  return `revoked ${id} (${entry.account}, ${mode(entry)}): requests with that key now get 401`;
}

function retireKid(paths, kid) {
  retireSigningKey(paths, kid);
  return `retired signing key ${kid}: keys it signed now get 401 (a running \`npm start\` reloads the key set within seconds)`;
}

function mode(entry) {
  return entry.livemode ? 'live mode' : 'test mode';
}

/** Applies queued revocations against the server on `port`; keeps the ones that failed. */
export async function applyPendingRevocations(paths, port) {
  const pending = readPendingRevocations(paths);
  const failed = [];
  for (const request of pending) {
    const result = await postRevocation(paths, port, request);
    if (!result.ok) failed.push({ ...request, lastError: result.reason });
  }
  replacePendingRevocations(paths, failed);
  return { applied: pending.length - failed.length, failed };
}
