import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HazardQuery } from '../../../shared/contracts/hazards';
import { actorFromUser } from '../../auth/actor';
import { DIALECTS, PNG_1x1, createTestApp, multipart, type TestApp } from '../../test/harness';
import { presentHazard } from './presenter';
import { listHazards } from './repository';

describe.each(DIALECTS)('hazard ledger and closed loop on %s', (dialect) => {
  let t: TestApp;
  let clock = Date.parse('2026-05-10T02:00:00Z'); // 10:00 in Shanghai
  const c = {} as Record<'admin' | 'city' | 'pudong' | 'huangpu' | 'lujiazui' | 'yjj' | 'inspector-pd' | 'ent-pd' | 'ent-hp', string>;
  let entPd: string;
  let entHp: string;
  let majorClause: string;

  beforeAll(async () => {
    // Sessions outlive the clock jumps below (the deadline tests move time by hours).
    t = await createTestApp(dialect, { demo: true, demoCount: 60, now: () => new Date(clock), config: { SESSION_IDLE_MINUTES: 100_000, SESSION_ABSOLUTE_HOURS: 10_000 } });
    for (const u of Object.keys({ admin: 1, city: 1, pudong: 1, huangpu: 1, lujiazui: 1, yjj: 1, 'inspector-pd': 1, 'ent-pd': 1, 'ent-hp': 1 }) as (keyof typeof c)[]) c[u] = await t.login(u);
    const link = async (u: string) => (await t.database.db.selectFrom('users').select('enterprise_id').where('username', '=', u).executeTakeFirstOrThrow()).enterprise_id!;
    entPd = await link('ent-pd');
    entHp = await link('ent-hp');
    majorClause = (await t.database.db.selectFrom('standard_clauses').select('id').where('standard_id', '=', 'gongmao-2023').where('no', '=', '第三条第（一）项').executeTakeFirstOrThrow()).id;
  });
  afterAll(() => t?.close());

  const upload = async (cookie: string, content = PNG_1x1, name = 'photo.png') => {
    const mp = multipart('file', name, content, 'image/png');
    return t.as(cookie, { method: 'POST', url: '/api/files', payload: mp.payload, headers: mp.headers });
  };
  const report = (cookie: string, body: Record<string, unknown>) =>
    t.as(cookie, {
      method: 'POST',
      url: '/api/hazards',
      payload: { enterpriseId: entPd, description: '配电箱未接地，电缆破损', location: '二号车间', grade: 'general', source: 'self_check', foundAt: new Date(clock - 3600_000).toISOString(), ...body },
    });
  const act = (cookie: string, id: string, action: string, body: Record<string, unknown>) => t.as(cookie, { method: 'POST', url: `/api/hazards/${id}/actions/${action}`, payload: body });
  const PLAN = { measures: '停用并更换电缆', fundsFen: 1_250_000, responsibleName: '王五', deadline: '2026-05-31', contingencyPlan: '断电隔离，设警示' };

  it('runs the whole loop: report with a photo, assign, submit, reject once, submit again, accept — every step on the timeline', async () => {
    const photo = (await upload(c['ent-pd'])).json();
    expect(photo).toMatchObject({ mime: 'image/png', size: PNG_1x1.length, sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
    const created = await report(c['ent-pd'], { attachmentIds: [photo.id] });
    expect(created.statusCode).toBe(201);
    let h = created.json();
    expect(h).toMatchObject({ status: 'reported', grade: 'general', source: 'self_check', version: 1, overdue: false, deadline: null, supervisionLevel: 'none', enterpriseId: entPd, districtCode: '310115', streetCode: '310115005', clauseIds: [] });
    expect(h.code).toMatch(/^YH-310115-2026-\d{6}$/);
    expect(h.allowedActions).toEqual(['assign', 'fix_on_spot']);
    expect(h.events[0]).toMatchObject({ action: 'report', toStatus: 'reported', attachments: [{ id: photo.id, mime: 'image/png' }] });

    h = (await act(c['ent-pd'], h.id, 'assign', { version: 1, deadline: '2026-05-20', responsibleName: '张工' })).json();
    expect(h).toMatchObject({ status: 'rectifying', deadline: '2026-05-20', responsibleName: '张工', version: 2, allowedActions: ['submit'] });
    const evidence = (await upload(c['ent-pd'])).json();
    h = (await act(c['ent-pd'], h.id, 'submit', { version: 2, note: '已更换电缆并接地', attachmentIds: [evidence.id] })).json();
    expect(h.status).toBe('pending_acceptance');
    const rejected = await act(c.pudong, h.id, 'reject', { version: 3, reason: '接地电阻未检测' });
    expect(rejected.statusCode).toBe(200);
    h = rejected.json();
    expect(h.status).toBe('rectifying');
    h = (await act(c['ent-pd'], h.id, 'submit', { version: 4, note: '补充接地电阻检测报告', attachmentIds: [evidence.id] })).json();
    h = (await act(c.pudong, h.id, 'accept', { version: 5, note: '验收合格' })).json();
    expect(h).toMatchObject({ status: 'closed', version: 6, closedAt: expect.any(String), allowedActions: [] });
    expect(h.events.map((e: { action: string }) => e.action)).toEqual(['report', 'assign', 'submit', 'reject', 'submit', 'accept']);
    expect(h.events.map((e: { actorName: string }) => e.actorName)).toContain('浦东新区安委办 李华');
    // Each step shows where it started; the rows keep no copy of what the step before ended in (event-chain.ts).
    expect(h.events.map((e: { fromStatus: string | null; toStatus: string }) => [e.fromStatus, e.toStatus])).toEqual([
      [null, 'reported'], ['reported', 'rectifying'], ['rectifying', 'pending_acceptance'], ['pending_acceptance', 'rectifying'], ['rectifying', 'pending_acceptance'], ['pending_acceptance', 'closed'],
    ]);
    const rows = await t.database.db.selectFrom('hazard_events').innerJoin('hazards', 'hazards.num', 'hazard_events.hazard_num').select('hazard_events.from_status').where('hazards.id', '=', h.id).orderBy('hazard_events.seq').execute();
    expect(rows.map((r) => r.from_status)).toEqual([null, null, null, null, null, null]);

    const audits = await t.database.db.selectFrom('audit_log').select('action').where('entity_id', '=', h.id).orderBy('seq').execute();
    expect(audits.map((a) => a.action)).toEqual(['hazard.reported', 'hazard.assign', 'hazard.submit', 'hazard.reject', 'hazard.submit', 'hazard.accept']);
    const ledger = (await t.as(c.pudong, { method: 'GET', url: `/api/hazards?status=closed&q=${encodeURIComponent(h.code)}` })).json();
    expect(ledger.items.map((x: { id: string }) => x.id)).toEqual([h.id]);
  });

  it('answers each error code: stale version, invalid transition, missing evidence, missing plan, major without clauses', async () => {
    const h = (await report(c['ent-pd'], {})).json();
    const stale = await act(c['ent-pd'], h.id, 'assign', { version: 9, deadline: '2026-05-20', responsibleName: '张工' });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().code).toBe('VERSION_CONFLICT');
    const invalid = await act(c.pudong, h.id, 'accept', { version: 1 });
    expect(invalid.statusCode).toBe(409);
    expect(invalid.json().code).toBe('INVALID_TRANSITION');
    const noEvidence = await act(c['ent-pd'], h.id, 'fix_on_spot', { version: 1, note: '已整改', attachmentIds: [] });
    expect(noEvidence.statusCode).toBe(400);
    expect(noEvidence.json()).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ path: 'attachmentIds' }] });
    const past = await act(c['ent-pd'], h.id, 'assign', { version: 1, deadline: '2026-05-09', responsibleName: '张工' });
    expect(past.json()).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ path: 'deadline' }] });

    const noClause = await report(c.pudong, { grade: 'major', source: 'routine_inspection' });
    expect(noClause.statusCode).toBe(400);
    expect(noClause.json().code).toBe('CLAUSE_REQUIRED');
    const major = (await report(c.pudong, { grade: 'major', source: 'routine_inspection', clauseIds: [majorClause] })).json();
    expect(major.clauses[0]).toMatchObject({ id: majorClause, standardId: 'gongmao-2023' });
    const noPlan = await act(c.pudong, major.id, 'assign', { version: 1, deadline: '2026-05-31', responsibleName: '王五' });
    expect(noPlan.statusCode).toBe(400);
    expect(noPlan.json()).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ path: 'plan' }] });
    const halfPlan = await act(c.pudong, major.id, 'assign', { version: 1, deadline: '2026-05-31', responsibleName: '王五', plan: { ...PLAN, contingencyPlan: undefined } });
    expect(halfPlan.json().errors.map((e: { path: string }) => e.path)).toContain('plan.contingencyPlan');
    const fixMajor = await act(c.pudong, major.id, 'fix_on_spot', { version: 1, note: 'x', attachmentIds: [] });
    expect(fixMajor.json().code).toBe('INVALID_TRANSITION');
    const future = await report(c['ent-pd'], { foundAt: new Date(clock + 86_400_000).toISOString() });
    expect(future.json()).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ path: 'foundAt' }] });
    const foreignSource = await report(c['ent-pd'], { source: 'routine_inspection' });
    expect(foreignSource.json().errors[0].path).toBe('source');
  });

  it('major hazards: listed supervision by level, acceptance only by the district (or the city under city supervision)', async () => {
    let h = (await report(c.pudong, { grade: 'major', source: 'routine_inspection', clauseIds: [majorClause] })).json();
    expect(h.supervisionLevels).toEqual(['district']);
    h = (await act(c.pudong, h.id, 'supervise', { version: 1, level: 'district' })).json();
    expect(h.supervisionLevel).toBe('district');
    expect((await act(c.pudong, h.id, 'supervise', { version: 2, level: 'city' })).statusCode).toBe(403);
    h = (await act(c.city, h.id, 'supervise', { version: 2, level: 'city' })).json();
    h = (await act(c.pudong, h.id, 'assign', { version: 3, deadline: '2026-05-31', responsibleName: '王五', plan: PLAN })).json();
    expect(h.plan).toEqual(PLAN);
    const ev = (await upload(c['ent-pd'])).json();
    h = (await act(c['ent-pd'], h.id, 'submit', { version: 4, note: '已完成', attachmentIds: [ev.id] })).json();
    expect((await act(c.lujiazui, h.id, 'accept', { version: 5 })).statusCode).toBe(403);
    expect((await act(c['ent-pd'], h.id, 'accept', { version: 5 })).statusCode).toBe(403);
    const noOpinion = await act(c.city, h.id, 'accept', { version: 5, attachmentIds: [ev.id] });
    expect(noOpinion.statusCode).toBe(400);
    expect(noOpinion.json()).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ path: 'note', message: '重大隐患验收须填写验收意见' }] });
    const noEvidence = await act(c.city, h.id, 'accept', { version: 5, note: '市级验收' });
    expect(noEvidence.json()).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ path: 'attachmentIds' }] });
    const proof = (await upload(c.city)).json();
    const ok = await act(c.city, h.id, 'accept', { version: 5, note: '市级验收：整改到位', attachmentIds: [proof.id] });
    expect(ok.json().status).toBe('closed');
  });

  it('separation of duties: whoever submitted a rectification cannot accept it, whatever their role; someone else with the right can', async () => {
    // Each officer role that may accept a general hazard in Pudong, submitting on the enterprise's behalf.
    for (const who of ['pudong', 'lujiazui', 'yjj', 'city'] as const) {
      let h = (await report(c['inspector-pd'], { source: 'routine_inspection', description: `代企业提交的整改 ${who}` })).json();
      h = (await act(c.pudong, h.id, 'assign', { version: 1, deadline: '2026-05-31', responsibleName: '张工' })).json();
      const ev = (await upload(c[who])).json();
      const submitted = await act(c[who], h.id, 'submit', { version: 2, note: '代企业提交', attachmentIds: [ev.id] });
      expect(submitted.statusCode, who).toBe(200);
      h = submitted.json();
      expect(h.allowedActions, who).not.toContain('accept');
      expect(h.heldBack.map((x: { action: string }) => x.action), who).toEqual(['accept', 'reject']);
      expect(h.heldBack[0].reason, who).toMatch(/不能由您本人验收/);
      const own = await act(c[who], h.id, 'accept', { version: 3, note: '自己验收' });
      expect(own.statusCode, who).toBe(403);
      expect(own.json(), who).toMatchObject({ code: 'SEPARATION_OF_DUTIES', detail: expect.stringMatching(/其他有验收权限的人员/) });
      const other = who === 'pudong' ? c.lujiazui : c.pudong;
      expect((await act(other, h.id, 'accept', { version: 3, note: '他人验收' })).json().status, who).toBe('closed');
    }
    // The enterprise that submitted a self-check rectification does not accept it either; its district does.
    let h = (await report(c['ent-pd'], { description: '企业自查并自行提交的整改' })).json();
    h = (await act(c['ent-pd'], h.id, 'assign', { version: 1, deadline: '2026-05-31', responsibleName: '张工' })).json();
    const ev = (await upload(c['ent-pd'])).json();
    h = (await act(c['ent-pd'], h.id, 'submit', { version: 2, note: '已整改', attachmentIds: [ev.id] })).json();
    expect((await act(c['ent-pd'], h.id, 'accept', { version: 3 })).json().code).toBe('SEPARATION_OF_DUTIES');
    expect((await act(c.pudong, h.id, 'accept', { version: 3 })).json().status).toBe('closed');
    // An enterprise never accepts what the authorities found, even when someone else submitted it.
    h = (await report(c['inspector-pd'], { source: 'routine_inspection', description: '检查发现、企业不能自行验收' })).json();
    h = (await act(c.pudong, h.id, 'assign', { version: 1, deadline: '2026-05-31', responsibleName: '张工' })).json();
    h = (await act(c.pudong, h.id, 'submit', { version: 2, note: '代提交', attachmentIds: [(await upload(c.pudong)).json().id] })).json();
    expect((await act(c['ent-pd'], h.id, 'accept', { version: 3 })).json().code).toBe('FORBIDDEN');
  });

  it('warns of a likely duplicate: an open hazard of the same enterprise from the last 90 days that reads alike — nothing else', async () => {
    const similar = async (cookie: string, enterpriseId: string, description: string) =>
      (await t.as(cookie, { method: 'GET', url: `/api/hazards/similar?${new URLSearchParams({ enterpriseId, description })}` })).json().items.map((x: { code: string }) => x.code);
    const first = (await report(c['ent-pd'], { description: '三号车间配电柜柜门破损，内部线路裸露' })).json();
    expect(await similar(c['ent-pd'], entPd, '三号车间配电柜柜门破损，线路裸露')).toContain(first.code);
    expect(await similar(c.pudong, entPd, '配电柜柜门破损，内部线路裸露（三号车间）')).toContain(first.code);
    expect(await similar(c['ent-pd'], entPd, '食堂灭火器过期未更换')).not.toContain(first.code);
    // Another enterprise, or out of the user's scope: nothing.
    expect(await similar(c.huangpu, entPd, '三号车间配电柜柜门破损，内部线路裸露')).toEqual([]);
    expect(await similar(c['ent-hp'], entHp, '三号车间配电柜柜门破损，内部线路裸露')).toEqual([]);
    // Closed, or found more than 90 days ago: not a duplicate of anything open now.
    const spot = (await report(c['ent-pd'], { description: '五号库房灭火器压力表指针位于红区' })).json();
    const ev = (await upload(c['ent-pd'])).json();
    await act(c['ent-pd'], spot.id, 'fix_on_spot', { version: 1, note: '已更换', attachmentIds: [ev.id] });
    expect(await similar(c['ent-pd'], entPd, '五号库房灭火器压力表指针位于红区')).not.toContain(spot.code);
    const old = (await report(c['ent-pd'], { description: '六号仓库货架超载变形', foundAt: new Date(clock - 91 * 86_400_000).toISOString() })).json();
    expect(await similar(c['ent-pd'], entPd, '六号仓库货架超载变形')).not.toContain(old.code);
    // A warning, not a block: the same text can still be reported.
    expect((await report(c['ent-pd'], { description: '三号车间配电柜柜门破损，内部线路裸露' })).statusCode).toBe(201);
  });

  it('two acceptors for major hazards when the rule says so: the first records, a second person confirms', async () => {
    const set = await t.as(c.admin, { method: 'PUT', url: '/api/rules/hazards.major_acceptors', payload: { value: 2, effectiveFrom: '2026-05-10', sourceNote: '区安委办会议纪要（测试）' } });
    expect(set.statusCode).toBe(200);
    expect(set.json().versions[0]).toMatchObject({ effectiveFrom: '2026-05-10', value: 2 });
    expect((await t.as(c.pudong, { method: 'PUT', url: '/api/rules/hazards.major_acceptors', payload: { value: 1, effectiveFrom: '2026-05-11', sourceNote: 'x' } })).statusCode).toBe(403);
    expect((await t.as(c.admin, { method: 'PUT', url: '/api/rules/hazards.major_acceptors', payload: { value: 3, effectiveFrom: '2026-05-11', sourceNote: 'x' } })).json().errors[0].path).toBe('value');
    expect((await t.as(c.admin, { method: 'PUT', url: '/api/rules/hazards.major_acceptors', payload: { value: 1, effectiveFrom: '2026-05-01', sourceNote: 'x' } })).json().errors[0].path).toBe('effectiveFrom');
    try {
      let h = (await report(c.pudong, { grade: 'major', source: 'routine_inspection', clauseIds: [majorClause], description: '两人验收的重大隐患' })).json();
      h = (await act(c.pudong, h.id, 'assign', { version: 1, deadline: '2026-05-31', responsibleName: '王五', plan: PLAN })).json();
      h = (await act(c['ent-pd'], h.id, 'submit', { version: 2, note: '已完成', attachmentIds: [(await upload(c['ent-pd'])).json().id] })).json();
      expect(h.acceptorsNeeded).toBe(2);
      const first = await act(c.pudong, h.id, 'accept', { version: 3, note: '初验合格', attachmentIds: [(await upload(c.pudong)).json().id] });
      expect(first.json()).toMatchObject({ status: 'pending_acceptance', awaitingConfirmation: true, allowedActions: expect.not.arrayContaining(['accept']) });
      h = first.json();
      expect((await act(c.pudong, h.id, 'accept', { version: 4, note: '再验一次' })).json().code).toBe('SEPARATION_OF_DUTIES');
      // The supervising department sees a first acceptance waiting for its confirmation.
      const yjjView = (await t.as(c.yjj, { method: 'GET', url: `/api/hazards/${h.id}` })).json();
      expect(yjjView).toMatchObject({ awaitingConfirmation: true, allowedActions: expect.arrayContaining(['accept']) });
      // A street officer may not accept a major hazard at all, first or second.
      expect((await act(c.lujiazui, h.id, 'accept', { version: 4, note: '复核确认' })).json().code).toBe('FORBIDDEN');
      const closed = (await act(c.yjj, h.id, 'accept', { version: 4, note: '复核确认' })).json();
      expect(closed).toMatchObject({ status: 'closed', awaitingConfirmation: false });
      expect(closed.events.filter((e: { action: string }) => e.action === 'accept').map((e: { data: unknown; actorName: string }) => e.data)).toEqual([
        { stage: 'first', of: 2 },
        { stage: 'confirm', of: 2 },
      ]);
    } finally {
      await t.database.db.deleteFrom('rule_versions').execute();
    }
  });

  it('scope: huangpu cannot see or act on a Pudong hazard; ent-pd sees only its own; after a transfer the receiver sees it and the sender keeps reading', async () => {
    const h = (await report(c['inspector-pd'], { source: 'enforcement_inspection' })).json();
    const other = (await report(c.huangpu, { enterpriseId: entHp, source: 'routine_inspection' })).json();
    expect((await t.as(c.huangpu, { method: 'GET', url: `/api/hazards/${h.id}` })).statusCode).toBe(404);
    expect((await act(c.huangpu, h.id, 'void', { version: 1, reason: 'x' })).statusCode).toBe(404);
    const hpList = (await t.as(c.huangpu, { method: 'GET', url: '/api/hazards?pageSize=200' })).json();
    expect(hpList.items.every((x: { districtCode: string }) => x.districtCode === '310101')).toBe(true);
    const entList = (await t.as(c['ent-pd'], { method: 'GET', url: '/api/hazards?pageSize=200' })).json();
    expect(entList.total).toBeGreaterThan(0);
    expect(entList.items.every((x: { enterpriseId: string }) => x.enterpriseId === entPd)).toBe(true);
    expect((await t.as(c['ent-pd'], { method: 'GET', url: `/api/hazards/${other.id}` })).statusCode).toBe(404);
    expect((await report(c.huangpu, {})).json().code).toBe('UNKNOWN_ENTERPRISE');
    expect((await report(c['ent-hp'], {})).statusCode).toBe(403);

    const moved = await act(c.pudong, h.id, 'transfer', { version: 1, districtCode: '310101', reason: '属黄浦区管辖' });
    expect(moved.statusCode).toBe(200);
    expect(moved.json()).toMatchObject({ districtCode: '310101', streetCode: null, allowedActions: [] });
    const seen = await t.as(c.huangpu, { method: 'GET', url: `/api/hazards/${h.id}` });
    expect(seen.statusCode).toBe(200);
    expect(seen.json().allowedActions).toEqual(expect.arrayContaining(['assign', 'void']));
    const sender = await t.as(c.pudong, { method: 'GET', url: `/api/hazards/${h.id}` });
    expect(sender.statusCode).toBe(200);
    expect(sender.json().allowedActions).toEqual([]);
    expect((await act(c.pudong, h.id, 'void', { version: 2, reason: 'x' })).statusCode).toBe(403);
    expect((await t.as(c.lujiazui, { method: 'GET', url: `/api/hazards/${h.id}` })).statusCode).toBe(404);
    const hpSearch = (await t.as(c.huangpu, { method: 'GET', url: `/api/hazards?q=${encodeURIComponent(h.code)}` })).json();
    expect(hpSearch.items.map((x: { id: string }) => x.id)).toEqual([h.id]);
    expect(seen.json().events.at(-1)).toMatchObject({ action: 'transfer', comment: '属黄浦区管辖', data: { from: { districtCode: '310115' }, to: { districtCode: '310101' } } });
    // The sender's ledger: the hazard handed on is listed under its new district, not under its own.
    const ids = async (qs: string) => ((await t.as(c.pudong, { method: 'GET', url: `/api/hazards?pageSize=200&${qs}` })).json().items as { id: string }[]).map((x) => x.id);
    expect(await ids('')).toContain(h.id);
    expect(await ids('districtCode=310101')).toEqual([h.id]);
    expect(await ids('districtCode=310115')).not.toContain(h.id);
    expect((await ids('districtCode=310115')).length).toBeGreaterThan(0);
    // Searched within a district, it is found under its new district only (the index's district token followed the transfer).
    expect(await ids(`districtCode=310101&q=${encodeURIComponent(h.code)}`)).toEqual([h.id]);
    expect(await ids(`districtCode=310115&q=${encodeURIComponent(h.code)}`)).toEqual([]);
  });

  it('overdue is derived at the Shanghai day boundary, and filterable', async () => {
    let h = (await report(c.pudong, { source: 'routine_inspection', description: '消防通道堵塞待清理' })).json();
    h = (await act(c.pudong, h.id, 'assign', { version: 1, deadline: '2026-05-10', responsibleName: '李四' })).json();
    expect(h.overdue).toBe(false);
    clock = Date.parse('2026-05-10T15:59:59Z'); // 23:59:59 in Shanghai
    expect((await t.as(c.pudong, { method: 'GET', url: `/api/hazards/${h.id}` })).json().overdue).toBe(false);
    const notYet = (await t.as(c.pudong, { method: 'GET', url: '/api/hazards?overdue=true&pageSize=200' })).json();
    expect(notYet.items.map((x: { id: string }) => x.id)).not.toContain(h.id);
    clock = Date.parse('2026-05-10T16:00:00Z'); // midnight in Shanghai
    expect((await t.as(c.pudong, { method: 'GET', url: `/api/hazards/${h.id}` })).json().overdue).toBe(true);
    const overdue = (await t.as(c.pudong, { method: 'GET', url: '/api/hazards?overdue=true&pageSize=200' })).json();
    expect(overdue.items.map((x: { id: string }) => x.id)).toContain(h.id);
    expect(overdue.items.every((x: { overdue: boolean }) => x.overdue)).toBe(true);
    const extended = await act(c.pudong, h.id, 'extend', { version: 2, deadline: '2026-05-15', reason: '材料未到货' });
    expect(extended.json()).toMatchObject({ overdue: false, deadline: '2026-05-15' });
    expect(extended.json().events.at(-1).data).toEqual({ oldDeadline: '2026-05-10', newDeadline: '2026-05-15' });
    clock = Date.parse('2026-05-11T02:00:00Z');
  });

  it('filters the ledger and counts statuses under the same filters', async () => {
    const all = (await t.as(c.city, { method: 'GET', url: '/api/hazards?pageSize=200' })).json();
    const counts = (await t.as(c.city, { method: 'GET', url: '/api/hazards/status-counts' })).json();
    expect(Object.values(counts as Record<string, number>).reduce((a, b) => a + b, 0)).toBe(all.total);
    const open = (await t.as(c.city, { method: 'GET', url: '/api/hazards?status=reported,rectifying,pending_acceptance&pageSize=200' })).json();
    expect(open.total).toBe(counts.reported + counts.rectifying + counts.pending_acceptance);
    const major = (await t.as(c.city, { method: 'GET', url: '/api/hazards?grade=major&pageSize=200' })).json();
    expect(major.items.every((x: { grade: string; clauseIds: string[] }) => x.grade === 'major' && x.clauseIds.length > 0)).toBe(true);
    const bad = await t.as(c.city, { method: 'GET', url: '/api/hazards?status=open' });
    expect(bad.statusCode).toBe(400);
  });

  it('pages the ledger in every sort without gaps or overlaps, keeps the total on a page past the end, and lists each hazard as its detail shows it', async () => {
    const all = (await t.as(c.city, { method: 'GET', url: '/api/hazards?pageSize=200' })).json();
    expect(all.total).toBeGreaterThan(7);
    for (const sort of ['-foundAt', 'foundAt', 'deadline', '-deadline', '-createdAt', 'code']) {
      const whole = (await t.as(c.city, { method: 'GET', url: `/api/hazards?sort=${sort}&pageSize=200` })).json();
      const walked: string[] = [];
      for (let page = 1; page <= Math.ceil(whole.total / 3); page++) {
        const r = (await t.as(c.city, { method: 'GET', url: `/api/hazards?sort=${sort}&pageSize=3&page=${page}` })).json();
        expect(r.total).toBe(whole.total);
        walked.push(...r.items.map((x: { id: string }) => x.id));
      }
      expect(walked).toEqual(whole.items.map((x: { id: string }) => x.id));
    }
    // Open hazards by deadline: nearest first, none without a deadline before one with it.
    const open = (await t.as(c.city, { method: 'GET', url: '/api/hazards?status=pending_acceptance,reported,rectifying&sort=deadline&pageSize=200' })).json();
    const deadlines = open.items.map((x: { deadline: string | null }) => x.deadline ?? '9999');
    expect(deadlines).toEqual([...deadlines].sort());
    const past = (await t.as(c.city, { method: 'GET', url: `/api/hazards?pageSize=20&page=${Math.ceil(all.total / 20) + 1}` })).json();
    expect(past).toEqual({ items: [], total: all.total, page: Math.ceil(all.total / 20) + 1, pageSize: 20 });
    const none = (await t.as(c.city, { method: 'GET', url: '/api/hazards?q=%E6%B2%A1%E6%9C%89%E8%BF%99%E7%A7%8D%E9%9A%90%E6%82%A3xyz' })).json();
    expect(none).toEqual({ items: [], total: 0, page: 1, pageSize: 20 });
    for (const item of all.items.slice(0, 8)) {
      const { events: _e, actions: _a, clauses: _c, ...detail } = (await t.as(c.city, { method: 'GET', url: `/api/hazards/${item.id}` })).json();
      expect(item).toEqual(Object.fromEntries(Object.keys(item).map((k) => [k, detail[k]])));
    }
  });

  it('a ledger page answers each hazard exactly as the presenter shows it (on SQLite the database writes the JSON), in every sort and filter', async () => {
    // Coordinates, a plan, two clauses, a Latin and Chinese mix, a quote and a backslash; one overdue.
    const clauses = (await t.database.db.selectFrom('standard_clauses').select('id').where('standard_id', '=', 'gongmao-2023').where('is_lead_in', '=', 0).orderBy('id', 'desc').limit(2).execute()).map((r) => r.id);
    const h = (await report(c.pudong, { grade: 'major', source: 'routine_inspection', clauseIds: clauses, description: '叉车 "A-3" 制动失灵 \\ 待修', location: 'B区\t仓库', lng: 121.4737, lat: 31.230416 })).json();
    expect(h.clauseIds).toHaveLength(2);
    // Deadlines from the test's clock (earlier tests move it): today for one, tomorrow for the other; then a day passes.
    const day = (offset: number) => new Date(clock + 8 * 3_600_000 + offset * 86_400_000).toISOString().slice(0, 10);
    const plan = { ...PLAN, deadline: day(1) };
    expect((await act(c.pudong, h.id, 'assign', { version: 1, deadline: day(1), responsibleName: '王五', plan })).statusCode).toBe(200);
    const late = (await report(c.pudong, { source: 'routine_inspection', description: '消防栓被遮挡', lng: 121.5, lat: 31.2 })).json();
    expect((await act(c.pudong, late.id, 'assign', { version: 1, deadline: day(0), responsibleName: '李四' })).statusCode).toBe(200);
    for (let i = 0; i < 12; i++) await report(i % 2 ? c.pudong : c.huangpu, { enterpriseId: i % 2 ? entPd : entHp, source: i % 3 ? 'routine_inspection' : 'self_check', description: `第${i}号巡查发现的隐患` });
    const saved = clock;
    clock += 86_400_000; // the second one is now overdue
    try {
      const user = await t.database.db.selectFrom('users').selectAll().where('username', '=', 'city').executeTakeFirstOrThrow();
      const actor = await actorFromUser(t.database.db, user, 'session');
      const cases = ['pageSize=200', 'sort=deadline&pageSize=200', 'sort=-deadline&pageSize=7&page=2', 'overdue=true', 'districtCode=310115&grade=major&status=reported,rectifying,pending_acceptance&sort=deadline', 'sort=code&pageSize=50', 'q=%E5%88%B6%E5%8A%A8', 'pageSize=5&page=999'];
      let seen = 0;
      for (const qs of cases) {
        const body = (await t.as(c.city, { method: 'GET', url: `/api/hazards?${qs}` })).json();
        const query = HazardQuery.parse(Object.fromEntries(new URLSearchParams(qs)));
        const now = new Date(clock);
        const { rows, total } = await listHazards(t.database.db, dialect, actor, query, now);
        expect(body, qs).toEqual({ items: rows.map((r) => presentHazard(r, r.clauseIds, now)), total, page: query.page, pageSize: query.pageSize });
        seen += body.items.length;
      }
      expect(seen).toBeGreaterThan(40);
      const both = (await t.as(c.city, { method: 'GET', url: `/api/hazards?pageSize=200&sort=-createdAt` })).json().items;
      expect(both.find((x: { id: string }) => x.id === h.id)).toMatchObject({ lng: 121.4737, lat: 31.230416, clauseIds: [...clauses].sort(), plan, overdue: false, description: '叉车 "A-3" 制动失灵 \\ 待修' });
      expect(both.find((x: { id: string }) => x.id === late.id)).toMatchObject({ overdue: true, plan: null, clauseIds: [], streetName: expect.any(String) });
    } finally {
      clock = saved;
    }
  });

  it('searches code, description, location and enterprise name — two-character words included — and follows a rename', async () => {
    const h = (await report(c.pudong, { source: 'routine_inspection', description: '氨气管道阀门锈蚀渗漏', location: '冷库机房' })).json();
    const find = async (q: string) => (await t.as(c.pudong, { method: 'GET', url: `/api/hazards?pageSize=200&q=${encodeURIComponent(q)}` })).json().items.map((x: { id: string }) => x.id);
    for (const q of ['锈蚀', '阀门锈蚀渗漏', '冷库', h.code, h.code.slice(-6), '锈']) expect(await find(q), q).toContain(h.id);
    expect(await find('锈蚀管道')).not.toContain(h.id);
    const ent = (await t.as(c.pudong, { method: 'GET', url: `/api/enterprises/${entPd}` })).json();
    expect(await find(ent.name.slice(2, 5))).toContain(h.id);
    await t.as(c.pudong, { method: 'PATCH', url: `/api/enterprises/${entPd}`, payload: { name: '上海鲸落精密仪器有限公司' } });
    expect(await find('鲸落')).toContain(h.id);
    expect(await find(ent.name.slice(2, 5)), 'the old name no longer finds it').not.toContain(h.id);
    expect(await find('"%_')).toEqual([]);
    // SQLite's index derives the tokens itself and the rows keep none (migration 31); PostgreSQL's GIN index reads them from the row.
    const stored = await t.database.db.selectFrom('hazards').select((eb) => [eb.fn.countAll<number>().as('all'), eb.fn.count<number>(sql`nullif(search_tokens, '')`).as('kept')]).executeTakeFirstOrThrow();
    expect(Number(stored.kept)).toBe(dialect === 'sqlite' ? 0 : Number(stored.all));
  });

  it('categories come from a dictionary administrators keep', async () => {
    const cats = (await t.as(c['ent-pd'], { method: 'GET', url: '/api/dictionaries/hazard_category' })).json().items;
    expect(cats.map((x: { code: string }) => x.code)).toContain('electrical');
    expect((await report(c['ent-pd'], { category: 'electrical' })).json().category).toBe('electrical');
    expect((await report(c['ent-pd'], { category: 'made_up' })).json()).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ path: 'category' }] });
    expect((await t.as(c.city, { method: 'PUT', url: '/api/dictionaries/hazard_category', payload: { code: 'gas', label: '燃气', active: false } })).statusCode).toBe(403);
    const off = await t.as(c.admin, { method: 'PUT', url: '/api/dictionaries/hazard_category', payload: { code: 'gas', label: '燃气安全', active: false } });
    expect(off.json()).toMatchObject({ code: 'gas', active: false });
    expect((await report(c['ent-pd'], { category: 'gas' })).statusCode).toBe(400);
  });

  it('files: a renamed executable and an oversized file are refused; a file is downloadable only by its uploader or those who see its hazard', async () => {
    const elf = await upload(c['ent-pd'], Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46]), Buffer.alloc(100)]), 'photo.jpg');
    expect(elf.statusCode).toBe(415);
    expect(elf.json().code).toBe('UNSUPPORTED_MEDIA_TYPE');
    const big = await upload(c['ent-pd'], Buffer.concat([PNG_1x1, Buffer.alloc(21 * 1024 * 1024)]), 'big.png');
    expect(big.statusCode).toBe(413);
    expect(big.json().code).toBe('PAYLOAD_TOO_LARGE');

    const loose = (await upload(c['ent-pd'])).json();
    expect((await t.as(c['ent-pd'], { method: 'GET', url: `/api/files/${loose.id}` })).statusCode).toBe(200);
    expect((await t.as(c.pudong, { method: 'GET', url: `/api/files/${loose.id}` })).statusCode).toBe(404);
    const h = (await report(c['ent-pd'], { attachmentIds: [loose.id] })).json();
    const got = await t.as(c.pudong, { method: 'GET', url: `/api/files/${loose.id}` });
    expect(got.statusCode).toBe(200);
    expect(got.headers['content-type']).toBe('image/png');
    expect(got.rawPayload.equals(PNG_1x1)).toBe(true);
    expect((await t.as(c.huangpu, { method: 'GET', url: `/api/files/${loose.id}` })).statusCode).toBe(404);
    // Someone else's upload cannot be attached.
    const foreign = await report(c.pudong, { attachmentIds: [loose.id], source: 'routine_inspection' });
    expect(foreign.json()).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ path: 'attachmentIds' }] });
    expect(h.events[0].attachments).toHaveLength(1);
  });
});
