import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql, type Kysely } from 'kysely';
import pg from 'pg';
import { DIALECTS, openTestDatabase } from '../test/harness';
import { collationWarning, databaseWarnings, MIN_WORK_MEM_KB, openPostgres } from './database';
import type { DB } from './schema';

describe('collation warning', () => {
  it('accepts byte-order collations and warns, in Chinese first, about linguistic ones', () => {
    for (const ok of ['C', 'POSIX', 'C.UTF-8', 'C.utf8', 'c.UTF8']) expect(collationWarning(ok)).toBeNull();
    for (const slow of ['zh_CN.UTF-8', 'en_US.UTF-8', 'und-x-icu']) {
      const w = collationWarning(slow);
      expect(w).toMatch(/^注意：数据库排序规则为 /);
      expect(w).toContain(slow);
      expect(w).toContain('C.UTF-8');
    }
  });
});

describe.each(DIALECTS)('database warnings on %s', (dialect) => {
  let database: Awaited<ReturnType<typeof openTestDatabase>>;
  beforeAll(async () => {
    database = await openTestDatabase(dialect);
  });
  afterAll(() => database?.drop());

  it('has nothing to say about a database set up as the README says', async () => {
    expect(await databaseWarnings(database)).toEqual([]);
  });

  it.runIf(dialect === 'postgres')('plans without parallel workers on every connection of the pool', async () => {
    // Several at once, so the pool opens more than one connection.
    const shown = await Promise.all(Array.from({ length: 4 }, () => sql<{ max_parallel_workers_per_gather: string }>`show max_parallel_workers_per_gather`.execute(database.db)));
    expect(shown.map((r) => r.rows[0].max_parallel_workers_per_gather)).toEqual(['0', '0', '0', '0']);
  });

  it.runIf(dialect === 'postgres')('gives every connection at least 32 MB of work_mem, and never lowers a larger one', async () => {
    const workMem = async (db: Kysely<DB>) => Number((await sql<{ kb: string }>`select setting as kb from pg_settings where name = 'work_mem'`.execute(db)).rows[0].kb);
    // What the server gives a session on its own, read on a connection of a plain client.
    const plain = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
    await plain.connect();
    const serverKb = Number((await plain.query(`select setting from pg_settings where name = 'work_mem'`)).rows[0].setting);
    await plain.end();
    const shown = await Promise.all(Array.from({ length: 4 }, () => workMem(database.db)));
    expect(shown).toEqual(Array(4).fill(Math.max(serverKb, MIN_WORK_MEM_KB)));
    // An operator's larger setting (here through the connection's options) stays.
    const url = new URL(process.env.TEST_DATABASE_URL!);
    url.searchParams.set('options', '-c work_mem=100MB');
    const larger = openPostgres(url.toString(), 1);
    try {
      expect(await workMem(larger.db)).toBe(100 * 1024);
    } finally {
      await larger.close();
    }
  });
});
