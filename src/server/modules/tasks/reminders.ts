/**
 * 任务提醒: once a day (hourly runs add nothing new), the lead unit's officers hear of each task
 * whose next date (a milestone or its own) is within a week or past, and of each task whose report
 * for the current period is due — once per task, date and period.
 */
import type { Kysely } from 'kysely';
import { addDays, shanghaiDate } from '../../../shared/dates';
import type { DB } from '../../db/schema';
import { notify } from '../../notify/notify';
import { periodKeyOf, reportDueWhere } from './status';

export const PLAN_DUE_SOON_DAYS = 7;

export async function runPlanReminders(db: Kysely<DB>, now: Date): Promise<{ tasks: number; deliveries: number }> {
  const today = shanghaiDate(now);
  const soon = addDays(today, PLAN_DUE_SOON_DAYS);
  const dated = await db.selectFrom('plan_tasks').select(['id', 'title', 'city_code', 'lead_kind', 'lead_key', 'next_due_on', 'report_every']).where('reported_status', '<>', 'done').where('next_due_on', '<=', soon).orderBy('id').execute();
  const due = await db.selectFrom('plan_tasks').select(['id', 'title', 'city_code', 'lead_kind', 'lead_key', 'next_due_on', 'report_every']).where(reportDueWhere(today)).orderBy('id').execute();
  if (!dated.length && !due.length) return { tasks: 0, deliveries: 0 };
  const users = await db.selectFrom('users').select(['id', 'role', 'city_code', 'district_code', 'department_id']).where('status', '=', 'active').where('role', 'in', ['city_admin', 'city_officer', 'district_officer', 'dept_officer']).execute();
  const officersOf = (t: { city_code: string; lead_kind: string; lead_key: string }) =>
    users
      .filter((u) => u.city_code === t.city_code)
      .filter((u) => (t.lead_kind === 'city' ? u.role === 'city_officer' && !u.district_code : t.lead_kind === 'district' ? u.role === 'district_officer' && u.district_code === t.lead_key : u.role === 'dept_officer' && u.department_id === t.lead_key))
      .map((u) => u.id);
  const ctx = { db, now: () => now, actor: null };
  let deliveries = 0;
  for (const t of dated) {
    const late = t.next_due_on! < today;
    deliveries += await notify(ctx, {
      to: officersOf(t),
      kind: late ? 'plan.overdue' : 'plan.due_soon',
      title: late ? `治本攻坚任务“${t.title}”已超过时限（${t.next_due_on}）` : `治本攻坚任务“${t.title}”须于 ${t.next_due_on} 前完成`,
      link: `/plan/tasks/${t.id}`,
      needsAction: true,
      dedupeKey: `plan-${late ? 'overdue' : 'due'}:${t.id}:${t.next_due_on}`,
    });
  }
  for (const t of due) {
    const period = periodKeyOf(t.report_every, today);
    deliveries += await notify(ctx, {
      to: officersOf(t),
      kind: 'plan.report_due',
      title: `请报送治本攻坚任务“${t.title}”${period}的进展`,
      link: `/plan/tasks/${t.id}`,
      needsAction: true,
      dedupeKey: `plan-report:${t.id}:${period}`,
    });
  }
  return { tasks: dated.length + due.length, deliveries };
}
