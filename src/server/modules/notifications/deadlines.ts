/**
 * 到期提醒: once a day, each person responsible gets one digest — how many of their open hazards
 * are overdue (and how many of those are major) and how many fall due within three days — with a
 * link to exactly those in the ledger. Not one notice per hazard: a district with hundreds of
 * overdue hazards would bury every call to act. Responsible: the enterprise's users; the district,
 * street and department officers whose scope covers the hazard; the city for major hazards it
 * supervises. Idempotent: the digest is keyed by its day, so a second run or a second server adds nothing.
 */
import type { Kysely } from 'kysely';
import { OPEN_STATUSES } from '../../../shared/contracts/hazards';
import { addDays, shanghaiDate } from '../../../shared/dates';
import type { DB } from '../../db/schema';
import { notify } from '../../notify/notify';
import { officerReaders } from './readers';

/** Days ahead a deadline counts as due soon. */
export const DUE_SOON_DAYS = 3;

interface Tally {
  overdue: number;
  overdueMajor: number;
  dueSoon: number;
}

/** The digest's words and link for one person's counts. */
export function digestNotice(today: string, c: Tally): { title: string; link: string } {
  const parts: string[] = [];
  if (c.overdue) parts.push(`逾期 ${c.overdue} 项${c.overdueMajor ? `（其中重大隐患 ${c.overdueMajor} 项）` : ''}`);
  if (c.dueSoon) parts.push(`${DUE_SOON_DAYS} 日内到期 ${c.dueSoon} 项`);
  const link = c.overdue ? '/hazards?status=reported,rectifying,pending_acceptance&overdue=true' : `/hazards?status=reported,rectifying,pending_acceptance&deadlineFrom=${today}&deadlineTo=${addDays(today, DUE_SOON_DAYS)}`;
  return { title: `今日整改期限提醒（${today}）：${parts.join('，')}`, link };
}

export async function runDeadlineDigest(db: Kysely<DB>, now: Date, batch = 1000): Promise<{ created: number; readers: number }> {
  const today = shanghaiDate(now);
  const soon = addDays(today, DUE_SOON_DAYS);
  const place = await officerReaders(db);
  const cityOfficers = place.officers.filter((o) => o.role === 'city_officer').map((o) => o.id);

  const tallies = new Map<string, Tally>();
  const add = (user: string, overdue: boolean, major: boolean) => {
    const t = tallies.get(user) ?? { overdue: 0, overdueMajor: 0, dueSoon: 0 };
    if (overdue) {
      t.overdue++;
      if (major) t.overdueMajor++;
    } else t.dueSoon++;
    tallies.set(user, t);
  };

  let after = '';
  for (;;) {
    const hazards = await db
      .selectFrom('hazards')
      .select(['id', 'grade', 'deadline', 'enterprise_id', 'district_code', 'street_code', 'industry_code', 'department_id', 'supervision_level', 'city_code'])
      .where('status', 'in', [...OPEN_STATUSES])
      .where('deadline', '<=', soon)
      .where('id', '>', after)
      .orderBy('id')
      .limit(batch)
      .execute();
    if (!hazards.length) break;
    after = hazards[hazards.length - 1].id;
    const entUsers = await db
      .selectFrom('users')
      .select(['id', 'enterprise_id'])
      .where('status', '=', 'active')
      .where('enterprise_id', 'in', [...new Set(hazards.map((h) => h.enterprise_id))])
      .execute();
    for (const h of hazards) {
      const overdue = h.deadline! < today;
      const major = h.grade === 'major';
      const readers = new Set<string>();
      for (const u of entUsers) if (u.enterprise_id === h.enterprise_id) readers.add(u.id);
      for (const o of place.of(h)) readers.add(o);
      if (major && overdue && h.supervision_level === 'city') for (const o of cityOfficers) readers.add(o);
      for (const r of readers) add(r, overdue, major);
    }
  }

  let created = 0;
  const ctx = { db, now: () => now, actor: null };
  // Yesterday's digest is answered by today's.
  await db.updateTable('notifications').set({ needs_action: 0 }).where('kind', '=', 'hazard.digest').where('needs_action', '=', 1).where('dedupe_key', '!=', `digest:${today}`).execute();
  for (const [user, c] of tallies) {
    const { title, link } = digestNotice(today, c);
    const before = await db.selectFrom('notifications').select('id').where('user_id', '=', user).where('dedupe_key', '=', `digest:${today}`).executeTakeFirst();
    if (before) continue;
    await notify(ctx, { to: [user], kind: 'hazard.digest', title, link, needsAction: true, dedupeKey: `digest:${today}` });
    created++;
  }
  return { created, readers: tallies.size };
}
