#!/usr/bin/env node
'use strict';
/**
 * `npm run prisma -- <args>`: the Prisma CLI (node_modules/prisma) with every argument passed
 * through, made to work offline:
 *  - PRISMA_SCHEMA_ENGINE_BINARY points at tools/prisma-schema-engine/schema-engine.cjs (the
 *    WebAssembly schema engine behind the native engine's JSON-RPC interface), unless the
 *    caller already set it (e.g. to a native engine they trust);
 *  - no update check and no telemetry (PRISMA_HIDE_UPDATE_MESSAGE, CHECKPOINT_DISABLE).
 * DATABASE_URL is read by prisma.config.ts; `generate` works without it.
 * Exits with the CLI's exit code (128 + signal number when it was killed by a signal).
 */
const { spawnSync } = require('node:child_process');
const os = require('node:os');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const env = {
  ...process.env,
  PRISMA_SCHEMA_ENGINE_BINARY:
    process.env.PRISMA_SCHEMA_ENGINE_BINARY || path.join(root, 'tools', 'prisma-schema-engine', 'schema-engine.cjs'),
  PRISMA_HIDE_UPDATE_MESSAGE: '1',
  CHECKPOINT_DISABLE: '1',
};
const cli = require.resolve('prisma/build/index.js', { paths: [root] });
const run = spawnSync(process.execPath, [cli, ...process.argv.slice(2)], { stdio: 'inherit', env });
if (run.error) {
  console.error(`scripts/prisma.cjs: cannot run the Prisma CLI: ${run.error.message}`);
  process.exit(1);
}
process.exit(run.status ?? 128 + (os.constants.signals[run.signal] || 0));
