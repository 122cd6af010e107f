/**
 * 导出: the task list the filters select (.xlsx), and a unit's progress report for a period (.docx,
 * the official style of the other documents): its tasks with status, milestones and the reports made
 * in the period.
 */
import type { Writable } from 'node:stream';
import type { z } from 'zod';
import { REPORT_EVERY_LABELS, TASK_STATUS_LABELS, type PlanTaskQuery, type ProgressReportQuery } from '../../../shared/contracts/tasks';
import { shanghaiDate } from '../../../shared/dates';
import { audit, transact, type ActorCtx } from '../../context';
import type { DB } from '../../db/schema';
import { fieldError, forbidden } from '../../errors/app-error';
import { shanghaiWallClock, XlsxStreamWriter, type XlsxColumn } from '../../http/xlsx-stream';
import { planTaskWhere, planUnitOf, seesWholePlan } from '../../scope/scope';
import { chineseDate, heading, line, officialDocx, para, table, title } from '../reports/docx-kit';
import { shanghaiMidnight } from './status';
import { allTasks } from './tasks';
import { resolveUnit, unitNames } from './units';

const COLUMNS = [
  { header: '措施', key: 'measure', width: 6 },
  { header: '任务', key: 'title', width: 40 },
  { header: '牵头单位', key: 'lead', width: 16 },
  { header: '配合单位', key: 'co', width: 24 },
  { header: '开始日期', key: 'startOn', width: 11 },
  { header: '完成时限', key: 'dueOn', width: 11 },
  { header: '节点', key: 'milestones', width: 40 },
  { header: '状态', key: 'status', width: 9 },
  { header: '报告频次', key: 'every', width: 9 },
  { header: '最近报告', key: 'lastReportAt', width: 17, date: 'datetime' },
  { header: '来源', key: 'source', width: 30 },
] as const satisfies readonly XlsxColumn[];

export async function exportTasks(ctx: ActorCtx, q: z.output<typeof PlanTaskQuery>, out: Writable): Promise<number> {
  const tasks = await allTasks(ctx, { ...q, page: undefined, pageSize: undefined } as never);
  const xlsx = new XlsxStreamWriter(out, { sheet: '治本攻坚任务', columns: COLUMNS, creator: 'Zhiben 治本', now: ctx.now() });
  for (const t of tasks) {
    xlsx.addRow({
      measure: t.measureNo ?? '',
      title: t.title,
      lead: t.leadUnit.name,
      co: t.coUnits.map((u) => u.name).join('、'),
      startOn: t.startOn,
      dueOn: t.dueOn,
      milestones: t.milestones.map((m) => `${m.dueOn} ${m.title}${m.doneOn ? '（已完成）' : m.late ? '（逾期）' : ''}`).join('；'),
      status: TASK_STATUS_LABELS[t.status].zh,
      every: REPORT_EVERY_LABELS[t.reportEvery].zh,
      lastReportAt: shanghaiWallClock(t.lastReportAt),
      source: t.source,
    });
  }
  await xlsx.flush();
  await xlsx.finish();
  await transact(ctx, (tx) => audit(tx, { action: 'plan_task.exported', entityType: 'plan_task', entityId: null, after: { filters: q, rows: tasks.length } }));
  return tasks.length;
}

