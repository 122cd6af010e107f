import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, PNG_1x1, createTestApp, multipart, type TestApp } from '../../test/harness';
import { EXAMPLE_CELLS, plannedCount } from './matrix';
import { quarterOf } from './tallies';

/** 精准执法 (#15) on both databases: matrix, plans, draws, inspections and findings, cases, the bulletin, and who may do what. */
describe.each(DIALECTS)('enforcement on %s', (dialect) => {
  let t: TestApp;
  const clock = Date.parse('2026-11-16T02:00:00Z'); // 10:00 on Monday 16 November in Shanghai
  const c = {} as Record<'city' | 'pudong' | 'huangpu' | 'yjj' | 'ipd' | 'ipd2' | 'ipd3' | 'ipd4' | 'ihp' | 'ent-pd' | 'ent-hp' | 'expert', string>;
  const who: Record<keyof typeof c, string> = { city: 'city', pudong: 'pudong', huangpu: 'huangpu', yjj: 'yjj', ipd: 'inspector-pd', ipd2: 'inspector-pd2', ipd3: 'inspector-pd3', ipd4: 'inspector-pd4', ihp: 'inspector-310101-1', 'ent-pd': 'ent-pd', 'ent-hp': 'ent-hp', expert: 'expert-1' };
  const uid = {} as Record<keyof typeof c, string>;
  let entPd: string;
  let clauseId: string;

  beforeAll(async () => {
    t = await createTestApp(dialect, { demo: true, demoCount: 80, now: () => new Date(clock), config: { SESSION_IDLE_MINUTES: 100_000, SESSION_ABSOLUTE_HOURS: 10_000 } });
    for (const k of Object.keys(who) as (keyof typeof c)[]) {
      c[k] = await t.login(who[k]);
      uid[k] = (await t.database.db.selectFrom('users').select('id').where('username', '=', who[k]).executeTakeFirstOrThrow()).id;
    }
    entPd = (await t.database.db.selectFrom('users').select('enterprise_id').where('username', '=', 'ent-pd').executeTakeFirstOrThrow()).enterprise_id!;
    clauseId = (await t.database.db.selectFrom('standard_clauses').select('id').where('standard_id', '=', 'gongmao-2023').where('is_lead_in', '=', 0).orderBy('sort').executeTakeFirstOrThrow()).id;
  });
  afterAll(() => t?.close());

  const get = (k: keyof typeof c, url: string) => t.as(c[k], { method: 'GET', url });
  const send = (k: keyof typeof c, method: 'POST' | 'PUT', url: string, payload: unknown) => t.as(c[k], { method, url, payload: payload as object });
  const post = (k: keyof typeof c, url: string, payload: unknown = {}) => send(k, 'POST', url, payload);
  const count = async (table: 'hazards' | 'hazard_origins' | 'audit_log' | 'record_events' | 'inspections' | 'cases' | 'hazard_events') =>
    Number((await t.database.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

  it('the matrix: the example until set, the city’s cells, a district’s override for its own scope only', async () => {
    const ex = (await get('pudong', '/api/enforcement/matrix?year=2026')).json();
    expect(ex).toMatchObject({ year: 2026, scope: { level: 'district', id: '310115' }, isExample: true, revision: 0, editable: true });
    expect(ex.cells.find((x: { riskClass: string; standardizationLevel: string }) => x.riskClass === 'high' && x.standardizationLevel === 'none')).toMatchObject({ cap: 12, perYear: 6, floor: 1, from: 'example' });
    expect(ex.exampleNote).toContain('非上海正式规定');

    const cityCell = { riskClass: 'high', standardizationLevel: 'none', perYear: 4, floor: 2, cap: 10 };
    expect((await send('pudong', 'PUT', '/api/enforcement/matrix', { year: 2026, cells: [cityCell], sourceNote: '市级文件' })).statusCode).toBe(403);
    expect((await send('huangpu', 'PUT', '/api/enforcement/matrix', { year: 2026, districtCode: '310115', cells: [cityCell], sourceNote: '越权' })).statusCode).toBe(403);
    expect((await send('city', 'PUT', '/api/enforcement/matrix', { year: 2026, cells: [{ ...cityCell, floor: 11 }], sourceNote: '下限大于上限' })).statusCode).toBe(400);
    const set = await send('city', 'PUT', '/api/enforcement/matrix', { year: 2026, cells: [cityCell, { riskClass: 'low', standardizationLevel: 'none', perYear: 0, floor: 0, cap: 1 }], sourceNote: '市级示例文件 2026' });
    expect(set.statusCode, set.body).toBe(200);
    const pd = await send('pudong', 'PUT', '/api/enforcement/matrix', { year: 2026, districtCode: '310115', cells: [{ riskClass: 'high', standardizationLevel: 'none', perYear: 5, floor: 2, cap: 10 }], sourceNote: '浦东新区细则' });
    expect(pd.statusCode, pd.body).toBe(200);
    const cell = (m: { cells: { riskClass: string; standardizationLevel: string }[] }, r: string, s: string) => m.cells.find((x) => x.riskClass === r && x.standardizationLevel === s);
    const pdm = pd.json();
    expect(cell(pdm, 'high', 'none')).toMatchObject({ perYear: 5, from: 'district' });
    expect(cell(pdm, 'low', 'none')).toMatchObject({ perYear: 0, cap: 1, from: 'city' });
    expect(cell(pdm, 'major', 'level1')).toMatchObject({ from: 'example' });
    const hp = (await get('huangpu', '/api/enforcement/matrix?year=2026')).json();
    expect(cell(hp, 'high', 'none')).toMatchObject({ perYear: 4, from: 'city' });
    // Another year is untouched.
    expect(cell((await get('pudong', '/api/enforcement/matrix?year=2025')).json(), 'high', 'none')).toMatchObject({ from: 'example' });
    expect((await get('ent-pd', '/api/enforcement/matrix')).statusCode).toBe(403);
  });

  it('the annual plan counts from the matrix, key units at least once, once per district and year', async () => {
    const db = t.database.db;
    const ents = await db.selectFrom('enterprises').select(['id', 'uscc', 'risk_class', 'standardization_level']).where('district_code', '=', '310115').orderBy('id').execute();
    const zero = ents.find((e) => e.risk_class === 'low' && e.standardization_level === 'none') ?? ents.find((e) => e.risk_class === 'low');
    const keys = await post('pudong', '/api/enforcement/key-units', { year: 2026, districtCode: '310115', enterprises: [ents[0].uscc, ...(zero ? [zero.id] : []), '91310000NOTACODE0', entPd] });
    expect(keys.statusCode, keys.body).toBe(200);
    expect(keys.json().unknown).toEqual([{ row: 3, value: '91310000NOTACODE0', message: expect.any(String) }]);
    expect((await post('huangpu', '/api/enforcement/key-units', { year: 2026, districtCode: '310115', enterprises: [ents[0].uscc] })).statusCode).toBe(403);

    const plan = await post('pudong', '/api/inspection-plans', { year: 2026, districtCode: '310115' });
    expect(plan.statusCode, plan.body).toBe(201);
    const p = plan.json();
    const m = (await get('pudong', '/api/enforcement/matrix?year=2026')).json();
    const keySet = new Set([ents[0].id, zero?.id, entPd].filter(Boolean));
    const expected = ents.reduce((s, e) => s + plannedCount(m.cells, e, keySet.has(e.id)), 0);
    expect(p).toMatchObject({ year: 2026, districtCode: '310115', enterprises: ents.length, planned: expected, keyUnits: keySet.size, done: 0 });
    expect(p.byMonth.reduce((s: number, x: { planned: number }) => s + x.planned, 0)).toBe(expected);
    // November 2026: ten months have ended, so what was planned in them is overdue.
    const items = (await get('pudong', `/api/inspection-plans/${p.id}/items?pageSize=200`)).json();
    expect(items.total).toBe(ents.length);
    const overdue = items.items.reduce((s: number, i: { months: number[] }) => s + i.months.filter((x) => x <= 10).length, 0);
    expect(p.overdue).toBe(overdue);
    for (const i of items.items.filter((x: { keyUnit: boolean }) => x.keyUnit)) expect(i.planned).toBeGreaterThanOrEqual(1);
    expect(plannedCount(EXAMPLE_CELLS, { risk_class: 'low', standardization_level: 'level1' }, false)).toBe(1);

    // A key unit added after the plan is made is flagged in it and planned at least once.
    const late = items.items.find((i: { keyUnit: boolean; planned: number }) => !i.keyUnit && i.planned === 0) ?? items.items.find((i: { keyUnit: boolean }) => !i.keyUnit);
    expect((await post('pudong', '/api/enforcement/key-units', { year: 2026, districtCode: '310115', enterprises: [late.enterpriseId] })).json()).toMatchObject({ added: 1 });
    const after = (await get('pudong', `/api/inspection-plans/${p.id}/items?status=key&pageSize=200`)).json();
    expect(after.items.find((i: { enterpriseId: string }) => i.enterpriseId === late.enterpriseId)).toMatchObject({ keyUnit: true, planned: Math.max(1, late.planned) });
    expect((await get('pudong', `/api/inspection-plans/${p.id}`)).json().keyUnits).toBe(keySet.size + 1);
    const again = await post('pudong', '/api/inspection-plans', { year: 2026, districtCode: '310115' });
    expect(again.statusCode).toBe(409);
    expect((await post('huangpu', '/api/inspection-plans', { year: 2026, districtCode: '310115' })).statusCode).toBe(403);
    expect((await get('huangpu', `/api/inspection-plans/${p.id}`)).statusCode).toBe(404);
    expect((await get('ent-pd', `/api/inspection-plans/${p.id}`)).statusCode).toBe(404);
  });

  let drawId: string;
  it('a draw is reproducible, leaves out conflicts and recent inspectors, refuses a pool smaller than N, and shows tampering', async () => {
    const db = t.database.db;
    // inspector-pd declares a conflict with ent-pd; inspector-pd2 and -pd3 inspected it a month ago.
    expect((await post('ipd', '/api/enforcement/conflicts', { inspectorId: uid.ipd, enterpriseId: entPd, reason: '亲属在该企业任职' })).statusCode).toBe(201);
    expect((await post('ipd', '/api/enforcement/conflicts', { inspectorId: uid.ipd2, enterpriseId: entPd, reason: '替他人申报' })).statusCode).toBe(400);
    const past = await post('pudong', '/api/inspections', { enterpriseId: entPd, type: 'complaint', date: '2026-10-15', inspectorIds: [uid.ipd2, uid.ipd3] });
    expect(past.statusCode, past.body).toBe(201);
    const pi = past.json();
    expect((await post('ipd2', `/api/inspections/${pi.id}/actions/start`, { version: pi.version })).statusCode).toBe(200);
    expect((await post('ipd2', `/api/inspections/${pi.id}/actions/finish`, { version: pi.version + 1, signedBy: '张经理' })).statusCode).toBe(200);

    // Only ent-pd in the pool: with two inspectors left over (pd4 and nobody else), it cannot be staffed with two.
    const ent = await db.selectFrom('enterprises').select(['industry_code', 'street_code']).where('id', '=', entPd).executeTakeFirstOrThrow();
    const tooSmall = await post('pudong', '/api/draws', { filter: { keyUnitsOnly: true }, count: 50 });
    expect(tooSmall.statusCode).toBe(400);
    expect(tooSmall.json().detail).toContain('少于抽取数量');

    const pool = (await db.selectFrom('enterprises').select('id').where('district_code', '=', '310115').execute()).length;
    // ent-pd cannot be staffed (below), so at most the rest.
    const made = await post('pudong', '/api/draws', { filter: {}, count: Math.min(pool - 1, 30), inspectorsPerInspection: 2 });
    expect(made.statusCode, made.body).toBe(201);
    const d = made.json();
    drawId = d.id;
    expect(d).toMatchObject({ algorithm: 'sha256-fisher-yates-v1', poolSize: pool, count: Math.min(pool - 1, 30), districtCode: '310115', published: false });
    expect(d.seed).toMatch(/^[0-9a-f]{32}$/);
    expect(new Set(d.enterprises.map((e: { id: string }) => e.id)).size).toBe(d.count);
    for (const a of d.assignments) {
      expect(a.inspectorIds).toHaveLength(2);
      expect(new Set(a.inspectorIds).size).toBe(2);
      expect(a.inspectionId).toBeTruthy();
    }
    const forEnt = d.assignments.find((a: { enterpriseId: string }) => a.enterpriseId === entPd);
    // ent-pd can be staffed only by pd4 (pd conflicted, pd2 and pd3 recent): never drawn with two inspectors.
    expect(forEnt).toBeUndefined();
    if (d.enterprises.length < pool) expect(d.excluded.every((x: { enterpriseId: string }) => d.enterprises.some((e: { id: string }) => e.id === x.enterpriseId))).toBe(true);
    const stored = await db.selectFrom('draws').select(['candidates_json']).where('id', '=', d.id).executeTakeFirstOrThrow();
    const cands = JSON.parse(stored.candidates_json) as Record<string, string[]>;
    if (cands[entPd]) expect(cands[entPd]).toEqual([uid.ipd4]);
    // Each inspection of the draw has the drawn inspectors.
    const list = (await get('pudong', `/api/inspections?drawId=${d.id}&pageSize=100`)).json();
    expect(list.total).toBe(d.count);
    for (const i of list.items) expect(i).toMatchObject({ type: 'random', status: 'planned', date: '2026-11-16', code: expect.stringMatching(/^JC-310115-2026-\d{6}$/) });
    expect(new Set(list.items.map((i: { code: string }) => i.code)).size).toBe(d.count);

    const replay = (await post('pudong', `/api/draws/${d.id}/replay`)).json();
    expect(replay).toMatchObject({ matches: true, poolMatches: true, seedMatches: true, resultMatches: true });
    expect(replay.recomputed.enterpriseIds).toEqual(d.enterprises.map((e: { id: string }) => e.id));

    // A pool changed afterwards (one id dropped) no longer matches the audit log.
    const row = await db.selectFrom('draws').select(['pool_json', 'seed']).where('id', '=', d.id).executeTakeFirstOrThrow();
    const ids = JSON.parse(row.pool_json) as string[];
    await db.updateTable('draws').set({ pool_json: JSON.stringify(ids.slice(1)) }).where('id', '=', d.id).execute();
    expect((await post('pudong', `/api/draws/${d.id}/replay`)).json()).toMatchObject({ matches: false, poolMatches: false });
    await db.updateTable('draws').set({ pool_json: row.pool_json, seed: 'f'.repeat(32) }).where('id', '=', d.id).execute();
    expect((await post('pudong', `/api/draws/${d.id}/replay`)).json()).toMatchObject({ matches: false, seedMatches: false, resultMatches: false });
    await db.updateTable('draws').set({ seed: row.seed }).where('id', '=', d.id).execute();
    expect((await post('pudong', `/api/draws/${d.id}/replay`)).json().matches).toBe(true);

    // Public only once published, and then names and dates only.
    expect((await t.as(null, { method: 'GET', url: `/api/public/draws/${d.id}` })).statusCode).toBe(404);
    expect((await post('huangpu', `/api/draws/${d.id}/publish`)).statusCode).toBe(404);
    expect((await post('pudong', `/api/draws/${d.id}/publish`)).statusCode).toBe(200);
    const pub = await t.as(null, { method: 'GET', url: `/api/public/draws/${d.id}` });
    expect(pub.statusCode).toBe(200);
    expect(Object.keys(pub.json().enterprises[0]).sort()).toEqual(['date', 'name']);
    expect(pub.body).not.toContain(uid.ipd2);
    expect((await get('huangpu', `/api/draws/${d.id}`)).statusCode).toBe(404);
    expect((await post('ent-pd', '/api/draws', { filter: {}, count: 1 })).statusCode).toBe(403);
    expect((await post('huangpu', '/api/draws', { filter: { districtCode: '310115' }, count: 1 })).statusCode).toBe(403);
    void ent;
  });

  let inspection: { id: string; version: number };
  it('findings land on the ledger with the inspection in one transaction; a failing one writes nothing', async () => {
    const made = await post('pudong', '/api/inspections', { enterpriseId: entPd, type: 'planned', date: '2026-11-16', inspectorIds: [uid.ipd4, uid.ipd3], unannounced: true });
    expect(made.statusCode, made.body).toBe(201);
    inspection = made.json();
    expect((await post('pudong', '/api/inspections', { enterpriseId: entPd, type: 'planned', date: '2026-11-16', inspectorIds: [uid.ipd, uid.ipd3] })).statusCode).toBe(400); // conflicted
    expect((await post('pudong', '/api/inspections', { enterpriseId: entPd, type: 'planned', date: '2026-11-16', inspectorIds: [uid.ipd3] })).statusCode).toBe(400); // one inspector
    expect((await post('pudong', '/api/inspections', { enterpriseId: entPd, type: 'planned', date: '2026-11-16', inspectorIds: [uid.ipd3, uid.ihp] })).statusCode).toBe(400); // other district

    const url = `/api/inspections/${inspection.id}`;
    expect((await post('ipd4', `${url}/findings`, { version: 1, findings: [{ description: '配电箱未接地保护', grade: 'general' }] })).statusCode).toBe(409); // not started
    expect((await post('ipd', `${url}/actions/start`, { version: 1 })).statusCode).toBe(403); // not its inspector
    expect((await post('ipd4', `${url}/actions/start`, { version: 9 })).statusCode).toBe(409);
    const started = await post('ipd4', `${url}/actions/start`, { version: 1 });
    expect(started.statusCode, started.body).toBe(200);
    expect(started.json()).toMatchObject({ status: 'in_progress', mayRecord: true, allowedActions: ['finish'] });

    const up = await t.as(c.ipd4, { method: 'POST', url: '/api/files', ...multipart('file', 'photo.png', PNG_1x1, 'image/png') });
    expect(up.statusCode, up.body).toBe(201);
    const photo = up.json().id as string;
    const before = { hazards: await count('hazards'), origins: await count('hazard_origins'), audit: await count('audit_log'), events: await count('record_events'), hazardEvents: await count('hazard_events') };
    // The second finding is major without a clause: the first, already reported inside the transaction, must not stay.
    const bad = await post('ipd4', `${url}/findings`, { version: 2, findings: [{ description: '配电箱未接地保护', grade: 'general', deadline: '2026-11-30', attachmentIds: [photo] }, { description: '粉尘爆炸危险场所未设泄爆装置', grade: 'major' }] });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().code).toBe('CLAUSE_REQUIRED');
    expect({ hazards: await count('hazards'), origins: await count('hazard_origins'), audit: await count('audit_log'), events: await count('record_events'), hazardEvents: await count('hazard_events') }).toEqual(before);
    expect((await post('ipd4', `${url}/findings`, { version: 2, findings: [{ description: '期限早于今天', grade: 'general', deadline: '2026-11-01' }] })).statusCode).toBe(400);

    const ok = await post('ipd4', `${url}/findings`, { version: 2, findings: [{ description: '配电箱未接地保护', grade: 'general', deadline: '2026-11-30', attachmentIds: [photo] }, { description: '粉尘爆炸危险场所未设泄爆装置', grade: 'major', clauseIds: [clauseId] }] });
    expect(ok.statusCode, ok.body).toBe(201);
    const { hazardIds, version } = ok.json();
    expect(hazardIds).toHaveLength(2);
    expect(version).toBe(3);
    const h0 = (await get('pudong', `/api/hazards/${hazardIds[0]}`)).json();
    expect(h0).toMatchObject({ source: 'enforcement_inspection', status: 'rectifying', deadline: '2026-11-30', districtCode: '310115', origin: { type: 'inspection', id: inspection.id, itemId: null } });
    expect((await get('pudong', `/api/hazards/${hazardIds[1]}`)).json()).toMatchObject({ grade: 'major', status: 'reported' });
    const detail = (await get('ipd4', url)).json();
    expect(detail).toMatchObject({ findings: 2, majorFindings: 1, version: 3 });
    expect(detail.findingsList.map((f: { hazardId: string }) => f.hazardId)).toEqual(hazardIds);
    expect(detail.findingsList[0].attachmentIds).toEqual([photo]);
    expect(detail.findingsList[1].clauseNos.length).toBe(1);
    // The enterprise sees its inspection, another enterprise and another district do not.
    expect((await get('ent-pd', url)).statusCode).toBe(200);
    expect((await get('ent-hp', url)).statusCode).toBe(404);
    expect((await get('huangpu', url)).statusCode).toBe(404);
    expect((await get('ihp', url)).statusCode).toBe(404);
    expect((await get('expert', url)).statusCode).toBe(404);
    expect((await post('ihp', `${url}/findings`, { version: 3, findings: [{ description: '越权记录隐患', grade: 'general' }] })).statusCode).toBe(404);
    expect((await post('ipd', `${url}/findings`, { version: 3, findings: [{ description: '非本次检查人员', grade: 'general' }] })).statusCode).toBe(403);
    expect((await get('ent-hp', `/api/inspections?enterpriseId=${entPd}`)).json().total).toBe(0);
    expect((await get('ipd4', '/api/inspections?mine=true&pageSize=100')).json().items.some((i: { id: string }) => i.id === inspection.id)).toBe(true);

    expect((await post('ipd4', `${url}/actions/finish`, { version: 3 })).statusCode).toBe(400); // no signer, no refusal
    expect((await post('ipd4', `${url}/actions/finish`, { version: 3, refused: true })).statusCode).toBe(400); // refusal without a note
    const done = await post('ipd4', `${url}/actions/finish`, { version: 3, signedBy: '李厂长' });
    expect(done.statusCode, done.body).toBe(200);
    expect(done.json()).toMatchObject({ status: 'finished', signature: { signedBy: '李厂长', refused: false }, allowedActions: [], mayRecord: false });
    expect(done.json().events.map((e: { action: string }) => e.action)).toEqual(['create', 'start', 'findings', 'finish']);
    expect((await post('ipd4', `${url}/actions/finish`, { version: 4, signedBy: '李厂长' })).statusCode).toBe(409);

    const order = await get('pudong', `${url}/order.docx`);
    expect(order.statusCode).toBe(200);
    expect(order.headers['content-type']).toContain('wordprocessingml');
    expect((await get('huangpu', `${url}/order.docx`)).statusCode).toBe(404);
  });

  let caseId: string;
  it('a case moves 立案 → 决定 → 执行 → 结案, refusing wrong steps, stale versions and fines outside the range', async () => {
    const provisions = (await get('pudong', '/api/enforcement/provisions')).json().items;
    const p102 = provisions.find((p: { article: string }) => p.article === '第一百零二条');
    expect(p102.law).toContain('安全生产法');
    const detail = (await get('ipd4', `/api/inspections/${inspection.id}`)).json();
    expect((await post('ent-pd', '/api/cases', { inspectionId: inspection.id, violation: '未采取措施消除事故隐患', provisionIds: [p102.id] })).statusCode).toBe(403);
    expect((await post('ipd4', '/api/cases', { inspectionId: inspection.id, violation: '未采取措施消除事故隐患', provisionIds: ['019a0000-0000-7000-8000-000000000000'] })).statusCode).toBe(400);
    const filed = await post('ipd4', '/api/cases', { inspectionId: inspection.id, violation: '未采取措施消除事故隐患', provisionIds: [p102.id], hazardIds: [detail.findingsList[1].hazardId] });
    expect(filed.statusCode, filed.body).toBe(201);
    const k = filed.json();
    caseId = k.id;
    expect(k).toMatchObject({ status: 'filed', version: 1, filedOn: '2026-11-16' });
    expect(k.code).toMatch(/^AJ-310115-2026-\d{6}$/);
    expect(k.allowedActions).toEqual([]); // an inspector files, officers decide
    const url = `/api/cases/${k.id}/actions`;
    expect((await post('ipd4', `${url}/decide`, { version: 1, decision: 'warning', circumstance: 'minor', decidedOn: '2026-11-16' })).statusCode).toBe(403);
    expect((await post('pudong', `${url}/close`, { version: 1, closedOn: '2026-11-16' })).statusCode).toBe(409);
    expect((await post('pudong', `${url}/record_payment`, { version: 1, paidYuan: 100, paidOn: '2026-11-16' })).statusCode).toBe(409);
    expect((await post('pudong', `${url}/decide`, { version: 1, decision: 'fine', circumstance: 'minor', fineYuan: 20_000, decidedOn: '2026-11-16' })).statusCode).toBe(400); // above 轻微's range
    expect((await post('pudong', `${url}/decide`, { version: 1, decision: 'fine', circumstance: 'nonsense', fineYuan: 2000, decidedOn: '2026-11-16' })).statusCode).toBe(400);
    expect((await post('pudong', `${url}/decide`, { version: 1, decision: 'fine', circumstance: 'minor', decidedOn: '2026-11-16' })).statusCode).toBe(400);
    expect((await post('pudong', `${url}/decide`, { version: 2, decision: 'fine', circumstance: 'minor', fineYuan: 5000, decidedOn: '2026-11-16' })).statusCode).toBe(409);
    expect((await post('huangpu', `${url}/decide`, { version: 1, decision: 'fine', circumstance: 'minor', fineYuan: 5000, decidedOn: '2026-11-16' })).statusCode).toBe(404);
    const decided = await post('pudong', `${url}/decide`, { version: 1, decision: 'fine', circumstance: 'minor', fineYuan: 5000, decidedOn: '2026-11-16', documentNo: '浦应急罚〔2026〕1号' });
    expect(decided.statusCode, decided.body).toBe(200);
    expect(decided.json()).toMatchObject({ status: 'decided', fineYuan: 5000, discretion: { label: '情节轻微（示例）' }, allowedActions: ['record_payment', 'record_appeal'] });
    expect((await post('pudong', `${url}/close`, { version: 2, closedOn: '2026-11-16' })).statusCode).toBe(409); // fine unpaid
    expect((await post('pudong', `${url}/record_payment`, { version: 2, paidYuan: 6000, paidOn: '2026-11-16' })).statusCode).toBe(400);
    const part = await post('pudong', `${url}/record_payment`, { version: 2, paidYuan: 2000, paidOn: '2026-11-16' });
    expect(part.json()).toMatchObject({ status: 'decided', paidYuan: 2000, version: 3 });
    const paid = await post('pudong', `${url}/record_payment`, { version: 3, paidYuan: 3000, paidOn: '2026-11-16' });
    expect(paid.json()).toMatchObject({ status: 'executed', paidYuan: 5000 });
    const receiptFile = (await t.as(c.pudong, { method: 'POST', url: '/api/files', ...multipart('file', 'receipt.png', PNG_1x1, 'image/png') })).json().id as string;
    const closed = await post('pudong', `${url}/close`, { version: 4, closedOn: '2026-11-16', comment: '罚款已缴清，隐患已整改', attachmentIds: [receiptFile] });
    expect(closed.statusCode, closed.body).toBe(200);
    // A step's file is read by whoever sees the case (the inspector who filed it, the enterprise), not by another district.
    for (const [k, status] of [['ipd4', 200], ['ent-pd', 200], ['huangpu', 404], ['ent-hp', 404]] as const) expect((await get(k, `/api/files/${receiptFile}`)).statusCode, k).toBe(status);
    expect(closed.json()).toMatchObject({ status: 'closed', allowedActions: [] });
    expect(closed.json().events.map((e: { action: string }) => e.action)).toEqual(['file', 'decide', 'record_payment', 'record_payment', 'close']);
    const doc = await get('ent-pd', `/api/cases/${k.id}/decision.docx`);
    expect(doc.statusCode).toBe(200);
    expect((await get('ent-hp', `/api/cases/${k.id}`)).statusCode).toBe(404);
    expect((await get('ent-pd', '/api/cases')).json().total).toBe(1);
    expect((await get('huangpu', '/api/cases')).json().total).toBe(0);
  });

  it('a follow-up (复查) accepts the earlier general findings once rectified; a major one stays with its district', async () => {
    const earlier = (await get('pudong', `/api/inspections/${inspection.id}`)).json();
    const [general, major] = earlier.findingsList;
    // The enterprise reports its rectification of the general one.
    const up = await t.as(c['ent-pd'], { method: 'POST', url: '/api/files', ...multipart('file', 'fixed.png', PNG_1x1, 'image/png') });
    const h = (await get('ent-pd', `/api/hazards/${general.hazardId}`)).json();
    const sub = await post('ent-pd', `/api/hazards/${general.hazardId}/actions/submit`, { version: h.version, note: '已加装接地保护', attachmentIds: [up.json().id] });
    expect(sub.statusCode, sub.body).toBe(200);
    expect((await post('pudong', '/api/inspections', { enterpriseId: entPd, type: 'follow_up', date: '2026-11-16', inspectorIds: [uid.ipd4, uid.ipd3] })).statusCode).toBe(400); // follows nothing
    const f = await post('pudong', '/api/inspections', { enterpriseId: entPd, type: 'follow_up', date: '2026-11-16', inspectorIds: [uid.ipd4, uid.ipd3], followsId: inspection.id });
    expect(f.statusCode, f.body).toBe(201);
    const fu = f.json();
    expect(fu.follows).toMatchObject({ id: inspection.id, findings: [{ hazardId: general.hazardId }, { hazardId: major.hazardId }] });
    const url = `/api/inspections/${fu.id}`;
    expect((await post('ipd4', `${url}/accept-findings`, { version: 1, hazardIds: [general.hazardId], note: '现场复查合格' })).statusCode).toBe(409); // not started
    await post('ipd3', `${url}/actions/start`, { version: 1 });
    const before = { audit: await count('audit_log'), events: await count('hazard_events') };
    const refused = await post('ipd4', `${url}/accept-findings`, { version: 2, hazardIds: [general.hazardId, major.hazardId], note: '现场复查合格' });
    expect(refused.statusCode).toBeGreaterThanOrEqual(400);
    expect(refused.json().detail).toContain(major.code);
    expect({ audit: await count('audit_log'), events: await count('hazard_events') }).toEqual(before);
    expect((await post('ipd4', `${url}/accept-findings`, { version: 2, hazardIds: [inspection.id], note: '不是隐患' })).statusCode).toBe(400);
    const ok = await post('ipd4', `${url}/accept-findings`, { version: 2, hazardIds: [general.hazardId], note: '现场复查合格' });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json().follows.findings[0]).toMatchObject({ hazardId: general.hazardId, status: 'closed' });
    expect((await get('pudong', `/api/hazards/${general.hazardId}`)).json().status).toBe('closed');
    expect(ok.json().events.map((e: { action: string }) => e.action)).toEqual(['create', 'start', 'accept_findings']);
    await post('ipd4', `${url}/actions/finish`, { version: 3, refused: true, note: '企业负责人拒绝签字，执法人员两人在场见证' });
  });

  it('the bulletin’s figures equal the rows they count, and each links to a list with the same total', async () => {
    const quarter = quarterOf('2026-11-16');
    const b = (await get('pudong', `/api/enforcement/stats?quarter=${quarter}`)).json();
    const db = t.database.db;
    const finished = await db.selectFrom('inspections').selectAll().where('district_code', '=', '310115').where('status', '=', 'finished').where('date', '>=', '2026-10-01').where('date', '<=', '2026-12-31').execute();
    expect(b).toMatchObject({ quarter: '2026Q4', from: '2026-10-01', to: '2026-12-31', districtCode: '310115' });
    expect(b.totals).toMatchObject({
      inspections: finished.length,
      planned: finished.filter((i) => i.type === 'planned' || i.type === 'random').length,
      triggered: finished.filter((i) => i.type !== 'planned' && i.type !== 'random').length,
      unannounced: finished.filter((i) => i.unannounced).length,
      hazards: finished.reduce((s, i) => s + i.findings, 0),
      majorHazards: finished.reduce((s, i) => s + i.major_findings, 0),
      cases: 1,
      decisions: 1,
      fines: 1,
      fineYuan: 5000,
    });
    expect(b.totals.inspections).toBe(3);
    // Half of the planned inspection's findings are closed now (the follow-up accepted the general one).
    expect(b.totals).toMatchObject({ findingsClosed: 1, rectificationRate: 0.5 });
    const list = (await get('pudong', `/api/inspections?status=finished&from=${b.from}&to=${b.to}&districtCode=310115`)).json();
    expect(list.total).toBe(b.totals.inspections);
    expect((await get('pudong', `/api/inspections?status=finished&from=${b.from}&to=${b.to}&typeGroup=triggered`)).json().total).toBe(b.totals.triggered);
    expect((await get('pudong', `/api/inspections?status=finished&from=${b.from}&to=${b.to}&unannounced=true`)).json().total).toBe(b.totals.unannounced);
    expect((await get('pudong', `/api/cases?from=${b.from}&to=${b.to}`)).json().total).toBe(b.totals.cases);
    const findings = (qs = '') => get('pudong', `/api/enforcement/findings?from=${b.from}&to=${b.to}&districtCode=310115${qs}`).then((r) => r.json());
    const found = await findings();
    expect(found.total).toBe(b.totals.hazards);
    expect(found.items.every((f: { inspectionDate: string; districtCode: string }) => f.inspectionDate >= b.from && f.districtCode === '310115')).toBe(true);
    expect((await findings('&grade=major')).total).toBe(b.totals.majorHazards);
    expect((await findings('&state=closed')).total).toBe(b.totals.findingsClosed);
    expect((await findings('&state=open')).total + (await findings('&state=closed')).total + (await findings('&state=voided')).total).toBe(b.totals.hazards);
    const decided = (await get('pudong', `/api/cases?decidedFrom=${b.from}&decidedTo=${b.to}`)).json();
    expect(decided.total).toBe(b.totals.decisions);
    const fined = (await get('pudong', `/api/cases?decidedFrom=${b.from}&decidedTo=${b.to}&decision=fine`)).json();
    expect(fined.total).toBe(b.totals.fines);
    expect(fined.items.reduce((s: number, c: { fineYuan: number }) => s + c.fineYuan, 0)).toBe(b.totals.fineYuan);
    const keyUnits = (qs = '') => get('pudong', `/api/enforcement/key-units?year=2026&districtCode=310115&from=${b.from}&to=${b.to}${qs}`).then((r) => r.json());
    expect(b.totals.keyUnits).toBeGreaterThan(0);
    expect((await keyUnits()).total).toBe(b.totals.keyUnits);
    expect((await keyUnits('&covered=true')).total).toBe(b.totals.keyUnitsCovered);
    expect((await keyUnits('&covered=false')).total).toBe(b.totals.keyUnits - b.totals.keyUnitsCovered);
    // Another district's officer sees none of Pudong's findings or key units.
    expect((await get('huangpu', `/api/enforcement/findings?from=${b.from}&to=${b.to}`)).json().items.some((f: { districtCode: string }) => f.districtCode === '310115')).toBe(false);
    expect((await get('huangpu', `/api/enforcement/key-units?year=2026&districtCode=310115`)).json().total).toBe(0);
    expect((await get('pudong', `/api/enforcement/findings?from=${b.to}&to=${b.from}`)).statusCode).toBe(400);
    // The city sums its districts; a district officer cannot read another district's or the city's.
    const city = (await get('city', `/api/enforcement/stats?quarter=${quarter}`)).json();
    expect(city.totals.inspections).toBe(city.rows.reduce((s: number, r: { inspections: number }) => s + r.inspections, 0));
    expect(city.rows).toHaveLength(16);
    expect((await get('huangpu', `/api/enforcement/stats?quarter=${quarter}&districtCode=310115`)).statusCode).toBe(404);
    expect((await get('ent-pd', `/api/enforcement/stats?quarter=${quarter}`)).statusCode).toBe(404);
    expect((await get('pudong', '/api/enforcement/stats?quarter=2026Q5')).statusCode).toBe(400);
    const doc = await get('pudong', `/api/enforcement/bulletin.docx?quarter=${quarter}`);
    expect(doc.statusCode).toBe(200);
    // The tallies equal a rebuild from the rows.
    const { rebuildEnforcementTallies } = await import('./tallies');
    const snapshot = async () => db.selectFrom('enforcement_tallies').selectAll().orderBy('district_code').orderBy('quarter').execute();
    const kept = await snapshot();
    await db.transaction().execute((trx) => rebuildEnforcementTallies(trx, dialect));
    expect(await snapshot()).toEqual(kept);
    // A finding voided as wrong leaves the rate's denominator; the figure moves in the step's own transaction.
    const major = (await get('pudong', `/api/inspections/${inspection.id}`)).json().findingsList[1];
    const h = (await get('pudong', `/api/hazards/${major.hazardId}`)).json();
    expect((await post('pudong', `/api/hazards/${major.hazardId}/actions/void`, { version: h.version, reason: '误判，经复核不构成重大隐患' })).statusCode).toBe(200);
    expect((await get('pudong', `/api/enforcement/stats?quarter=${quarter}`)).json().totals).toMatchObject({ findingsClosed: 1, rectificationRate: 1 });
    const moved = await snapshot();
    await db.transaction().execute((trx) => rebuildEnforcementTallies(trx, dialect));
    expect(await snapshot()).toEqual(moved);
  });

  it('each step is audited; the plan counts the inspections done', async () => {
    const actions = (await t.database.db.selectFrom('audit_log').select('action').where('entity_type', 'in', ['inspection', 'case', 'draw']).execute()).map((r) => r.action);
    for (const a of ['inspection.created', 'inspection.start', 'inspection.findings', 'inspection.finish', 'case.filed', 'case.decide', 'case.close', 'draw.made', 'draw.published']) expect(actions).toContain(a);
    const plans = (await get('pudong', '/api/inspection-plans?year=2026')).json();
    expect(plans.items[0].done).toBe(1); // the planned inspection of ent-pd (the complaint one is unplanned)
    expect(plans.items[0].unplanned).toBe(2); // the complaint and the follow-up
    void drawId;
    void caseId;
  });

  it('out of scope, every endpoint answers 404 (or 403 for a role that may never do it) and shows nothing', async () => {
    const plan = (await get('pudong', '/api/inspection-plans?year=2026')).json().items[0];
    const urls = [
      ['GET', `/api/inspections/${inspection.id}`],
      ['GET', `/api/inspections/${inspection.id}/record.docx`],
      ['GET', `/api/inspections/${inspection.id}/order.docx`],
      ['POST', `/api/inspections/${inspection.id}/actions/start`, { version: 1 }],
      ['POST', `/api/inspections/${inspection.id}/accept-findings`, { version: 1, hazardIds: [inspection.id], note: '越权验收' }],
      ['GET', `/api/cases/${caseId}`],
      ['GET', `/api/cases/${caseId}/decision.docx`],
      ['POST', `/api/cases/${caseId}/actions/record_appeal`, { version: 5, appealStatus: 'reconsideration', comment: '越权登记' }],
      ['GET', `/api/draws/${drawId}`],
      ['POST', `/api/draws/${drawId}/replay`],
      ['GET', `/api/inspection-plans/${plan.id}`],
      ['GET', `/api/inspection-plans/${plan.id}/items`],
    ] as const;
    for (const k of ['huangpu', 'ihp', 'ent-hp', 'expert'] as const) {
      for (const [method, url, payload] of urls) {
        const res = await t.as(c[k], { method, url, payload: payload as object | undefined });
        expect([403, 404], `${k} ${method} ${url}`).toContain(res.statusCode);
        expect(res.body).not.toContain(entPd);
      }
      for (const list of ['/api/inspections', '/api/cases', '/api/draws', '/api/inspection-plans']) {
        const res = (await get(k, list)).json();
        expect(res.items.some((x: { enterpriseId?: string; districtCode?: string }) => x.enterpriseId === entPd || x.districtCode === '310115'), `${k} ${list}`).toBe(false);
      }
    }
    // The enterprise reads its own inspection and case, but takes no officer's step.
    expect((await post('ent-pd', `/api/cases/${caseId}/actions/record_appeal`, { version: 5, appealStatus: 'reconsideration', comment: '企业登记' })).statusCode).toBe(403);
    expect((await post('ent-pd', `/api/inspections/${inspection.id}/findings`, { version: 4, findings: [{ description: '企业自行登记', grade: 'general' }] })).statusCode).toBe(403);
    expect((await get('ent-pd', `/api/draws/${drawId}`)).statusCode).toBe(404);
  });

  it('a user who clicks twice: the same findings or the same finish sent twice at once are taken once', async () => {
    const made = await post('pudong', '/api/inspections', { enterpriseId: entPd, type: 'campaign', date: '2026-11-16', inspectorIds: [uid.ipd4, uid.ipd3] });
    const url = `/api/inspections/${made.json().id}`;
    await post('ipd4', `${url}/actions/start`, { version: 1 });
    const hazards = await count('hazards');
    const body = { version: 2, findings: [{ description: '专项检查：消防通道被占用', grade: 'general' }] };
    const twice = await Promise.all([post('ipd4', `${url}/findings`, body), post('ipd4', `${url}/findings`, body)]);
    expect(twice.map((r) => r.statusCode).sort()).toEqual([201, 409]);
    expect(await count('hazards')).toBe(hazards + 1);
    const tally = async () => (await t.database.db.selectFrom('enforcement_tallies').selectAll().where('district_code', '=', '310115').where('quarter', '=', '2026Q4').executeTakeFirstOrThrow()).inspections;
    const before = await tally();
    const finish = { version: 3, signedBy: '王主任' };
    const done = await Promise.all([post('ipd4', `${url}/actions/finish`, finish), post('ipd3', `${url}/actions/finish`, finish)]);
    expect(done.map((r) => r.statusCode).sort()).toEqual([200, 409]);
    expect(await tally()).toBe(before + 1);
    expect((await get('ipd4', url)).json().events.filter((e: { action: string }) => e.action === 'finish')).toHaveLength(1);
  });

  it('the catalogue, conflicts, key units and matrix refuse who may not touch them', async () => {
    expect((await post('pudong', '/api/enforcement/provisions', { law: '《测试法》', article: '第一条', title: '测试条款' })).statusCode).toBe(403);
    expect((await post('ent-pd', '/api/enforcement/conflicts', { inspectorId: uid.ipd3, enterpriseId: entPd, reason: '企业代为申报' })).statusCode).toBe(403);
    expect((await post('huangpu', '/api/enforcement/conflicts', { inspectorId: uid.ipd3, enterpriseId: entPd, reason: '越区登记' })).statusCode).toBe(400);
    expect((await get('huangpu', '/api/enforcement/conflicts')).json().items.some((x: { enterpriseId: string }) => x.enterpriseId === entPd)).toBe(false);
    expect((await get('ent-pd', '/api/enforcement/conflicts')).json().total).toBe(0);
    expect((await post('ipd', '/api/enforcement/key-units', { year: 2026, districtCode: '310115', enterprises: [entPd] })).statusCode).toBe(403);
    expect((await send('ipd', 'PUT', '/api/enforcement/matrix', { year: 2026, districtCode: '310115', cells: [{ riskClass: 'low', standardizationLevel: 'none', perYear: 1, floor: 0, cap: 1 }], sourceNote: '执法人员越权' })).statusCode).toBe(403);
    expect((await send('yjj', 'PUT', '/api/enforcement/matrix', { year: 2026, districtCode: '310115', cells: [{ riskClass: 'low', standardizationLevel: 'none', perYear: 1, floor: 0, cap: 1 }], sourceNote: '部门越权' })).statusCode).toBe(403);
    // A department's draw is its own: the department sees it, another district does not.
    const d = await post('yjj', '/api/draws', { filter: { districtCode: '310115' }, count: 1, inspectorsPerInspection: 2 });
    expect(d.statusCode, d.body).toBe(201);
    expect((await get('yjj', '/api/draws')).json().items.map((x: { id: string }) => x.id)).toContain(d.json().id);
    expect((await get('huangpu', `/api/draws/${d.json().id}`)).statusCode).toBe(404);
    expect((await get('pudong', `/api/draws/${d.json().id}`)).statusCode).toBe(200);
  });
});
