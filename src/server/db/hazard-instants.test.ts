import { afterEach, describe, expect, it } from 'vitest';
import { sql, type Kysely } from 'kysely';
import { HazardQuery } from '../../shared/contracts/hazards';
import { presentHazard } from '../modules/hazards/presenter';
import { listHazards, listHazardsJson } from '../modules/hazards/repository';
import { DIALECTS, openTestDatabase } from '../test/harness';
import { testActor } from '../test/actors';
import { LEDGER_BEFORE_NOW as NOW, ledgerBefore } from '../test/ledger-before';
import { sqliteIsoInstant } from './dialect';
import { MIGRATIONS } from './migrations';

const INSTANTS = '2026-12-07-37-hazard-instants';
const COLUMNS = ['found_at', 'closed_at', 'created_at', 'updated_at'] as const;
const city = testActor('city_admin');
const query = (over: Record<string, string> = {}) => HazardQuery.parse({ pageSize: '200', ...over });

/**
 * Migration 37 on a ledger whose hazards hold their instants as they did before (SQLite: ISO-8601
 * text; PostgreSQL: timestamptz): every instant kept to the millisecond, now an integer; the API
 * answers the same ISO strings; on SQLite the number is the rowid and the search index still finds
 * every hazard, also when a number differed from its rowid.
 */
