import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, PNG_1x1, createTestApp, multipart, type TestApp } from '../../test/harness';
import { projectCoverage, threeYearsFrom } from './programmes';

describe('the projection of full coverage, on hand-built cases', () => {
  const base = { from: '2026-01-01', to: '2028-12-31', targets: 300 };
  it('extends the pace so far, and says whether it lands inside the period', () => {
    // 100 covered in the first 100 days: one a day, 200 to go.
    expect(projectCoverage({ ...base, today: '2026-04-10', covered: 100, lastCoveredOn: '2026-04-09' })).toEqual({ pacePerMonth: 30, projected: '2026-10-27', onTrack: true });
    // 10 in 365 days: 290 more take 10,585 days.
    const slow = projectCoverage({ ...base, today: '2026-12-31', covered: 10, lastCoveredOn: '2026-12-01' });
    expect(slow.onTrack).toBe(false);
    expect(slow.projected! > '2050-01-01').toBe(true);
  });
  it('projects nothing before the first coverage, and the day it was reached once all are covered', () => {
    expect(projectCoverage({ ...base, today: '2026-06-01', covered: 0, lastCoveredOn: null })).toEqual({ pacePerMonth: null, projected: null, onTrack: null });
    expect(projectCoverage({ ...base, today: '2027-06-01', covered: 300, lastCoveredOn: '2027-05-20' })).toEqual({ pacePerMonth: null, projected: '2027-05-20', onTrack: true });
    expect(projectCoverage({ ...base, today: '2029-06-01', covered: 300, lastCoveredOn: '2029-02-01' })).toMatchObject({ onTrack: false });
  });
  it('counts a period of three years to the day before', () => {
    expect(threeYearsFrom('2026-03-01')).toBe('2029-02-28');
    expect(threeYearsFrom('2024-02-29')).toBe('2027-02-27');
    expect(threeYearsFrom('2026-01-01')).toBe('2028-12-31');
  });
});

