import { afterEach, describe, expect, it } from 'vitest';
import { sql, type Kysely } from 'kysely';
import { eventsFor } from '../modules/hazards/repository';
import { DIALECTS } from '../test/harness';
import { LEDGER_BEFORE_NOW, ledgerBefore } from '../test/ledger-before';
import { isoInstant } from './instants';
import { MIGRATIONS } from './migrations';

const INSTANTS = '2026-12-07-36-event-instants';

/**
 * Migration 36 on a ledger whose events hold their instants as they did before (SQLite: ISO-8601
 * text; PostgreSQL: timestamptz): every event keeps its instant to the millisecond, now an integer,
 * with its attachments; the timeline answers the same ISO strings.
 */
describe.each(DIALECTS)('hazard events’ instants as integers on %s', (dialect) => {
  let drop: (() => Promise<void>) | null = null;
  afterEach(async () => {
    await drop?.();
    drop = null;
  });

  it('an existing ledger migrates forward in place: every instant kept to the millisecond, attachments on their events', async () => {
    const { database, db, upTo, ledger: g, storedHazards } = await ledgerBefore(dialect, INSTANTS, { count: 40, seed: 11 });
    drop = database.drop;
    await (db as unknown as Kysely<any>).insertInto('hazards').values(storedHazards).execute();
    // The events as migration 35 left them: instants as ISO text (SQLite) or timestamptz (PostgreSQL).
    // Two written as other programs write ISO-8601: without milliseconds, and with Shanghai's offset.
    const old = db as unknown as Kysely<any>;
    const oldEvents = g.events.map((e) => ({ ...e, at: isoInstant(e.at) }));
    oldEvents[1].at = '2026-03-05T08:09:10Z';
    oldEvents[2].at = '2026-03-05T16:09:10.250+08:00';
    await old.insertInto('hazard_events').values(oldEvents).execute();
    const admin = await db.selectFrom('users').select('id').where('username', '=', 'admin').executeTakeFirstOrThrow();
    await db.insertInto('files').values({ id: 'f1', sha256: 's1', mime: 'image/png', size: 11, original_name: '照片1.png', uploaded_by: admin.id, city_code: '310000', created_at: LEDGER_BEFORE_NOW.toISOString() }).execute();
    const withFile = oldEvents.find((e) => e.seq === 2)!;
    await old.insertInto('hazard_event_files').values({ hazard_num: withFile.hazard_num, seq: 2, file_id: 'f1' }).execute();
    const expected = oldEvents.map((e) => ({ ...e, at: Date.parse(e.at) })).sort((x, y) => x.hazard_num - y.hazard_num || x.seq - y.seq);
    expect(expected[1].at).toBe(Date.UTC(2026, 2, 5, 8, 9, 10));
    expect(expected[2].at).toBe(Date.UTC(2026, 2, 5, 8, 9, 10, 250));

    const m36 = MIGRATIONS[upTo];
    if (dialect === 'sqlite') {
      // An instant SQLite cannot read stops the run with nothing lost: the old table is set aside and
      // the run starts again from it once the instant is mended.
      await old.updateTable('hazard_events').set({ at: 'yesterday' }).where('hazard_num', '=', expected[0].hazard_num).where('seq', '=', expected[0].seq).execute();
      await expect(m36.up(db, database.dialect, database)).rejects.toThrow(/not ISO-8601 \(e\.g\. "yesterday"\)/);
      expect(Number((await sql<{ n: number }>`select count(*) as n from hazard_events_v3`.execute(db)).rows[0].n)).toBe(oldEvents.length);
      await sql`update hazard_events_v3 set at = ${isoInstant(expected[0].at)} where at = 'yesterday'`.execute(db);
    }
    await m36.up(db, database.dialect, database);
    // SQLite: a finished run not yet recorded changes nothing (PostgreSQL's runs once, in the migration's transaction).
    if (dialect === 'sqlite') await m36.up(db, database.dialect, database);

    const after = await db.selectFrom('hazard_events').selectAll().orderBy('hazard_num').orderBy('seq').execute();
    expect(after.map((e) => ({ ...e, at: Number(e.at) }))).toEqual(expected);
    expect(after.every((e) => typeof e.at === 'number')).toBe(true);
    // The timeline answers ISO-8601 in UTC, as before; the attachment is on its event.
    const hazard = g.hazards.find((h) => h.num === withFile.hazard_num)!;
    const timeline = await eventsFor(db, { id: hazard.id, num: hazard.num });
    expect(timeline.map((e) => e.at)).toEqual(expected.filter((e) => e.hazard_num === hazard.num).map((e) => new Date(e.at).toISOString()));
    expect(timeline.find((e) => e.seq === 2)?.attachments.map((f) => f.id)).toEqual(['f1']);
    // The key and the foreign keys hold on the rebuilt tables.
    await expect(db.insertInto('hazard_events').values({ ...after[0] }).execute()).rejects.toThrow();
    await expect(db.insertInto('hazard_event_files').values({ hazard_num: hazard.num, seq: 999, file_id: 'f1' }).execute()).rejects.toThrow();
    if (dialect === 'sqlite') {
      const tables = (await sql<{ name: string; sql: string }>`select name, sql from sqlite_master where type = 'table' and name like 'hazard_event%'`.execute(db)).rows;
      expect(tables.map((t) => t.name).sort()).toEqual(['hazard_event_files', 'hazard_events']);
      for (const t of tables) expect(t.sql).toMatch(/without rowid, strict$/);
      expect((await sql<{ type: string }>`select type from pragma_table_info('hazard_events') where name = 'at'`.execute(db)).rows[0].type).toBe('INTEGER');
      const indexes = (await sql<{ name: string }>`select name from sqlite_master where type = 'index' and tbl_name like 'hazard_event%'`.execute(db)).rows.map((r) => r.name);
      expect(indexes.sort()).toEqual(['hazard_event_files_file_idx', 'hazard_events_spot_idx', 'hazard_events_transfer_idx']);
      expect((await sql`select * from pragma_foreign_key_check`.execute(db)).rows).toEqual([]);
    } else {
      expect((await sql<{ t: string }>`select data_type as t from information_schema.columns where table_name = 'hazard_events' and column_name = 'at' and table_schema = current_schema()`.execute(db)).rows[0].t).toBe('bigint');
    }
  });
});
