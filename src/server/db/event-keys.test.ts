import { afterEach, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { uuidv7 } from 'uuidv7';
import { loadConfig } from '../config';
import { systemCtx } from '../context';
import { eventsFor } from '../modules/hazards/repository';
import { ensureAdmin } from '../seed/bootstrap';
import { applicableClauses, loadDemoCity } from '../seed/demo';
import { generateDemoHazards } from '../seed/demo-hazards';
import { loadReferenceData } from '../seed/reference';
import { DIALECTS, openTestDatabase } from '../test/harness';
import { MIGRATIONS } from './migrations';

const NOW = new Date('2026-11-29T04:00:00Z');
const KEYED = '2026-12-06-30-event-keys';

/** Migration 30 on a ledger written in the old shape (events with ids of their own): nothing lost, attachments follow, keys enforced. */
describe.each(DIALECTS)('hazard events keyed by (hazard, seq) on %s', (dialect) => {
  let drop: (() => Promise<void>) | null = null;
  afterEach(async () => {
    await drop?.();
    drop = null;
  });

  it('an existing ledger migrates forward in place: every event and attachment kept, on its event', async () => {
    const database = await openTestDatabase(dialect);
    drop = database.drop;
    const db = database.db;
    const upTo = MIGRATIONS.findIndex((m) => m.name === KEYED);
    for (const m of MIGRATIONS.slice(0, upTo)) await m.up(db, database.dialect, database);
    await loadReferenceData(db, NOW.toISOString());
    const config = loadConfig({ ZHIBEN_ADMIN_PASSWORD: 'Test-pass-2026', ZHIBEN_DEMO_PASSWORD: 'Test-pass-2026', LOG_LEVEL: 'silent' });
    const ctx = systemCtx({ db, dialect: database.dialect, config, now: () => NOW });
    await ensureAdmin(ctx);
    await loadDemoCity(ctx, { password: 'Test-pass-2026', count: 10, hazards: 0 });
    const enterprises = (await db.selectFrom('enterprises').select(['id', 'city_code', 'district_code', 'street_code', 'industry_code', 'name', 'safety_manager_name']).execute()).map((e) => ({
      id: e.id, cityCode: e.city_code, districtCode: e.district_code, streetCode: e.street_code, industryCode: e.industry_code, name: e.name, safetyManagerName: e.safety_manager_name,
    }));
    const g = generateDemoHazards({ enterprises, clausesFor: await applicableClauses(db), count: 60, now: NOW, seed: 7, newId: uuidv7, seqs: new Map(), dialect: database.dialect });
    await db.insertInto('hazards').values(g.hazards).execute();
    // The old shape: each event with an id of its own, attachments pointing at it.
    const old = g.events.map((e) => ({ ...e, id: uuidv7() }));
    await db.insertInto('hazard_events').values(old as never).execute();
    const admin = await db.selectFrom('users').select('id').where('username', '=', 'admin').executeTakeFirstOrThrow();
    const file = (n: number) => ({ id: `f${n}`, sha256: `s${n}`, mime: 'image/png', size: 10 + n, original_name: `照片${n}.png`, uploaded_by: admin.id, city_code: '310000', created_at: NOW.toISOString() });
    await db.insertInto('files').values([file(1), file(2), file(3)]).execute();
    const [a, b] = [old.find((e) => e.seq === 3)!, old.find((e) => e.seq === 1)!];
    await db.insertInto('hazard_event_files' as never).values([
      { event_id: a.id, file_id: 'f1', hazard_id: a.hazard_id },
      { event_id: a.id, file_id: 'f2', hazard_id: a.hazard_id },
      { event_id: b.id, file_id: 'f3', hazard_id: b.hazard_id },
    ] as never).execute();
    const before = await db.selectFrom('hazard_events').select(['hazard_id', 'seq', 'action', 'from_status', 'to_status', 'actor_id', 'actor_name', 'at', 'comment', 'data_json']).orderBy('hazard_id').orderBy('seq').execute();
    expect(before.length).toBeGreaterThan(120);

    // SQLite: cut short once the old table was set aside; the run starts again from it.
    if (dialect === 'sqlite') {
      for (const ix of ['hazard_events_spot_idx', 'hazard_events_transfer_idx']) await sql`drop index ${sql.ref(ix)}`.execute(db);
      await sql`alter table hazard_events rename to hazard_events_v1`.execute(db);
    }
    const m30 = MIGRATIONS[upTo];
    await m30.up(db, database.dialect, database);
    await m30.up(db, database.dialect, database); // a finished run not yet recorded changes nothing

    const after = await db.selectFrom('hazard_events').selectAll().orderBy('hazard_id').orderBy('seq').execute();
    expect(after).toEqual(before);
    expect(after[0]).not.toHaveProperty('id');
    const withFiles = await eventsFor(db, a.hazard_id);
    expect(withFiles.find((e) => e.seq === 3)).toMatchObject({ id: `${a.hazard_id}:3`, attachments: [{ id: 'f1', name: '照片1.png' }, { id: 'f2', name: '照片2.png' }] });
    expect(withFiles.filter((e) => e.seq !== 3).flatMap((e) => e.attachments)).toEqual([]);
    expect((await eventsFor(db, b.hazard_id)).find((e) => e.seq === 1)?.attachments.map((f) => f.id)).toEqual(['f3']);

    // The key holds: no second event with a hazard's seq, no attachment on an event that is not there.
    const again = { ...before[0] };
    await expect(db.insertInto('hazard_events').values(again).execute()).rejects.toThrow();
    await expect(db.insertInto('hazard_event_files').values({ hazard_id: a.hazard_id, seq: 999, file_id: 'f1' }).execute()).rejects.toThrow();
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
