/**
 * 举报办理提醒: once a day (hourly runs add nothing new), each tip whose step is due within two days
 * or overdue is told to its handlers — once for "due soon" and once for "overdue" per step and last
 * day (an extension's new day is told again). Never the reporter's identity: the code and the step.
 */
import type { Kysely } from 'kysely';
import { addDays, shanghaiDate } from '../../../shared/dates';
import type { DB } from '../../db/schema';
import { notify } from '../../notify/notify';
import { officerReaders } from '../notifications/readers';

export const TIP_DUE_SOON_DAYS = 2;
const STEP = { received: ['accept_by', '受理'], accepted: ['verify_by', '核查办结'], verified: ['feedback_by', '反馈举报人'] } as const;

export async function runTipReminders(db: Kysely<DB>, now: Date): Promise<{ tips: number; deliveries: number }> {
  const today = shanghaiDate(now);
  const soon = addDays(today, TIP_DUE_SOON_DAYS);
  const rows = await db
    .selectFrom('tips')
    .select(['id', 'code', 'status', 'city_code', 'district_code', 'street_code', 'industry_code', 'department_id', 'accept_by', 'verify_by', 'feedback_by'])
    .where((eb) => eb.or([eb.and([eb('status', '=', 'received'), eb('accept_by', '<=', soon)]), eb.and([eb('status', '=', 'accepted'), eb('verify_by', '<=', soon)]), eb.and([eb('status', '=', 'verified'), eb('feedback_by', '<=', soon)])]))
    .orderBy('id')
    .execute();
  if (!rows.length) return { tips: 0, deliveries: 0 };
  const readers = await officerReaders(db);
  const ctx = { db, now: () => now, actor: null };
  let deliveries = 0;
  for (const t of rows) {
    const [col, what] = STEP[t.status as keyof typeof STEP];
    const by = t[col]!;
    const late = today > by;
    deliveries += await notify(ctx, {
      to: readers.of({ city_code: t.city_code, district_code: t.district_code, street_code: t.street_code, industry_code: t.industry_code ?? '', department_id: t.department_id }),
      kind: late ? 'tip.overdue' : 'tip.due_soon',
      title: late ? `举报 ${t.code} 已超过${what}期限（${by}）` : `举报 ${t.code} 须于 ${by} 前${what}`,
      link: `/tips/${t.id}`,
      needsAction: true,
      dedupeKey: `tip-${late ? 'overdue' : 'due'}:${t.id}:${t.status}:${by}`,
    });
  }
  return { tips: rows.length, deliveries };
}
