import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, openTestDatabase } from '../test/harness';
import { migrateToLatest } from './migrate';

type Opened = Awaited<ReturnType<typeof openTestDatabase>>;

// Migration 38: the department's and the closing-time indexes keep only rows with a value, and
// each database still reads them for the conditions the product writes (`=`, ranges).
const PARTIAL = {
  hazards_department_idx: 'department_id',
  hazards_city_closed_idx: 'closed_at',
  hazards_district_closed_idx: 'closed_at',
} as const;

describe.each(DIALECTS)('%s: hazard indexes that keep only the rows they answer for', (dialect) => {
  let opened: Opened;
  beforeAll(async () => {
    opened = await openTestDatabase(dialect);
    await migrateToLatest(opened);
  });
  afterAll(async () => {
    await opened?.drop();
  });

  const definitions = async () => {
    const rows =
      dialect === 'sqlite'
        ? (await sql<{ name: string; def: string }>`select name, sql as def from sqlite_master where type = 'index' and tbl_name = 'hazards'`.execute(opened.db)).rows
        : (await sql<{ name: string; def: string }>`select indexname as name, indexdef as def from pg_indexes where tablename = 'hazards' and schemaname = current_schema()`.execute(opened.db)).rows;
    return new Map(rows.map((r) => [r.name, r.def]));
  };

  it('each holds only the hazards with a value in its column', async () => {
    const defs = await definitions();
    for (const [name, column] of Object.entries(PARTIAL)) {
      expect(defs.get(name), name).toMatch(new RegExp(`where \\(?${column} is not null\\)?`, 'i'));
    }
  });

  it('a department’s hazards and a month’s closures are read through them', async () => {
    const plan = async (q: string) => {
      if (dialect === 'sqlite') return (await sql.raw<{ detail: string }>(`explain query plan ${q}`).execute(opened.db)).rows.map((r) => r.detail).join(' / ');
      return opened.db.transaction().execute(async (trx) => {
        // An empty table: without this PostgreSQL would rightly read it whole.
        await sql`set local enable_seqscan = off`.execute(trx);
        return (await sql.raw<{ 'QUERY PLAN': string }>(`explain ${q}`).execute(trx)).rows.map((r) => r['QUERY PLAN']).join(' / ');
      });
    };
    expect(await plan(`select num from hazards where department_id = 'dept-1' and city_code = '310000'`)).toMatch(/hazards_department_idx/);
    // (On an empty table PostgreSQL may answer the city's count from either closing-time index: both cost the same.)
    expect(await plan(`select count(*) from hazards where city_code = '310000' and closed_at >= 1 and closed_at < 2`)).toMatch(dialect === 'sqlite' ? /hazards_city_closed_idx/ : /hazards_(city|district)_closed_idx/);
    expect(await plan(`select count(*) from hazards where district_code = '310115' and closed_at >= 1 and closed_at < 2`)).toMatch(/hazards_district_closed_idx/);
  });
});
