// Pure tests (domain, wire codec) in plain Node: proves those modules need no Workers runtime.
import path from 'node:path';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    root: path.resolve(import.meta.dirname, '..'),
    include: ['test/unit/**/*.test.ts'],
    environment: 'node',
  },
});
