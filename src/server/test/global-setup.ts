import pg from 'pg';
import { processAlive } from '../db/sqlite-driver';

/**
 * PostgreSQL for the data-layer tests comes from TEST_DATABASE_URL. On CI it is required;
 * locally, without it, the PostgreSQL half of each suite is skipped with a loud message.
 * pg_trgm is created once in `public` so every per-file test schema can use it.
 */
export default async function setup() {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) {
    if (process.env.CI) throw new Error('CI=true but TEST_DATABASE_URL is not set: PostgreSQL tests cannot be skipped on CI.');
    console.warn('\n\u001b[33m!!! TEST_DATABASE_URL is not set: PostgreSQL tests are SKIPPED (SQLite only). !!!\u001b[0m\n');
    return;
  }
  const client = new pg.Client({ connectionString: url });
  try {
    await client.connect();
  } catch (err) {
    throw new Error(`TEST_DATABASE_URL is set but PostgreSQL is unreachable: ${(err as Error).message}`);
  }
  await client.query('create extension if not exists pg_trgm schema public');
  // Schemas left by earlier runs are dropped, but only those whose test process (the pid in the
  // name, see harness.ts) is gone: a second run on the same database, begun while one is going,
  // must not drop the schemas the first is using.
  const { rows } = await client.query("select nspname from pg_namespace where nspname like 'zt\\_%'");
  for (const r of rows) {
    if (ownerAlive(r.nspname)) continue;
    await client.query(`drop schema if exists "${r.nspname}" cascade`);
  }
  await client.end();
}

/** Whether the process named in a test schema `zt_<pid>_<random>` still runs on this machine. */
export function ownerAlive(schema: string): boolean {
  return processAlive(Number(/^zt_(\d+)_/.exec(schema)?.[1]));
}
