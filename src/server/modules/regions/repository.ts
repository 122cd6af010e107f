import type { Kysely } from 'kysely';
import type { Region } from '../../../shared/contracts/regions';
import type { DB } from '../../db/schema';

type RegionRow = { code: string; name: string; level: 'city' | 'district' | 'street'; parent_code: string | null; kind: string | null };
const present = (r: RegionRow): Region => ({ code: r.code, name: r.name, level: r.level, parentCode: r.parent_code, kind: r.kind });

export async function listRegions(db: Kysely<DB>, filter: { level?: Region['level']; parent?: string }): Promise<Region[]> {
  let q = db.selectFrom('regions').select(['code', 'name', 'level', 'parent_code', 'kind']);
  if (filter.level) q = q.where('level', '=', filter.level);
  if (filter.parent) q = q.where('parent_code', '=', filter.parent);
  const rows = await q.orderBy('sort').orderBy('code').execute();
  return rows.map(present);
}

export async function findRegion(db: Kysely<DB>, code: string): Promise<Region | undefined> {
  const r = await db.selectFrom('regions').select(['code', 'name', 'level', 'parent_code', 'kind']).where('code', '=', code).executeTakeFirst();
  return r && present(r);
}
