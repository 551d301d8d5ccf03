// Prisma CLI configuration for the PostgreSQL store (--config prisma.postgresql.config.ts): the JS engine with the pg adapter, as
// prisma.config.ts does for SQLite (the native schema engine cannot be downloaded offline).
import path from 'node:path';
import { defineConfig } from 'prisma/config';
import { PrismaPg } from '@prisma/adapter-pg';

export default defineConfig({
  experimental: { adapter: true },
  engine: 'js',
  schema: path.join('prisma', 'postgresql', 'schema.prisma'),
  migrations: { path: path.join('prisma', 'postgresql', 'migrations') },
  async adapter() {
    return new PrismaPg({ connectionString: process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres' });
  },
});