/** 啄木鸟 (#16) on both databases: the pool, programmes and coverage, assignments, an expert's scope, findings on the ledger. */
describe.each(DIALECTS)('experts on %s', (dialect) => {
  let t: TestApp;
  const clock = Date.parse('2026-11-16T02:00:00Z'); // 10:00 on Monday 16 November in Shanghai
  const who = { admin: 'admin', city: 'city', pudong: 'pudong', huangpu: 'huangpu', e1: 'expert-1', e2: 'expert-pd2', e3: 'expert-pd3', 'ent-pd': 'ent-pd', ipd: 'inspector-pd' } as const;
  type Who = keyof typeof who;
  const c = {} as Record<Who, string>;
  const uid = {} as Record<Who, string>;
  let ents: { id: string; name: string; industry_code: string; street_code: string | null }[];
  let entPd: string;
  let clauseId: string;
  let programmeId: string;
  let visitId: string;

  beforeAll(async () => {
    t = await createTestApp(dialect, { demo: true, demoCount: 80, now: () => new Date(clock), config: { SESSION_IDLE_MINUTES: 100_000, SESSION_ABSOLUTE_HOURS: 10_000 } });
    const admin = await t.login('admin');
    for (const [username, displayName] of [['expert-pd2', '专家 王磊'], ['expert-pd3', '专家 陈静']]) {
      const r = await t.as(admin, { method: 'POST', url: '/api/users', payload: { username, displayName, role: 'expert', regionCode: '310115', password: 'Welcome-2026-x' } });
      expect(r.statusCode, r.body).toBe(201);
    }
    for (const k of Object.keys(who) as Who[]) {
      c[k] = await t.login(who[k], k === 'e2' || k === 'e3' ? 'Welcome-2026-x' : undefined);
      uid[k] = (await t.database.db.selectFrom('users').select('id').where('username', '=', who[k]).executeTakeFirstOrThrow()).id;
    }
    entPd = (await t.database.db.selectFrom('users').select('enterprise_id').where('username', '=', 'ent-pd').executeTakeFirstOrThrow()).enterprise_id!;
    // Pudong's enterprises but ent-pd's own, which the tests give a visit of its own to rate.
    ents = (await t.database.db.selectFrom('enterprises').select(['id', 'name', 'industry_code', 'street_code']).where('district_code', '=', '310115').orderBy('id').execute()).filter((e) => e.id !== entPd);
    clauseId = (await t.database.db.selectFrom('standard_clauses').select('id').where('standard_id', '=', 'gongmao-2023').where('is_lead_in', '=', 0).orderBy('sort').executeTakeFirstOrThrow()).id;
  });
  afterAll(() => t?.close());

  const get = (k: Who, url: string) => t.as(c[k], { method: 'GET', url });
  const send = (k: Who, method: 'POST' | 'PATCH', url: string, payload: unknown) => t.as(c[k], { method, url, payload: payload as object });
  const post = (k: Who, url: string, payload: unknown = {}) => send(k, 'POST', url, payload);
  const count = async (table: 'hazards' | 'hazard_origins' | 'audit_log' | 'record_events' | 'expert_visits') => Number((await t.database.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
  const appointment = { appointedBy: '浦东新区安委办', appointedFrom: '2026-01-01', appointedTo: '2028-12-31', title: '高级工程师', industries: ['13', '51'], categories: [] };

  it('the pool: an office adds expert accounts, keeps them to itself, and suspends one with a reason', async () => {
    const added = await post('pudong', '/api/experts', { userId: uid.e1, ...appointment });
    expect(added.statusCode, added.body).toBe(201);
    expect(added.json()).toMatchObject({ userId: uid.e1, districtCode: '310115', status: 'active', lapsed: false, quality: { visits: 0 } });
    expect((await post('pudong', '/api/experts', { userId: uid.e2, ...appointment })).statusCode).toBe(201);
    // expert-pd3's appointment ended last year.
    expect((await post('pudong', '/api/experts', { userId: uid.e3, ...appointment, appointedFrom: '2023-01-01', appointedTo: '2025-12-31' })).json()).toMatchObject({ lapsed: true });
    expect((await post('pudong', '/api/experts', { userId: uid.e1, ...appointment })).statusCode).toBe(409);
    const notExpert = await post('pudong', '/api/experts', { userId: uid.ipd, ...appointment });
    expect(notExpert.statusCode).toBe(400);
    expect(notExpert.json().detail).toContain('不是专家账号');
    expect((await post('pudong', '/api/experts', { userId: uid.e1, ...appointment, appointedTo: '2025-01-01' })).statusCode).toBe(400);
    expect((await post('ent-pd', '/api/experts', { userId: uid.e1, ...appointment })).statusCode).toBe(403);
    expect((await post('huangpu', '/api/experts', { userId: uid.e1, ...appointment, districtCode: '310115' })).statusCode).toBe(403);

    const list = (await get('pudong', '/api/experts')).json();
    expect(list.total).toBe(3);
    expect((await get('pudong', '/api/experts?assignable=true')).json().total).toBe(2);
    expect((await get('huangpu', '/api/experts')).json().total).toBe(0);
    expect((await get('huangpu', `/api/experts/${uid.e1}`)).statusCode).toBe(404);
    expect((await get('city', '/api/experts')).json().total).toBe(3);
    // An expert sees themself only.
    expect((await get('e1', '/api/experts')).json().items.map((e: { userId: string }) => e.userId)).toEqual([uid.e1]);

    const e2 = (await get('pudong', `/api/experts/${uid.e2}`)).json();
    expect((await send('pudong', 'PATCH', `/api/experts/${uid.e2}`, { version: e2.version, status: 'suspended' })).statusCode).toBe(400);
    const suspended = await send('pudong', 'PATCH', `/api/experts/${uid.e2}`, { version: e2.version, status: 'suspended', reason: '检查报告多次与实际不符' });
    expect(suspended.statusCode, suspended.body).toBe(200);
    expect(suspended.json()).toMatchObject({ status: 'suspended', suspendedReason: '检查报告多次与实际不符' });
    expect((await send('pudong', 'PATCH', `/api/experts/${uid.e2}`, { version: e2.version, status: 'active' })).statusCode).toBe(409);
    const audited = await t.database.db.selectFrom('audit_log').select(['action', 'after_json']).where('entity_type', '=', 'expert').where('entity_id', '=', uid.e2).orderBy('seq').execute();
    expect(audited.map((a) => a.action)).toEqual(['expert.added', 'expert.suspended']);
  });

  it('a programme names its targets by list or by filter, three years by default; a bad list is reported row by row', async () => {
    const targets = ents.slice(0, 6).map((e) => e.id);
    const made = await post('pudong', '/api/expert-programmes', { title: '浦东新区啄木鸟计划 2026—2028', districtCode: '310115', from: '2026-01-01', enterpriseIds: [...targets, entPd] });
    expect(made.statusCode, made.body).toBe(201);
    expect(made.json()).toMatchObject({ from: '2026-01-01', to: '2028-12-31', targets: 7, covered: 0, scheduled: 0, notYet: 7 });
    programmeId = made.json().id;

    const hp = (await t.database.db.selectFrom('enterprises').select('id').where('district_code', '=', '310101').executeTakeFirstOrThrow()).id;
    const bad = await post('pudong', '/api/expert-programmes', { title: '含外区企业', districtCode: '310115', from: '2026-01-01', enterpriseIds: [targets[0], hp, '0193a000-0000-7000-8000-000000000000'] });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors.map((e: { path: string }) => e.path)).toEqual(['enterpriseIds.1', 'enterpriseIds.2']);

    const division = ents[0].industry_code.slice(0, 2);
    const byFilter = await post('pudong', '/api/expert-programmes', { title: '按行业', districtCode: '310115', from: '2026-03-01', filter: { industries: [division] } });
    expect(byFilter.statusCode, byFilter.body).toBe(201);
    const inDivision = await t.database.db.selectFrom('enterprises').select('id').where('district_code', '=', '310115').where('industry_code', 'like', `${division}%`).execute();
    expect(byFilter.json().targets).toBe(inDivision.length);
    expect(byFilter.json().to).toBe('2029-02-28');
    expect((await post('pudong', '/api/expert-programmes', { title: '无目标', districtCode: '310115', from: '2026-01-01', filter: { streetCodes: ['310101001'] } })).statusCode).toBe(400);
    expect((await post('huangpu', '/api/expert-programmes', { title: '越权', districtCode: '310115', from: '2026-01-01', enterpriseIds: targets })).statusCode).toBe(403);
    expect((await get('huangpu', `/api/expert-programmes/${programmeId}`)).statusCode).toBe(404);
    expect((await get('huangpu', '/api/expert-programmes')).json().total).toBe(0);
    expect((await get('pudong', '/api/expert-programmes')).json().total).toBe(2);
  });

  it('assigning refuses a conflicted, suspended or lapsed expert and an enterprise outside the programme; a good one schedules the target', async () => {
    const target = ents[0].id;
    const assign = (expertIds: string[], enterpriseId = target, extra: object = {}) => post('pudong', '/api/expert-assignments', { programmeId, enterpriseId, expertIds, from: '2026-11-16', to: '2026-11-30', ...extra });
    const conflict = await post('pudong', `/api/experts/${uid.e1}/conflicts`, { enterpriseId: ents[1].id, reason: '曾在该企业任职' });
    expect(conflict.statusCode, conflict.body).toBe(201);
    const refusals: [string[], string, string][] = [
      [[uid.e1], ents[1].id, 'conflict'],
      [[uid.e2], target, 'suspended'],
      [[uid.e3], target, 'lapsed'],
      [[uid.ipd], target, 'unknown_expert'],
    ];
    for (const [ids, ent, code] of refusals) {
      const r = await assign(ids, ent);
      expect(r.statusCode, code).toBe(400);
      expect(r.json().errors[0].code).toBe(code);
    }
    const outside = ents.find((e) => !ents.slice(0, 6).some((x) => x.id === e.id) && e.id !== entPd)!;
    const notTarget = await assign([uid.e1], outside.id);
    expect(notTarget.statusCode).toBe(400);
    expect(notTarget.json().errors[0].code).toBe('not_a_target');
    // A window past its appointment is refused too.
    expect((await assign([uid.e1], target, { to: '2029-03-01' })).json().errors?.[0]?.code).toBe('lapsed');
    expect((await post('huangpu', '/api/expert-assignments', { programmeId, enterpriseId: target, expertIds: [uid.e1], from: '2026-11-16', to: '2026-11-30' })).statusCode).toBe(400);
    expect((await post('e1', '/api/expert-assignments', { programmeId, enterpriseId: target, expertIds: [uid.e1], from: '2026-11-16', to: '2026-11-30' })).statusCode).toBe(403);

    // Sent twice at once (a double click): one visit, one refusal.
    const both = await Promise.all([assign([uid.e1]), assign([uid.e1])]);
    expect(both.map((r) => r.statusCode).sort()).toEqual([201, 409]);
    const ok = both.find((r) => r.statusCode === 201)!;
    visitId = ok.json().id;
    expect(await count('expert_visits')).toBe(1);
    expect(ok.json()).toMatchObject({ status: 'assigned', enterpriseId: target, expertIds: [uid.e1], version: 1 });
    const cov = (await get('pudong', `/api/expert-programmes/${programmeId}/coverage`)).json();
    expect(cov).toMatchObject({ scheduled: 1, covered: 0, projectedFullCoverage: null, onTrack: null });
  });

  it('an expert sees only the enterprises they are assigned to — enterprises, hazards, files and visits', async () => {
    const target = ents[0].id;
    expect((await get('e1', `/api/enterprises/${target}`)).statusCode).toBe(200);
    expect((await get('e1', `/api/enterprises/${ents[2].id}`)).statusCode).toBe(404);
    const listed = (await get('e1', '/api/enterprises')).json();
    expect(listed.items.map((e: { id: string }) => e.id)).toEqual([target]);
    // A hazard of another enterprise, with a photo, is out of reach; one of the assigned enterprise is in.
    const up = await t.as(c.pudong, { method: 'POST', url: '/api/files', ...multipart('file', 'other.png', PNG_1x1, 'image/png') });
    const fileId = up.json().id;
    const other = await post('pudong', '/api/hazards', { enterpriseId: ents[2].id, description: '别家企业的隐患（专家不可见）', location: '仓库', grade: 'general', source: 'routine_inspection', foundAt: new Date(clock - 60_000).toISOString(), attachmentIds: [fileId] });
    expect(other.statusCode, other.body).toBe(201);
    expect((await get('e1', `/api/hazards/${other.json().id}`)).statusCode).toBe(404);
    expect((await get('e1', `/api/files/${fileId}`)).statusCode).toBe(404);
    const hazards = (await get('e1', '/api/hazards?pageSize=100')).json();
    expect(hazards.items.every((h: { enterpriseId: string }) => h.enterpriseId === target)).toBe(true);
    // Its own visits only; another expert's visit is not there; enforcement records are not an expert's.
    expect((await get('e1', '/api/expert-visits')).json().items.map((v: { id: string }) => v.id)).toEqual([visitId]);
    expect((await get('e2', '/api/expert-visits')).json().total).toBe(0);
    expect((await get('e2', `/api/expert-visits/${visitId}`)).statusCode).toBe(404);
    expect((await get('e2', `/api/enterprises/${target}`)).statusCode).toBe(404);
    expect((await get('e1', '/api/inspections')).json().total).toBe(0);
    expect((await get('e1', '/api/cases')).json().total).toBe(0);
  });

  it('findings land on the ledger with the visit in one transaction; a failing one writes nothing; the report covers the target', async () => {
    const url = `/api/expert-visits/${visitId}`;
    expect((await post('e1', `${url}/findings`, { version: 1, findings: [{ description: '未开始就记录的隐患', grade: 'general' }] })).statusCode).toBe(409);
    expect((await post('e2', `${url}/actions/start`, { version: 1 })).statusCode).toBe(404);
    const started = await post('e1', `${url}/actions/start`, { version: 1 });
    expect(started.statusCode, started.body).toBe(200);
    expect(started.json()).toMatchObject({ status: 'in_progress', mayRecord: true, allowedActions: ['submit'] });

    const before = { hazards: await count('hazards'), origins: await count('hazard_origins'), audit: await count('audit_log'), events: await count('record_events') };
    const failing = await post('e1', `${url}/findings`, { version: 2, findings: [{ description: '配电箱门未关闭，箱内积尘', grade: 'general' }, { description: '重大隐患但未引用条款', grade: 'major' }] });
    expect(failing.statusCode).toBe(400);
    expect(failing.json().errors[0].path).toBe('findings.1.clauseIds');
    const withDeadline = await post('e1', `${url}/findings`, { version: 2, findings: [{ description: '配电箱门未关闭，箱内积尘', grade: 'general', deadline: '2026-12-01' }] });
    expect(withDeadline.statusCode).toBe(400);
    expect(withDeadline.json().errors[0].path).toBe('findings.0.deadline');
    expect({ hazards: await count('hazards'), origins: await count('hazard_origins'), audit: await count('audit_log'), events: await count('record_events') }).toEqual(before);

    const photo = await t.as(c.e1, { method: 'POST', url: '/api/files', ...multipart('file', 'finding.png', PNG_1x1, 'image/png') });
    expect(photo.statusCode, photo.body).toBe(201);
    const found = await post('e1', `${url}/findings`, {
      version: 2,
      findings: [
        { description: '配电箱门未关闭，箱内积尘', grade: 'general', attachmentIds: [photo.json().id] },
        { description: '有限空间作业未执行先通风、再检测、后作业', grade: 'major', clauseIds: [clauseId], location: '污水池' },
      ],
    });
    expect(found.statusCode, found.body).toBe(200);
    expect(found.json().version).toBe(3);
    const [general, major] = found.json().hazardIds;
    const onLedger = (await get('pudong', `/api/hazards/${major}`)).json();
    expect(onLedger).toMatchObject({ source: 'expert_inspection', grade: 'major', enterpriseId: ents[0].id, foundByName: '啄木鸟专家 孙洁', origin: { type: 'expert_visit', id: visitId } });
    expect((await get('e1', `/api/hazards/${general}`)).statusCode).toBe(200);
    expect((await get('e1', `/api/files/${photo.json().id}`)).statusCode).toBe(200);

    expect((await post('pudong', `${url}/actions/cancel`, { version: 3, reason: '改派' })).statusCode).toBe(409);
    const submitted = await post('e1', `${url}/actions/submit`, { version: 3, advice: '建议建立有限空间作业审批制度，并对作业人员开展专项培训。' });
    expect(submitted.statusCode, submitted.body).toBe(200);
    expect(submitted.json()).toMatchObject({ status: 'submitted', findings: 2, majorFindings: 1, advice: expect.stringContaining('有限空间'), allowedActions: [] });
    expect(submitted.json().findingsList.map((f: { hazardId: string }) => f.hazardId).sort()).toEqual([general, major].sort());
    expect(submitted.json().events.map((e: { action: string }) => e.action)).toEqual(['assign', 'start', 'findings', 'submit']);
    expect((await post('e1', `${url}/actions/submit`, { version: 4 })).statusCode).toBe(409);
    // The report (.docx) reads back with the findings and the advice; none before submission.
    const report = await get('pudong', `${url}/report.docx`);
    expect(report.statusCode).toBe(200);
    const xml = await (await JSZip.loadAsync(report.rawPayload)).file('word/document.xml')!.async('string');
    const text = xml.replace(/<[^>]+>/g, '');
    for (const s of ['专家检查报告', '配电箱门未关闭，箱内积尘', '有限空间作业未执行先通风、再检测、后作业', '建议建立有限空间作业审批制度', '啄木鸟专家 孙洁']) expect(text).toContain(s);
  });

  it('coverage equals the visits, by district, street and industry; cancelling the last open visit unschedules its target', async () => {
    const db = t.database.db;
    const second = await post('pudong', '/api/expert-assignments', { programmeId, enterpriseId: ents[3].id, expertIds: [uid.e1], from: '2026-11-20', to: '2026-12-10' });
    expect(second.statusCode, second.body).toBe(201);
    let cov = (await get('pudong', `/api/expert-programmes/${programmeId}/coverage`)).json();
    const submitted = await db.selectFrom('expert_visits').select('enterprise_id').distinct().where('programme_id', '=', programmeId).where('status', '=', 'submitted').execute();
    const open = await db.selectFrom('expert_visits').select('enterprise_id').distinct().where('programme_id', '=', programmeId).where('status', 'in', ['assigned', 'in_progress']).execute();
    expect(cov).toMatchObject({ covered: submitted.length, scheduled: open.length, notYet: cov.targets - submitted.length - open.length });
    expect(cov.covered).toBe(1);
    // 1 covered in the 320 days since 1 January: the rest take years, past the period's end.
    expect(cov.projectedFullCoverage > cov.to).toBe(true);
    expect(cov.onTrack).toBe(false);
    for (const groupBy of ['district', 'street', 'industry']) {
      const g = (await get('pudong', `/api/expert-programmes/${programmeId}/coverage?groupBy=${groupBy}`)).json();
      for (const k of ['targets', 'covered', 'scheduled', 'notYet'] as const) expect(g.groups.reduce((s: number, x: Record<string, number>) => s + x[k], 0)).toBe(cov[k]);
    }
    for (const [state, k] of [['covered', 'covered'], ['scheduled', 'scheduled'], ['not_yet', 'notYet']] as const) {
      expect((await get('pudong', `/api/expert-programmes/${programmeId}/targets?state=${state}`)).json().total).toBe(cov[k]);
    }
    expect((await get('huangpu', `/api/expert-programmes/${programmeId}/targets`)).statusCode).toBe(404);
    const industry = (await get('pudong', `/api/expert-programmes/${programmeId}/coverage?groupBy=industry`)).json();
    expect(industry.groups.find((x: { code: string }) => x.code === ents[0].industry_code)).toMatchObject({ covered: 1 });
    expect((await get('pudong', `/api/expert-programmes/${programmeId}/coverage?groupBy=month`)).statusCode).toBe(400);

    expect((await get('pudong', `/api/expert-visits/${second.json().id}/report.docx`)).statusCode).toBe(409);
    expect((await post('pudong', `/api/expert-visits/${second.json().id}/actions/cancel`, { version: 1 })).statusCode).toBe(400);
    const cancelled = await post('pudong', `/api/expert-visits/${second.json().id}/actions/cancel`, { version: 1, reason: '企业停产，改期安排' });
    expect(cancelled.statusCode, cancelled.body).toBe(200);
    cov = (await get('pudong', `/api/expert-programmes/${programmeId}/coverage`)).json();
    expect(cov).toMatchObject({ covered: 1, scheduled: 0 });
    expect((await get('pudong', `/api/expert-programmes/${programmeId}`)).json()).toMatchObject({ covered: 1, scheduled: 0 });
    // The cancelled visit's enterprise leaves the expert's reach.
    expect((await get('e1', `/api/enterprises/${ents[3].id}`)).statusCode).toBe(404);
  });

  it('the enterprise rates the visit once; the expert’s record counts visits, findings and what became of them', async () => {
    // The first visit's enterprise is not ent-pd: give ent-pd a visit of its own to rate.
    const own = await post('pudong', '/api/expert-assignments', { programmeId, enterpriseId: entPd, expertIds: [uid.e1], from: '2026-11-16', to: '2026-11-30' });
    expect(own.statusCode, own.body).toBe(201);
    const url = `/api/expert-visits/${own.json().id}`;
    expect((await post('ent-pd', `${url}/feedback`, { rating: 5 })).statusCode).toBe(409);
    await post('e1', `${url}/actions/start`, { version: 1 });
    await post('e1', `${url}/actions/submit`, { version: 2 });
    expect((await get('ent-pd', url)).json()).toMatchObject({ mayGiveFeedback: true, status: 'submitted' });
    expect((await get('ent-pd', `/api/expert-visits/${visitId}`)).statusCode).toBe(404);
    expect((await post('pudong', `${url}/feedback`, { rating: 4 })).statusCode).toBe(403);
    expect((await post('ent-pd', `${url}/feedback`, { rating: 6 })).statusCode).toBe(400);
    const rated = await post('ent-pd', `${url}/feedback`, { rating: 4, note: '专家讲解细致' });
    expect(rated.statusCode, rated.body).toBe(200);
    expect(rated.json()).toMatchObject({ feedback: { rating: 4, note: '专家讲解细致' }, mayGiveFeedback: false });
    expect((await post('ent-pd', `${url}/feedback`, { rating: 1 })).statusCode).toBe(409);

    // One finding voided as wrong by the district: the record shows it.
    const [general] = (await get('pudong', `/api/expert-visits/${visitId}`)).json().findingsList.filter((f: { grade: string }) => f.grade === 'general');
    const h = (await get('pudong', `/api/hazards/${general.hazardId}`)).json();
    const voided = await post('pudong', `/api/hazards/${general.hazardId}/actions/void`, { version: h.version, reason: '经核实不属于隐患' });
    expect(voided.statusCode, voided.body).toBe(200);
    const q = (await get('pudong', `/api/experts/${uid.e1}`)).json().quality;
    expect(q).toEqual({ visits: 2, submitted: 2, findings: 2, majorFindings: 1, confirmed: 0, voided: 1, feedbackCount: 1, feedbackAverage: 4 });
  });

  it('the office’s screens: accounts to add, a target list of credit codes, conflicts shown, specialists first', async () => {
    // Expert accounts not yet in a pool: the demo's, not expert-1 (pooled); an enterprise may not ask.
    const candidates = (await get('pudong', '/api/experts/candidates')).json().items.map((c: { username: string }) => c.username);
    expect(candidates).toEqual(expect.arrayContaining(['expert-2', 'expert-3', 'expert-4']));
    expect(candidates).not.toContain('expert-1');
    expect((await get('pudong', '/api/experts/candidates?q=expert-3')).json().items.map((c: { username: string }) => c.username)).toEqual(['expert-3']);
    expect((await get('ent-pd', '/api/experts/candidates')).statusCode).toBe(403);

    // A list pasted as credit codes (lower case is fine); a code not of the district is reported by its line.
    const rows = await t.database.db.selectFrom('enterprises').select(['id', 'uscc']).where('id', 'in', ents.slice(6, 9).map((e) => e.id)).execute();
    const hp = (await t.database.db.selectFrom('enterprises').select('uscc').where('district_code', '=', '310101').executeTakeFirstOrThrow()).uscc;
    const bad = await post('pudong', '/api/expert-programmes', { title: '名单含外区企业', districtCode: '310115', from: '2026-01-01', usccs: [...rows.map((r) => r.uscc), hp] });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors.map((e: { path: string }) => e.path)).toEqual(['usccs.3']);
    expect(bad.json().errors[0].message).toContain(hp);
    const made = await post('pudong', '/api/expert-programmes', { title: '按名单', districtCode: '310115', from: '2026-01-01', usccs: [rows[0].uscc.toLowerCase(), rows[1].uscc, rows[2].uscc] });
    expect(made.statusCode, made.body).toBe(201);
    expect(made.json().targets).toBe(3);
    const targets = (await get('pudong', `/api/expert-programmes/${made.json().id}/targets`)).json().items.map((x: { enterpriseId: string }) => x.enterpriseId);
    expect(targets.sort()).toEqual(rows.map((r) => r.id).sort());
    expect((await post('pudong', '/api/expert-programmes', { title: '二选一', districtCode: '310115', from: '2026-01-01', usccs: [rows[0].uscc], filter: { industries: ['13'] } })).statusCode).toBe(400);

    // The expert's declared conflicts are on their record.
    const e1 = (await get('pudong', `/api/experts/${uid.e1}`)).json();
    expect(e1.conflicts).toEqual([expect.objectContaining({ enterpriseId: ents[1].id, enterpriseName: ents[1].name, reason: '曾在该企业任职' })]);

    // For an enterprise, those specialised in its division come first, whatever their names.
    const division = ents[3].industry_code.slice(0, 2);
    const other = division === '13' ? '14' : '13';
    const e2 = (await get('pudong', `/api/experts/${uid.e2}`)).json();
    expect((await send('pudong', 'PATCH', `/api/experts/${uid.e1}`, { version: e1.version, industries: [division] })).statusCode).toBe(200);
    expect((await send('pudong', 'PATCH', `/api/experts/${uid.e2}`, { version: e2.version, industries: [other] })).statusCode).toBe(200);
    const ranked = (await get('pudong', `/api/experts?enterpriseId=${ents[3].id}`)).json().items;
    expect(ranked[0]).toMatchObject({ userId: uid.e1, matchesSpecialty: true });
    expect(ranked.find((x: { userId: string }) => x.userId === uid.e2).matchesSpecialty).toBe(false);
    expect((await get('pudong', '/api/experts')).json().items.every((x: { matchesSpecialty: null }) => x.matchesSpecialty === null)).toBe(true);
  });
});

