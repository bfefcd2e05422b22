#!/usr/bin/env node
'use strict';
/**
 * Offline schema engine for the Prisma CLI: set PRISMA_SCHEMA_ENGINE_BINARY to this file
 * (scripts/prisma.cjs does) and `prisma migrate dev|deploy|status|diff|reset`, `db push|pull`
 * run on the WebAssembly engine from @prisma/schema-engine-wasm instead of a native binary
 * downloaded from Prisma's CDN. PostgreSQL only (through @prisma/adapter-pg).
 *
 * Invocations (the ones the Prisma 7 CLI makes):
 *   schema-engine.cjs --version                      prints `schema-engine-cli <commit>`
 *   schema-engine.cjs [--datamodels FILE]... --datasource '{"url":…,"shadowDatabaseUrl"?:…}'
 *       JSON-RPC 2.0 server: one request per line on stdin, one response per line on stdout,
 *       JSON log lines on stderr. Each method is answered by the wasm engine method of the same
 *       name, except createDatabase and getDatabaseVersion (done here). diff's script is sent
 *       to the CLI as a `print` request, as the native engine does.
 *   schema-engine.cjs --datasource JSON cli can-connect-to-database|create-database|drop-database
 *       exit 0 on success; on failure exit 1 after an ERROR log line carrying
 *       fields.error_code (P1003 missing database, P1000 auth, P1001 unreachable) and message.
 *
 * Other flags the CLI may pass (--enabled-preview-features, --extension-types) are ignored.
 * The connection string is never written out.
 */
const readline = require('node:readline');
const fs = require('node:fs');
const engineLib = require('./wasm-engine.cjs');

const LEVELS = { TRACE: 0, DEBUG: 1, INFO: 2, WARN: 3, ERROR: 4 };
// The CLI sets RUST_LOG=info; honour debug/trace for troubleshooting.
const minLevel = /trace/i.test(process.env.RUST_LOG || '') ? 0 : /debug/i.test(process.env.RUST_LOG || '') ? 1 : 2;

/** Writes one JSON log line (native engine format) to stderr; `line` may be a JSON string. */
function log(line) {
  let entry = line;
  if (typeof line === 'string') {
    try {
      entry = JSON.parse(line);
    } catch {
      entry = { level: 'INFO', fields: { message: line }, target: 'schema_engine_wasm' };
    }
  }
  if ((LEVELS[entry.level] ?? 2) < minLevel) return;
  try {
    process.stderr.write(JSON.stringify({ timestamp: new Date().toISOString(), ...entry }) + '\n');
  } catch {
    // stderr closed (the CLI has gone): nothing left to tell.
  }
}

// Node prints warnings as plain text on stderr, which the CLI would fail to parse as JSON.
process.removeAllListeners('warning');
process.on('warning', (w) => log({ level: 'WARN', fields: { message: String(w && w.message) }, target: 'node' }));

function parseArgs(argv) {
  const args = { datamodels: [], datasource: {}, cli: null, version: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--datamodels') args.datamodels.push(argv[++i]);
    else if (a === '--datasource') args.datasource = JSON.parse(argv[++i]);
    else if (a === '--version' || a === '-V') args.version = true;
    else if (a === 'cli') args.cli = argv[++i];
    else if (a === '--enabled-preview-features' || a === '--extension-types') i++;
  }
  return args;
}

/** Runs a `cli <command>` invocation; resolves to the exit code. */
async function runCliCommand(command, url) {
  log({ level: 'INFO', fields: { message: `Starting schema engine CLI: ${command}` }, target: 'schema_engine' });
  const fail = (error) => {
    const { code, message } = error && error.code && /^P\d{4}$/.test(error.code) ? error : engineLib.classifyPgError(error, url);
    log({ level: 'ERROR', fields: { is_panic: false, error_code: code, message }, target: 'schema_engine::logger' });
    return 1;
  };
  if (!url) return fail({ code: 'P1012', message: 'The datasource has no url.' });
  try {
    if (command === 'can-connect-to-database') {
      const ok = await engineLib.canConnect(url);
      return ok === true ? 0 : fail(ok);
    }
    if (command === 'create-database') {
      const databaseName = await engineLib.createDatabase(url);
      process.stdout.write(JSON.stringify({ databaseName }) + '\n');
      return 0;
    }
    if (command === 'drop-database') {
      await engineLib.dropDatabase(url);
      return 0;
    }
    return fail({ code: 'P1012', message: `Unknown cli command: ${command}` });
  } catch (e) {
    return fail(e);
  }
}

