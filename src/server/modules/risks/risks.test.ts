import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, PNG_1x1, createTestApp, multipart, type TestApp } from '../../test/harness';
import { shanghaiDate } from '../../../shared/dates';
import { assess, checkInputs, RISK_METHOD_RULE } from './methods';

const RULE = RISK_METHOD_RULE.default;

describe('risk methods at their thresholds (the shipped rule)', () => {
  it('LEC: D ≥ 320 red, 160–320 orange, 70–160 yellow, below 70 blue — each bound inclusive from below', () => {
    const lec = (l: number, e: number, c: number) => assess('lec', { l, e, c }, RULE);
    expect(lec(10, 4, 8)).toMatchObject({ score: 320, level: 'red' });
    expect(lec(1, 1, 319.99).level).toBe('orange');
    expect(lec(4, 5, 8)).toMatchObject({ score: 160, level: 'orange' });
    expect(lec(1, 1, 159.99).level).toBe('yellow');
    expect(lec(1, 7, 10)).toMatchObject({ score: 70, level: 'yellow' });
    expect(lec(1, 1, 69.99).level).toBe('blue');
    expect(lec(0.1, 0.5, 1)).toMatchObject({ score: 0.05, level: 'blue' });
    expect(lec(3, 6, 15).reason).toBe('D = 3 × 6 × 15 = 270，≥ 160 且 < 320：较大风险');
    expect(lec(3, 6, 15).reasonEn).toBe('D = 3 × 6 × 15 = 270, ≥ 160 and < 320: High (orange)');
  });
  it('LS: R = L × S banded at 20 / 15 / 9; the matrix agrees cell by cell until changed', () => {
    const ls = (l: number, s: number) => assess('ls', { l, s }, RULE);
    expect([ls(4, 5), ls(5, 5)].map((x) => x.level)).toEqual(['red', 'red']);
    expect([ls(3, 5), ls(4, 4), ls(3, 3), ls(4, 2), ls(2, 4), ls(1, 5)].map((x) => [x.score, x.level])).toEqual([[15, 'orange'], [16, 'orange'], [9, 'yellow'], [8, 'blue'], [8, 'blue'], [5, 'blue']]);
    for (let l = 1; l <= 5; l++) for (let s = 1; s <= 5; s++) expect(assess('matrix', { likelihood: l, severity: s }, RULE).level).toBe(ls(l, s).level);
    const changed = { ...RULE, matrix: RULE.matrix.map((row, i) => row.map((lv, j) => (i === 0 && j === 0 ? 'red' : lv))) };
    expect(assess('matrix', { likelihood: 1, severity: 1 }, changed)).toMatchObject({ level: 'red', reason: '风险矩阵 可能性 1 × 严重性 1：重大风险' });
  });
  it('refuses inputs of another method or out of range, naming the field', () => {
    expect(checkInputs('lec', { l: 1, e: 2 })).toMatchObject({ ok: false, errors: [{ path: 'inputs.c' }] });
    expect(checkInputs('ls', { l: 6, s: 1 })).toMatchObject({ ok: false, errors: [{ path: 'inputs.l' }] });
    expect(checkInputs('matrix', { likelihood: 1, severity: 1, level: 'red' })).toMatchObject({ ok: false, errors: [{ code: 'unknown_field' }] });
    expect(checkInputs('lec', { l: 0, e: 1, c: 1 })).toMatchObject({ ok: false, errors: [{ path: 'inputs.l' }] });
  });
});

