/**
 * 举报统计 figures per city, district, month of receipt, channel and category — received, answered
 * (accepted or declined) and on time, verified and on time, substantiated, the hazards found,
 * rewards approved and paid with their amounts — kept in the transaction of each step, counted in
 * the month the tip came in (so a month's line reads as what became of its tips).
 */
import type { Kysely } from 'kysely';
import { shanghaiDate } from '../../../shared/dates';
import { insertMany, type DialectName } from '../../db/dialect';
import type { DB, TipTalliesTable } from '../../db/schema';

export type TipCounts = Omit<TipTalliesTable, 'city_code' | 'district_code' | 'month' | 'channel' | 'category'>;
export const TIP_ZERO: TipCounts = { received: 0, accepted: 0, declined: 0, accepted_on_time: 0, verified: 0, verified_on_time: 0, substantiated: 0, with_hazards: 0, hazards: 0, major_hazards: 0, rewards_approved: 0, rewards_approved_yuan: 0, rewards_paid: 0, rewards_paid_yuan: 0 };
const KEYS = ['city_code', 'district_code', 'month', 'channel', 'category'];
const ADD = Object.keys(TIP_ZERO);

/** The tally row a tip counts in. */
export interface TipPlace {
  city_code: string;
  district_code: string;
  received_at: string;
  channel: string;
  category: string;
}

export const monthOf = (iso: string) => shanghaiDate(new Date(iso)).slice(0, 7);

export async function countTip(db: Kysely<DB>, dialect: DialectName, t: TipPlace, c: Partial<TipCounts>): Promise<void> {
  const row = { city_code: t.city_code, district_code: t.district_code, month: monthOf(t.received_at), channel: t.channel, category: t.category, ...TIP_ZERO, ...c };
  await insertMany(db, dialect, 'tip_tallies', [row], { keys: KEYS, add: ADD });
}

/** Recomputes every tip tally from the tips, in the caller's transaction (a check, and a repair). */
export async function rebuildTipTallies(trx: Kysely<DB>, dialect: DialectName): Promise<void> {
  await trx.deleteFrom('tip_tallies').execute();
  const rows = new Map<string, TipTalliesTable>();
  for (const t of await trx.selectFrom('tips').selectAll().execute()) {
    const key = [t.city_code, t.district_code, monthOf(t.received_at), t.channel, t.category].join('|');
    let r = rows.get(key);
    if (!r) rows.set(key, (r = { city_code: t.city_code, district_code: t.district_code, month: monthOf(t.received_at), channel: t.channel, category: t.category, ...TIP_ZERO }));
    for (const [k, n] of Object.entries(tipCounts(t)) as [keyof TipCounts, number][]) r[k] += n;
  }
  if (rows.size) await insertMany(trx, dialect, 'tip_tallies', [...rows.values()]);
}

/** What one tip, as it stands, adds to its line. */
export function tipCounts(t: { accepted_at: string | null; declined_at: string | null; answered_on_time: number | null; verified_at: string | null; verified_on_time: number | null; substantiated: number | null; hazards: number; major_hazards: number; reward_status: string; reward_yuan: number | null }): TipCounts {
  const approved = t.reward_status === 'approved' || t.reward_status === 'paid';
  const paid = t.reward_status === 'paid';
  return {
    received: 1,
    accepted: t.accepted_at ? 1 : 0,
    declined: t.declined_at ? 1 : 0,
    accepted_on_time: t.answered_on_time ?? 0,
    verified: t.verified_at ? 1 : 0,
    verified_on_time: t.verified_on_time ?? 0,
    substantiated: t.substantiated ?? 0,
    with_hazards: t.hazards > 0 ? 1 : 0,
    hazards: t.hazards,
    major_hazards: t.major_hazards,
    rewards_approved: approved ? 1 : 0,
    rewards_approved_yuan: approved ? (t.reward_yuan ?? 0) : 0,
    rewards_paid: paid ? 1 : 0,
    rewards_paid_yuan: paid ? (t.reward_yuan ?? 0) : 0,
  };
}
