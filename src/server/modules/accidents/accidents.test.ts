import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { MIGRATIONS } from '../../db/migrations';
import { DIALECTS, PNG_1x1, createTestApp, multipart, openTestDatabase, type TestApp } from '../../test/harness';
import { trendVerdict } from './trends';

describe('the trend verdict against the same period last year', () => {
  it('rises when either rose, falls when neither rose and one fell, else is flat', () => {
    expect(trendVerdict({ accidents: 3, deaths: 2 }, { accidents: 4, deaths: 2 })).toBe('falling');
    expect(trendVerdict({ accidents: 3, deaths: 1 }, { accidents: 3, deaths: 2 })).toBe('falling');
    expect(trendVerdict({ accidents: 2, deaths: 3 }, { accidents: 4, deaths: 2 })).toBe('rising');
    expect(trendVerdict({ accidents: 5, deaths: 0 }, { accidents: 4, deaths: 2 })).toBe('rising');
    expect(trendVerdict({ accidents: 4, deaths: 2 }, { accidents: 4, deaths: 2 })).toBe('flat');
    expect(trendVerdict({ accidents: 0, deaths: 0 }, { accidents: 0, deaths: 0 })).toBe('flat');
  });
});

/** 生产安全事故 (#19), the registry on both databases: the computed grade, late reports, supplements, 瞒报, the investigation, scope. */
describe.each(DIALECTS)('the accident registry on %s', (dialect) => {
  let t: TestApp;
  let clock = Date.parse('2026-11-16T02:00:00Z');
  const who = ['city', 'pudong', 'huangpu', 'ent-pd', 'ent-hp', 'expert-1', 'custodian'] as const;
  type Who = (typeof who)[number];
  const c = {} as Record<Who, string>;
  let entPd: string;

  beforeAll(async () => {
    t = await createTestApp(dialect, { demo: true, demoCount: 40, now: () => new Date(clock), config: { SESSION_IDLE_MINUTES: 10_000_000, SESSION_ABSOLUTE_HOURS: 100_000 } });
    for (const k of who) c[k] = await t.login(k);
    entPd = (await t.database.db.selectFrom('users').select('enterprise_id').where('username', '=', 'ent-pd').executeTakeFirstOrThrow()).enterprise_id!;
  });
  afterAll(() => t?.close());

  const get = (k: Who, url: string) => t.as(c[k], { method: 'GET', url });
  const post = (k: Who, url: string, payload: unknown) => t.as(c[k], { method: 'POST', url, payload: payload as object });
  const accident = (over: object = {}) => ({ occurredAt: '2026-11-15T01:00:00.000Z', reportedAt: '2026-11-15T02:01:00.000Z', enterpriseId: entPd, place: '厂区二号车间', category: '机械伤害', deaths: 2, missing: 0, seriousInjuries: 1, directLossYuan: 1_200_000, narrative: '操作工在清理设备时被卷入，未停机断电。', ...over });

  it('records an accident with its grade computed and its late report flagged; the supplement window moves the grade, then closes', async () => {
    clock = Date.parse('2026-11-16T02:00:00Z');
    const made = await post('pudong', '/api/accidents', accident());
    expect(made.statusCode, made.body).toBe(201);
    const a = made.json();
    expect(a).toMatchObject({ code: 'SG-310115-2026-000001', grade: 'general', reportedLate: true, districtCode: '310115', enterpriseId: entPd, investigation: 'pending', concealment: 'none' });
    expect(a.gradeReason).toContain('均未达到较大事故标准');
    expect(a.allowed).toEqual(['edit', 'casualties', 'concealment', 'investigate']);
    expect(a.supplementUntil).toBe('2026-12-15T01:00:00.000Z');
    // Exactly one hour is on time.
    expect((await post('pudong', '/api/accidents', accident({ reportedAt: '2026-11-15T02:00:00.000Z' }))).json().reportedLate).toBe(false);
    // A third death within the window: 较大, an event with the figures before and after.
    const up = await post('pudong', `/api/accidents/${a.id}/casualties`, { version: 1, deaths: 3, missing: 0, seriousInjuries: 1, directLossYuan: 1_200_000, note: '一名重伤人员抢救无效死亡' });
    expect(up.statusCode, up.body).toBe(200);
    expect(up.json()).toMatchObject({ grade: 'larger', deaths: 3, version: 2 });
    expect(up.json().gradeReason).toBe('死亡3人（≥3），达到较大事故标准');
    expect(up.json().events.at(-1)).toMatchObject({ action: 'casualties', data: { gradeBefore: 'general', grade: 'larger', before: { deaths: 2 }, after: { deaths: 3 } } });
    expect((await get('city', '/api/accidents?grade=larger')).json().items.map((x: { id: string }) => x.id)).toContain(a.id);
    // A stale version, then the window closed.
    expect((await post('pudong', `/api/accidents/${a.id}/casualties`, { version: 1, deaths: 4, missing: 0, seriousInjuries: 1, directLossYuan: 0, note: '再次补报' })).json().code).toBe('VERSION_CONFLICT');
    clock = Date.parse('2026-12-15T01:00:01Z');
    expect((await post('pudong', `/api/accidents/${a.id}/casualties`, { version: 2, deaths: 4, missing: 0, seriousInjuries: 1, directLossYuan: 0, note: '超期补报' })).json().code).toBe('INVALID_TRANSITION');
    expect((await get('pudong', `/api/accidents/${a.id}`)).json().allowed).not.toContain('casualties');
    // Fire: seven days.
    clock = Date.parse('2026-11-16T02:00:00Z');
    const fire = (await post('pudong', '/api/accidents', accident({ category: '火灾', fireOrRoad: true }))).json();
    expect(fire.supplementUntil).toBe('2026-11-22T01:00:00.000Z');
  });

  it('refuses bad figures and places, and what a role may not do; each sees only its own', async () => {
    clock = Date.parse('2026-11-16T02:00:00Z');
    const bad = async (body: object, path: string, k: Who = 'pudong') => {
      const r = (await post(k, '/api/accidents', accident(body))).json();
      expect(r.errors?.[0]?.path, JSON.stringify(body)).toBe(path);
    };
    await bad({ reportedAt: '2026-11-15T00:59:00.000Z' }, 'reportedAt');
    await bad({ occurredAt: '2026-11-17T01:00:00.000Z', reportedAt: '2026-11-17T01:10:00.000Z' }, 'occurredAt');
    await bad({ category: '爆炸' }, 'category');
    await bad({ deaths: -1 }, 'deaths');
    await bad({ enterpriseId: undefined }, 'districtCode');
    await bad({ enterpriseId: undefined, districtCode: '310115', streetCode: '310101002' }, 'streetCode');
    await bad({ enterpriseId: undefined, districtCode: '310115', industryCode: 'C' }, 'industryCode');
    await bad({ enterpriseId: undefined, districtCode: '310199' }, 'districtCode');
    expect((await post('huangpu', '/api/accidents', accident())).json().code).toBe('UNKNOWN_ENTERPRISE');
    expect((await post('huangpu', '/api/accidents', accident({ enterpriseId: undefined, districtCode: '310115' }))).json().code).toBe('FORBIDDEN');
    for (const k of ['ent-pd', 'expert-1', 'custodian'] as const) expect((await post(k, '/api/accidents', accident())).json().code, k).toBe('FORBIDDEN');
    const pd = (await get('pudong', '/api/accidents')).json();
    expect(pd.total).toBeGreaterThanOrEqual(3);
    expect((await get('huangpu', '/api/accidents')).json().total).toBe(0);
    expect((await get('huangpu', `/api/accidents/${pd.items[0].id}`)).statusCode).toBe(404);
    expect((await get('ent-pd', '/api/accidents')).json().total).toBe(pd.total);
    expect((await get('ent-hp', '/api/accidents')).json().total).toBe(0);
    expect((await get('expert-1', '/api/accidents')).json().total).toBe(0);
    expect((await get('custodian', '/api/accidents')).json().total).toBe(0);
    expect((await post('ent-pd', `/api/accidents/${pd.items[0].id}/investigation`, { version: pd.items[0].version, leadBy: '企业自查' })).json().code).toBe('FORBIDDEN');
    // Dates are Shanghai days: 09:00 on 15 November (01:00Z) is on the 15th.
    expect((await get('city', '/api/accidents?from=2026-11-15&to=2026-11-15')).json().total).toBe(pd.total);
    expect((await get('city', '/api/accidents?from=2026-11-16')).json().total).toBe(0);
    expect((await get('city', '/api/accidents?reportedLate=true')).json().items.every((x: { reportedLate: boolean }) => x.reportedLate)).toBe(true);
  });

  it('marks concealment, and concludes an investigation with its report and the hazards it found on the ledger', async () => {
    clock = Date.parse('2026-11-20T02:00:00Z');
    const a = (await post('pudong', '/api/accidents', accident({ deaths: 0, seriousInjuries: 0, occurredAt: '2026-11-19T01:00:00.000Z', reportedAt: '2026-11-19T01:30:00.000Z' }))).json();
    expect((await post('pudong', `/api/accidents/${a.id}/concealment`, { version: 1, concealment: 'concealed', note: '企业未按规定报告，经举报核实', tipId: '018f0000-0000-7000-8000-000000000000' })).json().errors[0].path).toBe('tipId');
    const hid = await post('pudong', `/api/accidents/${a.id}/concealment`, { version: 1, concealment: 'concealed', note: '企业未按规定报告，经核实' });
    expect(hid.json()).toMatchObject({ concealment: 'concealed', version: 2 });
    expect((await get('city', '/api/accidents?concealed=true')).json().items.map((x: { id: string }) => x.id)).toContain(a.id);
    expect((await post('pudong', `/api/accidents/${a.id}/investigation/conclude`, { version: 2, reportFileIds: [], responsibility: '企业主要负责人未履行职责' })).json().code).toBe('VALIDATION_FAILED');
    expect((await post('pudong', `/api/accidents/${a.id}/investigation`, { version: 2, leadBy: '浦东新区应急管理局' })).json()).toMatchObject({ investigation: 'investigating', investigationLeadBy: '浦东新区应急管理局' });
    const file = (await t.as(c.pudong, { method: 'POST', url: '/api/files', ...multipart('file', 'report.png', PNG_1x1, 'image/png') })).json().id as string;
    const hazards = async () => Number((await t.database.db.selectFrom('hazards').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    const before = await hazards();
    const done = await post('pudong', `/api/accidents/${a.id}/investigation/conclude`, { version: 3, reportFileIds: [file], responsibility: '企业未落实设备检修停机断电制度，主要负责人负有责任。', findings: [{ description: '设备检修未执行停机断电挂牌制度', grade: 'general', deadline: '2026-11-30' }] });
    expect(done.statusCode, done.body).toBe(200);
    expect(done.json()).toMatchObject({ investigation: 'concluded', reportFileIds: [file], allowed: ['edit', 'casualties'] });
    expect(done.json().hazardIds).toHaveLength(1);
    expect(await hazards()).toBe(before + 1);
    const h = await t.database.db.selectFrom('hazards').select(['source', 'enterprise_id']).where('id', '=', done.json().hazardIds[0]).executeTakeFirstOrThrow();
    expect(h).toEqual({ source: 'accident_investigation', enterprise_id: entPd });
    expect((await t.database.db.selectFrom('hazard_origins').select(['origin_type', 'origin_id']).where('hazard_id', '=', done.json().hazardIds[0]).executeTakeFirstOrThrow())).toEqual({ origin_type: 'accident', origin_id: a.id });
    // The report: read by whoever sees the accident.
    expect((await t.as(c.city, { method: 'GET', url: `/api/files/${file}` })).statusCode).toBe(200);
    expect((await t.as(c.huangpu, { method: 'GET', url: `/api/files/${file}` })).statusCode).toBe(404);
    expect((await post('pudong', `/api/accidents/${a.id}/investigation`, { version: 4, leadBy: '再查' })).json().code).toBe('INVALID_TRANSITION');
  });
  it('grades by the threshold rule in force on the accident’s day (a new version counts the missing with the dead)', async () => {
    clock = Date.parse('2026-11-16T02:00:00Z');
    const admin = await t.login('admin');
    const rules = (await t.as(admin, { method: 'GET', url: '/api/rules' })).json().items.map((r: { key: string }) => r.key);
    expect(rules).toEqual(expect.arrayContaining(['accidents.grade_thresholds', 'accidents.reporting']));
    const value = { larger: { deaths: 3, seriousInjuries: 10, lossYuan: 10_000_000 }, major: { deaths: 10, seriousInjuries: 50, lossYuan: 50_000_000 }, extraordinary: { deaths: 30, seriousInjuries: 100, lossYuan: 100_000_000 }, missingCountAsDeaths: true };
    expect((await t.as(admin, { method: 'PUT', url: '/api/rules/accidents.grade_thresholds', payload: { value: { ...value, major: { ...value.major, deaths: 3 } }, effectiveFrom: '2026-11-17', sourceNote: '测试' } })).json().code).toBe('VALIDATION_FAILED');
    const set = await t.as(admin, { method: 'PUT', url: '/api/rules/accidents.grade_thresholds', payload: { value, effectiveFrom: '2026-11-17', sourceNote: '测试：失踪计入死亡' } });
    expect(set.statusCode, set.body).toBe(200);
    clock = Date.parse('2026-11-18T02:00:00Z');
    // 23:30 on 16 November in Shanghai is the day before the new version; 00:30 on the 17th is under it.
    const before = (await post('pudong', '/api/accidents', accident({ occurredAt: '2026-11-16T15:30:00.000Z', reportedAt: '2026-11-16T16:00:00.000Z', deaths: 2, missing: 1 }))).json();
    const after = (await post('pudong', '/api/accidents', accident({ occurredAt: '2026-11-16T16:30:00.000Z', reportedAt: '2026-11-16T17:00:00.000Z', deaths: 2, missing: 1 }))).json();
    expect([before.grade, after.grade]).toEqual(['general', 'larger']);
  });

  it('trends: this year to today against the same period last year, by month and district, with the verdict', async () => {
    clock = Date.parse('2026-11-20T02:00:00Z');
    const before = (await get('city', '/api/accidents/trends')).json();
    // Last year: one within the same period (10 November), one after it (20 December) — only the first is compared.
    await post('huangpu', '/api/accidents', { ...accident({ enterpriseId: undefined, districtCode: '310101', occurredAt: '2025-11-10T01:00:00.000Z', reportedAt: '2025-11-10T01:20:00.000Z', deaths: 1 }) });
    await post('huangpu', '/api/accidents', { ...accident({ enterpriseId: undefined, districtCode: '310101', occurredAt: '2025-12-20T01:00:00.000Z', reportedAt: '2025-12-20T01:20:00.000Z', deaths: 4 }) });
    const tr = (await get('city', '/api/accidents/trends')).json();
    expect(tr).toMatchObject({ year: 2026, from: '2026-01-01', to: '2026-11-20', lastYearTo: '2025-11-20' });
    expect(tr.total.lastYear).toEqual({ accidents: before.total.lastYear.accidents + 1, deaths: before.total.lastYear.deaths + 1 });
    const hp = tr.districts.find((d: { key: string }) => d.key === '310101');
    expect(hp).toMatchObject({ name: '黄浦区', accidents: 0, deaths: 0, lastYear: { accidents: 1, deaths: 1 }, verdict: 'falling' });
    const pd = tr.districts.find((d: { key: string }) => d.key === '310115');
    const pdList = (await get('city', '/api/accidents?districtCode=310115&from=2026-01-01&to=2026-11-20&pageSize=200')).json();
    expect(pd.accidents).toBe(pdList.total);
    expect(pd.deaths).toBe(pdList.items.reduce((n: number, a: { deaths: number }) => n + a.deaths, 0));
    expect(pd.verdict).toBe('rising');
    expect(tr.months.find((m: { key: string }) => m.key === '2026-11').accidents).toBe(pdList.total);
    expect(tr.total.verdict).toBe('rising');
    // A whole past year: the 20 December one counts; Huangpu's officers see their district only.
    const y2025 = (await get('huangpu', '/api/accidents/trends?year=2025')).json();
    expect(y2025.districts.map((d: { key: string }) => d.key)).toEqual(['310101']);
    expect(y2025.total).toMatchObject({ accidents: 2, deaths: 5, verdict: 'rising' });
  });

  it('grades at every threshold edge (the highest criterion wins), refuses a grade sent by the client, and regrades after a PATCH', async () => {
    clock = Date.parse('2026-11-20T02:00:00Z');
    const base = { occurredAt: '2026-11-20T01:00:00.000Z', districtCode: '310115', category: '坍塌', deaths: 0, seriousInjuries: 0, directLossYuan: 0, narrative: '基坑边坡坍塌，作业人员被埋压。' };
    const cases: [object, string][] = [
      [{ deaths: 2 }, 'general'], [{ deaths: 3 }, 'larger'], [{ deaths: 9 }, 'larger'], [{ deaths: 10 }, 'major'], [{ deaths: 29 }, 'major'], [{ deaths: 30 }, 'extraordinary'],
      [{ seriousInjuries: 9 }, 'general'], [{ seriousInjuries: 10 }, 'larger'], [{ seriousInjuries: 49 }, 'larger'], [{ seriousInjuries: 50 }, 'major'], [{ seriousInjuries: 99 }, 'major'], [{ seriousInjuries: 100 }, 'extraordinary'],
      [{ directLossYuan: 9_999_999 }, 'general'], [{ directLossYuan: 10_000_000 }, 'larger'], [{ directLossYuan: 49_999_999 }, 'larger'], [{ directLossYuan: 50_000_000 }, 'major'], [{ directLossYuan: 99_999_999 }, 'major'], [{ directLossYuan: 100_000_000 }, 'extraordinary'],
      [{ deaths: 1, seriousInjuries: 12, directLossYuan: 60_000_000 }, 'major'], [{ deaths: 31, seriousInjuries: 0, directLossYuan: 0 }, 'extraordinary'],
    ];
    for (const [over, grade] of cases) {
      const r = await post('pudong', '/api/accidents', { ...base, ...over });
      expect(r.statusCode, r.body).toBe(201);
      expect(r.json().grade, JSON.stringify(over)).toBe(grade);
    }
    // Reported when recorded when the time is left out; the place is the district's name then.
    const plain = (await post('pudong', '/api/accidents', base)).json();
    expect(plain).toMatchObject({ reportedAt: '2026-11-20T02:00:00.000Z', reportedLate: false, place: '浦东新区', missing: 0 });
    const sent = (await post('pudong', '/api/accidents', { ...base, grade: 'general' })).json();
    expect(sent.code).toBe('VALIDATION_FAILED');
    expect(JSON.stringify(sent.errors)).toContain('grade');
    // PATCH: the description changes as an event; casualties within the window regrade; a stale version and nothing to change are refused.
    const patch = (body: object) => t.as(c.pudong, { method: 'PATCH', url: `/api/accidents/${plain.id}`, payload: body });
    const p1 = await patch({ version: 1, place: '浦东新区某工地三号基坑', note: '补充地点' });
    expect(p1.statusCode, p1.body).toBe(200);
    expect(p1.json()).toMatchObject({ place: '浦东新区某工地三号基坑', version: 2, grade: 'general' });
    expect(p1.json().events.at(-1)).toMatchObject({ action: 'edited', comment: '补充地点', data: { before: { place: '浦东新区' }, after: { place: '浦东新区某工地三号基坑' } } });
    const p2 = (await patch({ version: 2, deaths: 3, note: '三人经抢救无效死亡' })).json();
    expect(p2).toMatchObject({ deaths: 3, grade: 'larger', version: 3 });
    expect(p2.events.at(-1)).toMatchObject({ action: 'casualties', data: { gradeBefore: 'general', grade: 'larger' } });
    expect((await patch({ version: 2, narrative: '基坑边坡坍塌，三名作业人员被埋压。' })).json().code).toBe('VERSION_CONFLICT');
    expect((await patch({ version: 3, place: '浦东新区某工地三号基坑' })).json().code).toBe('VALIDATION_FAILED');
    expect((await patch({ version: 3, grade: 'general' })).json().code).toBe('VALIDATION_FAILED');
    expect((await t.as(c.huangpu, { method: 'PATCH', url: `/api/accidents/${plain.id}`, payload: { version: 3, place: '别处' } })).statusCode).toBe(404);
    expect((await t.as(c['ent-pd'], { method: 'PATCH', url: `/api/accidents/${plain.id}`, payload: { version: 3, place: '别处地点' } })).statusCode).toBe(404);
    clock = Date.parse('2026-12-21T02:00:00Z');
    expect((await patch({ version: 3, deaths: 4 })).json().code).toBe('INVALID_TRANSITION');
    expect((await patch({ version: 3, narrative: '基坑边坡坍塌，三名作业人员被埋压，经抢救无效死亡。' })).json().version).toBe(4);
  });

  it('stats: grouped totals equal the list, against the same days last year', async () => {
    clock = Date.parse('2026-11-21T02:00:00Z');
    const st = (await get('city', '/api/accidents/stats?groupBy=district&from=2026-01-01&to=2026-11-21')).json();
    const all = (await get('city', '/api/accidents?from=2026-01-01&to=2026-11-21&pageSize=200')).json();
    expect(st.total.accidents).toBe(all.total);
    expect(st.total.deaths).toBe(all.items.reduce((n: number, a: { deaths: number }) => n + a.deaths, 0));
    expect(st.total.directLossYuan).toBe(all.items.reduce((n: number, a: { directLossYuan: number }) => n + a.directLossYuan, 0));
    expect(st.total.largerOrAbove).toBe(all.items.filter((a: { grade: string }) => a.grade !== 'general').length);
    expect(st.rows).toHaveLength(16);
    expect(st.rows.reduce((n: number, r: { accidents: number }) => n + r.accidents, 0)).toBe(all.total);
    expect(st).toMatchObject({ lastYearFrom: '2025-01-01', lastYearTo: '2025-11-21' });
    expect(st.rows.find((r: { key: string }) => r.key === '310101')).toMatchObject({ name: '黄浦区', accidents: 0, lastYear: { accidents: 1, deaths: 1 }, verdict: 'falling' });
    for (const groupBy of ['category', 'month', 'industry']) {
      const g = (await get('city', `/api/accidents/stats?groupBy=${groupBy}&from=2026-01-01&to=2026-11-21`)).json();
      expect(g.rows.reduce((n: number, r: { accidents: number }) => n + r.accidents, 0), groupBy).toBe(all.total);
    }
    const months = (await get('city', '/api/accidents/stats?groupBy=month&from=2026-01-01&to=2026-11-21')).json();
    expect(months.rows.find((r: { key: string }) => r.key === '2026-11')).toMatchObject({ name: '2026年11月', lastYear: { accidents: 1 } });
    expect((await get('huangpu', '/api/accidents/stats?from=2026-01-01')).json().rows.map((r: { key: string }) => r.key)).toEqual(['310101']);
    expect((await get('city', '/api/accidents/stats?from=2026-02-01&to=2026-01-01')).json().code).toBe('VALIDATION_FAILED');
    expect((await get('city', '/api/accidents/stats?groupBy=street')).json().code).toBe('VALIDATION_FAILED');
  });
});

/** Migration 24 renames the stored grade on an existing database, and on SQLite finishes after being cut short. */
describe.each(DIALECTS)('the grade-code migration on %s', (dialect) => {
  it('turns especially_major into extraordinary in the rows and the rule, resumably', async () => {
    const database = await openTestDatabase(dialect);
    try {
      const db = database.db;
      for (const m of MIGRATIONS.slice(0, MIGRATIONS.findIndex((x) => x.name === '2026-12-06-24-accident-grade-codes'))) await m.up(db, database.dialect, database);
      const row = (id: string, grade: string) => ({ id, code: `SG-${id}`, city_code: '310000', district_code: '310115', street_code: null, industry_code: null, enterprise_id: null, occurred_at: '2025-01-01T00:00:00.000Z', reported_at: '2025-01-01T00:30:00.000Z', reported_late: 0, place: '某地', lng: null, lat: null, category: '坍塌', fire_or_road: 0, deaths: grade === 'general' ? 1 : 31, missing: 0, serious_injuries: 0, loss_yuan: 0, grade: grade as never, grade_reason: '—', narrative: '测试数据', concealment: 'none' as const, concealment_note: null, tip_id: null, investigation: 'pending' as const, investigation_lead_by: null, responsibility: null, report_file_ids_json: null, version: 1, created_by: null, created_at: '2025-01-01T00:30:00.000Z', updated_at: '2025-01-01T00:30:00.000Z' });
      await db.insertInto('accidents').values([row('a1', 'especially_major'), row('a2', 'general')]).execute();
      await db.insertInto('rule_versions').values({ id: 'r1', city_code: '310000', rule_key: 'accidents.grade_thresholds', effective_from: '2025-01-01', value_json: '{"larger":{},"major":{},"especially_major":{"deaths":30}}', source_note: '测试', set_by: null, created_at: '2025-01-01T00:00:00.000Z' }).execute();
      const m24 = MIGRATIONS.find((x) => x.name === '2026-12-06-24-accident-grade-codes')!;
      // Cut short on SQLite: the table set aside, nothing more.
      if (dialect === 'sqlite') await sql`alter table accidents rename to accidents_v1`.execute(db);
      await m24.up(db, database.dialect, database);
      const rows = await db.selectFrom('accidents').select(['id', 'grade']).orderBy('id').execute();
      expect(rows).toEqual([{ id: 'a1', grade: 'extraordinary' }, { id: 'a2', grade: 'general' }]);
      expect((await db.selectFrom('rule_versions').select('value_json').where('id', '=', 'r1').executeTakeFirstOrThrow()).value_json).toContain('"extraordinary"');
      await expect(db.insertInto('accidents').values(row('a3', 'especially_major')).execute()).rejects.toThrow();
    } finally {
      await database.drop();
    }
  });
});
