'use strict';
/* global WebAssembly */
/**
 * Prisma's WebAssembly schema engine (@prisma/schema-engine-wasm) wired to PostgreSQL through
 * @prisma/adapter-pg, so migrations work with no native engine download (air-gapped hosts).
 * Used by ./schema-engine.cjs (the CLI shim) and by the control plane's applyMigrations().
 *
 * Three adapter quirks are handled here (see TOOLCHAIN.md pitfall 6):
 *  - Postgres' internal `"char"` type (oid 18), read by the engine's schema describer, is
 *    unknown to @prisma/adapter-pg: such result columns are reported as text (oid 25).
 *  - PrismaPg.connectToShadowDb() spreads `database` over a `connectionString` config (the
 *    connection string wins, so it would reuse the main database) and drops the shadow
 *    database while its own pool is still connected. We create and drop it ourselves, by URL,
 *    with DROP DATABASE ... WITH (FORCE) (PostgreSQL 13+).
 *  - Errors thrown by the wasm engine are Error objects (name SchemaConnectorError, with a
 *    `code` such as P3005 for some user-facing errors; a Rust panic is a WebAssembly
 *    RuntimeError). toRpcError() maps them onto the native engine's JSON-RPC error shape.
 *
 * Nothing in this module prints connection strings.
 */
const fs = require('node:fs');
const path = require('node:path');
const { randomUUID } = require('node:crypto');
const { pathToFileURL } = require('node:url');
const pg = require('pg');
const { PrismaPg } = require('@prisma/adapter-pg');
const { bindMigrationAwareSqlAdapterFactory, DriverAdapterError } = require('@prisma/driver-adapter-utils');

const CHAR_OID = 18;
const TEXT_OID = 25;

/** Rewrites `"char"` (oid 18) result fields as text; `res` is a pg Result or an array of them. */
function charAsText(res) {
  for (const r of Array.isArray(res) ? res : [res]) {
    for (const f of (r && r.fields) || []) if (f.dataTypeID === CHAR_OID) f.dataTypeID = TEXT_OID;
  }
  return res;
}

/** pg.Client whose query results never carry oid 18 (callback and promise forms). */
class CharAsTextClient extends pg.Client {
  query(config, values, callback) {
    if (typeof values === 'function') [callback, values] = [values, undefined];
    if (typeof callback === 'function') {
      return super.query(config, values, (err, res) => callback(err, err ? res : charAsText(res)));
    }
    const out = super.query(config, values);
    return out && typeof out.then === 'function' ? out.then(charAsText) : out;
  }
}

/** Same URL with another database name (the path). Throws TypeError on an unparsable URL. */
function withDatabase(url, database) {
  const u = new URL(url);
  u.pathname = '/' + encodeURIComponent(database);
  return u.href;
}

/** Database name of a postgres URL ('' when absent). */
function databaseOf(url) {
  return decodeURIComponent(new URL(url).pathname.replace(/^\//, ''));
}

const quoteIdent = (name) => '"' + String(name).replace(/"/g, '""') + '"';

/** Runs fn with one connected pg.Client on `url`, always closing it. */
async function withClient(url, fn) {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end().catch(() => {});
  }
}

/**
 * Rethrows `e` as a DriverAdapterError: the engine shows only "External error id#N" for any
 * other JS error (e.g. "permission denied to create database" while making a shadow database).
 */
function asDriverError(e) {
  if (e && e.name === 'DriverAdapterError') throw e;
  throw new DriverAdapterError({
    kind: 'postgres',
    code: (e && e.code) || 'N/A',
    severity: (e && e.severity) || 'ERROR',
    message: String((e && e.message) || e),
    detail: e && e.detail,
    column: e && e.column,
    hint: e && e.hint,
  });
}

/** A PrismaPg factory for `url`; honours Prisma's `?schema=` URL parameter. */
function pgFactory(url) {
  const schema = new URL(url).searchParams.get('schema') || undefined;
  return new PrismaPg({ connectionString: url, Client: CharAsTextClient }, schema ? { schema } : undefined);
}

/**
 * Migration-aware adapter factory for the wasm engine, plus closeAll() which disposes every
 * adapter it handed out that the engine has not disposed itself (their pg pools would keep
 * the process alive and hold connections).
 * @param {{ url: string, shadowDatabaseUrl?: string, log?: (message: string) => void }} opts
 *   shadowDatabaseUrl: an existing, disposable database (emptied before use, like the native
 *   engine does); without it a temporary `prisma_migrate_shadow_db_<uuid>` is created on the
 *   main server and dropped afterwards.
 */
function createAdapterFactory({ url, shadowDatabaseUrl, log = () => {} }) {
  const main = pgFactory(url);
  const open = new Set();
  const track = (adapter, afterDispose = async () => {}) => {
    const dispose = adapter.dispose.bind(adapter);
    let disposed = false;
    adapter.dispose = async () => {
      if (disposed) return;
      disposed = true;
      open.delete(adapter);
      try {
        await dispose();
      } finally {
        await afterDispose();
      }
    };
    open.add(adapter);
    return adapter;
  };

  async function connectToShadowDb() {
    if (shadowDatabaseUrl) {
      const a = new URL(shadowDatabaseUrl);
      const b = new URL(url);
      if (a.host === b.host && databaseOf(shadowDatabaseUrl) === databaseOf(url)) {
        throw new Error('The shadow database you configured appears to be the same as the main database.');
      }
      const schema = quoteIdent(a.searchParams.get('schema') || 'public');
      await withClient(shadowDatabaseUrl, (c) => c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE; CREATE SCHEMA ${schema}`));
      return track(await pgFactory(shadowDatabaseUrl).connect());
    }
    const name = `prisma_migrate_shadow_db_${randomUUID()}`;
    await withClient(url, (c) => c.query(`CREATE DATABASE ${quoteIdent(name)}`));
    log(`created shadow database ${name}`);
    // Dropped after its pool has ended; FORCE in case the engine still holds a connection.
    return track(await pgFactory(withDatabase(url, name)).connect(), async () => {
      await withClient(url, (c) => c.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`));
      log(`dropped shadow database ${name}`);
    });
  }

  const factory = bindMigrationAwareSqlAdapterFactory({
    provider: main.provider,
    adapterName: main.adapterName,
    connect: async () => track(await main.connect()),
    connectToShadowDb: () => connectToShadowDb().catch(asDriverError),
  });
  const closeAll = async () => {
    for (const adapter of [...open]) await adapter.dispose().catch(() => {});
  };
  return { factory, closeAll };
}

