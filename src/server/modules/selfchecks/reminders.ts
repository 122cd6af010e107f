/**
 * 自查提醒: once a day (from 08:00 Shanghai), each enterprise user gets one reminder of their rounds not yet done — overdue,
 * and due within three days — and each officer one digest of the overdue rounds in their scope, with
 * a link to exactly those. Keyed by the day, so a second run or a second server adds nothing;
 * yesterday's call to act is answered by today's.
 */
import { sql } from 'kysely';
import { addDays, SHANGHAI_OFFSET_MS, shanghaiDate } from '../../../shared/dates';
import type { Ctx } from '../../context';
import { makeRounds } from './rounds';
import { notify } from '../../notify/notify';
import { officerReaders } from '../notifications/readers';
import { DUE_SOON_DAYS } from '../notifications/deadlines';

interface Open {
  overdue: number;
  dueSoon: number;
  enterprises: Set<string>;
}

/** Reminders go out from this hour of the Shanghai day (not at midnight, and after the day's rounds exist). */
export const REMINDER_HOUR = 8;

export async function runSelfCheckReminders(ctx: Pick<Ctx, 'db' | 'dialect'>, now: Date): Promise<{ enterprises: number; officers: number }> {
  const db = ctx.db;
  if (new Date(now.getTime() + SHANGHAI_OFFSET_MS).getUTCHours() < REMINDER_HOUR) return { enterprises: 0, officers: 0 };
  // Today's rounds first: a daily round is reminded of on the day it is due.
  await makeRounds(ctx, now);
  const today = shanghaiDate(now);
  const soon = addDays(today, DUE_SOON_DAYS);
  // Open rounds by enterprise (an index of open rounds by due date).
  const open = await db
    .selectFrom('selfcheck_rounds')
    .select([
      'enterprise_id',
      'city_code',
      'district_code',
      'street_code',
      'industry_code',
      sql<number>`sum(case when due_date < ${today} then 1 else 0 end)`.as('overdue'),
      sql<number>`sum(case when due_date >= ${today} then 1 else 0 end)`.as('due_soon'),
    ])
    .where('submitted_at', 'is', null)
    .where('due_date', '<=', soon)
    .groupBy(['enterprise_id', 'city_code', 'district_code', 'street_code', 'industry_code'])
    .execute();
  const as = { db, now: () => now, actor: null };
  for (const kind of ['selfcheck.reminder', 'selfcheck.digest']) {
    await db.updateTable('notifications').set({ needs_action: 0 }).where('kind', '=', kind).where('needs_action', '=', 1).where('dedupe_key', '!=', `${kind}:${today}`).execute();
  }

  // The enterprises' users: their own rounds.
  const byEnterprise = new Map(open.map((o) => [o.enterprise_id, o]));
  let enterprises = 0;
  const ids = [...byEnterprise.keys()];
  for (let k = 0; k < ids.length; k += 1000) {
    const users = await db.selectFrom('users').select(['id', 'enterprise_id']).where('status', '=', 'active').where('role', '=', 'enterprise').where('enterprise_id', 'in', ids.slice(k, k + 1000)).execute();
    for (const u of users) {
      const o = byEnterprise.get(u.enterprise_id!)!;
      const overdue = Number(o.overdue);
      const due = Number(o.due_soon);
      const parts = [overdue ? `逾期未完成 ${overdue} 项` : '', due ? `${DUE_SOON_DAYS} 日内到期 ${due} 项` : ''].filter(Boolean);
      enterprises += await notify(as, {
        to: [u.id],
        kind: 'selfcheck.reminder',
        title: `自查提醒（${today}）：${parts.join('，')}`,
        link: overdue ? '/selfchecks?status=overdue' : '/selfchecks?status=due',
        needsAction: true,
        dedupeKey: `selfcheck.reminder:${today}`,
      });
    }
  }

  // The officers: the overdue rounds of their scope.
  const readers = await officerReaders(db);
  const digest = new Map<string, Open>();
  for (const o of open) {
    if (!Number(o.overdue)) continue;
    for (const id of readers.of(o)) {
      const d = digest.get(id) ?? { overdue: 0, dueSoon: 0, enterprises: new Set<string>() };
      d.overdue += Number(o.overdue);
      d.enterprises.add(o.enterprise_id);
      digest.set(id, d);
    }
  }
  let officers = 0;
  for (const [id, d] of digest) {
    officers += await notify(as, {
      to: [id],
      kind: 'selfcheck.digest',
      title: `自查逾期（${today}）：辖区内 ${d.enterprises.size} 家企业的 ${d.overdue} 项自查逾期未完成`,
      link: '/selfchecks?status=overdue',
      needsAction: true,
      dedupeKey: `selfcheck.digest:${today}`,
    });
  }
  return { enterprises, officers };
}
