/**
 * Schema drift guard: the committed migrations must produce exactly the database that
 * prisma/schema.prisma describes. Fails, printing the SQL that is missing from the migrations,
 * when someone edits the schema without `npm run prisma -- migrate dev --name <change>`.
 *
 * Needs a PostgreSQL server: TEST_DATABASE_URL (a database on it we may CREATE DATABASE from)
 * or postgresql://postgres@127.0.0.1:5432/postgres. Creates and drops `sb_drift_<random>`.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyMigrations } from '../apps/control-plane/src/database/migrate';
import * as engineLib from '../tools/prisma-schema-engine/wasm-engine.cjs';

const adminUrl = process.env.TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const database = `sb_drift_${randomBytes(6).toString('hex')}`;
const url = engineLib.withDatabase(adminUrl, database);
const schemaPath = path.join(__dirname, 'schema.prisma');

async function admin(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

describe('prisma/migrations vs prisma/schema.prisma', () => {
  beforeAll(async () => {
    await admin(`CREATE DATABASE "${database}"`);
  });
  afterAll(async () => {
    await admin(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
  });

  it('the committed migrations apply to an empty database', async () => {
    const applied = await applyMigrations(url);
    const committed = fs.readdirSync(path.join(__dirname, 'migrations'), { withFileTypes: true }).filter((d) => d.isDirectory());
    expect(applied).toEqual(committed.map((d) => d.name).sort());
  });

  it('leave no difference with schema.prisma', async () => {
    const schema = fs.readFileSync(schemaPath, 'utf8');
    const { engine, close } = await engineLib.openEngine({ url, datamodels: [[schemaPath, schema]] });
    try {
      const { exitCode, stdout } = await engine.diff({
        from: { tag: 'schemaDatasource', files: [{ path: schemaPath, content: schema }], configDir: __dirname },
        to: { tag: 'schemaDatamodel', files: [{ path: schemaPath, content: schema }] },
        script: true,
        exitCode: true, // 2 when the diff is not empty
        filters: { externalTables: [], externalEnums: [] },
      });
      const missing = exitCode === 0 ? '' : `prisma/schema.prisma differs from what prisma/migrations create; run \`npm run prisma -- migrate dev --name <change>\` (with DATABASE_URL set) and commit the new migration. The migration would need:\n\n${stdout}`;
      expect(missing).toBe('');
    } finally {
      await close();
    }
  });
});
