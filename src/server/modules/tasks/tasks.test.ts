import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import JSZip from 'jszip';
import { DIALECTS, PNG_1x1, createTestApp, multipart, readSheet, type TestApp } from '../../test/harness';
import { runPlanReadings } from './bindings';
import { runPlanReminders } from './reminders';
import { listFiveLeads, missingFiveLeads } from './five-leads';
import { readableFile } from '../files/commands';
import { up as planMigration } from '../../db/migrations/2026-12-05-22-plan-tasks';
import { effectiveStatus, isReportDue, nextDueOn } from './status';

describe('a task’s status, on hand-built dates', () => {
  it('is late after the Shanghai day of its first open milestone, done when reported done, and due for a report once per period', () => {
    const t = { reported_status: 'on_track' as const, next_due_on: '2026-03-31' };
    expect(effectiveStatus(t, '2026-03-31')).toBe('on_track');
    expect(effectiveStatus(t, '2026-04-01')).toBe('late');
    expect(effectiveStatus({ ...t, reported_status: 'late' }, '2026-01-01')).toBe('late');
    expect(effectiveStatus({ reported_status: 'done', next_due_on: null }, '2027-01-01')).toBe('done');
    expect(nextDueOn({ due_on: '2026-12-31', done: false }, [{ due_on: '2026-06-30', done_on: '2026-06-01' }, { due_on: '2026-09-30', done_on: null }])).toBe('2026-09-30');
    expect(nextDueOn({ due_on: '2026-12-31', done: true }, [])).toBeNull();
    const facts = { reported_status: 'on_track' as const, next_due_on: null, report_every: 'quarterly' as const, start_on: '2026-01-01' };
    // A report at 23:30 on 31 March (Shanghai) is the first quarter's; on 1 April the second quarter's is due.
    expect(isReportDue({ ...facts, last_report_at: '2026-03-31T15:30:00.000Z' }, '2026-03-31')).toBe(false);
    expect(isReportDue({ ...facts, last_report_at: '2026-03-31T15:30:00.000Z' }, '2026-04-01')).toBe(true);
    expect(isReportDue({ ...facts, last_report_at: '2026-03-31T16:30:00.000Z' }, '2026-04-01')).toBe(false);
    expect(isReportDue({ ...facts, report_every: 'none', last_report_at: null }, '2026-04-01')).toBe(false);
    expect(isReportDue({ ...facts, start_on: '2026-05-01', last_report_at: null }, '2026-04-01')).toBe(false);
  });
});

