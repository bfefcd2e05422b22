#!/usr/bin/env node
// `npm run migration:new -- <name>`: writes prisma/migrations/<UTC timestamp>_<name>/migration.sql
// with the SQL that takes the committed migrations to prisma/schema.prisma. It stands in for
// `prisma migrate dev`, whose shadow-database step the WebAssembly schema engine refuses for
// PostgreSQL ("shadow DB must be provided through an external factory"); `migrate diff
// --from-migrations` builds the same SQL offline. DATABASE_URL must name a Postgres server where
// a temporary shadow database can be created. Review the file, then commit it.
'use strict';
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const name = process.argv[2];
if (!name || !/^[a-z0-9_]{1,60}$/.test(name)) {
  process.stderr.write('usage: npm run migration:new -- <name>   (name: [a-z0-9_]{1,60})\n');
  process.exit(2);
}
if (!process.env.DATABASE_URL) {
  process.stderr.write('DATABASE_URL must name a Postgres server (a temporary shadow database is made there)\n');
  process.exit(2);
}
const root = path.resolve(__dirname, '..');
const sql = execFileSync(process.execPath, [path.join(__dirname, 'prisma.cjs'), 'migrate', 'diff', '--from-migrations', 'prisma/migrations', '--to-schema', 'prisma/schema.prisma', '--script'], {
  cwd: root,
  encoding: 'utf8',
  stdio: ['ignore', 'pipe', 'inherit'],
});
const body = sql.slice(sql.indexOf('--'));
if (!body.trim() || body.includes('This is an empty migration')) {
  process.stdout.write('schema.prisma and the migrations agree: nothing to write\n');
  process.exit(0);
}
const stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14);
const dir = path.join(root, 'prisma', 'migrations', `${stamp}_${name}`);
fs.mkdirSync(dir, { recursive: true });
fs.writeFileSync(path.join(dir, 'migration.sql'), body.endsWith('\n') ? body : `${body}\n`);
process.stdout.write(`wrote ${path.relative(root, dir)}/migration.sql\n`);