// One wasm instance per process, shared by every engine and by every copy of this module
// (Vitest may load one next to Node's): the glue module is a single ES module whose `wasm`
// binding a second instantiation would re-point under the first one's objects. Loading is
// memoised as a promise on globalThis; it is dropped after a panic (that instance is unusable).
const shared = (globalThis[Symbol.for('switchboard.prisma-schema-engine-wasm')] ??= {
  loading: undefined, // Promise<glue module> | undefined
  panics: 0, // count of panics seen, to load a fresh glue module afterwards
  lastPanic: null, // reason reported by the last panic
});

/** Loads and instantiates the wasm engine once per process. Resolves to the glue module. */
function loadWasm() {
  shared.loading ??= (async () => {
    const gluePath = require.resolve('@prisma/schema-engine-wasm/schema_engine_bg');
    // A query string gives a fresh glue module (its own `wasm` binding) after a panic.
    const bg = await import(pathToFileURL(gluePath).href + (shared.panics ? `?after-panic=${shared.panics}` : ''));
    const bytes = fs.readFileSync(path.join(path.dirname(gluePath), 'schema_engine_bg.wasm'));
    // The engine arms 10 s guard timers it does not always clear: unref them so that they
    // never keep a finished process alive.
    const imports = { ...bg };
    for (const name of Object.keys(bg).filter((n) => n.startsWith('__wbg_setTimeout_'))) {
      imports[name] = (...args) => {
        const timer = bg[name](...args);
        if (timer && typeof timer.unref === 'function') timer.unref();
        return timer;
      };
    }
    const { instance } = await WebAssembly.instantiate(bytes, { './schema_engine_bg.js': imports });
    bg.__wbg_set_wasm(instance.exports);
    instance.exports.__wbindgen_start();
    // The engine reports a Rust panic's reason here before trapping.
    globalThis.PRISMA_WASM_PANIC_REGISTRY = { set_message: (m) => { shared.lastPanic = String(m); } };
    return bg;
  })().catch((e) => {
    shared.loading = undefined;
    throw e;
  });
  return shared.loading;
}

/** Version (prisma-engines commit hash) of the loaded wasm engine. */
async function engineVersion() {
  return (await loadWasm()).version();
}

/**
 * Opens a wasm SchemaEngine on `url`.
 * @param {{ url: string, shadowDatabaseUrl?: string, datamodels?: [string, string][],
 *           log?: (jsonLine: string) => void }} opts  datamodels: [path, content] pairs;
 *   log receives the engine's JSON log lines (no connection strings in them).
 * @returns {Promise<{ engine: import('@prisma/schema-engine-wasm').SchemaEngine, close(): Promise<void> }>}
 *   close() frees the engine and ends its connections. Rejects like the engine methods do
 *   (see toRpcError) when the database cannot be reached.
 */
async function openEngine({ url, shadowDatabaseUrl, datamodels, log = () => {} }) {
  const bg = await loadWasm();
  const note = (message) => log(JSON.stringify({ level: 'INFO', fields: { message }, target: 'prisma_schema_engine_shim' }));
  const { factory, closeAll } = createAdapterFactory({ url, shadowDatabaseUrl, log: note });
  let engine;
  try {
    engine = await bg.SchemaEngine.new({ datamodels: datamodels && datamodels.length ? datamodels : undefined }, log, factory);
  } catch (e) {
    await closeAll();
    throw e;
  }
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    try {
      engine.free();
    } catch {
      // already unusable after a panic; the connections below still need closing
    }
    await closeAll();
  };
  return { engine, close };
}