/** 城市安全风险清单 (#20) on both databases: computed levels, the thresholds as a rule, hazards linked and flagged, rounds, scope. */
describe.each(DIALECTS)('the city risk list on %s', (dialect) => {
  let t: TestApp;
  const who = ['admin', 'city', 'pudong', 'huangpu', 'lujiazui', 'yjj', 'ent-pd', 'ent-hp', 'expert-1', 'custodian'] as const;
  type Who = (typeof who)[number];
  const c = {} as Record<Who, string>;
  let entPd: string;
  let entHp: string;

  beforeAll(async () => {
    t = await createTestApp(dialect, { demo: true, demoCount: 40, demoHazards: 120 });
    for (const k of who) c[k] = await t.login(k);
    const ent = async (u: string) => (await t.database.db.selectFrom('users').select('enterprise_id').where('username', '=', u).executeTakeFirstOrThrow()).enterprise_id!;
    entPd = await ent('ent-pd');
    entHp = await ent('ent-hp');
  });
  afterAll(() => t?.close());

  const get = (k: Who, url: string) => t.as(c[k], { method: 'GET', url });
  const send = (k: Who, method: 'POST' | 'PATCH' | 'PUT' | 'DELETE', url: string, payload?: unknown) => t.as(c[k], { method, url, payload: payload as object });
  const risk = (over: object = {}) => ({ name: '陆家嘴高层建筑群火灾风险', type: '火灾', districtCode: '310115', streetCode: '310115005', place: '陆家嘴金融贸易区', lng: 121.5, lat: 31.24, method: 'lec', inputs: { l: 3, e: 6, c: 15 }, measures: [{ measure: '消防设施季度检测', owner: '陆家嘴街道', deadline: '2026-12-31' }], ...over });

  it('computes the level from the method and refuses a level sent by the client', async () => {
    const made = await send('pudong', 'POST', '/api/risks', risk());
    expect(made.statusCode, made.body).toBe(201);
    expect(made.json()).toMatchObject({ score: 270, level: 'orange', method: 'lec', districtCode: '310115', flagged: false, version: 1 });
    expect(made.json().code).toMatch(/^FX-310115-\d{4}-000001$/);
    expect(made.json().events[0]).toMatchObject({ action: 'created', data: { level: 'orange', score: 270 } });
    const sent = await send('pudong', 'POST', '/api/risks', risk({ level: 'blue' }));
    expect(sent.statusCode).toBe(400);
    expect(sent.json().errors.map((e: { path: string }) => e.path)).toContain('level');
    const wrong = await send('pudong', 'POST', '/api/risks', risk({ method: 'ls', inputs: { l: 3, e: 6, c: 15 } }));
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().errors[0].path).toMatch(/^inputs\./);
    // LEC at its edges through the API: 320 red, 70 yellow, 69.99… blue.
    for (const [inputs, level] of [[{ l: 10, e: 4, c: 8 }, 'red'], [{ l: 1, e: 7, c: 10 }, 'yellow'], [{ l: 1, e: 6.999, c: 10 }, 'blue']] as const) {
      expect((await send('pudong', 'POST', '/api/risks', risk({ inputs, name: `LEC ${level}` }))).json().level).toBe(level);
    }
    // A patch of the inputs reassesses, with the change as an event.
    const p = await send('pudong', 'PATCH', `/api/risks/${made.json().id}`, { version: 1, inputs: { l: 6, e: 6, c: 15 }, note: '复评' });
    expect(p.statusCode, p.body).toBe(200);
    expect(p.json()).toMatchObject({ score: 540, level: 'red', version: 2 });
    expect(p.json().events.at(-1)).toMatchObject({ action: 'reassessed', comment: '复评', data: { before: { level: 'orange' }, after: { level: 'red' } } });
    expect((await send('pudong', 'PATCH', `/api/risks/${made.json().id}`, { version: 1, name: '旧版本' })).json().code).toBe('VERSION_CONFLICT');
  });

  it('follows a new threshold version from its day; an item keeps the version it was assessed under', async () => {
    const before = (await send('pudong', 'POST', '/api/risks', risk({ name: '规则修改前' }))).json();
    expect(before).toMatchObject({ level: 'orange', ruleFrom: '1949-01-01' });
    const today = shanghaiDate(new Date());
    const set = await send('admin', 'PUT', `/api/rules/${RISK_METHOD_RULE.key}`, { value: { ...RULE, lec: { red: 200, orange: 100, yellow: 50 } }, effectiveFrom: today, sourceNote: '测试：本地阈值' });
    expect(set.statusCode, set.body).toBeLessThan(300);
    const after = (await send('pudong', 'POST', '/api/risks', risk({ name: '规则修改后' }))).json();
    expect(after).toMatchObject({ score: 270, level: 'red', ruleFrom: today, levelReason: 'D = 3 × 6 × 15 = 270，≥ 200：重大风险' });
    expect((await get('pudong', `/api/risks/${before.id}`)).json()).toMatchObject({ level: 'orange', levelReason: 'D = 3 × 6 × 15 = 270，≥ 160 且 < 320：较大风险' });
    // A bad rule is refused naming the value.
    expect((await send('admin', 'PUT', `/api/rules/${RISK_METHOD_RULE.key}`, { value: { ...RULE, lec: { red: 50, orange: 100, yellow: 10 } }, effectiveFrom: today, sourceNote: '错误' })).statusCode).toBe(400);
  });

  it('links hazards; an item with open major hazards is flagged, and its reader sees only the hazards they may', async () => {
    const item = (await send('pudong', 'POST', '/api/risks', risk({ name: '浦东燃气管网风险', type: '燃气', enterpriseIds: [entPd] }))).json();
    const clause = (await get('pudong', '/api/standards/gongmao-2023')).json().clauses.find((x: { isLeadIn: boolean }) => !x.isLeadIn).id;
    const report = async (grade: string) => (await send('pudong', 'POST', '/api/hazards', { enterpriseId: entPd, description: `燃气管道${grade === 'major' ? '严重' : '轻微'}腐蚀`, location: '厂区燃气调压站', grade, clauseIds: grade === 'major' ? [clause] : [], source: 'routine_inspection', foundAt: new Date().toISOString() })).json();
    const major = [await report('major')];
    const general = [await report('general')];
    expect(major[0].enterpriseId).toBe(entPd);
    const linked = await send('pudong', 'POST', `/api/risks/${item.id}/hazards`, { hazardIds: [major[0].id, general[0].id] });
    expect(linked.statusCode, linked.body).toBe(200);
    expect(linked.json()).toMatchObject({ openHazards: 2, openMajorHazards: 1, flagged: true });
    expect(linked.json().hazards.map((h: { id: string }) => h.id).sort()).toEqual([major[0].id, general[0].id].sort());
    const flagged = (await get('city', '/api/risks?flagged=true&pageSize=200')).json();
    expect(flagged.items.map((r: { id: string }) => r.id)).toContain(item.id);
    expect(flagged.items.every((r: { flagged: boolean }) => r.flagged)).toBe(true);
    expect((await get('city', '/api/risks?flagged=false&pageSize=200')).json().items.map((r: { id: string }) => r.id)).not.toContain(item.id);
    // Another district's hazard cannot be linked; nor can another district link.
    const hp = (await get('huangpu', '/api/hazards?pageSize=1')).json().items[0];
    expect((await send('pudong', 'POST', `/api/risks/${item.id}/hazards`, { hazardIds: [hp.id] })).json().code).toBe('VALIDATION_FAILED');
    expect((await send('huangpu', 'POST', `/api/risks/${item.id}/hazards`, { hazardIds: [hp.id] })).statusCode).toBe(404);
    // The enterprise concerned reads the item and only its own linked hazards.
    const seen = await get('ent-pd', `/api/risks/${item.id}`);
    expect(seen.statusCode).toBe(200);
    expect(seen.json().hazards.every((h: { id: string }) => [major[0], general[0]].some((x) => x.id === h.id && x.enterpriseId === entPd))).toBe(true);
    expect(seen.json().mayEdit).toBe(false);
    expect((await send('ent-pd', 'PATCH', `/api/risks/${item.id}`, { version: 2, name: '企业改名' })).statusCode).toBe(403);
    // On an item shared with another enterprise, each reads only its own hazards' counts and its own name.
    const other = (await t.database.db.selectFrom('enterprises').select('id').where('district_code', '=', '310115').where('id', '<>', entPd).limit(1).executeTakeFirstOrThrow()).id;
    const shared = (await send('pudong', 'POST', '/api/risks', risk({ name: '共用风险点', enterpriseIds: [entPd, other] }))).json();
    const theirs = (await send('pudong', 'POST', '/api/hazards', { enterpriseId: other, description: '邻厂燃气泄漏报警失效', location: '调压站', grade: 'major', clauseIds: [clause], source: 'routine_inspection', foundAt: new Date().toISOString() })).json();
    await send('pudong', 'POST', `/api/risks/${shared.id}/hazards`, { hazardIds: [theirs.id] });
    expect((await get('pudong', `/api/risks/${shared.id}`)).json()).toMatchObject({ openMajorHazards: 1, flagged: true });
    const asEnt = (await get('ent-pd', `/api/risks/${shared.id}`)).json();
    expect(asEnt).toMatchObject({ openHazards: 0, openMajorHazards: 0, flagged: false, hazards: [] });
    expect(asEnt.enterprises.map((e: { id: string }) => e.id)).toEqual([entPd]);
    expect((await get('ent-pd', '/api/risks?flagged=true')).json().items.map((r: { id: string }) => r.id)).not.toContain(shared.id);
    // Unlinked, the flag goes with the hazard.
    const un = await send('pudong', 'DELETE', `/api/risks/${item.id}/hazards/${major[0].id}`);
    expect(un.json()).toMatchObject({ openMajorHazards: 0, flagged: false });
  });

  it('keeps each reader to their region', async () => {
    const hpItem = (await send('huangpu', 'POST', '/api/risks', risk({ name: '外滩人员密集风险', type: '人员密集', districtCode: '310101', streetCode: null, method: 'ls', inputs: { l: 4, s: 5 }, enterpriseIds: [entHp] }))).json();
    expect(hpItem.level).toBe('red');
    expect((await send('pudong', 'POST', '/api/risks', risk({ districtCode: '310101', streetCode: null }))).statusCode).toBe(403);
    expect((await send('lujiazui', 'POST', '/api/risks', risk({ streetCode: '310115007' }))).statusCode).toBe(403);
    expect((await send('yjj', 'POST', '/api/risks', risk())).statusCode).toBe(403);
    expect((await send('ent-pd', 'POST', '/api/risks', risk())).statusCode).toBe(403);
    expect((await get('pudong', `/api/risks/${hpItem.id}`)).statusCode).toBe(404);
    expect((await get('ent-pd', `/api/risks/${hpItem.id}`)).statusCode).toBe(404);
    expect((await get('ent-hp', `/api/risks/${hpItem.id}`)).statusCode).toBe(200);
    expect((await get('expert-1', '/api/risks')).json().total).toBe(0);
    expect((await get('custodian', '/api/risks')).json().total).toBe(0);
    const pd = (await get('pudong', '/api/risks?pageSize=200')).json();
    expect(pd.items.every((r: { districtCode: string }) => r.districtCode === '310115')).toBe(true);
    const street = (await get('lujiazui', '/api/risks?pageSize=200')).json();
    expect(street.total).toBeGreaterThan(0);
    expect(street.items.every((r: { districtCode: string }) => r.districtCode === '310115')).toBe(true);
    const all = (await get('city', '/api/risks?pageSize=200')).json();
    expect(all.items.map((r: { districtCode: string }) => r.districtCode)).toEqual(expect.arrayContaining(['310101', '310115']));
    expect((await get('yjj', '/api/risks?pageSize=1')).json().total).toBe(all.total);
    // The map: points and per-district counts equal the list.
    const map = (await get('city', '/api/risks/map')).json();
    // Every district of the city shows, those without items at zero.
    expect(map.byDistrict).toHaveLength(16);
    const counted = map.byDistrict.reduce((s: number, d: Record<string, number>) => s + d.red + d.orange + d.yellow + d.blue, 0);
    expect(counted).toBe(all.total);
    expect(map.points.length + map.withoutPlace).toBe(all.total);
    const pdRed = map.byDistrict.find((d: { districtCode: string }) => d.districtCode === '310115').red;
    expect((await get('city', '/api/risks?districtCode=310115&level=red')).json().total).toBe(pdRed);
    expect((await get('pudong', '/api/risks/map')).json().byDistrict.map((d: { districtCode: string }) => d.districtCode)).toEqual(['310115']);
  });

  it('counts a round’s completion per district from its items and submissions', async () => {
    expect((await send('pudong', 'POST', '/api/risk-rounds', { name: '区自行发起', from: '2024-01-01', to: '2024-12-31' })).statusCode).toBe(403);
    const made = await send('city', 'POST', '/api/risk-rounds', { name: '2024年城市安全风险全面评估', from: '2024-01-01', to: '2024-12-31', districtCodes: ['310115', '310101'], minItems: 2, needsReport: true });
    expect(made.statusCode, made.body).toBe(201);
    const round = made.json().round;
    expect(made.json()).toMatchObject({ complete: 0, total: 2 });
    // Pudong assesses two items in the round and submits with its report; Huangpu one, without.
    for (const n of [1, 2]) expect((await send('pudong', 'POST', '/api/risks', risk({ name: `轮次评估 ${n}`, roundId: round.id }))).statusCode).toBe(201);
    expect((await send('huangpu', 'POST', '/api/risks', risk({ name: '黄浦轮次评估', districtCode: '310101', streetCode: null, roundId: round.id, inputs: { l: 10, e: 4, c: 8 } }))).statusCode).toBe(201);
    expect((await send('pudong', 'POST', '/api/risks', risk({ name: '不在轮次内的区', districtCode: '310101', streetCode: null, roundId: round.id }))).statusCode).toBe(403);
    const mp = multipart('file', 'report.png', PNG_1x1, 'image/png');
    const file = (await t.as(c.pudong, { method: 'POST', url: '/api/files', payload: mp.payload, headers: mp.headers })).json().id;
    expect((await send('pudong', 'POST', `/api/risk-rounds/${round.id}/submissions`, { note: '无报告' })).json().errors[0].path).toBe('reportFileId');
    expect((await send('pudong', 'POST', `/api/risk-rounds/${round.id}/submissions`, { districtCode: '310101', reportFileId: file })).statusCode).toBe(403);
    const sub = await send('pudong', 'POST', `/api/risk-rounds/${round.id}/submissions`, { reportFileId: file, note: '浦东新区评估报告' });
    expect(sub.statusCode, sub.body).toBe(200);
    expect((await send('pudong', 'POST', `/api/risk-rounds/${round.id}/submissions`, { reportFileId: file })).json().code).toBe('ALREADY_SUBMITTED');
    const done = (await get('city', `/api/risk-rounds/${round.id}/completion`)).json();
    expect(done).toMatchObject({ complete: 1, total: 2 });
    const pd = done.districts.find((d: { districtCode: string }) => d.districtCode === '310115');
    const hp = done.districts.find((d: { districtCode: string }) => d.districtCode === '310101');
    expect(pd).toMatchObject({ items: 2, complete: true, reportFileId: file, missing: [] });
    expect(hp).toMatchObject({ items: 1, complete: false, byLevel: { red: 1, orange: 0, yellow: 0, blue: 0 } });
    expect(hp.missing).toEqual(['已评估 1 项，至少需 2 项', '尚未提交']);
    // Each count equals the list of the round's items.
    expect((await get('city', `/api/risks?roundId=${round.id}&districtCode=310115`)).json().total).toBe(pd.items);
    // A district sees its own line; its report is readable by the city and not by another district.
    expect((await get('pudong', `/api/risk-rounds/${round.id}/completion`)).json().districts.map((d: { districtCode: string }) => d.districtCode)).toEqual(['310115']);
    expect((await get('city', `/api/files/${file}`)).statusCode).toBe(200);
    expect((await get('huangpu', `/api/files/${file}`)).statusCode).toBe(404);
    expect((await get('ent-pd', `/api/risk-rounds/${round.id}/completion`)).statusCode).toBe(404);
    expect((await get('city', '/api/risk-rounds')).json().items[0]).toMatchObject({ id: round.id, complete: 1, districts: 2 });
  });
});

