// Parent-side handle on a server child (bench/lib/server-child.mjs): spawn it pinned to the server
// core, wait until it listens, query D1 through it, measure its CPU, and always stop it.
import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { processTree, taskset, treeCpuSeconds } from './cpu.mjs';

const CHILD = path.join(path.dirname(fileURLToPath(import.meta.url)), 'server-child.mjs');
const START_TIMEOUT_MS = 60_000;
const RPC_TIMEOUT_MS = 35_000;
const STOP_TIMEOUT_MS = 10_000;

const live = new Set();

/** Kills every server child still running (process exit, Ctrl-C, crash). */
export function killAllServers() {
  for (const server of live) server.kill();
}

export async function startServer({ kind, root, scriptPath, persistRoot, bindings, core, logPath, inspect = false }) {
  const config = JSON.stringify({ kind, root, scriptPath, persistRoot, bindings, inspect });
  const bin = taskset();
  const [command, args] = bin !== null && core !== null
    ? [bin, ['-c', String(core), process.execPath, CHILD, config]]
    : [process.execPath, [CHILD, config]];
  const child = spawn(command, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe', 'ipc'], detached: true });
  const log = createWriteStream(logPath, { flags: 'a' });
  child.stdout.pipe(log);
  child.stderr.pipe(log);
  const server = new ServerHandle(kind, child, log, scriptPath);
  live.add(server);
  try {
    await server.ready();
  } catch (error) {
    await server.stop();
    throw new Error(`${kind} server did not start (${error.message}); see ${logPath}`);
  }
  return server;
}

class ServerHandle {
  constructor(kind, child, log, scriptPath) {
    this.kind = kind;
    this.scriptPath = scriptPath;
    this.inspector = null;
    this.child = child;
    this.log = log;
    this.url = null;
    this.pending = new Map();
    this.nextId = 1;
    this.exited = new Promise((resolve) => child.once('exit', resolve));
    child.on('message', (message) => this.onMessage(message));
    child.on('exit', () => {
      for (const { reject } of this.pending.values()) reject(new Error(`${kind} server exited`));
      this.pending.clear();
    });
  }

  ready() {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('start timed out')), START_TIMEOUT_MS);
      this.child.once('exit', (code) => reject(new Error(`exited with ${code}`)));
      this.readyResolve = (message) => {
        clearTimeout(timer);
        this.url = message.url;
        this.inspector = message.inspector;
        resolve();
      };
    });
  }

  onMessage(message) {
    if (message.type === 'ready') return this.readyResolve?.(message);
    const waiter = this.pending.get(message.id);
    if (!waiter) return;
    this.pending.delete(message.id);
    if (message.ok) waiter.resolve(message.value);
    else waiter.reject(new Error(message.error));
  }

  /** Rows of one D1 query, run by Miniflare inside the server child. */
  d1(sql, params = []) {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error('D1 query timed out'));
      }, RPC_TIMEOUT_MS);
      this.pending.set(id, {
        resolve: (v) => (clearTimeout(timer), resolve(v)),
        reject: (e) => (clearTimeout(timer), reject(e)),
      });
      this.child.send({ id, op: 'd1', sql, params });
    });
  }

  /** CPU seconds used so far by the child and its descendants (workerd). */
  cpuSeconds() {
    return treeCpuSeconds(processTree(this.child.pid));
  }

  kill() {
    try {
      process.kill(-this.child.pid, 'SIGKILL');
    } catch {
      /* already gone */
    }
  }

  async stop() {
    if (this.child.exitCode === null && this.child.signalCode === null) {
      if (this.child.connected) this.child.send({ op: 'stop' });
      const timer = setTimeout(() => this.kill(), STOP_TIMEOUT_MS);
      await this.exited;
      clearTimeout(timer);
    }
    this.kill();
    live.delete(this);
    this.log.end();
  }
}
