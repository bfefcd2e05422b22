import { defineConfig } from 'prisma/config';

// Prisma 7 does not read .env; `env()` would throw during `generate`, so read process.env directly.
export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: { url: process.env.DATABASE_URL ?? '' },
});