/** True when `e` is a wasm trap (Rust panic); the engine must not be used afterwards. */
function isPanic(e) {
  const panic = e instanceof WebAssembly.RuntimeError || (e && e.name === 'RuntimeError');
  if (panic && shared.loading) {
    shared.loading = undefined;
    shared.panics += 1;
  }
  return panic;
}

/**
 * Native-engine JSON-RPC error object for an engine failure:
 * { code: 4466, message, data: { is_panic, message, meta, error_code?, backtrace } }.
 */
function toRpcError(e) {
  const is_panic = isPanic(e);
  const text = is_panic ? shared.lastPanic || String(e && e.message) : String((e && e.message) || e);
  // Span traces ("   0: module::fn ...") go to backtrace, the first part is the message.
  const at = text.search(/\n\s+0: /);
  const backtrace = at > 0 ? text.slice(at + 1) : null;
  let message = (at > 0 ? text.slice(0, at) : text).trimEnd();
  // A failing migration script: say which one (the native engine's P3018 does).
  const failed = backtrace && /apply_migration::apply_script\s+with migration_name="([^"]+)"/.exec(backtrace);
  if (failed && !message.includes(failed[1])) message = `Migration \`${failed[1]}\` failed to apply: ${message}`;
  const data = { is_panic, message, meta: (e && e.meta) || null, backtrace };
  if (e && typeof e.code === 'string') data.error_code = e.code;
  // The CLI shows the top-level message for panics, and data.message otherwise.
  return { code: 4466, message: is_panic ? message : 'An error happened. Check the data field for details.', data };
}

/**
 * Whether the database of `url` accepts connections. Resolves true, or to
 * { code, message } with Prisma codes: P1003 database missing, P1000 auth, P1001 unreachable.
 */
async function canConnect(url) {
  try {
    await withClient(url, (c) => c.query('SELECT 1'));
    return true;
  } catch (e) {
    return classifyPgError(e, url);
  }
}

function classifyPgError(e, url) {
  const where = (() => { try { const u = new URL(url); return `${u.hostname}:${u.port || 5432}`; } catch { return 'the database server'; } })();
  if (e && e.code === '3D000') return { code: 'P1003', message: `Database \`${databaseOf(url)}\` does not exist on the database server at \`${where}\`.` };
  if (e && (e.code === '28P01' || e.code === '28000')) return { code: 'P1000', message: `Authentication failed against database server at \`${where}\`: ${e.message}` };
  if (e && ['ECONNREFUSED', 'ENOTFOUND', 'ETIMEDOUT', 'EHOSTUNREACH'].includes(e.code)) return { code: 'P1001', message: `Can't reach database server at \`${where}\`.` };
  return { code: 'P1000', message: String((e && e.message) || e) };
}

/** CREATE DATABASE for the database named in `url`, connecting to `postgres` (then `template1`). */
async function createDatabase(url) {
  const name = databaseOf(url);
  let lastError;
  for (const adminDb of ['postgres', 'template1']) {
    try {
      await withClient(withDatabase(url, adminDb), (c) => c.query(`CREATE DATABASE ${quoteIdent(name)}`));
      return name;
    } catch (e) {
      lastError = e;
      if (e && e.code === '42P04') return name; // already exists: fine
      if (!(e && e.code === '3D000')) break; // only retry when the admin database is missing
    }
  }
  throw lastError;
}

/** DROP DATABASE IF EXISTS ... WITH (FORCE) for the database named in `url`. */
async function dropDatabase(url) {
  const name = databaseOf(url);
  await withClient(withDatabase(url, 'postgres'), (c) => c.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`));
  return name;
}

/**
 * The `migrationsList` input of applyMigrations/devDiagnostic/...: reads `<dir>/<name>/migration.sql`
 * and `<dir>/migration_lock.toml` the way the Prisma CLI does (directories sorted by name).
 */
function readMigrationsList(dir, shadowDbInitScript = '') {
  const lockPath = path.join(dir, 'migration_lock.toml');
  const lockfile = { path: 'migration_lock.toml', content: fs.existsSync(lockPath) ? fs.readFileSync(lockPath, 'utf8') : null };
  const entries = fs.existsSync(dir) ? fs.readdirSync(dir, { withFileTypes: true }) : [];
  const migrationDirectories = entries
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort((a, b) => a.localeCompare(b))
    .map((name) => {
      let content;
      try {
        content = { tag: 'ok', value: fs.readFileSync(path.join(dir, name, 'migration.sql'), 'utf8') };
      } catch (e) {
        content = { tag: 'error', value: e.message };
      }
      return { path: name, migrationFile: { path: 'migration.sql', content } };
    });
  return { baseDir: dir, lockfile, shadowDbInitScript, migrationDirectories };
}

module.exports = {
  openEngine,
  engineVersion,
  toRpcError,
  isPanic,
  canConnect,
  classifyPgError,
  createDatabase,
  dropDatabase,
  readMigrationsList,
  withDatabase,
  databaseOf,
};
