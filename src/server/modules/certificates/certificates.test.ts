import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { maskIdNumber, validIdNumber } from '../../../shared/contracts/certificates';
import { addDays, shanghaiDate } from '../../../shared/dates';
import { sql } from 'kysely';
import { migrateToLatest } from '../../db/migrate';
import { up as risksMigration } from '../../db/migrations/2026-12-06-26-risks-certificates';
import { loadReferenceData } from '../../seed/reference';
import { DIALECTS, createTestApp, openTestDatabase, type TestApp } from '../../test/harness';
import { threeYearsFrom } from './standardization';
import { runCertificateWatch } from './watch';

/** A body of 17 digits with its GB 11643 check character. */
function idOf(body: string): string {
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = w.reduce((s, x, i) => s + x * Number(body[i]), 0);
  return body + '10X98765432'[sum % 11];
}

describe('ID numbers and dates', () => {
  it('checks the GB 11643 check character and masks all but 3 + 4', () => {
    const id = idOf('31011519800101123');
    expect(validIdNumber(id)).toBe(true);
    expect(validIdNumber(id.slice(0, 17) + (id[17] === '0' ? '1' : '0'))).toBe(false);
    expect(validIdNumber('11010519491231002X')).toBe(true);
    expect(maskIdNumber('11010519491231002X')).toBe('110***********002X');
  });
  it('runs a standardization certificate three years less a day', () => {
    expect(threeYearsFrom('2024-03-01')).toBe('2027-02-28');
    expect(threeYearsFrom('2024-02-29')).toBe('2027-02-28');
    expect(threeYearsFrom('2025-01-01')).toBe('2027-12-31');
  });
});

