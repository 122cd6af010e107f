import { afterEach, describe, expect, it } from 'vitest';
import { sql, type Kysely } from 'kysely';
import { uuidv7 } from 'uuidv7';
import { eventsFor } from '../modules/hazards/repository';
import { shownFrom } from '../modules/hazards/event-chain';
import { DIALECTS } from '../test/harness';
import { LEDGER_BEFORE_NOW as NOW, ledgerBefore } from '../test/ledger-before';
import { isoInstant } from './instants';
import { MIGRATIONS } from './migrations';

const KEYED = '2026-12-06-30-event-keys';
const NUMBERED = '2026-12-06-35-hazard-numbers';

/**
 * Migrations 30 and 35 on a ledger written in the old shape (events with ids of their own, keyed by the
 * hazard's id): nothing lost, attachments follow, keys enforced at each step.
 */
describe.each(DIALECTS)('hazard events keyed by (hazard, seq) on %s', (dialect) => {
  let drop: (() => Promise<void>) | null = null;
  afterEach(async () => {
    await drop?.();
    drop = null;
  });

  it('an existing ledger migrates forward in place: every event and attachment kept, on its event', async () => {
    const { database, db, upTo, ledger: g, storedHazards } = await ledgerBefore(dialect, KEYED, { count: 60, seed: 7 });
    drop = database.drop;
    // The ledger as it stood before migrations 30 and 35: hazards without numbers, events keyed by their own ids and the hazard's id.
    const old = db as unknown as Kysely<any>;
    const idOf = new Map(g.hazards.map((h) => [h.num, h.id]));
    await old.insertInto('hazards').values(storedHazards.map(({ num: _, ...h }) => h)).execute();
    // Each event with its from_status written out, as the old ledger held them; two that break the chain
    // (a step from a status the one before did not end in, and one with no "from" after the first).
    const oldEvents = g.events.map(({ hazard_num, ...e }, i) => ({
      ...e,
      at: isoInstant(e.at), // text before migration 36
      from_status: shownFrom(e.from_status, i > 0 && g.events[i - 1].hazard_num === hazard_num ? g.events[i - 1].to_status : null),
      hazard_id: idOf.get(hazard_num)!,
      id: uuidv7(),
    }));
    const [odd, fromNothing] = oldEvents.filter((e) => e.seq === 2);
    odd.from_status = 'voided';
    fromNothing.from_status = null;
    await old.insertInto('hazard_events').values(oldEvents).execute();
    const admin = await db.selectFrom('users').select('id').where('username', '=', 'admin').executeTakeFirstOrThrow();
    const file = (n: number) => ({ id: `f${n}`, sha256: `s${n}`, mime: 'image/png', size: 10 + n, original_name: `照片${n}.png`, uploaded_by: admin.id, city_code: '310000', created_at: NOW.toISOString() });
    await db.insertInto('files').values([file(1), file(2), file(3)]).execute();
    const [a, b] = [oldEvents.find((e) => e.seq === 3)!, oldEvents.find((e) => e.seq === 1 && e.hazard_id !== oldEvents.find((x) => x.seq === 3)!.hazard_id)!];
    await old.insertInto('hazard_event_files').values([
      { event_id: a.id, file_id: 'f1', hazard_id: a.hazard_id },
      { event_id: a.id, file_id: 'f2', hazard_id: a.hazard_id },
      { event_id: b.id, file_id: 'f3', hazard_id: b.hazard_id },
    ]).execute();
    const before = await old.selectFrom('hazard_events').select(['hazard_id', 'seq', 'action', 'from_status', 'to_status', 'actor_id', 'actor_name', 'at', 'comment', 'data_json']).orderBy('hazard_id').orderBy('seq').execute();
    expect(before.length).toBeGreaterThan(120);

    // Migration 30. SQLite: cut short once the old table was set aside; the run starts again from it.
    if (dialect === 'sqlite') {
      for (const ix of ['hazard_events_spot_idx', 'hazard_events_transfer_idx']) await sql`drop index ${sql.ref(ix)}`.execute(db);
      await sql`alter table hazard_events rename to hazard_events_v1`.execute(db);
    }
    const m30 = MIGRATIONS[upTo];
    await m30.up(db, database.dialect, database);
    await m30.up(db, database.dialect, database); // a finished run not yet recorded changes nothing

    const after30 = await old.selectFrom('hazard_events').selectAll().orderBy('hazard_id').orderBy('seq').execute();
    expect(after30).toEqual(before);
    expect(after30[0]).not.toHaveProperty('id');
    const files30 = await old.selectFrom('hazard_event_files').select(['hazard_id', 'seq', 'file_id']).orderBy('file_id').execute();
    expect(files30).toEqual([
      { hazard_id: a.hazard_id, seq: 3, file_id: 'f1' },
      { hazard_id: a.hazard_id, seq: 3, file_id: 'f2' },
      { hazard_id: b.hazard_id, seq: 1, file_id: 'f3' },
    ]);
    // The key holds: no second event with a hazard's seq, no attachment on an event that is not there.
    await expect(old.insertInto('hazard_events').values({ ...before[0] }).execute()).rejects.toThrow();
    await expect(old.insertInto('hazard_event_files').values({ hazard_id: a.hazard_id, seq: 999, file_id: 'f1' }).execute()).rejects.toThrow();
    if (dialect === 'sqlite') {
      const tables = (await sql<{ name: string; sql: string }>`select name, sql from sqlite_master where type = 'table' and name like 'hazard_event%'`.execute(db)).rows;
      expect(tables.map((t) => t.name).sort()).toEqual(['hazard_event_files', 'hazard_events']);
      for (const t of tables) expect(t.sql).toMatch(/without rowid, strict$/);
      expect((await sql`select * from pragma_foreign_key_check`.execute(db)).rows).toEqual([]);
    }

    // Migrations 31–34, then 35: hazards numbered, events and attachments keyed by the number.
    const upTo35 = MIGRATIONS.findIndex((m) => m.name === NUMBERED);
    for (const m of MIGRATIONS.slice(upTo + 1, upTo35)) await m.up(db, database.dialect, database);
    if (dialect === 'sqlite') {
      // Cut short where a run can stop: the numbers given (their own transaction), the events set aside.
      await sql`alter table hazards add column num integer not null default 0`.execute(db);
      await sql`update hazards set num = rowid`.execute(db);
      await sql`create unique index hazards_num_uq on hazards (num)`.execute(db);
      for (const ix of ['hazard_events_spot_idx', 'hazard_events_transfer_idx', 'hazard_event_files_file_idx']) await sql`drop index ${sql.ref(ix)}`.execute(db);
      await sql`alter table hazard_events rename to hazard_events_v2`.execute(db);
    }
    const m35 = MIGRATIONS[upTo35];
    await m35.up(db, database.dialect, database);
    // SQLite: a finished run not yet recorded changes nothing (PostgreSQL's runs once, in the migration's transaction).
    if (dialect === 'sqlite') await m35.up(db, database.dialect, database);

    const numbered = await db.selectFrom('hazards').select(['id', 'num']).execute();
    expect(numbered).toHaveLength(60);
    expect(new Set(numbered.map((h) => h.num)).size).toBe(60);
    expect(numbered.every((h) => Number.isInteger(h.num) && h.num > 0)).toBe(true);
    const numOf = new Map(numbered.map((h) => [h.id, h.num]));
    const after35 = await db.selectFrom('hazard_events').selectAll().orderBy('hazard_num').orderBy('seq').execute();
    expect(after35[0]).not.toHaveProperty('hazard_id');
    // from_status is kept only where the chain does not say it (null: the previous event's to_status).
    const stored = (e: { hazard_id: string; seq: number }) => after35.find((x) => x.hazard_num === numOf.get(e.hazard_id) && x.seq === e.seq)!.from_status;
    expect([stored(odd), stored(fromNothing)]).toEqual(['voided', '']);
    expect(after35.filter((e) => e.from_status !== null)).toHaveLength(2);
    const asBefore = after35.map(({ hazard_num, ...e }, i) => ({
      hazard_id: numbered.find((h) => h.num === hazard_num)!.id,
      ...e,
      from_status: shownFrom(e.from_status, i > 0 && after35[i - 1].hazard_num === hazard_num ? after35[i - 1].to_status : null),
    }));
    const byKey = (r: { hazard_id: string; seq: number }) => `${r.hazard_id}:${r.seq}`;
    expect([...asBefore].sort((x, y) => byKey(x).localeCompare(byKey(y)))).toEqual([...before].sort((x, y) => byKey(x).localeCompare(byKey(y))));
    const withFiles = await eventsFor(db, { id: a.hazard_id, num: numOf.get(a.hazard_id)! });
    expect(withFiles.find((e) => e.seq === 3)).toMatchObject({ id: `${a.hazard_id}:3`, attachments: [{ id: 'f1', name: '照片1.png' }, { id: 'f2', name: '照片2.png' }] });
    expect(withFiles.filter((e) => e.seq !== 3).flatMap((e) => e.attachments)).toEqual([]);
    expect((await eventsFor(db, { id: b.hazard_id, num: numOf.get(b.hazard_id)! })).find((e) => e.seq === 1)?.attachments.map((f) => f.id)).toEqual(['f3']);
    // The keys hold on the number: no second event with a hazard's seq, no event of a hazard that is not there, no attachment on an event that is not there.
    await expect(db.insertInto('hazard_events').values({ ...after35[0] }).execute()).rejects.toThrow();
    await expect(db.insertInto('hazard_events').values({ ...after35[0], hazard_num: 999_999 }).execute()).rejects.toThrow();
    await expect(db.insertInto('hazard_event_files').values({ hazard_num: numOf.get(a.hazard_id)!, seq: 999, file_id: 'f1' }).execute()).rejects.toThrow();
    // A second hazard with a number already taken is refused.
    const h0 = await db.selectFrom('hazards').selectAll().where('id', '=', a.hazard_id).executeTakeFirstOrThrow();
    await expect(db.insertInto('hazards').values({ ...h0, id: uuidv7(), code: 'YH-TEST-DUP' }).execute()).rejects.toThrow();
    if (dialect === 'sqlite') {
      const tables = (await sql<{ name: string; sql: string }>`select name, sql from sqlite_master where type = 'table' and name like 'hazard_event%'`.execute(db)).rows;
      expect(tables.map((t) => t.name).sort()).toEqual(['hazard_event_files', 'hazard_events']);
      for (const t of tables) expect(t.sql).toMatch(/without rowid, strict$/);
      const indexes = (await sql<{ name: string }>`select name from sqlite_master where type = 'index' and tbl_name = 'hazard_events'`.execute(db)).rows.map((r) => r.name);
      expect(indexes.sort()).toEqual(['hazard_events_spot_idx', 'hazard_events_transfer_idx']);
      expect((await sql`select * from pragma_foreign_key_check`.execute(db)).rows).toEqual([]);
    }
  });
});