/** 进展报告: a unit's tasks (led by it) and what it reported from `from` to `to` (Shanghai dates). */
export async function progressReportDocx(ctx: ActorCtx, q: z.output<typeof ProgressReportQuery>): Promise<{ file: Buffer; ascii: string; name: string }> {
  if (q.from > q.to) throw fieldError('VALIDATION_FAILED', 'from', '起始日期不能晚于结束日期', 'from is after to');
  const own = planUnitOf(ctx.actor);
  if (!own) throw forbidden('进展报告由责任单位导出', 'For the plan’s units');
  if (q.unitKind === 'district' && !q.districtCode) throw fieldError('VALIDATION_FAILED', 'districtCode', '请选择区', 'Choose the district');
  if (q.unitKind === 'department' && !q.departmentId) throw fieldError('VALIDATION_FAILED', 'departmentId', '请选择部门', 'Choose the department');
  const unit = await resolveUnit(ctx, { kind: q.unitKind, ...(q.unitKind === 'district' ? { code: q.districtCode } : {}), ...(q.unitKind === 'department' ? { departmentId: q.departmentId } : {}) } as never, 'unit');
  if (!seesWholePlan(ctx.actor) && own.key !== unit.key) throw forbidden('只能导出本单位的进展报告', 'Your own unit’s report only');
  const tasks = (await allTasks(ctx, { planId: q.planId, ...(unit.kind === 'district' ? { districtCode: unit.key } : unit.kind === 'department' ? { departmentId: unit.key } : { unitKind: 'city' }) })).filter((t) => (unit.kind === 'city' ? t.leadUnit.kind === 'city' : t.leadUnit.code === unit.key || t.leadUnit.departmentId === unit.key));
  const ids = tasks.map((t) => t.id);
  const reports: DB['plan_reports'][] = [];
  for (let i = 0; i < ids.length; i += 500) {
    reports.push(
      ...(await ctx.db
        .selectFrom('plan_reports')
        .selectAll()
        .where('task_id', 'in', ids.slice(i, i + 500))
        .where('reported_at', '>=', shanghaiMidnight(q.from))
        .where('reported_at', '<', shanghaiMidnight(addOne(q.to)))
        .where('task_id', 'in', ctx.db.selectFrom('plan_tasks').select('id').where(planTaskWhere<DB, 'plan_tasks'>(ctx.actor)))
        .orderBy('reported_at')
        .execute()),
    );
  }
  const unitName = (await unitNames(ctx.db, ctx.actor.cityCode, [unit]))(unit).name;
  const counts = Object.fromEntries(Object.keys(TASK_STATUS_LABELS).map((k) => [k, tasks.filter((t) => t.status === k).length]));
  const docTitle = `${unitName}安全生产治本攻坚三年行动进展情况报告`;
  const body = [
    title(docTitle),
    para(`（${chineseDate(q.from)}至${chineseDate(q.to)}）`, { indent: false, alignment: 'center' as never }),
    para(
      `本单位牵头任务${tasks.length}项，其中已完成${counts.done}项、正常推进${counts.on_track}项、存在风险${counts.at_risk}项、滞后${counts.late}项、尚未报告${counts.not_started}项；报告期内报送进展${reports.length}次。`,
    ),
    heading('一、任务进展总表'),
    table(
      ['措施', '任务', '完成时限', '状态', '报告期内进展'],
      tasks.map((t) => [t.measureNo ?? '—', t.title, t.dueOn ? chineseDate(t.dueOn) : '—', TASK_STATUS_LABELS[t.status].zh, String(reports.filter((r) => r.task_id === t.id).length)]),
      [700, 4200, 1600, 1000, 1300],
    ),
    heading('二、逐项进展'),
    ...tasks.flatMap((t, i) => {
      const own = reports.filter((r) => r.task_id === t.id);
      return [
        line(`${i + 1}. ${t.title}（${TASK_STATUS_LABELS[t.status].zh}）`),
        ...(own.length ? own.map((r) => para(`${chineseDate(r.reported_on)}，${TASK_STATUS_LABELS[r.status].zh}：${r.note}`)) : [para('报告期内未报送进展。')]),
      ];
    }),
    line(''),
    line(`${unitName}    ${chineseDate(shanghaiDate(ctx.now()))}`),
  ];
  const file = await officialDocx(docTitle, [{ children: body }]);
  await transact(ctx, (tx) => audit(tx, { action: 'plan_task.report_exported', entityType: 'plan_task', entityId: null, after: { unit: unit.key, from: q.from, to: q.to, tasks: tasks.length } }));
  return { file, ascii: `plan-progress-${q.from}-${q.to}.docx`, name: `${unitName}治本攻坚进展报告（${q.from}至${q.to}）.docx` };
}

const addOne = (d: string) => new Date(Date.parse(`${d}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