/** 治本攻坚 the plan itself (#18) on both databases: the tree, tasks and reports, late, bindings, meetings, duty lists, 五带头, scope. */
describe.each(DIALECTS)('the plan’s tasks on %s', (dialect) => {
  let t: TestApp;
  let clock = Date.parse('2026-11-16T02:00:00Z'); // 10:00 on Monday 16 November in Shanghai
  const who = ['city', 'pudong', 'huangpu', 'yjj', 'lujiazui', 'ent-pd', 'ent-hp', 'expert-1', 'custodian'] as const;
  type Who = (typeof who)[number];
  const c = {} as Record<Who, string>;
  let planId: string;

  beforeAll(async () => {
    t = await createTestApp(dialect, { demo: true, demoCount: 60, demoHazards: 400, demoTasks: true, now: () => new Date(clock), config: { SESSION_IDLE_MINUTES: 10_000_000, SESSION_ABSOLUTE_HOURS: 100_000 } });
    for (const k of who) c[k] = await t.login(k);
    planId = (await get('city', '/api/plans')).json().items[0].id;
  }, 120_000);
  afterAll(() => t?.close());

  const get = (k: Who, url: string) => t.as(c[k], { method: 'GET', url });
  const send = (k: Who, method: 'POST' | 'PATCH', url: string, payload: unknown) => t.as(c[k], { method, url, payload: payload as object });
  const post = (k: Who, url: string, payload: unknown = {}) => send(k, 'POST', url, payload);
  const upload = async (k: Who) => (await t.as(c[k], { method: 'POST', url: '/api/files', ...multipart('file', 'evidence.png', PNG_1x1, 'image/png') })).json().id as string;
  const count = async (table: 'audit_log' | 'record_events') => Number((await t.database.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

  it('ships the plan: ten actions and thirty measures numbered as in the plan, with its milestones as the city’s tasks', async () => {
    const plans = (await get('city', '/api/plans')).json();
    expect(plans.items).toHaveLength(1);
    expect(plans.items[0]).toMatchObject({ code: 'shanghai-2024-2026', periodFrom: '2024-01-01', periodTo: '2026-12-31', actions: 10, measures: 30 });
    const tree = (await get('city', `/api/plans/${planId}/tree`)).json();
    expect(tree.actions.map((a: { no: number }) => a.no)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    const measures = tree.actions.flatMap((a: { measures: { no: number }[] }) => a.measures.map((m) => m.no));
    expect(measures).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    const byAction = Object.fromEntries(tree.actions.map((a: { no: number; measures: { no: number }[] }) => [a.no, a.measures.map((m) => m.no)]));
    expect(byAction[5]).toEqual([12, 13, 14]);
    expect(byAction[9]).toEqual([24, 25, 26, 27, 28]);
    expect(tree.actions[0].title).toBe('开展安全生产责任体系提升行动');
    expect(tree.actions[0].measures[0]).toMatchObject({ no: 1, title: '进一步强化党委政府责任' });
    expect(tree.actions[0].measures[0].body).toContain('每季度至少召开1次');
    // The plan's dated milestones, citing it; a district's task hangs under the city task it refines.
    const m10 = tree.actions[3].measures.find((m: { no: number }) => m.no === 10);
    const standards = m10.tasks.find((x: { title: string }) => x.title.includes('判定标准汇编'));
    expect(standards).toMatchObject({ dueOn: '2024-05-31', leadUnit: { kind: 'city' } });
    expect(standards.source).toContain('2024年5月底前');
    const training = m10.tasks.find((x: { dueOn: string; children: unknown[] }) => x.dueOn === '2024-12-31' && x.children.length > 0);
    expect(training.coUnits).toHaveLength(16);
    expect(training.children.map((x: { leadUnit: { name: string } }) => x.leadUnit.name).sort()).toEqual(['浦东新区', '黄浦区']);
    // The migration, run again over itself (as after a run cut short), changes nothing.
    await planMigration(t.database.db, dialect);
    expect((await get('city', '/api/plans')).json().items[0]).toMatchObject({ actions: 10, measures: 30 });
    const m9 = tree.actions[2].measures[0];
    expect(m9.tasks.map((x: { dueOn: string }) => x.dueOn).sort()).toEqual(['2024-12-31', '2025-12-31', '2026-12-31']);
  });

  it('derives late at Shanghai midnight, filters it, and a done report clears it', async () => {
    clock = Date.parse('2026-11-16T02:00:00Z');
    const made = await post('pudong', '/api/plan-tasks', { planId, measureNo: 8, title: '浦东新区厂房仓库安全综合整治', startOn: '2026-11-01', dueOn: '2026-12-31', reportEvery: 'monthly', milestones: [{ title: '完成排查', dueOn: '2026-11-20' }] });
    expect(made.statusCode, made.body).toBe(201);
    const task = made.json();
    expect(task).toMatchObject({ leadUnit: { kind: 'district', code: '310115', name: '浦东新区' }, status: 'not_started', late: false, reportDue: true, allowed: { edit: true, report: true } });
    const lateIds = async (k: Who = 'city') => (await get(k, `/api/plan-tasks?late=true&pageSize=200`)).json().items.map((x: { id: string }) => x.id);
    // 23:59:59 on 20 November in Shanghai: still on time; one second later it is late.
    clock = Date.parse('2026-11-20T15:59:59Z');
    expect(await lateIds()).not.toContain(task.id);
    expect((await get('pudong', `/api/plan-tasks/${task.id}`)).json().status).toBe('not_started');
    clock = Date.parse('2026-11-20T16:00:00Z');
    expect(await lateIds()).toContain(task.id);
    expect(await lateIds('pudong')).toContain(task.id);
    const detail = (await get('pudong', `/api/plan-tasks/${task.id}`)).json();
    expect(detail).toMatchObject({ status: 'late', late: true });
    expect(detail.milestones[0]).toMatchObject({ late: true, doneOn: null });
    // Every late task the list names is late in its own view, and the count agrees with the list's total.
    const late = (await get('city', '/api/plan-tasks?late=true&pageSize=200')).json();
    expect(late.total).toBe(late.items.length);
    expect(late.items.every((x: { late: boolean; status: string }) => x.late && x.status === 'late')).toBe(true);
    expect((await get('city', '/api/plan-tasks?status=late&pageSize=200')).json().total).toBe(late.total);
    // The milestone reported done: no longer late (the task goes on to its own date).
    const done = await post('pudong', `/api/plan-tasks/${task.id}/progress`, { status: 'done', note: '排查完成，共排查厂房仓库312处', milestoneId: detail.milestones[0].id });
    expect(done.statusCode, done.body).toBe(201);
    expect(done.json()).toMatchObject({ status: 'on_track', late: false, reportDue: false });
    expect(done.json().milestones[0].doneOn).toBe('2026-11-21');
    expect(await lateIds()).not.toContain(task.id);
  });

  it('a unit reports progress with evidence; the status changes, the step is an event and audited, the file readable by those who see the task', async () => {
    clock = Date.parse('2026-11-25T02:00:00Z');
    const pdTask = (await get('pudong', `/api/plan-tasks?districtCode=310115&q=${encodeURIComponent('厂房仓库')}`)).json().items[0];
    expect(pdTask.status).toBe('on_track');
    const file = await upload('pudong');
    const [audits, events] = [await count('audit_log'), await count('record_events')];
    const res = await post('pudong', `/api/plan-tasks/${pdTask.id}/progress`, { status: 'at_risk', note: '部分厂房仓库业主拒不整改，国家评审材料准备滞后', attachmentIds: [file] });
    expect(res.statusCode, res.body).toBe(201);
    const after = res.json();
    expect(after).toMatchObject({ status: 'at_risk', reportedStatus: 'at_risk', late: false });
    // A late task stays late whatever it reports, until its milestone is done.
    const demoLate = (await get('pudong', '/api/plan-tasks?districtCode=310115&measureNo=7')).json().items.find((x: { leadUnit: { code: string } }) => x.leadUnit.code === '310115');
    expect(demoLate).toMatchObject({ status: 'late', reportedStatus: 'at_risk', late: true });
    expect(after.reports[0]).toMatchObject({ status: 'at_risk', attachmentIds: [file], byName: '浦东新区安委办 李华', periodKey: '2026-11' });
    expect(await count('audit_log')).toBe(audits + 1);
    expect(await count('record_events')).toBe(events + 1);
    expect((await t.as(c.city, { method: 'GET', url: `/api/files/${file}` })).statusCode).toBe(200);
    expect((await t.as(c.huangpu, { method: 'GET', url: `/api/files/${file}` })).statusCode).toBe(404);
    // Bad input: a note too short, a file not one's own, a milestone of another task.
    expect((await post('pudong', `/api/plan-tasks/${pdTask.id}/progress`, { status: 'done', note: 'x' })).json().code).toBe('VALIDATION_FAILED');
    const other = await upload('huangpu');
    const beforeRefusals = await count('audit_log');
    expect((await post('pudong', `/api/plan-tasks/${pdTask.id}/progress`, { status: 'done', note: '完成', attachmentIds: [other] })).json().code).toBe('VALIDATION_FAILED');
    const cityTask = (await get('city', '/api/plan-tasks?unitKind=city&pageSize=1')).json().items[0];
    expect((await post('pudong', `/api/plan-tasks/${pdTask.id}/progress`, { status: 'done', note: '完成', milestoneId: cityTask.milestones[0]?.id ?? '018f0000-0000-7000-8000-000000000000' })).json().code).toBe('VALIDATION_FAILED');
    // A failed step leaves nothing behind.
    expect(await count('audit_log')).toBe(beforeRefusals);
    expect((await get('pudong', `/api/plan-tasks/${pdTask.id}`)).json().reports).toHaveLength(after.reports.length);
  });

  it('refuses what the caller may not do, and shows nobody another unit’s tasks', async () => {
    const pdOnly = (await get('pudong', '/api/plan-tasks?districtCode=310115&unitKind=district&pageSize=1')).json().items[0];
    const cityTask = (await get('city', '/api/plan-tasks?unitKind=city&pageSize=1')).json().items[0];
    // Huangpu neither sees Pudong's task nor may act on it; it sees the city's, and may not report on it.
    expect((await get('huangpu', `/api/plan-tasks/${pdOnly.id}`)).statusCode).toBe(404);
    expect((await post('huangpu', `/api/plan-tasks/${pdOnly.id}/progress`, { status: 'done', note: '完成了' })).statusCode).toBe(404);
    expect((await get('huangpu', `/api/plan-tasks/${cityTask.id}`)).json().allowed).toEqual({ edit: false, report: false });
    expect((await post('huangpu', `/api/plan-tasks/${cityTask.id}/progress`, { status: 'done', note: '完成了' })).json().code).toBe('FORBIDDEN');
    expect((await send('huangpu', 'PATCH', `/api/plan-tasks/${cityTask.id}`, { version: cityTask.version, title: '改名' })).json().code).toBe('FORBIDDEN');
    const hp = (await get('huangpu', '/api/plan-tasks?pageSize=200')).json();
    expect(hp.items.every((x: { leadUnit: { kind: string; code: string | null }; coUnits: { code: string | null }[] }) => x.leadUnit.kind === 'city' || x.leadUnit.code === '310101' || x.coUnits.some((u) => u.code === '310101'))).toBe(true);
    expect((await get('huangpu', '/api/plan-tasks?districtCode=310115&unitKind=district')).json().total).toBe(0);
    // A district may not create a task for another unit; the city's office may.
    expect((await post('huangpu', '/api/plan-tasks', { measureNo: 8, title: '替浦东布置任务', leadUnit: { kind: 'district', code: '310115' } })).json().code).toBe('FORBIDDEN');
    const forPd = await post('city', '/api/plan-tasks', { measureNo: 8, title: '市安委办布置浦东任务', leadUnit: { kind: 'district', code: '310115' }, dueOn: '2026-12-31' });
    expect(forPd.statusCode, forPd.body).toBe(201);
    expect((await get('pudong', `/api/plan-tasks/${forPd.json().id}`)).json().allowed.report).toBe(true);
    // The city's office edits it but does not report on Pudong's behalf.
    expect(forPd.json().allowed).toEqual({ edit: true, report: false });
    expect((await post('city', `/api/plan-tasks/${forPd.json().id}/progress`, { status: 'done', note: '代为报告' })).json().code).toBe('FORBIDDEN');
    // Enterprises, experts, the custodian: nothing of the plan.
    for (const k of ['ent-pd', 'expert-1', 'custodian'] as const) {
      expect((await get(k, '/api/plan-tasks')).json().total, k).toBe(0);
      expect((await get(k, `/api/plan-tasks/${cityTask.id}`)).statusCode, k).toBe(404);
      expect((await get(k, '/api/meetings')).json().total, k).toBe(0);
      expect((await get(k, '/api/duty-lists')).json().total, k).toBe(0);
      expect((await post(k, '/api/plan-tasks', { measureNo: 8, title: '企业建任务' })).json().code, k).toBe('FORBIDDEN');
    }
    expect((await get('ent-pd', '/api/meetings/compliance')).json().code).toBe('FORBIDDEN');
    // Bad input answers with the field.
    const bad = async (body: object, path: string) => {
      const r = (await post('city', '/api/plan-tasks', { measureNo: 8, title: '校验', ...body })).json();
      expect(r.code, JSON.stringify(body)).toBe('VALIDATION_FAILED');
      expect(r.errors.map((e: { path: string }) => e.path), JSON.stringify(body)).toContain(path);
    };
    await bad({ measureNo: 31 }, 'measureNo');
    await bad({ binding: { key: 'no.such', target: 0 } }, 'binding.key');
    const yjjDept = (await t.database.db.selectFrom('users').select('department_id').where('username', '=', 'yjj').executeTakeFirstOrThrow()).department_id!;
    await bad({ leadUnit: { kind: 'department', departmentId: yjjDept }, binding: { key: 'tips.verified_on_time_rate', target: 1 } }, 'binding.key');
    await bad({ startOn: '2026-06-01', milestones: [{ title: '节点一', dueOn: '2026-05-01' }] }, 'milestones.0.dueOn');
    await bad({ leadUnit: { kind: 'district' } }, 'leadUnit.code');
    expect((await post('city', '/api/plan-tasks', { measureNo: 8, title: '未知区', leadUnit: { kind: 'district', code: '310199' } })).json().code).toBe('UNKNOWN_REGION');
  });

  it('keeps its rules at the edges: a task without dates is not late, the last milestone done on time finishes the task, a done task takes no report, the city’s dates stay the city’s', async () => {
    clock = Date.parse('2026-11-25T02:00:00Z');
    const undated = (await post('pudong', '/api/plan-tasks', { measureNo: 29, title: '浦东新区安全宣传月活动', reportEvery: 'none' })).json();
    const ids = async (qs: string) => (await get('pudong', `/api/plan-tasks?pageSize=200&${qs}`)).json().items.map((x: { id: string }) => x.id);
    expect(await ids('late=false')).toContain(undated.id);
    expect(await ids('status=not_started')).toContain(undated.id);
    const all = (await get('city', '/api/plan-tasks?pageSize=1')).json().total;
    const late = (await get('city', '/api/plan-tasks?late=true&pageSize=1')).json().total;
    expect(late + (await get('city', '/api/plan-tasks?late=false&pageSize=1')).json().total).toBe(all);
    const byStatus = await Promise.all(['not_started', 'on_track', 'at_risk', 'late', 'done'].map(async (st) => (await get('city', `/api/plan-tasks?status=${st}&pageSize=1`)).json().total as number));
    expect(byStatus.reduce((a, b) => a + b, 0)).toBe(all);
    const due = (await get('city', '/api/plan-tasks?reportDue=true&pageSize=1')).json().total;
    expect(due + (await get('city', '/api/plan-tasks?reportDue=false&pageSize=1')).json().total).toBe(all);
    // One milestone on the task's own date, reported done early: the task is done, and never late after.
    const one = (await post('pudong', '/api/plan-tasks', { measureNo: 29, title: '浦东新区安全生产月', dueOn: '2026-12-31', milestones: [{ title: '活动结束', dueOn: '2026-12-31' }] })).json();
    const finished = await post('pudong', `/api/plan-tasks/${one.id}/progress`, { status: 'done', note: '活动已办完', milestoneId: one.milestones[0].id });
    expect(finished.json()).toMatchObject({ status: 'done', late: false });
    clock = Date.parse('2027-01-02T02:00:00Z');
    expect((await get('pudong', `/api/plan-tasks/${one.id}`)).json().status).toBe('done');
    expect((await post('pudong', `/api/plan-tasks/${one.id}/progress`, { status: 'on_track', note: '补充说明' })).json().code).toBe('INVALID_TRANSITION');
    clock = Date.parse('2026-11-25T02:00:00Z');
    // The city assigned this one: Pudong reports it, may not move its dates; its own it may.
    const assigned = (await get('pudong', `/api/plan-tasks?q=${encodeURIComponent('市安委办布置浦东任务')}`)).json().items[0];
    expect((await send('pudong', 'PATCH', `/api/plan-tasks/${assigned.id}`, { version: assigned.version, dueOn: '2027-12-31' })).json().code).toBe('FORBIDDEN');
    expect((await send('pudong', 'PATCH', `/api/plan-tasks/${assigned.id}`, { version: assigned.version, ownerName: '区应急局 王科长' })).statusCode).toBe(200);
    expect((await send('pudong', 'PATCH', `/api/plan-tasks/${undated.id}`, { version: undated.version, dueOn: '2027-06-30', milestones: [{ title: '方案', dueOn: '2027-07-01' }] })).json().errors[0].path).toBe('milestones.0.dueOn');
    expect((await send('pudong', 'PATCH', `/api/plan-tasks/${undated.id}`, { version: undated.version, dueOn: '2027-06-30' })).json().dueOn).toBe('2027-06-30');
    const twice = (await get('pudong', `/api/plan-tasks/${one.id}`)).json();
    expect((await send('city', 'PATCH', `/api/plan-tasks/${one.id}`, { version: twice.version, milestones: [{ id: twice.milestones[0].id, title: 'a节点', dueOn: '2026-12-01' }, { id: twice.milestones[0].id, title: 'b节点', dueOn: '2026-12-02' }] })).json().errors[0].path).toBe('milestones.1.id');
    // A meeting whose second decision is wrong leaves neither the meeting nor its first decision.
    const before = await Promise.all((['meetings', 'plan_tasks'] as const).map(async (tb) => Number((await t.database.db.selectFrom(tb).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n)));
    const bad = await post('pudong', '/api/meetings', { heldOn: '2026-11-20', title: '区政府常务会议', chairName: '区长', chairRole: 'government_head', topics: ['安全生产'], decisions: [{ title: '第一项', dueOn: '2026-12-31' }, { title: '第二项', dueOn: '2026-11-01' }] });
    expect(bad.json().errors[0].path).toBe('decisions.1.dueOn');
    const after = await Promise.all((['meetings', 'plan_tasks'] as const).map(async (tb) => Number((await t.database.db.selectFrom(tb).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n)));
    expect(after).toEqual(before);
  });

  it('a bound figure equals the module’s own figure, for the reader allowed to see it, and is kept daily', async () => {
    clock = Date.parse('2026-11-25T02:00:00Z');
    const list = (await get('city', '/api/plan-bindings')).json();
    expect(list.map((b: { key: string }) => b.key)).toEqual(expect.arrayContaining(['hazards.open_major', 'hazards.stock_to2023', 'selfchecks.on_time_rate', 'experts.coverage', 'enforcement.plan_completion', 'tips.verified_on_time_rate']));
    const cockpit = (await get('city', '/api/dashboard/city')).json();
    expect(cockpit.totals.openMajor).toBeGreaterThan(0);
    const cityBound = (await get('city', '/api/plan-tasks?measureNo=14&unitKind=city')).json().items.find((x: { binding: { key: string } | null }) => x.binding?.key === 'hazards.open_major');
    const detail = (await get('city', `/api/plan-tasks/${cityBound.id}`)).json();
    expect(detail.bindingValue).toMatchObject({ key: 'hazards.open_major', value: cockpit.totals.openMajor, target: 0, met: false, hidden: false });
    const stock = (await get('city', '/api/plan-tasks?measureNo=14&unitKind=city')).json().items.find((x: { binding: { key: string } | null }) => x.binding?.key === 'hazards.stock_to2023');
    expect((await get('city', `/api/plan-tasks/${stock.id}`)).json().bindingValue.value).toBe(cockpit.stock.groups.find((g: { key: string }) => g.key === 'to2023').open);
    // Pudong's own bound task shows Pudong's cockpit figure; Huangpu, who may not open Pudong's view, sees it hidden (and sees the city's hidden too).
    const pdCockpit = (await get('pudong', '/api/dashboard/districts/310115')).json();
    const pdBound = (await get('pudong', '/api/plan-tasks?districtCode=310115&measureNo=14&unitKind=district')).json().items[0];
    expect((await get('pudong', `/api/plan-tasks/${pdBound.id}`)).json().bindingValue.value).toBe(pdCockpit.totals.openMajor);
    expect((await get('huangpu', `/api/plan-tasks/${cityBound.id}`)).json().bindingValue).toMatchObject({ hidden: true, value: null, readings: [] });
    // A department's binding reads its industries, as its cockpit does.
    const yjjDept = (await t.database.db.selectFrom('users').select('department_id').where('username', '=', 'yjj').executeTakeFirstOrThrow()).department_id!;
    const deptTask = (await post('yjj', '/api/plan-tasks', { measureNo: 14, title: '工贸行业重大隐患清零', binding: { key: 'hazards.open_major', target: 0 } })).json();
    expect(deptTask.leadUnit).toMatchObject({ kind: 'department', departmentId: yjjDept });
    expect(deptTask.bindingValue.value).toBe((await get('yjj', `/api/dashboard/departments/${yjjDept}`)).json().totals.openMajor);
    // The self-check rate is the cockpit's month.
    const sc = (await get('city', '/api/plan-tasks?measureNo=13&unitKind=city')).json().items.find((x: { binding: { key: string } | null }) => x.binding?.key === 'selfchecks.on_time_rate');
    const scValue = (await get('city', `/api/plan-tasks/${sc.id}`)).json().bindingValue.value;
    expect(scValue).toBe(cockpit.selfChecks.rounds ? cockpit.selfChecks.onTime / cockpit.selfChecks.rounds : null);
    // The daily reading: once per task and day, whatever the number of runs.
    const first = await runPlanReadings(t.database.db, new Date(clock));
    expect(first).toBeGreaterThan(0);
    expect(await runPlanReadings(t.database.db, new Date(clock))).toBe(0);
    const readings = (await get('city', `/api/plan-tasks/${cityBound.id}`)).json().bindingValue.readings;
    expect(readings).toEqual([{ on: '2026-11-25', value: cockpit.totals.openMajor }]);
  });

  it('meetings: decisions become tasks; compliance per quarter flags a unit with no principal’s meeting, at the quarter’s Shanghai boundary', async () => {
    clock = Date.parse('2026-11-25T02:00:00Z');
    // The demo: Pudong's 2025 second-quarter meeting was chaired by another leader — that quarter is missed.
    const y2025 = (await get('city', '/api/meetings/compliance?year=2025')).json();
    expect(y2025.units.length).toBeGreaterThanOrEqual(17);
    const pd = y2025.units.find((u: { unit: { code: string } }) => u.unit.code === '310115');
    expect(pd.cells.find((x: { quarter: number }) => x.quarter === 2)).toMatchObject({ state: 'missed', meetings: 0 });
    expect(y2025.missed).toBe(y2025.units.reduce((n: number, u: { missed: number }) => n + u.missed, 0));
    expect(y2025.missed).toBeGreaterThan(1);
    // Hand-built meetings for Huangpu in 2027: 31 March and 1 April, one chaired by another leader.
    clock = Date.parse('2027-06-30T15:59:59Z'); // 23:59:59 on 30 June in Shanghai: still the second quarter
    const meet = (heldOn: string, chairRole: string, decisions: object[] = []) => post('huangpu', '/api/meetings', { heldOn, title: '区委常委会专题研究安全生产', chairName: '区委书记', chairRole, topics: ['研究部署安全生产'], decisions });
    expect((await meet('2027-03-31', 'party_secretary')).statusCode).toBe(201);
    const withDecision = await meet('2027-04-01', 'other', [{ title: '开展高层建筑消防专项检查', dueOn: '2027-05-31', ownerName: '区消防救援支队' }]);
    expect(withDecision.statusCode, withDecision.body).toBe(201);
    expect(withDecision.json()).toMatchObject({ quarter: '2027-Q2', qualifies: false, decisions: [{ title: '开展高层建筑消防专项检查', dueOn: '2027-05-31', owner: { code: '310101' }, status: 'late' }] });
    const cells = async (k: Who, code: string) => (await get(k, '/api/meetings/compliance?year=2027')).json().units.find((u: { unit: { code: string } }) => u.unit.code === code).cells.map((x: { state: string }) => x.state);
    expect(await cells('city', '310101')).toEqual(['held', 'open', 'future', 'future']);
    expect(await cells('city', '310104')).toEqual(['missed', 'open', 'future', 'future']);
    clock = Date.parse('2027-06-30T16:00:00Z'); // midnight: the second quarter has ended
    expect(await cells('city', '310101')).toEqual(['held', 'missed', 'open', 'future']);
    // A district sees its own row only; the one quarter asked for.
    const own = (await get('huangpu', '/api/meetings/compliance?year=2027&quarter=1')).json();
    expect(own.units.map((u: { unit: { code: string } }) => u.unit.code)).toEqual(['310101']);
    expect(own.units[0].cells).toEqual([{ quarter: 1, meetings: 1, state: 'held' }]);
    // The decision is a task like the others (listed by origin), Pudong does not see Huangpu's meetings.
    expect((await get('huangpu', '/api/plan-tasks?origin=meeting&districtCode=310101')).json().items.map((x: { title: string }) => x.title)).toContain('开展高层建筑消防专项检查');
    expect((await get('pudong', '/api/meetings?districtCode=310101')).json().total).toBe(0);
    expect((await get('pudong', '/api/meetings?year=2027')).json().total).toBe(0);
    expect((await post('pudong', '/api/meetings', { unit: { kind: 'district', code: '310101' }, heldOn: '2027-01-05', title: '替黄浦记录', chairName: '区长', chairRole: 'government_head', topics: ['x议题'] })).json().code).toBe('FORBIDDEN');
    expect((await meet('2027-08-01', 'party_secretary')).json().code).toBe('VALIDATION_FAILED');
  });

  it('duty lists and sub-plans: a unit keeps its own, a department’s with what it supervises', async () => {
    clock = Date.parse('2026-11-25T02:00:00Z');
    const yjjLists = (await get('yjj', '/api/duty-lists')).json();
    expect(yjjLists.total).toBe(1);
    expect(yjjLists.items[0].industries.length).toBeGreaterThan(0);
    const cityLists = (await get('city', '/api/duty-lists?pageSize=200')).json();
    expect(cityLists.total).toBe(3);
    expect((await get('huangpu', '/api/duty-lists')).json().total).toBe(0);
    const pdTask = (await get('pudong', '/api/plan-tasks?districtCode=310115&unitKind=district&pageSize=1')).json().items[0];
    const hpTask = (await get('huangpu', '/api/plan-tasks?districtCode=310101&unitKind=district&pageSize=1')).json().items[0];
    const made = await post('pudong', '/api/duty-lists', { kind: 'yearly', year: 2027, title: '浦东新区2027年度任务清单', sourceDoc: '浦东新区安委会文件', items: [{ text: '完成示范城市复评', planTaskIds: [pdTask.id] }] });
    expect(made.statusCode, made.body).toBe(201);
    expect(made.json().items[0].planTaskIds).toEqual([pdTask.id]);
    expect(made.json().items[0].planTasks).toEqual([{ id: pdTask.id, title: pdTask.title, status: pdTask.status }]);
    // Huangpu's officers do not see Pudong's lists; the city sees the linked task's title.
    expect((await get('city', '/api/duty-lists?districtCode=310115&kind=yearly&year=2027')).json().items[0].items[0].planTasks[0].title).toBe(pdTask.title);
    // A task it cannot see; a yearly list without its year.
    expect((await post('pudong', '/api/duty-lists', { kind: 'yearly', year: 2027, title: '清单', sourceDoc: '文件', items: [{ text: '事项一', planTaskIds: [hpTask.id] }] })).json().errors[0].path).toBe('items.0.planTaskIds.0');
    expect((await post('pudong', '/api/duty-lists', { kind: 'yearly', title: '清单', sourceDoc: '文件', items: [{ text: '事项一' }] })).json().errors[0].path).toBe('year');
    // Sub-plans: Pudong's and Huangpu's in the demo; a new one adds its tasks under the city's measures.
    expect((await get('city', '/api/plan-subplans')).json().total).toBe(2);
    expect((await get('huangpu', '/api/plan-subplans')).json().items.map((s: { unit: { name: string } }) => s.unit.name)).toEqual(['黄浦区']);
    const doc = await upload('huangpu');
    const sub = await post('huangpu', '/api/plan-subplans', { title: '黄浦区城镇燃气安全专项方案', publishedOn: '2026-11-20', fileId: doc, tasks: [{ measureNo: 8, title: '黄浦区城镇燃气安全整治', dueOn: '2026-12-31' }] });
    expect(sub.statusCode, sub.body).toBe(201);
    expect(sub.json()).toMatchObject({ tasks: 1, unit: { code: '310101' }, fileId: doc });
    expect((await t.as(c.city, { method: 'GET', url: `/api/files/${doc}` })).statusCode).toBe(200);
    expect((await t.as(c.pudong, { method: 'GET', url: `/api/files/${doc}` })).statusCode).toBe(404);
  });

  it('五带头: the enterprise records, the street checks, the report lists who has none; each sees only its own', async () => {
    clock = Date.parse('2026-11-25T02:00:00Z');
    const items = (await get('ent-pd', '/api/five-leads/items')).json();
    expect(items).toHaveLength(5);
    expect(items.every((i: { confirmed: boolean; title: string }) => !i.confirmed && i.title.includes('待'))).toBe(true);
    const mine = (await get('ent-pd', '/api/five-leads')).json();
    expect(mine.total).toBe(2);
    expect((await get('ent-hp', '/api/five-leads')).json().total).toBe(0);
    const entHp = (await t.database.db.selectFrom('users').select('enterprise_id').where('username', '=', 'ent-hp').executeTakeFirstOrThrow()).enterprise_id!;
    const missingBefore = (await get('city', '/api/five-leads/missing?year=2026&pageSize=200')).json();
    expect(missingBefore.items.map((e: { enterpriseId: string }) => e.enterpriseId)).toContain(entHp);
    expect(missingBefore.items.find((e: { enterpriseId: string }) => e.enterpriseId === entHp)).toMatchObject({ districtCode: '310101', districtName: '黄浦区' });
    expect(missingBefore.items.some((e: { enterpriseId: string }) => e.enterpriseId === mine.items[0].enterpriseId)).toBe(false);
    const rec = await post('ent-hp', '/api/five-leads', { itemKey: '3', principalName: '王总经理', happenedOn: '2026-11-20', description: '主要负责人带头参加应急演练', attachmentIds: [await upload('ent-hp')] });
    expect(rec.statusCode, rec.body).toBe(201);
    expect(rec.json()).toMatchObject({ enterpriseId: entHp, state: 'submitted', year: 2026, itemTitle: items[2].title });
    expect((await get('city', '/api/five-leads/missing?year=2026&pageSize=200')).json().total).toBe(missingBefore.total - 1);
    // Another enterprise's record is not there; an enterprise may not check, Pudong's street may not check Huangpu's.
    expect((await get('ent-pd', '/api/five-leads')).json().items.some((r: { id: string }) => r.id === rec.json().id)).toBe(false);
    expect((await post('ent-hp', `/api/five-leads/${rec.json().id}/check`, { version: 1, decision: 'accept' })).json().code).toBe('FORBIDDEN');
    expect((await post('lujiazui', `/api/five-leads/${rec.json().id}/check`, { version: 1, decision: 'accept' })).statusCode).toBe(404);
    expect((await post('huangpu', `/api/five-leads/${rec.json().id}/check`, { version: 1, decision: 'return' })).json().errors[0].path).toBe('note');
    const checked = await post('huangpu', `/api/five-leads/${rec.json().id}/check`, { version: 1, decision: 'accept', note: '属实' });
    expect(checked.json()).toMatchObject({ state: 'checked', checkedByName: '黄浦区安委办 张伟' });
    expect((await post('huangpu', `/api/five-leads/${rec.json().id}/check`, { version: 2, decision: 'accept' })).json().code).toBe('INVALID_TRANSITION');
    expect((await post('ent-hp', '/api/five-leads', { itemKey: '9', principalName: '王总经理', happenedOn: '2026-11-20', description: '不存在的事项' })).json().errors[0].path).toBe('itemKey');
    expect((await get('ent-hp', '/api/five-leads/missing')).json().code).toBe('FORBIDDEN');
    // An officer may not check a record they entered; an expert visiting the enterprise sees none of its records.
    const byOfficer = (await post('lujiazui', '/api/five-leads', { enterpriseId: mine.items[0].enterpriseId, itemKey: '4', principalName: '企业主要负责人', happenedOn: '2026-11-21', description: '街镇代录的带头检查记录' })).json();
    expect((await post('lujiazui', `/api/five-leads/${byOfficer.id}/check`, { version: 1, decision: 'accept' })).json().code).toBe('SEPARATION_OF_DUTIES');
    const expert = await t.ctxFor('expert-1');
    const visiting = { ...expert, actor: { ...expert.actor, assignedEnterpriseIds: [mine.items[0].enterpriseId] } };
    expect((await listFiveLeads(visiting, { page: 1, pageSize: 20 })).total).toBe(0);
    await expect(missingFiveLeads(visiting, { page: 1, pageSize: 20 })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    const evidence = rec.json().attachmentIds[0];
    expect((await t.as(c.huangpu, { method: 'GET', url: `/api/files/${evidence}` })).statusCode).toBe(200);
    await expect(readableFile(t.database.db, visiting.actor, evidence)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect((await t.as(c['ent-pd'], { method: 'GET', url: `/api/files/${evidence}` })).statusCode).toBe(404);
  });

  it('reminds the lead unit once of a date near or past and of a report due for the period', async () => {
    clock = Date.parse('2026-11-26T02:00:00Z');
    const made = (await post('huangpu', '/api/plan-tasks', { measureNo: 8, title: '黄浦区老旧小区消防通道整治', startOn: '2026-11-01', reportEvery: 'monthly', milestones: [{ title: '完成摸排', dueOn: '2026-11-30' }] })).json();
    const notices = async () => Number((await t.database.db.selectFrom('notifications').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    expect((await runPlanReminders(t.database.db, new Date(clock))).deliveries).toBeGreaterThan(0);
    const once = await notices();
    await runPlanReminders(t.database.db, new Date(clock));
    expect(await notices()).toBe(once);
    const huangpuId = (await t.database.db.selectFrom('users').select('id').where('username', '=', 'huangpu').executeTakeFirstOrThrow()).id;
    const mine = await t.database.db.selectFrom('notifications').select(['kind', 'dedupe_key']).where('user_id', '=', huangpuId).where('dedupe_key', 'like', `%${made.id}%`).orderBy('kind').execute();
    expect(mine.map((n) => n.kind)).toEqual(['plan.due_soon', 'plan.report_due']);
    const pudongId = (await t.database.db.selectFrom('users').select('id').where('username', '=', 'pudong').executeTakeFirstOrThrow()).id;
    expect(await t.database.db.selectFrom('notifications').select('id').where('user_id', '=', pudongId).where('dedupe_key', 'like', `%${made.id}%`).execute()).toEqual([]);
    // The report made, the month's reminder is not repeated; past the date, it is overdue.
    await post('huangpu', `/api/plan-tasks/${made.id}/progress`, { status: 'on_track', note: '摸排过半' });
    clock = Date.parse('2026-12-01T02:00:00Z');
    await runPlanReminders(t.database.db, new Date(clock));
    const after = await t.database.db.selectFrom('notifications').select(['kind', 'dedupe_key']).where('user_id', '=', huangpuId).where('dedupe_key', 'like', `%${made.id}%`).orderBy('dedupe_key').execute();
    expect(after.map((n) => n.dedupe_key)).toEqual([`plan-due:${made.id}:2026-11-30`, `plan-overdue:${made.id}:2026-11-30`, `plan-report:${made.id}:2026-11`, `plan-report:${made.id}:2026-12`]);
  });

  it('loads another plan’s tree as data (the city’s administrator), beside the shipped one', async () => {
    const admin = await t.login('admin');
    const plan = { code: 'city-2027-2029', title: '某市安全生产治本攻坚行动方案（2027—2029年）', issuer: '某市安全生产委员会', periodFrom: '2027-01-01', periodTo: '2029-12-31', sourceNote: '测试用方案', actions: [{ no: 1, title: '行动一', measures: [{ no: 1, title: '措施一' }, { no: 2, title: '措施二', body: '正文' }] }, { no: 2, title: '行动二', measures: [{ no: 3, title: '措施三' }] }] };
    expect((await post('city', '/api/plans', plan)).json().code).toBe('FORBIDDEN');
    const dupNo = await t.as(admin, { method: 'POST', url: '/api/plans', payload: { ...plan, actions: [{ no: 1, title: '行动一', measures: [{ no: 1, title: '措施一' }, { no: 1, title: '措施一又' }] }] } });
    expect(dupNo.json().errors[0].path).toBe('actions.0.measures.1.no');
    const made = await t.as(admin, { method: 'POST', url: '/api/plans', payload: plan });
    expect(made.statusCode, made.body).toBe(201);
    expect(made.json()).toMatchObject({ code: 'city-2027-2029', actions: 2, measures: 3, tasks: 0 });
    expect((await t.as(admin, { method: 'POST', url: '/api/plans', payload: plan })).json().code).toBe('DUPLICATE');
    expect((await get('city', '/api/plans')).json().items.map((p: { code: string }) => p.code)).toEqual(['city-2027-2029', 'shanghai-2024-2026']);
    const tree = (await get('city', `/api/plans/${made.json().id}/tree`)).json();
    expect(tree.actions.map((a: { measures: { no: number }[] }) => a.measures.map((m) => m.no))).toEqual([[1, 2], [3]]);
    // A task names its plan; the shipped plan's tree keeps its own.
    const task = await post('city', '/api/plan-tasks', { planId: made.json().id, measureNo: 3, title: '新方案的任务' });
    expect(task.statusCode, task.body).toBe(201);
    expect((await post('city', '/api/plan-tasks', { planId: made.json().id, measureNo: 14, title: '没有这项措施' })).json().errors[0].path).toBe('measureNo');
    const shipped = (await get('city', `/api/plans/${planId}/tree`)).json();
    expect(JSON.stringify(shipped)).not.toContain('新方案的任务');
  });

  it('exports the tasks to .xlsx and a unit’s progress report to .docx', async () => {
    clock = Date.parse('2026-11-25T02:00:00Z');
    const res = await get('pudong', '/api/plan-tasks/export.xlsx?districtCode=310115');
    expect(res.statusCode).toBe(200);
    const sheet = await readSheet(res.rawPayload);
    const total = (await get('pudong', '/api/plan-tasks?districtCode=310115')).json().total;
    expect(sheet.rowCount).toBe(total + 1);
    expect(sheet.getRow(1).getCell(2).value).toBe('任务');
    const doc = await get('pudong', '/api/plan-tasks/report.docx?unitKind=district&districtCode=310115&from=2026-11-01&to=2026-11-30');
    expect(doc.statusCode, doc.body.slice(0, 200)).toBe(200);
    const xml = await (await JSZip.loadAsync(doc.rawPayload)).file('word/document.xml')!.async('string');
    expect(xml).toContain('浦东新区安全生产治本攻坚三年行动进展情况报告');
    expect(xml).toContain('国家评审材料准备滞后');
    expect(xml).toContain('厂房仓库');
    expect((await get('huangpu', '/api/plan-tasks/report.docx?unitKind=district&districtCode=310115&from=2026-11-01&to=2026-11-30')).json().code).toBe('FORBIDDEN');
  });
});
