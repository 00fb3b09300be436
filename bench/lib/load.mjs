// One measured load run: autocannon in this process (pinned to the load core), CPU of the server
// tree and of this process sampled around it. Every run is bounded by duration and/or amount.
import autocannon from 'autocannon';
import { machineCpuSeconds } from './cpu.mjs';

const REQUEST_TIMEOUT_SECONDS = 10;

/**
 * spec: { url, connections, duration | amount, limit?, requests } where `requests` is autocannon's list
 * (method, path, headers, body, setupRequest, onResponse). Returns the numbers the report needs.
 */
export async function runLoad(spec, server) {
  const serverCpu0 = server ? server.cpuSeconds() : 0;
  const selfCpu0 = process.cpuUsage();
  const machine0 = machineCpuSeconds();
  const started = performance.now();
  const result = await autocannon({
    url: spec.url,
    connections: spec.connections,
    timeout: REQUEST_TIMEOUT_SECONDS,
    requests: spec.requests,
    // `amount` (a fixed number of requests, duration ignored) or `duration` capped by `limit`.
    ...(spec.amount ? { amount: spec.amount } : { duration: spec.duration }),
    ...(spec.limit ? { maxOverallRequests: Math.max(spec.limit, spec.connections) } : {}),
  });
  const wallSeconds = (performance.now() - started) / 1000;
  const serverCpuSeconds = server ? server.cpuSeconds() - serverCpu0 : 0;
  const self = process.cpuUsage(selfCpu0);
  const selfSeconds = (self.user + self.system) / 1e6;
  const machine1 = machineCpuSeconds();
  const share = (seconds) => round((seconds / wallSeconds) * 100, 0);
  const completed = result.requests.total ?? 0;
  const statuses = Object.fromEntries(Object.entries(result.statusCodeStats ?? {}).map(([code, v]) => [code, v.count]));
  return {
    requests: completed,
    seconds: round(wallSeconds, 2),
    rps: round(completed / wallSeconds, 0),
    ok2xx: result['2xx'] ?? 0,
    non2xx: result.non2xx ?? 0,
    errors: result.errors ?? 0,
    timeouts: result.timeouts ?? 0,
    statuses,
    latencyMs: {
      p50: result.latency.p50,
      p90: result.latency.p90,
      p99: result.latency.p99,
      max: result.latency.max,
      mean: round(result.latency.average, 2),
    },
    cpu: {
      server: share(serverCpuSeconds),
      loadgen: share(selfSeconds),
      // CPU used by every other process on the machine meanwhile (other work competing for the cores).
      foreign: server ? share(Math.max(0, machine1.busy - machine0.busy - serverCpuSeconds - selfSeconds)) : null,
      iowait: share(machine1.iowait - machine0.iowait),
      steal: share(machine1.steal - machine0.steal),
      serverMsPerRequest: completed > 0 ? round((serverCpuSeconds * 1000) / completed, 3) : null,
    },
  };
}

export function round(value, digits) {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

/** A request whose path, body or headers (each optional) are built fresh for every request n = 1, 2, … */
export function dynamicRequest({ method, path, headers = {}, body, header, onResponse }) {
  let n = 0;
  const request = { method, path: typeof path === 'function' ? path(0) : path, headers };
  if (typeof body === 'function' || typeof header === 'function' || typeof path === 'function') {
    request.setupRequest = (req) => {
      n += 1;
      const next = { ...req };
      if (typeof path === 'function') next.path = path(n);
      if (typeof body === 'function') next.body = body(n);
      if (typeof header === 'function') next.headers = { ...req.headers, ...header(n) };
      return next;
    };
  } else if (body !== undefined) {
    request.body = body;
  }
  if (onResponse) request.onResponse = onResponse;
  return request;
}