/** The demo city's risks and people (#20): the story the pages and the journey start from. */
describe.each(DIALECTS)('the demo risks and certificates on %s', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(dialect, { demo: true, demoCount: 300, demoHazards: 1500, demoRisks: true, demoTasks: true });
  });
  afterAll(() => t?.close());

  it('has about 200 items over the 16 districts, the 2024 round complete in 13, a flagged red item in Pudong, and one lapsed certificate on the ledger', async () => {
    const city = await t.login('city');
    const get = async (url: string) => (await t.as(city, { method: 'GET', url })).json();
    const all = await get('/api/risks?pageSize=1');
    expect(all.total).toBeGreaterThan(180);
    expect(all.total).toBeLessThan(260);
    const map = await get('/api/risks/map');
    expect(map.byDistrict).toHaveLength(16);
    expect(map.withoutPlace).toBe(0);
    for (const level of ['red', 'orange', 'yellow', 'blue']) expect((await get(`/api/risks?level=${level}&pageSize=1`)).total).toBeGreaterThan(0);
    const round = (await get('/api/risk-rounds')).items[0];
    expect(round).toMatchObject({ name: '2024年城市安全风险全面评估', complete: 13, districts: 16 });
    const flagged = await get('/api/risks?districtCode=310115&level=red&flagged=true');
    expect(flagged.total).toBeGreaterThan(0);
    const item = await get(`/api/risks/${flagged.items[0].id}`);
    expect(item.hazards.some((h: { grade: string; status: string }) => h.grade === 'major' && h.status !== 'closed')).toBe(true);
    const lapsed = await get('/api/certificates?expired=true');
    expect(lapsed.total).toBe(1);
    expect(lapsed.items[0].lapseHazardId).toBeTruthy();
    expect((await get(`/api/hazards/${lapsed.items[0].lapseHazardId}`)).source).toBe('system');
    expect((await get('/api/certificates?expiring=60')).total).toBeGreaterThan(0);
    // Three campaigns, checked in part, with findings on the ledger; courses covering part of each focus; two consultations.
    const campaigns = (await get('/api/campaigns')).items;
    expect(campaigns).toHaveLength(3);
    expect(campaigns.every((x: { targets: number; checked: number }) => x.checked > 0 && x.checked < x.targets)).toBe(true);
    expect(campaigns.reduce((s: number, x: { hazards: number }) => s + x.hazards, 0)).toBeGreaterThan(0);
    const hospital = (await get('/api/training/coverage?year=2024')).populations.find((p: { key: string }) => p.key === 'hospital');
    expect(hospital.trained).toBeGreaterThan(0);
    expect(hospital.notYet).toBeGreaterThan(0);
    const consultations = (await get('/api/consultations')).items;
    expect(consultations).toHaveLength(2);
    expect(consultations.every((x: { decisions: unknown[]; risks: unknown[] }) => x.decisions.length > 0 && x.risks.length > 0)).toBe(true);
  });
});