/** 持证上岗 (#20) on both databases: sealed ID numbers, expiry, the lapse hazard once and its closing, standardization, scope. */
describe.each(DIALECTS)('certificates and standardization on %s', (dialect) => {
  let t: TestApp;
  const who = ['city', 'pudong', 'huangpu', 'lujiazui', 'ent-pd', 'ent-hp', 'expert-1', 'custodian'] as const;
  type Who = (typeof who)[number];
  const c = {} as Record<Who, string>;
  let entPd: string;
  let entHp: string;
  const today = shanghaiDate(new Date());
  const ID = idOf('31011519850612341');

  beforeAll(async () => {
    t = await createTestApp(dialect, { demo: true, demoCount: 40 });
    for (const k of who) c[k] = await t.login(k);
    const ent = async (u: string) => (await t.database.db.selectFrom('users').select('enterprise_id').where('username', '=', u).executeTakeFirstOrThrow()).enterprise_id!;
    entPd = await ent('ent-pd');
    entHp = await ent('ent-hp');
    // Start from no declared operation, whatever the demo declares.
    await t.database.db.deleteFrom('enterprise_operations').where('enterprise_id', '=', entPd).execute();
  });
  afterAll(() => t?.close());

  const get = (k: Who, url: string) => t.as(c[k], { method: 'GET', url });
  const send = (k: Who, method: 'POST' | 'PUT', url: string, payload: unknown) => t.as(c[k], { method, url, payload: payload as object });
  const cert = (over: object = {}) => ({ enterpriseId: entPd, holderName: '王强', idNumber: ID, kind: 'special_operation', operation: 'welding', number: `T${Math.random().toString().slice(2, 14)}`, issuer: '上海市应急管理局', validFrom: addDays(today, -6 * 365), validTo: addDays(today, -1), ...over });
  const systemOpen = async () => ((await get('city', '/api/dashboard/city')).json().bySource ?? []).find((s: { key: string }) => s.key === 'system')?.open ?? 0;

  it('keeps the ID number sealed: answers show its mask, the database holds no clear copy', async () => {
    const made = await send('ent-pd', 'POST', '/api/certificates', cert({ kind: 'principal', operation: undefined, validTo: addDays(today, 700) }));
    expect(made.statusCode, made.body).toBe(201);
    expect(made.json()).toMatchObject({ idNumberMasked: maskIdNumber(ID), state: 'valid', holderName: '王强' });
    const bodies = [made.body, (await get('ent-pd', '/api/certificates')).body, (await get('city', `/api/certificates/${made.json().id}`)).body, (await get('pudong', '/api/audit?pageSize=200')).body];
    for (const b of bodies) expect(b).not.toContain(ID);
    // Not in the raw bytes: the SQLite files themselves; PostgreSQL's rows as text.
    if (dialect === 'sqlite') {
      const dir = (t.database as unknown as { env: { DATA_DIR: string } }).env?.DATA_DIR ?? path.dirname(t.database.location);
      const files = readdirSync(dir).filter((f) => f.startsWith('zhiben.db'));
      expect(files.length).toBeGreaterThan(0);
      for (const f of files) expect(readFileSync(path.join(dir, f)).includes(Buffer.from(ID))).toBe(false);
    } else {
      for (const table of ['certificates', 'audit_log', 'record_events', 'notifications', 'hazards', 'hazard_events']) {
        const { rows } = await (t.database.db as never as { executeQuery: (q: unknown) => Promise<{ rows: { n: number }[] }> }).executeQuery({ sql: `select count(*)::int as n from ${table} x where x::text like $1`, parameters: [`%${ID}%`], query: { kind: 'RawNode' } } as never);
        expect(rows[0].n, table).toBe(0);
      }
    }
    // A wrong check character is refused, naming the field.
    const bad = await send('ent-pd', 'POST', '/api/certificates', cert({ idNumber: ID.slice(0, 17) + (ID[17] === '1' ? '2' : '1') }));
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].path).toBe('idNumber');
  });

  it('puts an expired certificate of a declared operation on the ledger once, and closes it when a valid one is recorded', async () => {
    const before = await systemOpen();
    // Not declared (and expired, so not declaring it): history only.
    const old = await send('ent-pd', 'POST', '/api/certificates', cert());
    expect(old.statusCode, old.body).toBe(201);
    expect(old.json()).toMatchObject({ state: 'expired', daysLeft: -1, hazardsOpened: [], lapseHazardId: null });
    // Declared now: its hazard at once, source 系统核验, the certificate its origin.
    const declared = await send('ent-pd', 'PUT', `/api/enterprises/${entPd}/special-operations`, { operations: ['welding'] });
    expect(declared.statusCode, declared.body).toBe(200);
    expect(declared.json().operations).toMatchObject([{ code: 'welding', name: '焊接与热切割作业', validHolders: 0, lapsed: 1 }]);
    const lapse = (await get('ent-pd', `/api/certificates/${old.json().id}`)).json();
    expect(lapse.lapseHazardId).toBeTruthy();
    const h = (await get('ent-pd', `/api/hazards/${lapse.lapseHazardId}`)).json();
    expect(h).toMatchObject({ source: 'system', status: 'reported', enterpriseId: entPd });
    expect(h.description).toContain('王强');
    expect(h.description).not.toContain(ID);
    // Major where the enterprise's standard names uncertified special operators, citing that clause.
    if (h.grade === 'major') {
      const clause = await t.database.db.selectFrom('standard_clauses').select('text').where('id', '=', h.clauseIds[0]).executeTakeFirstOrThrow();
      expect(clause.text).toContain('特种作业');
    } else expect(h.clauseIds).toEqual([]);
    // On the cockpit like any other hazard, and in the enterprise's own ledger.
    expect(await systemOpen()).toBe(before + 1);
    expect((await get('ent-pd', '/api/hazards?source=system')).json().items.map((x: { id: string }) => x.id)).toContain(h.id);
    // Exactly once: the daily watch, twice, adds nothing.
    const ran = await runCertificateWatch(t.ctx, new Date());
    expect(ran.lapses).toBe(0);
    expect((await runCertificateWatch(t.ctx, new Date())).lapses).toBe(0);
    expect(await t.database.db.selectFrom('certificate_lapses').select('hazard_id').where('enterprise_id', '=', entPd).execute()).toHaveLength(1);
    expect((await get('ent-pd', '/api/certificates?expired=true')).json().items.map((x: { id: string }) => x.id)).toContain(old.json().id);
    // A valid certificate of the same holder and operation closes it (a platform step), and the old one reads renewed.
    const renewed = await send('ent-pd', 'POST', '/api/certificates', cert({ validFrom: addDays(today, -2), validTo: addDays(today, 6 * 365) }));
    expect(renewed.statusCode, renewed.body).toBe(201);
    expect(renewed.json().hazardsClosed).toEqual([h.id]);
    const closed = (await get('ent-pd', `/api/hazards/${h.id}`)).json();
    expect(closed.status).toBe('closed');
    expect(closed.events.at(-1)).toMatchObject({ action: 'resolve', actorName: '系统核验' });
    expect(await systemOpen()).toBe(before);
    expect((await get('ent-pd', `/api/certificates/${old.json().id}`)).json().renewed).toBe(true);
    expect((await get('ent-pd', '/api/certificates?expired=true')).json().items.map((x: { id: string }) => x.id)).not.toContain(old.json().id);
    // Nobody can report a hazard as 系统核验 themselves.
    const posed = await send('pudong', 'POST', '/api/hazards', { enterpriseId: entPd, description: '冒充系统核验', location: '车间', grade: 'general', clauseIds: [], source: 'system', foundAt: new Date().toISOString() });
    expect(posed.statusCode).toBe(400);
  });

  it('keeps an ID number typed as the certificate number masked; a renewal may keep its number; a renewal ahead of its start closes the lapse when in force; an older certificate is history', async () => {
    const id2 = idOf('31011519700304561');
    await send('ent-pd', 'PUT', `/api/enterprises/${entPd}/special-operations`, { operations: ['welding', 'work_at_height'] });
    // 证号 = the holder's ID number: kept masked everywhere.
    const lapsed = await send('ent-pd', 'POST', '/api/certificates', cert({ holderName: '钱七', idNumber: id2, operation: 'work_at_height', number: id2, validFrom: addDays(today, -2200), validTo: addDays(today, -3) }));
    expect(lapsed.statusCode, lapsed.body).toBe(201);
    expect(lapsed.json().number).toBe(maskIdNumber(id2));
    expect(lapsed.json().hazardsOpened).toHaveLength(1);
    const hz = await get('ent-pd', `/api/hazards/${lapsed.json().hazardsOpened[0]}`);
    for (const b of [lapsed.body, hz.body, (await get('pudong', '/api/audit?pageSize=200')).body]) expect(b).not.toContain(id2);
    expect((await get('ent-pd', `/api/certificates?q=${id2.slice(0, 10)}`)).json().total).toBe(0);
    // Renewed ahead of its start (same number, as 复审 keeps it): not yet; the daily pass closes the lapse once it is in force.
    const ahead = await send('ent-pd', 'POST', '/api/certificates', cert({ holderName: '钱七', idNumber: id2, operation: 'work_at_height', number: id2, validFrom: addDays(today, 2), validTo: addDays(today, 2000) }));
    expect(ahead.statusCode, ahead.body).toBe(201);
    expect(ahead.json()).toMatchObject({ state: 'not_yet', hazardsClosed: [] });
    expect((await send('ent-pd', 'POST', '/api/certificates', cert({ holderName: '钱七', idNumber: id2, operation: 'work_at_height', number: id2, validFrom: addDays(today, 2), validTo: addDays(today, 2000) }))).statusCode).toBe(409);
    expect((await runCertificateWatch(t.ctx, new Date())).renewed).toBe(0);
    expect((await runCertificateWatch(t.ctx, new Date(Date.now() + 3 * 86_400_000))).renewed).toBe(1);
    expect((await get('ent-pd', `/api/hazards/${lapsed.json().hazardsOpened[0]}`)).json().status).toBe('closed');
    // Two expired certificates of one welder, however they come: one hazard for the person.
    const id3 = idOf('31011519750505123');
    const older = await send('ent-pd', 'POST', '/api/certificates', cert({ holderName: '孙八', idNumber: id3, validFrom: addDays(today, -4000), validTo: addDays(today, -2000) }));
    const newer = await send('ent-pd', 'POST', '/api/certificates', cert({ holderName: '孙八', idNumber: id3, validFrom: addDays(today, -2000), validTo: addDays(today, -5) }));
    expect(older.json().hazardsOpened.length + newer.json().hazardsOpened.length).toBe(1);
    expect((await get('ent-pd', `/api/certificates/${older.json().id}`)).json().renewed).toBe(true);
    expect((await runCertificateWatch(t.ctx, new Date())).lapses).toBe(0);
    // Declared later over two old certificates: the latest only.
    const id4 = idOf('31011519750505456');
    await send('ent-pd', 'PUT', `/api/enterprises/${entPd}/special-operations`, { operations: ['welding', 'work_at_height'] });
    const a = await send('ent-pd', 'POST', '/api/certificates', cert({ holderName: '周九', idNumber: id4, operation: 'refrigeration', validFrom: addDays(today, -4000), validTo: addDays(today, -2000) }));
    const b = await send('ent-pd', 'POST', '/api/certificates', cert({ holderName: '周九', idNumber: id4, operation: 'refrigeration', validFrom: addDays(today, -2000), validTo: addDays(today, -5) }));
    expect(a.json().hazardsOpened.length + b.json().hazardsOpened.length).toBe(0);
    const declared = await send('ent-pd', 'PUT', `/api/enterprises/${entPd}/special-operations`, { operations: ['welding', 'work_at_height', 'refrigeration'] });
    expect(declared.json().operations.find((o: { code: string }) => o.code === 'refrigeration').lapsed).toBe(1);
    expect((await get('ent-pd', `/api/certificates/${b.json().id}`)).json().lapseHazardId).toBeTruthy();
    expect((await get('ent-pd', `/api/certificates/${a.json().id}`)).json().lapseHazardId).toBeNull();
  });

  it('lists what expires within 60 days and tells the enterprise once', async () => {
    const soon = (await send('pudong', 'POST', '/api/certificates', cert({ holderName: '李四', idNumber: idOf('31011519900101222'), operation: 'electrical', validFrom: addDays(today, -300), validTo: addDays(today, 30) }))).json();
    const later = (await send('pudong', 'POST', '/api/certificates', cert({ holderName: '赵六', idNumber: idOf('31011519900101333'), operation: 'electrical', validFrom: addDays(today, -300), validTo: addDays(today, 90) }))).json();
    const listed = (await get('ent-pd', '/api/certificates?expiring=60&pageSize=200')).json();
    const ids = listed.items.map((x: { id: string }) => x.id);
    expect(ids).toContain(soon.id);
    expect(ids).not.toContain(later.id);
    expect(listed.items.every((x: { daysLeft: number; state: string }) => x.daysLeft >= 0 && x.daysLeft <= 60 && x.state === 'expiring')).toBe(true);
    const told = async () => (await t.database.db.selectFrom('notifications').select('id').where('kind', '=', 'certificate.expiring').execute()).length;
    expect((await runCertificateWatch(t.ctx, new Date())).expiring).toBeGreaterThan(0);
    const once = await told();
    expect(once).toBeGreaterThan(0);
    await runCertificateWatch(t.ctx, new Date());
    expect(await told()).toBe(once);
    const notes = (await get('ent-pd', '/api/notifications?pageSize=100')).json();
    expect(JSON.stringify(notes)).toContain(soon.number);
    expect(JSON.stringify(notes)).not.toContain(later.number);
  });

  it('keeps certificates to their enterprise and its offices', async () => {
    const mine = (await get('pudong', '/api/certificates?pageSize=200')).json();
    expect(mine.total).toBeGreaterThan(0);
    expect((await get('huangpu', '/api/certificates')).json().total).toBe(0);
    expect((await get('huangpu', `/api/certificates/${mine.items[0].id}`)).statusCode).toBe(404);
    expect((await get('ent-hp', `/api/certificates/${mine.items[0].id}`)).statusCode).toBe(404);
    expect((await get('expert-1', '/api/certificates')).json().total).toBe(0);
    expect((await get('custodian', '/api/certificates')).json().total).toBe(0);
    expect((await send('ent-hp', 'POST', '/api/certificates', cert())).json().code).toBe('UNKNOWN_ENTERPRISE');
    expect((await send('expert-1', 'POST', '/api/certificates', cert())).statusCode).toBe(403);
    expect((await send('huangpu', 'PUT', `/api/enterprises/${entPd}/special-operations`, { operations: [] })).json().code).toBe('UNKNOWN_ENTERPRISE');
    expect((await get('city', '/api/certificates?pageSize=1')).json().total).toBe(mine.total);
    // A certificate number is recorded once.
    const n = mine.items[0].number;
    expect((await send('pudong', 'POST', '/api/certificates', cert({ number: n, kind: mine.items[0].kind, operation: mine.items[0].operation ?? undefined }))).statusCode).toBe(409);
  });

  it('records standardization: the level in force feeds the matrix; expiry falls back to 未定级; the benchmark is shown', async () => {
    expect((await send('ent-pd', 'PUT', `/api/enterprises/${entPd}/standardization`, { level: 'level1', certificateNo: 'AQBⅡ-001', issuer: '上海市应急管理局', validFrom: today })).statusCode).toBe(403);
    const set = await send('pudong', 'PUT', `/api/enterprises/${entPd}/standardization`, { level: 'level2', certificateNo: 'AQB-SH-2025-0001', issuer: '上海市应急管理局', validFrom: addDays(today, -30), benchmark: { reason: '用体系管安全：双重预防机制运行规范', since: addDays(today, -10) } });
    expect(set.statusCode, set.body).toBe(200);
    expect(set.json()).toMatchObject({ levelInForce: 'level2', expired: false, current: { level: 'level2', validTo: threeYearsFrom(addDays(today, -30)) }, benchmark: { reason: '用体系管安全：双重预防机制运行规范' } });
    expect((await t.database.db.selectFrom('enterprises').select('standardization_level').where('id', '=', entPd).executeTakeFirstOrThrow()).standardization_level).toBe('level2');
    expect((await get('ent-pd', `/api/enterprises/${entPd}/standardization`)).json()).toMatchObject({ levelInForce: 'level2', mayEdit: false });
    expect((await get('huangpu', `/api/enterprises/${entPd}/standardization`)).statusCode).toBe(404);
    // 小微 counts as 未定级 in the matrix.
    const small = await send('city', 'PUT', `/api/enterprises/${entHp}/standardization`, { level: 'small', certificateNo: 'XW-2025-9', issuer: '黄浦区应急管理局', validFrom: addDays(today, -5) });
    expect(small.json()).toMatchObject({ levelInForce: 'none', current: { level: 'small' } });
    // A record that ran out: 未定级 after the daily pass, and flagged.
    await send('pudong', 'PUT', `/api/enterprises/${entPd}/standardization`, { level: 'level3', certificateNo: 'AQB-SH-2021-0777', issuer: '浦东新区应急管理局', validFrom: addDays(today, -1100), validTo: addDays(today, -5) });
    const later = new Date(Date.now() + 3 * 365 * 86_400_000);
    await runCertificateWatch(t.ctx, later);
    expect((await t.database.db.selectFrom('enterprises').select('standardization_level').where('id', '=', entPd).executeTakeFirstOrThrow()).standardization_level).toBe('none');
    expect((await send('pudong', 'PUT', `/api/enterprises/${entPd}/standardization`, { level: 'level3', certificateNo: 'X-1', issuer: '浦东新区应急管理局', validFrom: today, validTo: addDays(today, -1) })).json().errors[0].path).toBe('validTo');
    // The register reads the record in force, as the page does: ent-pd's level 2 (an older, expired record entered later does not count);
    // an enterprise whose only record ran out is expired; the benchmark listed; Huangpu sees only its own.
    const other = (await t.database.db.selectFrom('enterprises').select('id').where('district_code', '=', '310115').where('id', '<>', entPd).limit(1).executeTakeFirstOrThrow()).id;
    await send('pudong', 'PUT', `/api/enterprises/${other}/standardization`, { level: 'level3', certificateNo: 'AQB-SH-2020-0001', issuer: '浦东新区应急管理局', validFrom: addDays(today, -1200), validTo: addDays(today, -100) });
    const expired = (await get('city', '/api/standardizations?expired=true&pageSize=200')).json();
    expect(expired.items.map((x: { enterpriseId: string }) => x.enterpriseId)).toEqual([other]);
    expect((await get('city', `/api/enterprises/${other}/standardization`)).json()).toMatchObject({ expired: true, levelInForce: 'none' });
    expect((await get('city', '/api/standardizations?pageSize=200')).json().items.find((x: { enterpriseId: string }) => x.enterpriseId === entPd)).toMatchObject({ level: 'level2', expired: false });
    const bench = (await get('pudong', '/api/standardizations?benchmark=true')).json();
    expect(bench.items).toMatchObject([{ enterpriseId: entPd, benchmark: { reason: '用体系管安全：双重预防机制运行规范' } }]);
    expect((await get('huangpu', '/api/standardizations?pageSize=200')).json().items.map((x: { enterpriseId: string }) => x.enterpriseId)).toEqual([entHp]);
  });
});

