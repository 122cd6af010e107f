/**
 * The demo city's 啄木鸟 programme (#16): `expert-1` in Pudong's pool, appointed from two years ago
 * to the end of next year, and Pudong's three-year programme over forty of its enterprises, begun on
 * 1 January last year — nothing covered yet, so an office has a programme to assign from. (Visits
 * with findings, a second district and the agencies come with the rest of #16.)
 */
import type { Kysely } from 'kysely';
import { uuidv7 } from 'uuidv7';
import { shanghaiDate } from '../../shared/dates';
import { insertMany, type DialectName } from '../db/dialect';
import type { DB } from '../db/schema';
import { threeYearsFrom } from '../modules/experts/programmes';

const PUDONG = '310115';
const TARGETS = 40;

export async function insertDemoExperts(db: Kysely<DB>, dialect: DialectName, opts: { now: Date; cityCode: string }): Promise<{ experts: number; targets: number }> {
  const year = Number(shanghaiDate(opts.now).slice(0, 4));
  const at = opts.now.toISOString();
  const expert = await db.selectFrom('users').select('id').where('username', '=', 'expert-1').executeTakeFirst();
  const office = await db.selectFrom('users').select('id').where('username', '=', 'pudong').executeTakeFirst();
  const ents = await db.selectFrom('enterprises').select(['id', 'district_code', 'street_code', 'industry_code']).where('district_code', '=', PUDONG).orderBy('id').limit(TARGETS).execute();
  if (!expert || !ents.length) return { experts: 0, targets: 0 };
  const divisions = [...new Set(ents.map((e) => e.industry_code.slice(0, 2)))].slice(0, 4);
  await db
    .insertInto('expert_profiles')
    .values({
      user_id: expert.id,
      city_code: opts.cityCode,
      district_code: PUDONG,
      department_id: null,
      appointed_by: '浦东新区安全生产委员会办公室',
      appointed_from: `${year - 2}-01-01`,
      appointed_to: `${year + 1}-12-31`,
      industries_json: JSON.stringify(divisions),
      categories_json: '[]',
      title: '注册安全工程师',
      status: 'active',
      suspended_reason: null,
      version: 1,
      created_at: at,
      updated_at: at,
    })
    .execute();
  const id = uuidv7();
  const from = `${year - 1}-01-01`;
  await db
    .insertInto('expert_programmes')
    .values({ id, city_code: opts.cityCode, district_code: PUDONG, department_id: null, title: '浦东新区“啄木鸟”专家检查计划', period_from: from, period_to: threeYearsFrom(from), targets: ents.length, scheduled: 0, covered: 0, created_by: office?.id ?? null, created_at: at })
    .execute();
  await insertMany(
    db,
    dialect,
    'expert_targets',
    ents.map((e) => ({ programme_id: id, enterprise_id: e.id, district_code: e.district_code, street_code: e.street_code, industry_code: e.industry_code, state: 'not_yet', covered_on: null })),
  );
  return { experts: 1, targets: ents.length };
}