/** The demo's 啄木鸟: pools, programmes part-covered, the ledger's expert hazards belonging to visits. */
describe.each(DIALECTS)('the demo city’s experts on %s', (dialect) => {
  let t: TestApp;
  const clock = Date.parse('2026-11-16T02:00:00Z');
  beforeAll(async () => {
    t = await createTestApp(dialect, { demo: true, demoCount: 200, demoHazards: 2000, demoExperts: true, now: () => new Date(clock) });
  });
  afterAll(() => t?.close());

  it('every expert hazard of the programme districts since the start belongs to a submitted visit; coverage equals the visits', async () => {
    const db = t.database.db;
    const pudong = await t.login('pudong');
    const programmes = (await t.as(pudong, { method: 'GET', url: '/api/expert-programmes' })).json().items;
    expect(programmes).toHaveLength(1);
    const p = programmes[0];
    expect(p).toMatchObject({ districtCode: '310115', from: '2025-01-01', to: '2027-12-31', scheduled: 0 });
    const hazards = await db.selectFrom('hazards').select('id').where('district_code', 'in', ['310115', '310104']).where('source', '=', 'expert_inspection').where('found_at', '>=', Date.parse('2025-01-01T00:00:00.000Z')).execute();
    expect(hazards.length).toBeGreaterThan(0);
    const linked = await db.selectFrom('hazard_origins').select('hazard_id').where('origin_type', '=', 'expert_visit').execute();
    expect(new Set(linked.map((l) => l.hazard_id))).toEqual(new Set(hazards.map((h) => h.id)));
    const covered = await db.selectFrom('expert_visits').select('enterprise_id').distinct().where('programme_id', '=', p.id).where('status', '=', 'submitted').execute();
    const coverage = (await t.as(pudong, { method: 'GET', url: `/api/expert-programmes/${p.id}/coverage` })).json();
    expect(coverage).toMatchObject({ covered: covered.length, targets: p.targets });
    expect(coverage.covered).toBeGreaterThan(0);
    expect(coverage.notYet).toBeGreaterThan(0);
    expect(coverage.projectedFullCoverage).not.toBeNull();
    expect(p.projectedFullCoverage).toBe(coverage.projectedFullCoverage);
    expect(p.onTrack).toBe(coverage.onTrack);
    // expert-1 has no visits yet; a visiting expert sees the enterprises of its own visits only.
    const e1 = await t.login('expert-1');
    expect((await t.as(e1, { method: 'GET', url: '/api/expert-visits' })).json().total).toBe(0);
    expect((await t.as(e1, { method: 'GET', url: '/api/enterprises' })).json().total).toBe(0);
    const e2 = await t.login('expert-2');
    const mine = await db.selectFrom('expert_visits as v').innerJoin('expert_visit_experts as ve', 've.visit_id', 'v.id').innerJoin('users as u', 'u.id', 've.user_id').select('v.enterprise_id').distinct().where('u.username', '=', 'expert-2').execute();
    expect(mine.length).toBeGreaterThan(0);
    expect((await t.as(e2, { method: 'GET', url: '/api/enterprises?pageSize=100' })).json().total).toBe(mine.length);
    // The pool's record counts the visits; a new visit's code continues after the demo's.
    const record = (await t.as(pudong, { method: 'GET', url: `/api/experts/${(await db.selectFrom('users').select('id').where('username', '=', 'expert-2').executeTakeFirstOrThrow()).id}` })).json();
    expect(record.quality.submitted).toBeGreaterThan(0);
    const e1id = (await db.selectFrom('users').select('id').where('username', '=', 'expert-1').executeTakeFirstOrThrow()).id;
    const target = (await t.as(pudong, { method: 'GET', url: `/api/expert-programmes/${p.id}/targets?state=not_yet` })).json().items[0];
    const made = await t.as(pudong, { method: 'POST', url: '/api/expert-assignments', payload: { programmeId: p.id, enterpriseId: target.enterpriseId, expertIds: [e1id], from: '2026-11-16', to: '2026-11-30' } });
    expect(made.statusCode, made.body).toBe(201);
    const codes = await db.selectFrom('expert_visits').select('code').where('district_code', '=', '310115').where('code', 'like', 'ZJ-310115-2026-%').execute();
    expect(new Set(codes.map((c) => c.code)).size).toBe(codes.length);
  });
});
