// Types of wasm-engine.cjs, for TypeScript callers (apps/control-plane/src/database/migrate.ts,
// prisma/schema-drift.test.ts). See the .cjs file for behaviour.
import type { SchemaEngine, MigrationList } from '@prisma/schema-engine-wasm' with { 'resolution-mode': 'import' };

export interface RpcError {
  code: number;
  message: string;
  data: { is_panic: boolean; message: string; meta: unknown; backtrace: string | null; error_code?: string };
}

export function openEngine(opts: {
  url: string;
  shadowDatabaseUrl?: string;
  datamodels?: [string, string][];
  log?: (jsonLine: string) => void;
}): Promise<{ engine: SchemaEngine; close(): Promise<void> }>;
export function engineVersion(): Promise<string>;
export function toRpcError(e: unknown): RpcError;
export function isPanic(e: unknown): boolean;
export function canConnect(url: string): Promise<true | { code: string; message: string }>;
export function classifyPgError(e: unknown, url: string): { code: string; message: string };
export function createDatabase(url: string): Promise<string>;
export function dropDatabase(url: string): Promise<string>;
export function readMigrationsList(dir: string, shadowDbInitScript?: string): MigrationList;
export function withDatabase(url: string, database: string): string;
export function databaseOf(url: string): string;
