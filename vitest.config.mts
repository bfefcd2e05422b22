import { defineConfig } from 'vitest/config';
import { fileURLToPath } from 'node:url';

export default defineConfig({
  resolve: {
    alias: [
      { find: /^@switchboard\/protocol$/, replacement: fileURLToPath(new URL('./libs/protocol/src/index.ts', import.meta.url)) },
      { find: /^@switchboard\/protocol\/node$/, replacement: fileURLToPath(new URL('./libs/protocol/src/node.ts', import.meta.url)) },
      { find: /^@switchboard\/api-client$/, replacement: fileURLToPath(new URL('./libs/api-client/src/index.ts', import.meta.url)) },
    ],
  },
  test: {
    include: ['apps/**/src/**/*.test.ts', 'libs/**/src/**/*.test.ts', 'test/**/*.test.ts', 'prisma/**/*.test.ts'],
    exclude: ['**/node_modules/**', 'test/bench/**'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    fileParallelism: false,
  },
});
