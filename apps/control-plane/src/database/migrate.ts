/**
 * Boot-time database migration: applies the committed Prisma migrations (prisma/migrations)
 * in-process with the WebAssembly schema engine, exactly as `prisma migrate deploy` would
 * (same `_prisma_migrations` bookkeeping), with no Prisma CLI and no native engine download.
 *
 * The engine glue lives in tools/prisma-schema-engine/wasm-engine.cjs (shared with the CLI
 * shim) and is loaded at run time from the repository root, so this works from the sources
 * (Vitest) and from the tsc output in dist/ alike, whatever the working directory.
 */
import fs from 'node:fs';
import path from 'node:path';

/** Options of applyMigrations(); all optional. */
export interface ApplyMigrationsOptions {
  /** Folder holding prisma/schema.prisma, prisma/migrations and tools/; default: the nearest
   * such folder above this file. */
  repoRoot?: string;
  /** Receives the engine's JSON log lines (they never contain the connection string). */
  log?: (line: string) => void;
}

/** tools/prisma-schema-engine/wasm-engine.cjs (a type-only import: the file is loaded at run time). */
type WasmEngineLib = typeof import('../../../../tools/prisma-schema-engine/wasm-engine.cjs');

/**
 * The nearest folder at or above `start` that contains prisma/schema.prisma.
 * @throws Error when there is none up to the filesystem root.
 */
export function findRepoRoot(start: string = __dirname): string {
  for (let dir = path.resolve(start); ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'prisma', 'schema.prisma'))) return dir;
    if (path.dirname(dir) === dir) {
      throw new Error(`applyMigrations: no prisma/schema.prisma found in ${start} or any parent folder; pass options.repoRoot`);
    }
  }
}

/**
 * Applies every migration in `<repoRoot>/prisma/migrations` not yet recorded in the database's
 * `_prisma_migrations` table, in name order, each in its own transaction.
 *
 * @param databaseUrl postgresql:// URL of an existing database (it is not created here).
 * @returns names of the migrations applied by this call (`[]` when already up to date).
 * @throws Error with the Prisma error code when there is one, e.g. "P3009 …" when an earlier
 *   migration is recorded as failed, or "Migration `x` failed to apply: …"; the message names
 *   the migrations folder and never includes the connection string.
 */
export async function applyMigrations(databaseUrl: string, options: ApplyMigrationsOptions = {}): Promise<string[]> {
  if (!/^postgres(ql)?:\/\//.test(databaseUrl ?? '')) {
    throw new Error('applyMigrations: databaseUrl must be a postgresql:// URL');
  }
  const root = options.repoRoot ?? findRepoRoot();
  const schemaPath = path.join(root, 'prisma', 'schema.prisma');
  const migrationsDir = path.join(root, 'prisma', 'migrations');
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- run-time path, see file comment
  const lib = require(path.join(root, 'tools', 'prisma-schema-engine', 'wasm-engine.cjs')) as WasmEngineLib;

  let opened: Awaited<ReturnType<WasmEngineLib['openEngine']>> | undefined;
  try {
    opened = await lib.openEngine({
      url: databaseUrl,
      datamodels: [[schemaPath, fs.readFileSync(schemaPath, 'utf8')]],
      log: options.log,
    });
    const { appliedMigrationNames } = await opened.engine.applyMigrations({
      migrationsList: lib.readMigrationsList(migrationsDir),
      filters: { externalTables: [], externalEnums: [] },
    });
    return appliedMigrationNames;
  } catch (e) {
    const { message, error_code } = lib.toRpcError(e).data;
    throw new Error(`Applying the migrations in ${migrationsDir} failed: ${error_code ? `${error_code} ` : ''}${message}`, {
      cause: e,
    });
  } finally {
    await opened?.close();
  }
}
