// End-to-end tests of the local run contract (`npm start`, `npm run key`) in plain Node: they
// spawn the real server (wrangler dev + workerd) from an isolated state dir and talk HTTP to it.
import path from 'node:path';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    root: path.resolve(import.meta.dirname, '..'),
    include: ['test/e2e/**/*.test.ts'],
    environment: 'node',
    testTimeout: 180_000,
    hookTimeout: 180_000,
    fileParallelism: false,
  },
});