describe.each(DIALECTS)('the #20 migration on %s', (dialect) => {
  it('widens the hazard sources in place once, runs again over itself without harm, and keeps the old sources', async () => {
    const database = await openTestDatabase(dialect);
    try {
      await migrateToLatest(database);
      await risksMigration(database.db, database.dialect, database);
      await risksMigration(database.db, database.dialect, database);
      await loadReferenceData(database.db, new Date().toISOString());
      const ent = await database.db.selectFrom('regions').select('code').where('level', '=', 'district').limit(1).executeTakeFirstOrThrow();
      await sql`insert into enterprises (id, city_code, district_code, uscc, name, address, industry_code, principal_name, risk_class, standardization_level, version, created_at, updated_at) values ('e1', '310000', ${ent.code}, '91310000MA1FL00001', '测试企业', '地址', '34', '负责人', 'general', 'none', 1, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')`.execute(database.db);
      const at = Date.UTC(2026, 0, 1); // instants as stored (db/instants.ts)
      const hazard = (id: string, num: number, source: string) =>
        sql`insert into hazards (id, num, code, city_code, district_code, enterprise_id, industry_code, description, location, grade, source, found_by_name, found_at, supervision_level, status, version, search_tokens, created_at, updated_at) values (${id}, ${num}, ${id}, '310000', ${ent.code}, 'e1', '34', '描述', '地点', 'general', ${source}, '某人', ${at}, 'none', 'reported', 1, '', ${at}, ${at})`.execute(database.db);
      await hazard('h1', 1, 'system');
      await hazard('h2', 2, 'transfer');
      await expect(hazard('h3', 3, 'psychic')).rejects.toThrow();
      if (dialect === 'sqlite') {
        const { rows } = await sql<{ sql: string }>`select sql from sqlite_schema where type = 'table' and name = 'hazards'`.execute(database.db);
        expect(rows[0].sql.split("'system'").length - 1).toBe(1);
      }
    } finally {
      await database.drop();
    }
  });
});
