import { sql, type Kysely } from 'kysely';
import { uuidv7 } from 'uuidv7';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config';
import { systemCtx } from '../context';
import { listHazards } from '../modules/hazards/repository';
import { hazardSearchColumn } from '../modules/hazards/search';
import { ensureAdmin } from '../seed/bootstrap';
import { applicableClauses, loadDemoCity } from '../seed/demo';
import { generateDemoHazards } from '../seed/demo-hazards';
import { loadReferenceData } from '../seed/reference';
import { HazardQuery } from '../../shared/contracts/hazards';
import { actorFromUser } from '../auth/actor';
import type { Actor } from '../scope/scope';
import { DIALECTS, openTestDatabase } from '../test/harness';
import { ensureHazardSearchIndex, insertHazards, SEARCH_INDEXED_BY_WRITER, TRIGGER_ASIDE_ROWS } from './hazard-search';
import { migrateToLatest } from './migrate';
import type { DB } from './schema';

const NOW = new Date('2026-11-29T04:00:00Z');

/** Hazards written in bulk (an import's): searchable like any other, all or nothing with the caller's transaction. */
describe.each(DIALECTS)('bulk hazard inserts and the search index on %s', (dialect) => {
  let database: Awaited<ReturnType<typeof openTestDatabase>>;
  let db: Kysely<DB>;
  let enterprises: Parameters<typeof generateDemoHazards>[0]['enterprises'];
  const nameOf = (h: DB['hazards']) => enterprises.find((e) => e.id === h.enterprise_id)!.name;
  let city: Actor;
  let batchNo = 0;
  let lastNum = 1_000_000;
  // Each batch has descriptions of its own (the demo's are shared), so a search finds exactly it.
  const fresh = async (count: number, word: string) => {
    // Numbers far above the ones the ledger gives (reserveHazardNums), so the two never meet.
    const nums = Array.from({ length: count }, () => ++lastNum);
    const g = generateDemoHazards({ enterprises, clausesFor: await applicableClauses(db), count, now: NOW, seed: ++batchNo, newId: uuidv7, nums, seqs: new Map(), dialect });
    return g.hazards.map((h, i) => {
      const [code, description] = [`${h.code}-${batchNo}`, `${word}第${i}处`];
      return { ...h, code, description, search_tokens: hazardSearchColumn(dialect, { code, description, location: h.location, enterpriseName: nameOf(h), district_code: h.district_code }) };
    });
  };
  const search = async (q: string, on: Kysely<DB> = db) => (await listHazards(on, dialect, city, HazardQuery.parse({ q, pageSize: 200 }), NOW)).rows.map((r) => r.id).sort();
  const ids = (rows: { id: string }[]) => rows.map((r) => r.id).sort();

  beforeAll(async () => {
    database = await openTestDatabase(dialect);
    db = database.db;
    await migrateToLatest(database);
    await loadReferenceData(db, NOW.toISOString());
    const ctx = systemCtx({ db, dialect, config: loadConfig({ ZHIBEN_ADMIN_PASSWORD: 'Test-pass-2026', ZHIBEN_DEMO_PASSWORD: 'Test-pass-2026', LOG_LEVEL: 'silent' }), now: () => NOW });
    await ensureAdmin(ctx);
    await loadDemoCity(ctx, { password: 'Test-pass-2026', count: 10, hazards: 0 });
    city = await actorFromUser(db, await db.selectFrom('users').selectAll().where('username', '=', 'city').executeTakeFirstOrThrow(), 'session');
    enterprises = (await db.selectFrom('enterprises').select(['id', 'city_code', 'district_code', 'street_code', 'industry_code', 'name', 'safety_manager_name']).execute()).map((e) => ({
      id: e.id, cityCode: e.city_code, districtCode: e.district_code, streetCode: e.street_code, industryCode: e.industry_code ?? '', name: e.name, safetyManagerName: e.safety_manager_name,
    }));
  });
  afterAll(() => database?.drop());

  it('finds hazards written in bulk by description, code and enterprise name, beside ones written one by one', async () => {
    const single = await fresh(2, '单条写入的冷库氨阀');
    await db.insertInto('hazards').values(single).execute();
    const bulk = await fresh(30, '批量写入的锅炉水位计');
    await db.transaction().execute((trx) => insertHazards(trx, dialect, bulk, nameOf));
    // Outside a transaction it makes one of its own.
    const alone = await fresh(3, '批量写入的锅炉水位计');
    await insertHazards(db, dialect, alone, nameOf);

    expect(await search('锅炉水位')).toEqual(ids([...bulk, ...alone]));
    expect(await search('冷库氨阀')).toEqual(ids(single));
    expect(await search(bulk[7].code)).toEqual([bulk[7].id]);
    const ent = bulk[3].enterprise_id;
    const byName = await search(nameOf(bulk[3]));
    expect(byName).toEqual(expect.arrayContaining(ids([...single, ...bulk, ...alone].filter((h) => h.enterprise_id === ent))));
    if (dialect === 'sqlite') {
      // The index holds exactly the ledger's rows, and no row keeps tokens: bulk rows hold the marker.
      expect(await ensureHazardSearchIndex(db)).toEqual({ rebuilt: false });
      const kept = await db.selectFrom('hazards').select(['id', 'search_tokens']).execute();
      const held = new Map(kept.map((r) => [r.id, r.search_tokens]));
      for (const h of [...bulk, ...alone]) expect(held.get(h.id)).toBe(SEARCH_INDEXED_BY_WRITER);
      for (const h of single) expect(held.get(h.id)).toBe('');
      // The trigger stands aside for exactly the marker the writer uses (migration 34 spells it out):
      // a row carrying it, written without `insertHazards`, is not indexed by the trigger.
      const marked = (await fresh(1, '只带标记的塔吊'))[0];
      await db.transaction().execute(async (trx) => {
        await trx.insertInto('hazards').values({ ...marked, search_tokens: SEARCH_INDEXED_BY_WRITER }).execute();
        expect(await search('塔吊', trx)).toEqual([]);
        await trx.deleteFrom('hazards').where('id', '=', marked.id).execute();
      });
      // A bulk row edited later is indexed again from its new text (the update trigger).
      await db.updateTable('hazards').set({ description: '改写后的叉车制动', search_tokens: '' }).where('id', '=', bulk[0].id).execute();
      expect(await search('叉车制动')).toEqual([bulk[0].id]);
      expect(await search('锅炉水位')).not.toContain(bulk[0].id);
    }
  });

  it('leaves nothing behind, in the rows or the search index, when a row fails and the caller’s transaction rolls back', async () => {
    const count = async () => Number((await db.selectFrom('hazards').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    const indexed = async () => (dialect === 'sqlite' ? Number((await sql<{ n: number }>`select count(*) as n from hazards_fts_docsize`.execute(db)).rows[0].n) : null);
    const [rows, index] = [await count(), await indexed()];
    const ok = await fresh(5, '回滚的压力容器');
    const clash = { ...(await fresh(1, '回滚的压力容器'))[0], code: ok[2].code };
    await expect(db.transaction().execute((trx) => insertHazards(trx, dialect, [...ok, clash], nameOf))).rejects.toThrow();
    expect(await count()).toBe(rows);
    expect(await indexed()).toBe(index);
    expect(await search('压力容器')).toEqual([]);
    // The same rows without the clash go in whole.
    await db.transaction().execute((trx) => insertHazards(trx, dialect, ok, nameOf));
    expect(await search('压力容器')).toEqual(ids(ok));
  });

  it.runIf(dialect === 'sqlite')('a large bulk insert sets the insert trigger aside only inside its transaction, and puts it back as it was — after a failure too', async () => {
    const trigger = async (on: Kysely<DB> = db) => (await sql<{ sql: string }>`select sql from sqlite_master where type = 'trigger' and name = 'hazards_fts_ai'`.execute(on)).rows.map((r) => r.sql);
    const schemaVersion = async (on: Kysely<DB>) => Number((await sql<{ schema_version: number }>`pragma schema_version`.execute(on)).rows[0].schema_version);
    const before = await trigger();
    expect(before).toHaveLength(1);
    const many = await fresh(TRIGGER_ASIDE_ROWS, '大批写入的吊索具');
    await db.transaction().execute(async (trx) => {
      const version = await schemaVersion(trx);
      await insertHazards(trx, dialect, many, nameOf);
      // Dropped and made again (the schema changed twice), and here again before the transaction goes on.
      expect(await schemaVersion(trx)).toBe(version + 2);
      expect(await trigger(trx)).toEqual(before);
    });
    for (const h of [many[0], many[TRIGGER_ASIDE_ROWS - 1]]) expect(await search(h.code)).toEqual([h.id]);
    expect(await ensureHazardSearchIndex(db)).toEqual({ rebuilt: false });
    // A row written one by one afterwards is indexed by the trigger, as ever.
    const single = await fresh(1, '之后单条写入的脚手架');
    await db.insertInto('hazards').values(single).execute();
    expect(await search('脚手架')).toEqual(ids(single));
    // A large insert that fails: the transaction rolls back, the trigger stays.
    const failing = await fresh(TRIGGER_ASIDE_ROWS, '失败的大批有限空间');
    failing[TRIGGER_ASIDE_ROWS - 1].code = many[0].code;
    await expect(db.transaction().execute((trx) => insertHazards(trx, dialect, failing, nameOf))).rejects.toThrow();
    expect(await trigger()).toEqual(before);
    expect(await search('有限空间')).toEqual([]);
    const after = await fresh(1, '失败之后单条的配电柜');
    await db.insertInto('hazards').values(after).execute();
    expect(await search('配电柜')).toEqual(ids(after));
    expect(await ensureHazardSearchIndex(db)).toEqual({ rebuilt: false });
  });
});
