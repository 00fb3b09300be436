// Opt-in (BENCH_PROFILE=<scenario id prefixes>): a V8 CPU profile of the Worker isolate (Worker and
// its Durable Objects share it) during a scenario's first run, taken through the inspector that
// Miniflare exposes, and summarised as self time per bundled source module and per function. The
// bundle's `// path/to/module.ts` markers map a profile line back to its module. Profiling costs
// throughput, so profiled runs are labelled and never used for the table's ratios.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { round } from './load.mjs';

const require = createRequire(import.meta.url);
const SAMPLING_INTERVAL_MICROSECONDS = 250;
const TOP_MODULES = 15;
const TOP_FUNCTIONS = 20;
const CALL_TIMEOUT_MS = 30_000;

function loadWebSocket() {
  // ws is a dependency of miniflare (Node 20 has no global WebSocket without a flag).
  return createRequire(require.resolve('miniflare'))('ws');
}

export async function startProfile(inspectorUrl, workerName) {
  const targets = await (await fetch(`${inspectorUrl}/json/list`)).json();
  const target = targets.find((t) => t.webSocketDebuggerUrl.endsWith(`/${workerName}`)) ?? targets[0];
  const WebSocket = loadWebSocket();
  const socket = new WebSocket(target.webSocketDebuggerUrl);
  await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
  let nextId = 1;
  const waiting = new Map();
  socket.on('message', (data) => {
    const message = JSON.parse(String(data));
    const waiter = waiting.get(message.id);
    if (!waiter) return;
    waiting.delete(message.id);
    if (message.error) waiter.reject(new Error(message.error.message));
    else waiter.resolve(message.result);
  });
  const call = (method, params = {}) =>
    new Promise((resolve, reject) => {
      const id = nextId++;
      const timer = setTimeout(() => reject(new Error(`${method} timed out`)), CALL_TIMEOUT_MS);
      waiting.set(id, { resolve: (v) => (clearTimeout(timer), resolve(v)), reject: (e) => (clearTimeout(timer), reject(e)) });
      socket.send(JSON.stringify({ id, method, params }));
    });
  await call('Profiler.enable');
  await call('Profiler.setSamplingInterval', { interval: SAMPLING_INTERVAL_MICROSECONDS });
  await call('Profiler.start');
  return {
    async stop() {
      try {
        return (await call('Profiler.stop')).profile;
      } finally {
        socket.close();
      }
    },
  };
}

/** [firstLine, module] pairs from esbuild's `// src/x.ts` / `// node_modules/pkg/…` comments. */
function moduleMap(scriptPath) {
  const lines = readFileSync(scriptPath, 'utf8').split('\n');
  const marks = [];
  lines.forEach((line, index) => {
    const match = /^\/\/ ((?:\.\.\/)*(?:node_modules\/|src\/|durable-objects\/|bench\/)[^\s]+)$/.exec(line);
    if (match) marks.push([index, match[1].replace(/^(\.\.\/)+/, '')]);
  });
  return marks;
}

function moduleAt(marks, line) {
  let lo = 0;
  let hi = marks.length - 1;
  let found = null;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (marks[mid][0] <= line) {
      found = marks[mid][1];
      lo = mid + 1;
    } else hi = mid - 1;
  }
  if (found === null) return '(bundle prelude)';
  const pkg = /^node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(found);
  return pkg ? `npm:${pkg[1]}` : found;
}

export function summariseProfile(profile, scriptPath) {
  const marks = moduleMap(scriptPath);
  const byNode = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfMicros = new Map();
  profile.samples.forEach((id, i) => selfMicros.set(id, (selfMicros.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const total = [...selfMicros.values()].reduce((a, b) => a + b, 0) || 1;
  const modules = new Map();
  const functions = new Map();
  for (const [id, micros] of selfMicros) {
    const frame = byNode.get(id).callFrame;
    const inBundle = frame.url && scriptPath.endsWith(frame.url.split('/').pop());
    const module = frame.functionName.startsWith('(') && !frame.url ? frame.functionName : inBundle ? moduleAt(marks, frame.lineNumber) : frame.url || '(native)';
    modules.set(module, (modules.get(module) ?? 0) + micros);
    const fn = `${frame.functionName || '(anonymous)'} [${module}]`;
    functions.set(fn, (functions.get(fn) ?? 0) + micros);
  }
  const top = (map, n) =>
    [...map.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([name, micros]) => ({ name, percent: round((micros / total) * 100, 1) }));
  return { sampledMs: round(total / 1000, 0), modules: top(modules, TOP_MODULES), functions: top(functions, TOP_FUNCTIONS) };
}
