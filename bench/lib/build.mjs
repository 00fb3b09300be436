// Bundles the two Workers the bench runs: edgepay itself (exactly what `wrangler deploy` would
// upload, via `wrangler deploy --dry-run`) and the ceiling worker (bench/workers/ceiling.ts, esbuild).
import { execFile } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { build } from 'esbuild';

const run = promisify(execFile);
const BUILD_TIMEOUT_MS = 120_000;

export async function bundleEdgepay(root, outdir) {
  await mkdir(outdir, { recursive: true });
  const started = Date.now();
  await run('npx', ['wrangler', 'deploy', '--dry-run', '--outdir', outdir], {
    cwd: root,
    timeout: BUILD_TIMEOUT_MS,
    env: { ...process.env, WRANGLER_SEND_METRICS: 'false', CLOUDFLARE_CF_FETCH_ENABLED: 'false' },
  });
  return { scriptPath: path.join(outdir, 'index.js'), ms: Date.now() - started };
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
