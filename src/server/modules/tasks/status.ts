/**
 * A task's status, derived at Shanghai midnight: done when reported done; late when reported late
 * or when a milestone (or the task's own date) has passed without a done report; else the last
 * report's status. Pure, shared by the commands (which keep `next_due_on`, the earliest open date)
 * and the views; the SQL filters say the same thing (`lateWhere`).
 */
import { sql, type Expression, type SqlBool } from 'kysely';
import type { ReportEvery, TaskStatus } from '../../../shared/contracts/tasks';
import { SHANGHAI_OFFSET_MS } from '../../../shared/dates';
import { periodOf } from '../../../shared/periods';

export interface StatusFacts {
  reported_status: TaskStatus;
  next_due_on: string | null;
  report_every: ReportEvery;
  last_report_at: string | null;
  start_on: string | null;
}

export const isTaskLate = (t: Pick<StatusFacts, 'reported_status' | 'next_due_on'>, today: string) =>
  t.reported_status !== 'done' && (t.reported_status === 'late' || (!!t.next_due_on && t.next_due_on < today));

export const effectiveStatus = (t: Pick<StatusFacts, 'reported_status' | 'next_due_on'>, today: string): TaskStatus =>
  t.reported_status === 'done' ? 'done' : isTaskLate(t, today) ? 'late' : t.reported_status;

/** The earliest date still ahead of a task not done: its first open milestone, or its own date. */
export function nextDueOn(task: { due_on: string | null; done: boolean }, milestones: readonly { due_on: string; done_on: string | null }[]): string | null {
  if (task.done) return null;
  const dates = milestones.filter((m) => !m.done_on).map((m) => m.due_on);
  if (task.due_on) dates.push(task.due_on);
  return dates.length ? dates.sort()[0] : null;
}

/** The instant (ISO) a Shanghai date begins. */
export const shanghaiMidnight = (date: string) => new Date(Date.parse(`${date}T00:00:00Z`) - SHANGHAI_OFFSET_MS).toISOString();

/** The current reporting period's first day, or null when the task is not reported periodically. */
export function periodStart(every: ReportEvery, today: string): string | null {
  return every === 'none' ? null : periodOf(every, today).start;
}

/** A report is due: the task reports periodically, has started, is not done, and has no report since the period began. */
export function isReportDue(t: StatusFacts, today: string): boolean {
  const start = periodStart(t.report_every, today);
  if (!start || t.reported_status === 'done' || (t.start_on && t.start_on > today)) return false;
  return !t.last_report_at || t.last_report_at < shanghaiMidnight(start);
}

export const periodKeyOf = (every: ReportEvery, today: string) => (every === 'none' ? null : periodOf(every, today).key);

/** SQL of `isTaskLate` on the `plan_tasks` alias `t`. */
export const lateWhere = (today: string, t = 'plan_tasks'): Expression<SqlBool> =>
  sql<SqlBool>`(${sql.ref(`${t}.reported_status`)} <> 'done' and (${sql.ref(`${t}.reported_status`)} = 'late' or (${sql.ref(`${t}.next_due_on`)} is not null and ${sql.ref(`${t}.next_due_on`)} < ${today})))`;

/** SQL of `isReportDue`. */
export function reportDueWhere(today: string, t = 'plan_tasks'): Expression<SqlBool> {
  const r = (c: string) => sql.ref(`${t}.${c}`);
  const per = (['monthly', 'quarterly', 'half_yearly'] as const).map((every) => sql<SqlBool>`(${r('report_every')} = ${every} and (${r('last_report_at')} is null or ${r('last_report_at')} < ${shanghaiMidnight(periodOf(every, today).start)}))`);
  return sql<SqlBool>`(${r('reported_status')} <> 'done' and (${r('start_on')} is null or ${r('start_on')} <= ${today}) and (${sql.join(per, sql` or `)}))`;
}
