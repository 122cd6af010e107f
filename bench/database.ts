/** A throw-away bench database: SQLite in a temporary directory, or a PostgreSQL schema of its own under BENCH_DATABASE_URL. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openPostgres, openSqlite, type Database } from '../src/server/db/database';

export async function openBenchDatabase(dialect: 'sqlite' | 'postgres', schema: string): Promise<{ database: Database; cleanup: () => Promise<unknown> }> {
  if (dialect === 'sqlite') {
    const dir = mkdtempSync(path.join(tmpdir(), `${schema.replaceAll('_', '-')}-`));
    return { database: openSqlite(path.join(dir, 'zhiben.db')), cleanup: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  const url = process.env.BENCH_DATABASE_URL!;
  const { default: pg } = await import('pg');
  const admin = async (q: string) => {
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    await c.query(q);
    await c.end();
  };
  await admin(`drop schema if exists ${schema} cascade; create schema ${schema}; create extension if not exists pg_trgm schema public`);
  const u = new URL(url);
  u.searchParams.set('options', `-c search_path=${schema},public`);
  return { database: openPostgres(u.toString(), 8), cleanup: () => admin(`drop schema if exists ${schema} cascade`) };
}
