/**
 * 到期提醒: the daily job (also run at start) that tells people about deadlines — due within
 * three days, newly overdue (to the enterprise and the officers in scope), and major hazards
 * overdue (also to the supervising level). Idempotent: a notification is keyed by its kind,
 * hazard and deadline, so running twice adds nothing.
 */
import type { Kysely } from 'kysely';
import { uuidv7 } from 'uuidv7';
import { OPEN_STATUSES } from '../../../shared/contracts/hazards';
import type { DB } from '../../db/schema';
import { addDays, shanghaiDate } from '../../../shared/dates';


interface Officer {
  id: string;
  role: string;
  district_code: string | null;
  street_code: string | null;
  department_id: string | null;
}

type Kind = 'due_soon' | 'overdue' | 'major_overdue';

const TITLES: Record<Kind, (code: string, deadline: string) => string> = {
  due_soon: (code, d) => `隐患 ${code} 将于 ${d} 到期，请按期完成整改`,
  overdue: (code, d) => `隐患 ${code} 已超过整改期限（${d}）`,
  major_overdue: (code, d) => `重大事故隐患 ${code} 已逾期（期限 ${d}），请督办`,
};

export async function runDeadlineNotifications(db: Kysely<DB>, now: Date, batch = 500): Promise<{ created: number }> {
  const today = shanghaiDate(now);
  const officers = (await db
    .selectFrom('users')
    .select(['id', 'role', 'district_code', 'street_code', 'department_id'])
    .where('status', '=', 'active')
    .where('role', 'in', ['city_officer', 'district_officer', 'street_officer', 'dept_officer'])
    .execute()) as Officer[];
  const deptIndustries = new Map<string, { region: string; codes: Set<string> }>();
  for (const r of await db.selectFrom('departments').innerJoin('department_industries as di', 'di.department_id', 'departments.id').select(['departments.id', 'departments.region_code', 'di.industry_code']).execute()) {
    const entry = deptIndustries.get(r.id) ?? { region: r.region_code, codes: new Set<string>() };
    entry.codes.add(r.industry_code);
    deptIndustries.set(r.id, entry);
  }
  const sectionOf = new Map((await db.selectFrom('industries').select(['code', 'parent_code']).where('level', '=', 'division').execute()).map((r) => [r.code, r.parent_code ?? '']));

  let created = 0;
  for (const kind of ['due_soon', 'overdue', 'major_overdue'] as Kind[]) {
    let after = '';
    for (;;) {
      let q = db
        .selectFrom('hazards')
        .select(['id', 'code', 'deadline', 'enterprise_id', 'district_code', 'street_code', 'industry_code', 'department_id', 'supervision_level', 'city_code'])
        .where('status', 'in', [...OPEN_STATUSES])
        .where('id', '>', after)
        .orderBy('id')
        .limit(batch);
      q = kind === 'due_soon' ? q.where('deadline', '>=', today).where('deadline', '<=', addDays(today, 3)) : q.where('deadline', '<', today);
      if (kind === 'major_overdue') q = q.where('grade', '=', 'major');
      const hazards = await q.execute();
      if (!hazards.length) break;
      after = hazards[hazards.length - 1].id;
      const entUsers = await db
        .selectFrom('users')
        .select(['id', 'enterprise_id'])
        .where('status', '=', 'active')
        .where('enterprise_id', 'in', [...new Set(hazards.map((h) => h.enterprise_id))])
        .execute();
      const rows: DB['notifications'][] = [];
      for (const h of hazards) {
        const recipients = new Set<string>();
        if (kind !== 'major_overdue') for (const u of entUsers) if (u.enterprise_id === h.enterprise_id) recipients.add(u.id);
        for (const o of officers) {
          const inRegion = o.street_code ? o.street_code === h.street_code : o.district_code ? o.district_code === h.district_code : true;
          if (o.role === 'district_officer' && inRegion) recipients.add(o.id);
          if (o.role === 'street_officer' && inRegion && kind !== 'major_overdue') recipients.add(o.id);
          if (o.role === 'dept_officer' && o.department_id) {
            const d = deptIndustries.get(o.department_id);
            const covers = o.department_id === h.department_id || (!!d && (d.region === h.city_code || d.region === h.district_code) && (d.codes.has(h.industry_code) || d.codes.has(sectionOf.get(h.industry_code) ?? '')));
            if (covers) recipients.add(o.id);
          }
          if (o.role === 'city_officer' && kind === 'major_overdue' && h.supervision_level === 'city') recipients.add(o.id);
        }
        const title = TITLES[kind](h.code, h.deadline!);
        for (const user of recipients) {
          rows.push({ id: uuidv7(), user_id: user, kind, hazard_id: h.id, dedupe_key: `${kind}:${h.id}:${h.deadline}`, title, body: null, created_at: now.toISOString(), read_at: null });
        }
      }
      for (let i = 0; i < rows.length; i += 500) {
        const r = await db
          .insertInto('notifications')
          .values(rows.slice(i, i + 500))
          .onConflict((oc) => oc.columns(['user_id', 'dedupe_key']).doNothing())
          .executeTakeFirst();
        created += Number(r.numInsertedOrUpdatedRows ?? 0);
      }
    }
  }
  return { created };
}

/** Runs the job now and then every hour (it only adds what is new); answers a stop function. */
export function scheduleDeadlineNotifications(db: Kysely<DB>, now: () => Date, onError: (err: unknown) => void): () => void {
  const run = () => runDeadlineNotifications(db, now()).catch(onError);
  void run();
  const timer = setInterval(run, 3_600_000);
  timer.unref();
  return () => clearInterval(timer);
}