describe.each(DIALECTS)('hazards’ instants as integers on %s', (dialect) => {
  let drop: (() => Promise<void>) | null = null;
  afterEach(async () => {
    await drop?.();
    drop = null;
  });

  it('an existing ledger migrates forward in place: every instant kept to the millisecond, links, search and the API’s ISO strings intact', async () => {
    const { database, db, upTo, ledger: g, storedHazards } = await ledgerBefore(dialect, INSTANTS, { count: 60, seed: 5 });
    drop = database.drop;
    const old = db as unknown as Kysely<any>;
    const rows = storedHazards as Record<string, unknown>[];
    // Two written as other programs write ISO-8601: without milliseconds, and with Shanghai's offset.
    rows[1].found_at = '2025-03-05T08:09:10Z';
    rows[2].closed_at = '2026-03-05T16:09:10.250+08:00';
    rows[2].status = 'closed';
    // Inserted out of number order (SQLite: each row's rowid then differs from its number).
    await old.insertInto('hazards').values([...rows].reverse()).execute();
    await db.insertInto('hazard_events').values(g.events).execute();
    const withClause = g.hazards[3];
    const clause = await db.selectFrom('standard_clauses').select('id').executeTakeFirstOrThrow();
    await db.insertInto('hazard_clauses').values({ hazard_id: withClause.id, clause_id: clause.id }).execute();
    await db.insertInto('hazard_origins').values({ hazard_id: withClause.id, origin_type: 'tip', origin_id: 't1', origin_item_id: null, created_at: NOW.toISOString() }).execute();
    const ms = (v: unknown) => (v === null ? null : Date.parse(String(v)));
    const expected = new Map(rows.map((h) => [h.id as string, Object.fromEntries(COLUMNS.map((c) => [c, ms(h[c])]))]));
    expect(expected.get(rows[1].id as string)!.found_at).toBe(Date.UTC(2025, 2, 5, 8, 9, 10));
    expect(expected.get(rows[2].id as string)!.closed_at).toBe(Date.UTC(2026, 2, 5, 8, 9, 10, 250));
    if (dialect === 'sqlite') expect(Number((await sql<{ n: number }>`select count(*) as n from hazards where num <> rowid`.execute(db)).rows[0].n)).toBeGreaterThan(0);

    const m37 = MIGRATIONS[upTo];
    let indexesBefore: string[] = [];
    const columnNames = async () => (await sql<{ name: string }>`select name from pragma_table_info('hazards')`.execute(db)).rows.map((r) => r.name);
    let columnsBefore: string[] = [];
    if (dialect === 'sqlite') {
      columnsBefore = await columnNames();
      indexesBefore = (await sql<{ name: string }>`select name from sqlite_master where tbl_name = 'hazards' and type in ('index', 'trigger') and sql is not null order by name`.execute(db)).rows.map((r) => r.name);
      // An instant SQLite cannot read stops the run before anything is copied.
      await old.updateTable('hazards').set({ updated_at: 'yesterday' }).where('id', '=', rows[0].id).execute();
      await expect(m37.up(db, database.dialect, database)).rejects.toThrow(/hazards\.updated_at: 1 hazards .*not ISO-8601 \(e\.g\. "yesterday"\)/);
      expect((await sql<{ type: string }>`select type from pragma_table_info('hazards') where name = 'found_at'`.execute(db)).rows[0].type).toBe('TEXT');
      await old.updateTable('hazards').set({ updated_at: rows[0].updated_at }).where('id', '=', rows[0].id).execute();
      // A run cut short before the swap leaves its copy behind: the next run starts the copy again.
      await sql`create table hazards_next (num integer primary key, id text)`.execute(db);
      await sql`insert into hazards_next values (1, 'half-copied')`.execute(db);
    }
    await m37.up(db, database.dialect, database);
    // SQLite: a finished run not yet recorded changes nothing (PostgreSQL's runs once, in the migration's transaction).
    if (dialect === 'sqlite') await m37.up(db, database.dialect, database);

    const after = await db.selectFrom('hazards').select(['id', 'num', ...COLUMNS]).execute();
    expect(after).toHaveLength(rows.length);
    for (const h of after) {
      expect(Object.fromEntries(COLUMNS.map((c) => [c, h[c] === null ? null : Number(h[c])])), h.id).toEqual(expected.get(h.id));
      expect(typeof h.found_at).toBe('number');
    }
    // The API's hazards: ISO-8601 in UTC with milliseconds, from the rows (and on SQLite from the page JSON written in SQL).
    const listed = await listHazards(db, database.dialect, city, query(), NOW);
    expect(listed.total).toBe(rows.length);
    const presented = listed.rows.map((r) => presentHazard(r, r.clauseIds, NOW));
    for (const p of presented) {
      const e = expected.get(p.id)!;
      expect([p.foundAt, p.closedAt, p.createdAt, p.updatedAt]).toEqual(COLUMNS.map((c) => (e[c] === null ? null : new Date(e[c]!).toISOString())));
    }
    expect(presented.find((p) => p.id === withClause.id)?.clauseIds).toEqual([clause.id]);
    if (dialect === 'sqlite') {
      const json = await listHazardsJson(db, city, query(), NOW);
      expect(json.items.map((s) => JSON.parse(s))).toEqual(presented.map((p) => JSON.parse(JSON.stringify(p))));
    }
    // Filters by found and closed dates count Shanghai days, as before.
    const foundDay = new Date(expected.get(rows[1].id as string)!.found_at! + 8 * 3_600_000).toISOString().slice(0, 10);
    const sameDay = (await listHazards(db, database.dialect, city, query({ foundFrom: foundDay, foundTo: foundDay }), NOW)).rows.map((r) => r.id);
    expect(sameDay).toContain(rows[1].id);
    expect(sameDay.sort()).toEqual([...expected].filter(([, e]) => new Date(e.found_at! + 8 * 3_600_000).toISOString().slice(0, 10) === foundDay).map(([id]) => id).sort());
    // Search finds every hazard by its code (SQLite: the index knows hazards by rowid, now the number).
    for (const h of rows.slice(0, 12)) {
      const found = await listHazards(db, database.dialect, city, query({ q: h.code as string }), NOW);
      expect(found.rows.map((r) => r.id), h.code as string).toContain(h.id);
    }
    // Links to hazards by id hold, and refuse a hazard that does not exist.
    expect(await db.selectFrom('hazard_origins').select('hazard_id').execute()).toEqual([{ hazard_id: withClause.id }]);
    await expect(db.insertInto('hazard_clauses').values({ hazard_id: 'no-such-hazard', clause_id: clause.id }).execute()).rejects.toThrow();
    await expect(db.insertInto('hazards').values({ ...g.hazards[0], id: 'another-id', code: 'another-code' }).execute()).rejects.toThrow();
    if (dialect === 'sqlite') {
      expect(Number((await sql<{ n: number }>`select count(*) as n from hazards where num <> rowid`.execute(db)).rows[0].n)).toBe(0);
      const info = (await sql<{ name: string; type: string; pk: number }>`select name, type, pk from pragma_table_info('hazards')`.execute(db)).rows;
      expect(info.filter((c) => (COLUMNS as readonly string[]).includes(c.name)).map((c) => c.type)).toEqual(['INTEGER', 'INTEGER', 'INTEGER', 'INTEGER']);
      expect(info.find((c) => c.pk === 1)?.name).toBe('num');
      // In the same order: a server process still running meanwhile maps a `select *` row it prepared before by position.
      expect(await columnNames()).toEqual(columnsBefore);
      const indexesAfter = (await sql<{ name: string }>`select name from sqlite_master where tbl_name = 'hazards' and type in ('index', 'trigger') and sql is not null order by name`.execute(db)).rows.map((r) => r.name);
      expect(indexesAfter).toEqual(indexesBefore.filter((n) => n !== 'hazards_num_uq'));
      expect((await sql<{ name: string }>`select name from sqlite_master where name = 'hazards_next'`.execute(db)).rows).toEqual([]);
      expect((await sql`select * from pragma_foreign_key_check`.execute(db)).rows).toEqual([]);
      // A new hazard goes into the search index under its number (the insert trigger).
      const num = Math.max(...g.hazards.map((h) => h.num)) + 1;
      await db.insertInto('hazards').values({ ...g.hazards[0], id: 'new-one', num, code: 'YH-NEW-0001', search_tokens: '' }).execute();
      expect((await listHazards(db, database.dialect, city, query({ q: 'YH-NEW-0001' }), NOW)).rows.map((r) => r.id)).toEqual(['new-one']);
    } else {
      const types = (await sql<{ c: string; t: string }>`select column_name as c, data_type as t from information_schema.columns where table_name = 'hazards' and table_schema = current_schema() and column_name in ('found_at', 'closed_at', 'created_at', 'updated_at') order by column_name`.execute(db)).rows;
      expect(types.map((r) => r.t)).toEqual(['bigint', 'bigint', 'bigint', 'bigint']);
    }
  });
});

describe('SQLite writes an instant as ISO-8601 exactly as JavaScript does', () => {
  it('to the millisecond, from 1970 to 9999, and null as null', async () => {
    const database = await openTestDatabase('sqlite');
    try {
      let seed = 23;
      const rand = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
      const values = [0, 1, 999, 1000, 59_999, Date.UTC(2024, 1, 29, 23, 59, 59, 999), Date.UTC(2026, 11, 31, 16, 0, 0, 5), 253_402_300_799_999, ...Array.from({ length: 500 }, () => Math.floor(rand() * 4_102_444_800_000))];
      const json = JSON.stringify(values);
      const { rows } = await sql<{ v: number; s: string }>`select value as v, ${sqliteIsoInstant(sql<number>`value`)} as s from json_each(${json})`.execute(database.db);
      expect(rows.map((r) => r.s)).toEqual(values.map((v) => new Date(v).toISOString()));
      const none = await sql<{ s: string | null }>`select ${sqliteIsoInstant(sql<null>`null`)} as s`.execute(database.db);
      expect(none.rows[0].s).toBeNull();
    } finally {
      await database.drop();
    }
  });
});
