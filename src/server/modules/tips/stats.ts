/**
 * 举报统计: the kept tallies summed over months, by month, channel, category and district — for the
 * city (its roles) or one district (its officers, or the city's choosing it). Each figure links to
 * the tip list with the same filters, whose total is the same number (tested).
 */
import type { z } from 'zod';
import { TIP_CATEGORIES, TIP_CHANNELS, type TipStats, type TipStatsQuery } from '../../../shared/contracts/tips';
import { shanghaiDate } from '../../../shared/dates';
import type { ActorCtx } from '../../context';
import { AppError } from '../../errors/app-error';
import { mayViewCityDashboard, mayViewDistrictDashboard } from '../../scope/scope';
import { listRegions } from '../regions/repository';
import { TIP_ZERO, type TipCounts } from './tallies';

const camel = (c: TipCounts) => ({
  received: Number(c.received),
  accepted: Number(c.accepted),
  declined: Number(c.declined),
  acceptedOnTime: Number(c.accepted_on_time),
  verified: Number(c.verified),
  verifiedOnTime: Number(c.verified_on_time),
  substantiated: Number(c.substantiated),
  withHazards: Number(c.with_hazards),
  hazards: Number(c.hazards),
  majorHazards: Number(c.major_hazards),
  rewardsApproved: Number(c.rewards_approved),
  rewardsApprovedYuan: Number(c.rewards_approved_yuan),
  rewardsPaid: Number(c.rewards_paid),
  rewardsPaidYuan: Number(c.rewards_paid_yuan),
});

function add(into: TipCounts, r: TipCounts) {
  for (const k of Object.keys(TIP_ZERO) as (keyof TipCounts)[]) into[k] += Number(r[k]);
}

export async function tipStats(ctx: ActorCtx, q: z.output<typeof TipStatsQuery>): Promise<z.infer<typeof TipStats>> {
  const a = ctx.actor;
  // The tallies are kept by district: a street's officer reads their street's tips in the list, not figures of the whole district.
  if (a.streetCode) throw new AppError('FORBIDDEN', '举报统计按区统计，由市、区安委办查看', 'Tip figures are kept by district');
  const district = a.districtCode ?? q.districtCode ?? null;
  if (q.districtCode && a.districtCode && q.districtCode !== a.districtCode) throw new AppError('FORBIDDEN', '只能查看本区的举报统计', 'Only your district’s figures');
  if (!(district ? mayViewDistrictDashboard(a, district) : mayViewCityDashboard(a))) throw new AppError('FORBIDDEN', '举报统计由市、区安委办查看', 'Tip figures are for the city and district offices');
  const today = shanghaiDate(ctx.now());
  const to = q.to ?? today.slice(0, 7);
  const from = q.from ?? `${Number(to.slice(0, 4)) - 1}${to.slice(4)}`;
  if (from > to) throw new AppError('VALIDATION_FAILED', '起始月份不能晚于结束月份', 'from is after to', { errors: [{ path: 'from', code: 'invalid', message: '起始月份不能晚于结束月份' }] });
  let base = ctx.db.selectFrom('tip_tallies').selectAll().where('city_code', '=', a.cityCode).where('month', '>=', from).where('month', '<=', to);
  if (district) base = base.where('district_code', '=', district);
  const rows = await base.execute();
  const group = <K extends string>(key: (r: (typeof rows)[number]) => K) => {
    const m = new Map<K, TipCounts>();
    for (const r of rows) {
      const k = key(r);
      const c = m.get(k) ?? { ...TIP_ZERO };
      add(c, r);
      m.set(k, c);
    }
    return m;
  };
  const totals = { ...TIP_ZERO };
  for (const r of rows) add(totals, r);
  const months = group((r) => r.month);
  const channels = group((r) => r.channel);
  const categories = group((r) => r.category);
  const districts = group((r) => r.district_code);
  const names = new Map((await listRegions(ctx.db, { level: 'district', parent: a.cityCode })).map((r) => [r.code, r.name]));
  return {
    from,
    to,
    totals: camel(totals),
    byMonth: [...months].sort(([x], [y]) => x.localeCompare(y)).map(([month, c]) => ({ month, ...camel(c) })),
    byChannel: TIP_CHANNELS.filter((ch) => channels.has(ch)).map((channel) => ({ channel, ...camel(channels.get(channel)!) })),
    byCategory: TIP_CATEGORIES.filter((k) => categories.has(k)).map((category) => ({ category, ...camel(categories.get(category)!) })),
    byDistrict: [...districts].sort(([x], [y]) => x.localeCompare(y)).map(([districtCode, c]) => ({ districtCode, districtName: names.get(districtCode) ?? districtCode, ...camel(c) })),
  };
}
