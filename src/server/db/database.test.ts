import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
});
