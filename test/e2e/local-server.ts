/**
 * Drives the real local run contract from outside: `npm start` and `npm run --silent key` as
 * child processes with an isolated EDGEPAY_STATE_DIR, every wait bounded, and the server's whole
 * process group (npm → node → wrangler → workerd) killed on stop.
 */
import { spawn } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';

export const ROOT = path.resolve(import.meta.dirname, '..', '..');
const START_TIMEOUT_MS = 120_000;
const STOP_TIMEOUT_MS = 20_000;
const CLI_TIMEOUT_MS = 30_000;
const DEMO_KEY_LINE = /^Demo account acct_demo test key: (sk_test_\S+)$/m;

export interface LocalServer {
  readonly port: number;
  readonly demoKey: string;
  readonly pid: number;
  output(): string;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

function childEnv(stateDir: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { ...process.env, EDGEPAY_STATE_DIR: stateDir, ...extra };
}

/** Runs `npm start` in its own process group and resolves once it printed the demo key. */
export function startServer(stateDir: string, port: number): Promise<LocalServer> {
  const child = spawn('npm', ['start'], {
    cwd: ROOT,
    env: childEnv(stateDir, { PORT: String(port) }),
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void stopServer(child.pid!);
      reject(new Error(`npm start did not become ready within ${START_TIMEOUT_MS} ms:\n${output}`));
    }, START_TIMEOUT_MS);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = DEMO_KEY_LINE.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve({ port, demoKey: match[1]!, pid: child.pid!, output: () => output });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`npm start exited (${code}) before it was ready:\n${output}`));
    });
  });
}

function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** SIGTERM to the whole group, then SIGKILL if anything is left after the deadline. */
export async function stopServer(pid: number): Promise<{ leftovers: boolean }> {
  if (!groupAlive(pid)) return { leftovers: false };
  process.kill(-pid, 'SIGTERM');
  const deadline = Date.now() + STOP_TIMEOUT_MS;
  while (groupAlive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  const leftovers = groupAlive(pid);
  if (leftovers) process.kill(-pid, 'SIGKILL');
  return { leftovers };
}

export interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** `npm run --silent key -- <args>` against the given state dir. */
export function keyCli(stateDir: string, args: readonly string[]): Promise<CliResult> {
  const child = spawn('npm', ['run', '--silent', 'key', '--', ...args], {
    cwd: ROOT,
    env: childEnv(stateDir),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), CLI_TIMEOUT_MS);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** The `jti` (key id) inside an API key: `<prefix><header>.<payload>.<signature>`. */
export function keyIdOf(apiKey: string): string {
  const payload = apiKey.split('.')[1] ?? '';
  return (JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { jti: string }).jti;
}

export function signingKeyIdOf(apiKey: string): string {
  const header = apiKey.replace(/^[a-z]{2}_(test|live)_/, '').split('.')[0] ?? '';
  return (JSON.parse(Buffer.from(header, 'base64url').toString('utf8')) as { kid: string }).kid;
}

/** Polls `probe` until it returns true or the deadline passes. */
export async function eventually(probe: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await probe()) return true;
    await new Promise((r) => setTimeout(r, 250));
  }
  return false;
}