/** The JSON-RPC server on stdin/stdout. Requests are handled one at a time, in order. */
function serveJsonRpc({ datamodels, datasource }) {
  const send = (msg) => process.stdout.write(JSON.stringify(msg) + '\n');
  const pending = new Map(); // our own requests to the CLI (print), by id
  let nextId = 1;
  let opened = null; // { engine, close } from openEngine, once a request needs it
  let queue = Promise.resolve();

  const request = (method, params) =>
    new Promise((resolve) => {
      const id = nextId++;
      pending.set(id, resolve);
      send({ jsonrpc: '2.0', id, method, params });
    });

  const rpcError = (message, code = 4466) => Object.assign(new Error(message), { rpc: { code, message, data: { is_panic: false, message, meta: null } } });

  async function getEngine() {
    if (opened) return opened.engine;
    if (!datasource.url) throw rpcError('The datasource.url property is required in your Prisma config file for this command.');
    opened = await engineLib.openEngine({
      url: datasource.url,
      shadowDatabaseUrl: datasource.shadowDatabaseUrl,
      datamodels: datamodels.map((file) => [file, fs.readFileSync(file, 'utf8')]),
      log,
    });
    return opened.engine;
  }

  const PASS_THROUGH = new Set([
    'applyMigrations', 'createMigration', 'dbExecute', 'debugPanic', 'devDiagnostic', 'diagnoseMigrationHistory',
    'ensureConnectionValidity', 'evaluateDataLoss', 'introspect', 'introspectSql', 'markMigrationApplied',
    'markMigrationRolledBack', 'reset', 'schemaPush',
  ]);

  async function call(method, params) {
    if (method === 'createDatabase') {
      const ds = params && params.datasource;
      const url = ds && ds.tag === 'ConnectionString' ? ds.url : datasource.url;
      return { databaseName: await engineLib.createDatabase(url) };
    }
    if (method === 'getDatabaseVersion') return (await getEngine()).version();
    if (method === 'diff') {
      const { exitCode, stdout } = await (await getEngine()).diff(params);
      // The CLI prints `content` plus a newline, and does not print a returned stdout.
      if (stdout) await request('print', { content: stdout.replace(/\n$/, '') });
      return { exitCode, stdout: null };
    }
    if (PASS_THROUGH.has(method)) {
      const eng = await getEngine();
      const result = await eng[method](params); // keep the call on `eng` (wasm binding needs `this`)
      return result === undefined ? {} : result;
    }
    throw rpcError(`Method not found: ${method}`, -32601);
  }

  async function handle(msg) {
    const params = Array.isArray(msg.params) ? msg.params[0] : msg.params;
    try {
      const result = await call(msg.method, params);
      if (msg.id !== undefined) send({ jsonrpc: '2.0', id: msg.id, result });
    } catch (e) {
      if (e.rpc) return send({ jsonrpc: '2.0', id: msg.id ?? null, error: e.rpc });
      const error = engineLib.toRpcError(e);
      if (error.data.is_panic && opened) {
        // A trapped instance must not be reused: the next request opens a fresh one.
        const { close } = opened;
        opened = null;
        await close();
      }
      log({ level: 'ERROR', fields: { message: error.data.message }, target: 'schema_engine_wasm' });
      send({ jsonrpc: '2.0', id: msg.id ?? null, error });
    }
  }

  const rl = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
  rl.on('line', (line) => {
    if (!line.trim()) return;
    let msg;
    try {
      msg = JSON.parse(line);
    } catch {
      return send({ jsonrpc: '2.0', id: null, error: { code: -32700, message: 'Parse error' } });
    }
    if (msg.method === undefined && pending.has(msg.id)) {
      // The CLI's answer to one of our requests (print).
      pending.get(msg.id)(msg);
      return pending.delete(msg.id);
    }
    queue = queue.then(() => handle(msg));
  });
  rl.on('close', () => {
    queue
      .then(() => opened && opened.close())
      .finally(() => process.exit(0)); // nothing else may keep the process alive
  });
  log({ level: 'INFO', fields: { message: 'Starting schema engine RPC server (wasm)' }, target: 'schema_engine' });
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  if (args.version) {
    process.stdout.write(`schema-engine-cli ${await engineLib.engineVersion()}\n`);
    return;
  }
  if (args.cli) {
    process.exitCode = await runCliCommand(args.cli, args.datasource.url);
    return;
  }
  serveJsonRpc(args);
}

main().catch((e) => {
  log({ level: 'ERROR', fields: { is_panic: false, message: String((e && e.message) || e) }, target: 'schema_engine::logger' });
  process.exit(1);
});
