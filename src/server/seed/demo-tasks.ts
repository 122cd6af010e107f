/**
 * The demo city's plan (#18): the plan's own dated milestones as the city's tasks (each citing the
 * plan's words), live-bound tasks for the zero-clearing and the other kept figures, sub-plans of
 * Pudong and Huangpu whose tasks refine the city's and have reports of every status (one
 * late by its date alone), leaders' meetings of every district and the emergency department over
 * 2024–2026 with some quarters missed, duty lists, and a few 五带头 records. Made through the module's
 * own commands, as the units' accounts, at the dates the story needs (never after today).
 */
import { shanghaiDate, addDays } from '../../shared/dates';
import type { PlanTaskInput } from '../../shared/contracts/tasks';
import { actorFromUser } from '../auth/actor';
import type { ActorCtx, Ctx } from '../context';
import { loadPlanReference, type PlanFile } from '../modules/tasks/plan-loader';
import { insertTask, reportProgress } from '../modules/tasks/tasks';
import { createMeeting } from '../modules/tasks/meetings';
import { createDutyList, createSubplan } from '../modules/tasks/units-records';
import { createFiveLead, checkFiveLead } from '../modules/tasks/five-leads';
import { readReference } from './reference';

type Input = Omit<PlanTaskInput, 'planId'> & { coUnits: NonNullable<PlanTaskInput['coUnits']>; reportEvery: NonNullable<PlanTaskInput['reportEvery']>; milestones: NonNullable<PlanTaskInput['milestones']> };

