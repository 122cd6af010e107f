/**
 * 资质到期提醒: once a day, each qualification that expires within its city's warning days (60 by
 * default) is told to the officers of the office that keeps the agency's entry and to the users of
 * every enterprise the agency serves now. One notice per qualification and expiry date: a second
 * run, a second server or tomorrow's run adds nothing; a renewed qualification (a new date) is told
 * again when its time comes.
 */
import type { Kysely } from 'kysely';
import { addDays, shanghaiDate } from '../../../shared/dates';
import type { DB } from '../../db/schema';
import { notify } from '../../notify/notify';
import { officerReaders } from '../notifications/readers';
import { agencyWatch } from './watch';

export async function runQualificationWatch(db: Kysely<DB>, now: Date): Promise<{ qualifications: number; deliveries: number }> {
  const today = shanghaiDate(now);
  const cities = await db.selectFrom('agencies').select('city_code').distinct().execute();
  const ctx = { db, now: () => now, actor: null };
  let qualifications = 0;
  let deliveries = 0;
  const place = cities.length ? await officerReaders(db) : null;
  for (const { city_code } of cities) {
    const { expiryWarningDays } = await agencyWatch(db, city_code, today);
    const due = await db
      .selectFrom('agency_qualifications as q')
      .innerJoin('agencies as a', 'a.id', 'q.agency_id')
      .select(['q.agency_id', 'q.name', 'q.number', 'q.expires_on', 'a.name as agency_name', 'a.district_code', 'a.department_id'])
      .where('a.city_code', '=', city_code)
      .where('q.expires_on', '>=', today)
      .where('q.expires_on', '<=', addDays(today, expiryWarningDays))
      .orderBy('q.expires_on')
      .execute();
    for (const q of due) {
      qualifications++;
      const keepers = place!.officers.filter((o) => (q.department_id ? o.role === 'dept_officer' && o.department_id === q.department_id : q.district_code ? o.role === 'district_officer' && o.district_code === q.district_code : o.role === 'city_officer'));
      const served = await db
        .selectFrom('users as u')
        .innerJoin('agency_engagements as e', 'e.enterprise_id', 'u.enterprise_id')
        .select('u.id')
        .distinct()
        .where('e.agency_id', '=', q.agency_id)
        .where('e.status', '=', 'in_service')
        .where('u.status', '=', 'active')
        .execute();
      deliveries += await notify(ctx, {
        to: [...keepers.map((o) => o.id), ...served.map((u) => u.id)],
        kind: 'agency.qualification_expiring',
        title: `第三方机构资质即将到期：${q.agency_name}“${q.name}”（${q.number}）将于 ${q.expires_on} 到期`,
        link: `/agencies?id=${q.agency_id}`,
        needsAction: false,
        dedupeKey: `agency-qualification:${q.agency_id}:${q.number}:${q.expires_on}`,
      });
    }
  }
  return { qualifications, deliveries };
}
