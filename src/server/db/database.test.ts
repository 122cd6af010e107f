import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { DIALECTS, openTestDatabase } from '../test/harness';
import { collationWarning, databaseWarnings } from './database';

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
});