export async function insertDemoTasks(tx: Ctx): Promise<{ tasks: number; meetings: number }> {
  const city = tx.config.CITY_CODE;
  const today = shanghaiDate(tx.now());
  const planId = await loadPlanReference(tx.db, city, tx.now().toISOString());
  const plan = readReference<PlanFile>('shanghai-plan-2024-2026.json');
  const as = async (username: string, on?: string): Promise<ActorCtx> => {
    const user = await tx.db.selectFrom('users').selectAll().where('username', '=', username).executeTakeFirstOrThrow();
    const day = on && on < today ? on : today;
    const at = new Date(Date.parse(`${day}T02:00:00Z`));
    return { ...tx, actor: await actorFromUser(tx.db, user, 'system'), now: () => (day === today ? tx.now() : at) };
  };
  const districts = (await tx.db.selectFrom('regions').select(['code', 'name']).where('level', '=', 'district').where('parent_code', '=', city).orderBy('sort').execute()).map((d) => d.code);
  const cityCtx = await as('city', '2024-03-01');
  let tasks = 0;
  const add = async (ctx: ActorCtx, body: Input, origin = {}) => {
    tasks++;
    return insertTask(ctx, planId, body, origin);
  };

  // 1. The plan's own milestones, as the city's tasks.
  const cityTask = new Map<string, string>();
  for (const m of plan.milestones) {
    const id = await add(cityCtx, {
      measureNo: m.measureNo,
      title: m.title,
      description: m.quote,
      source: `《${plan.title}》措施${m.measureNo}：${m.quote}`,
      startOn: '2024-01-01',
      dueOn: m.dueOn,
      reportEvery: 'quarterly',
      coUnits: m.lead === 'districts' ? districts.map((code) => ({ kind: 'district' as const, code })) : [],
      milestones: [{ title: m.title, dueOn: m.dueOn }],
      // 啄木鸟 full coverage is a figure Zhiben keeps: the plan's own task shows it.
      ...(m.measureNo === 3 ? { binding: { key: 'experts.coverage', target: 1 } } : {}),
    });
    cityTask.set(`${m.measureNo}|${m.dueOn}`, id);
  }
  // Reports on the city's tasks whose dates have passed: most done on time, one not (late by its date alone).
  for (const m of plan.milestones) {
    const id = cityTask.get(`${m.measureNo}|${m.dueOn}`)!;
    if (m.dueOn >= today) {
      await reportProgress(await as('city', addDays(today, -20)), id, { status: 'on_track', note: '按计划推进中，各相关单位已分解落实。', attachmentIds: [] });
    } else if (!(m.measureNo === 18 && m.title.includes('自建房'))) {
      await reportProgress(await as('city', addDays(m.dueOn, -3)), id, { status: 'done', note: '已按期完成，相关材料已归档。', attachmentIds: [] });
    }
  }

  // 2. Live-bound tasks: zero-clearing and the other figures Zhiben keeps.
  const bound: [number, string, string, number, string][] = [
    [14, '重大事故隐患动态清零：在册重大隐患全部销号', 'hazards.open_major', 0, '2026-12-31'],
    [14, '2023年及以前存量隐患清零', 'hazards.stock_to2023', 0, '2024-12-31'],
    [13, '企业自查自改常态化：自查按时完成率不低于90%', 'selfchecks.on_time_rate', 0.9, '2026-12-31'],
    [26, '年度执法检查计划全部完成', 'enforcement.plan_completion', 1, '2026-12-31'],
    [24, '举报按时核查办结', 'tips.verified_on_time_rate', 1, '2026-12-31'],
  ];
  for (const [measureNo, title, key, target, dueOn] of bound) {
    await add(cityCtx, { measureNo, title, source: `《${plan.title}》措施${measureNo}`, startOn: '2024-01-01', dueOn, reportEvery: 'monthly', coUnits: [], milestones: [], binding: { key, target } });
  }

  // 3. Sub-plans: Pudong and Huangpu refine the city's measures; reports of every status.
  const trainingTask = cityTask.get('10|2024-12-31');
  const riskTask = cityTask.get('6|2024-12-31');
  const demoTask = cityTask.get('7|2026-12-31');
  const subplans: { user: string; unit: string; name: string; tasks: (Input & { reports: { on: string; status: 'on_track' | 'at_risk' | 'late' | 'done'; note: string }[] })[] }[] = [
    {
      user: 'pudong',
      unit: '310115',
      name: '浦东新区',
      tasks: [
        { measureNo: 10, parentId: trainingTask, title: '浦东新区重大事故隐患判定标准专题培训', startOn: '2024-06-01', dueOn: '2024-12-31', reportEvery: 'quarterly', coUnits: [], milestones: [{ title: '完成街镇安监人员培训', dueOn: '2024-09-30' }, { title: '完成重点企业培训', dueOn: '2024-12-31' }], reports: [{ on: '2024-09-20', status: 'on_track', note: '已完成36个街镇安监人员培训。' }, { on: '2024-12-20', status: 'done', note: '重点企业培训全部完成，覆盖企业2100家。' }] },
        { measureNo: 6, parentId: riskTask, title: '浦东新区城区安全风险评估', startOn: '2024-03-01', dueOn: '2024-12-31', reportEvery: 'quarterly', coUnits: [], milestones: [{ title: '完成风险辨识', dueOn: '2024-08-31' }], reports: [{ on: '2024-08-25', status: 'on_track', note: '风险辨识完成，进入评估阶段。' }] },
        { measureNo: 7, parentId: demoTask, title: '浦东新区国家安全发展示范城市创建', startOn: '2024-01-01', dueOn: '2026-12-31', reportEvery: 'quarterly', coUnits: [], milestones: [{ title: '完成自评', dueOn: '2026-06-30' }, { title: '迎接国家评审', dueOn: '2026-12-31' }], reports: [{ on: '2026-06-20', status: 'at_risk', note: '自评发现消防救援站点覆盖不足，正在补齐。' }] },
        { measureNo: 14, title: '浦东新区重大事故隐患动态清零', startOn: '2024-01-01', dueOn: '2026-12-31', reportEvery: 'monthly', coUnits: [], milestones: [], binding: { key: 'hazards.open_major', target: 0 }, reports: [{ on: addDays(today, -40), status: 'on_track', note: '每月通报重大隐患整改情况。' }] },
      ],
    },
    {
      user: 'huangpu',
      unit: '310101',
      name: '黄浦区',
      tasks: [
        { measureNo: 10, parentId: trainingTask, title: '黄浦区重大事故隐患判定标准专题培训', startOn: '2024-06-01', dueOn: '2024-12-31', reportEvery: 'quarterly', coUnits: [], milestones: [{ title: '完成全区培训', dueOn: '2024-12-31' }], reports: [{ on: '2024-12-15', status: 'late', note: '部分企业培训延期至2025年1月。' }] },
        { measureNo: 8, title: '黄浦区高层建筑消防安全综合整治', startOn: '2024-04-01', dueOn: '2025-12-31', reportEvery: 'quarterly', coUnits: [], milestones: [{ title: '完成排查', dueOn: '2024-12-31' }, { title: '完成整治', dueOn: '2025-12-31' }], reports: [{ on: '2024-12-28', status: 'on_track', note: '排查高层建筑412栋。' }, { on: '2025-09-30', status: 'at_risk', note: '老旧小区消防设施改造进度偏慢。' }] },
        { measureNo: 7, parentId: demoTask, title: '黄浦区国家安全发展示范城市创建', startOn: '2024-01-01', dueOn: '2026-12-31', reportEvery: 'half_yearly', coUnits: [], milestones: [{ title: '完成自评', dueOn: '2026-06-30' }], reports: [{ on: '2026-06-28', status: 'on_track', note: '自评完成。' }] },
      ],
    },
  ];
  for (const s of subplans) {
    const ctx = await as(s.user, '2024-05-15');
    const sub = await createSubplan(ctx, { planId, title: `${s.name}安全生产治本攻坚三年行动子方案`, docNo: `${s.name.slice(0, 2)}安委〔2024〕3号`, publishedOn: '2024-05-15', tasks: s.tasks.map(({ reports: _r, ...t }) => ({ ...t, milestones: t.milestones, coUnits: t.coUnits })) } as never);
    tasks += s.tasks.length;
    const made = await tx.db.selectFrom('plan_tasks').select(['id', 'title']).where('subplan_id', '=', sub.id).execute();
    for (const t of s.tasks) {
      const id = made.find((m) => m.title === t.title)!.id;
      for (const r of t.reports) await reportProgress(await as(s.user, r.on), id, { status: r.status, note: r.note, attachmentIds: [] });
    }
  }

  // 4. Leaders' meetings 2024–2026: every district and every city department; some quarters missed.
  let meetings = 0;
  const quarterDays = ['02-20', '05-20', '08-20', '11-20'];
  const holders: { user: string; unit: { kind: 'district'; code: string } | { kind: 'department'; departmentId: string } }[] = [];
  for (const code of districts) holders.push({ user: 'city', unit: { kind: 'district', code } });
  const yjj = await tx.db.selectFrom('users').select('department_id').where('username', '=', 'yjj').executeTakeFirst();
  for (const d of await tx.db.selectFrom('departments').select('id').where('city_code', '=', city).where('region_code', '=', city).orderBy('name').execute()) {
    holders.push({ user: d.id === yjj?.department_id ? 'yjj' : 'city', unit: { kind: 'department', departmentId: d.id } });
  }
  for (const [i, h] of holders.entries()) {
    for (const year of [2024, 2025, 2026]) {
      for (const [q, md] of quarterDays.entries()) {
        const on = `${year}-${md}`;
        if (on > today) continue;
        if ((i * 3 + q + year) % 9 === 0) continue; // missed
        const principal = (i + q) % 2 === 0 ? 'party_secretary' : 'government_head';
        const ctx = await as(h.user, on);
        const pudong = h.unit.kind === 'district' && h.unit.code === '310115';
        await createMeeting(pudong ? await as('pudong', on) : ctx, {
          unit: h.unit,
          heldOn: on,
          title: `${year}年第${q + 1}季度安全生产工作会议`,
          chairName: h.unit.kind === 'department' ? (principal === 'party_secretary' ? '党组书记' : '局长') : principal === 'party_secretary' ? '区委书记' : '区长',
          chairRole: pudong && year === 2025 && q === 1 ? 'other' : principal,
          attendees: ['分管副区长', '区应急管理局', '区消防救援支队'],
          topics: ['通报本季度重大事故隐患整改情况', '部署下季度安全生产重点工作'],
          // Pudong's and Huangpu's year-end meetings decide a check (Pudong reports it done; Huangpu's is late).
          decisions: q === 3 && year === 2025 && (pudong || (h.unit.kind === 'district' && h.unit.code === '310101')) ? [{ title: '开展岁末年初安全生产大检查', dueOn: `${year + 1}-01-31`, ownerName: '区应急管理局' }] : [],
        });
        meetings++;
      }
    }
  }

  const pdDecision = await tx.db.selectFrom('plan_tasks').select('id').where('origin_type', '=', 'meeting').where('lead_key', '=', '310115').executeTakeFirst();
  if (pdDecision) await reportProgress(await as('pudong', '2026-01-25'), pdDecision.id, { status: 'done', note: '大检查完成，检查企业1260家，发现隐患均已上账。', attachmentIds: [] });

  // 5. Duty lists: the emergency department and Pudong.
  if (yjj?.department_id) {
    await createDutyList(await as('yjj', '2024-03-10'), { kind: 'duty', title: '市应急管理局安全生产监管职责清单', sourceDoc: '上海市安全生产委员会成员单位安全生产工作职责', items: [{ text: '负责工贸行业安全生产监督管理', planTaskIds: [] }, { text: '负责危险化学品安全生产综合监督管理', planTaskIds: [] }, { text: '指导协调和监督有关部门安全生产工作', planTaskIds: [] }] });
  }
  const pdCtx = await as('pudong', '2026-01-15');
  const pdTraining = await tx.db.selectFrom('plan_tasks').select('id').where('lead_key', '=', '310115').where('measure_no', '=', 14).executeTakeFirst();
  await createDutyList(pdCtx, { kind: 'yearly', year: 2026, title: '浦东新区2026年度安全生产任务清单', sourceDoc: '浦东新区安委会2026年第1号文件', items: [{ text: '重大事故隐患动态清零', planTaskIds: pdTraining ? [pdTraining.id] : [] }, { text: '完成国家安全发展示范城市创建评审', planTaskIds: [] }] });
  await createDutyList(pdCtx, { kind: 'duty', title: '浦东新区安委办安全生产职责清单', sourceDoc: '浦东新区党政领导干部安全生产责任制实施办法', items: [{ text: '统筹协调全区安全生产工作', planTaskIds: [] }, { text: '组织开展安全生产考核巡查', planTaskIds: [] }] });

  // 6. 五带头: the Pudong demo enterprise records two items; Lujiazui checks one.
  const ent = await tx.db.selectFrom('users').select('enterprise_id').where('username', '=', 'ent-pd').executeTakeFirst();
  if (ent?.enterprise_id) {
    const year = today.slice(0, 4);
    const r1 = await createFiveLead(await as('ent-pd', `${year}-03-01`), { itemKey: '1', principalName: '企业主要负责人', happenedOn: `${year}-03-01`, description: '主要负责人带队开展季度安全检查。', attachmentIds: [] });
    await createFiveLead(await as('ent-pd', `${year}-06-01`), { itemKey: '2', principalName: '企业主要负责人', happenedOn: `${year}-06-01`, description: '主要负责人为全体员工讲授安全课。', attachmentIds: [] });
    await checkFiveLead(await as('pudong', `${year}-03-10`), r1.id, { version: r1.version, decision: 'accept', note: '情况属实' });
  }
  return { tasks, meetings };
}
