// Bundles the two Workers the bench runs: edgepay itself (exactly what `wrangler deploy` would
// upload, via `wrangler deploy --dry-run`) and the ceiling worker (bench/workers/ceiling.ts, esbuild).
import { execFile } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { build } from 'esbuild';

const run = promisify(execFile);
const BUILD_TIMEOUT_MS = 120_000;

/** `entry` overrides wrangler.toml's `main` (the bench-only seeding entry); same bundler, same config. */
export async function bundleEdgepay(root, outdir, entry = null) {
  await mkdir(outdir, { recursive: true });
  const started = Date.now();
  await run('npx', ['wrangler', 'deploy', '--dry-run', '--outdir', outdir, ...(entry ? [entry] : [])], {
    cwd: root,
    timeout: BUILD_TIMEOUT_MS,
    env: { ...process.env, WRANGLER_SEND_METRICS: 'false', CLOUDFLARE_CF_FETCH_ENABLED: 'false' },
  });
  // wrangler names the output after the entry file: index.js for src/index.ts.
  const name = entry ? `${path.basename(entry).replace(/\.[cm]?[jt]s$/, '')}.js` : 'index.js';
  return { scriptPath: path.join(outdir, name), ms: Date.now() - started };
}

export async function bundleCeiling(root, outdir) {
  await mkdir(outdir, { recursive: true });
  const outfile = path.join(outdir, 'ceiling.js');
  await build({
    entryPoints: [path.join(root, 'bench/workers/ceiling.ts')],
    outfile,
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    target: 'es2022',
    external: ['cloudflare:*'],
    logLevel: 'warning',
  });
  return { scriptPath: outfile };
}

/**
 * esbuild does not type-check, and the seeder calls edgepay internals that move under active
 * development; this surfaces drift as a warning before seeding (≈ 9 s). Returns the errors or null.
 */
export async function typecheckBenchWorkers(root) {
  try {
    await run('npx', ['tsc', '--noEmit', '-p', 'bench/tsconfig.json'], { cwd: root, timeout: BUILD_TIMEOUT_MS });
    return null;
  } catch (error) {
    return String(error.stdout || error.message).trim();
  }
}
