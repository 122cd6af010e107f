import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { describeSchema } from './dialect';
import { migrateToLatest } from './migrate';
import { loadReferenceData } from '../seed/reference';
import { DIALECTS, openTestDatabase } from '../test/harness';

type Opened = Awaited<ReturnType<typeof openTestDatabase>>;

describe('schema parity between SQLite and PostgreSQL', () => {
  const opened: Partial<Record<'sqlite' | 'postgres', Opened>> = {};
  beforeAll(async () => {
    for (const d of DIALECTS) {
      opened[d] = await openTestDatabase(d);
      await migrateToLatest(opened[d]!);
    }
  });
  afterAll(async () => {
    for (const d of DIALECTS) await opened[d]?.drop();
  });

  it.runIf(DIALECTS.includes('postgres'))('has the same tables, columns (type class, nullability) and indexes on both', async () => {
    const a = await describeSchema(opened.sqlite!.db, 'sqlite');
    const b = await describeSchema(opened.postgres!.db, 'postgres');
    expect(a.tables.length).toBeGreaterThanOrEqual(12);
    expect(b.tables).toEqual(a.tables);
    expect(b.columns).toEqual(a.columns);
    // PostgreSQL's text-search indexes (trigram, GIN) stand where SQLite has FTS5 tables; its unique
    // index on the hazard's number, where SQLite has the number as the rowid (migration 37).
    expect(b.indexes.filter((n) => !/_(trgm|gin)$/.test(n) && n !== 'hazards_num_uq')).toEqual(a.indexes);
    expect(b.indexes).toContain('hazards_num_uq');
  });

  it.each(DIALECTS)('%s: migrating again changes nothing and loading reference data twice adds nothing', async (d) => {
    const db = opened[d]!;
    expect(await migrateToLatest(db)).toEqual([]);
    const first = await loadReferenceData(db.db, new Date().toISOString());
    expect(first).toEqual({ regions: 1 + 16 + 234, industries: 20 + 97, standards: 12, clauses: expect.any(Number) });
    expect(first.clauses).toBeGreaterThan(200);
    expect(await loadReferenceData(db.db, new Date().toISOString())).toEqual({ regions: 0, industries: 0, standards: 0, clauses: 0 });
  });

  it.each(DIALECTS)('%s: refuses values outside the CHECK constraints and dangling foreign keys', async (d) => {
    const { db } = opened[d]!;
    const now = new Date().toISOString();
    const base = {
      id: `e-${d}`,
      city_code: '310000',
      district_code: '310115',
      street_code: null,
      uscc: '91310000132260250X',
      name: 'x',
      address: 'x',
      industry_code: '34',
      principal_name: 'x',
      principal_phone: null,
      safety_manager_name: null,
      safety_manager_phone: null,
      risk_class: 'general' as const,
      standardization_level: 'none' as const,
      lng: null,
      lat: null,
      version: 1,
      created_at: now,
      updated_at: now,
      created_by: null,
    };
    await expect(db.insertInto('enterprises').values({ ...base, risk_class: 'purple' as never }).execute()).rejects.toThrow();
    await expect(db.insertInto('enterprises').values({ ...base, district_code: '999999' }).execute()).rejects.toThrow();
    const count = await sql<{ n: number }>`select count(*) as n from enterprises`.execute(db);
    expect(Number(count.rows[0].n)).toBe(0);
  });
});
