import type { Kysely } from 'kysely';
import type { Industry } from '../../../shared/contracts/regions';
import type { DB } from '../../db/schema';

export async function listIndustries(db: Kysely<DB>): Promise<Industry[]> {
  const rows = await db.selectFrom('industries').select(['code', 'name', 'level', 'parent_code']).orderBy('sort').execute();
  return rows.map((r) => ({ code: r.code, name: r.name, level: r.level, parentCode: r.parent_code }));
}

export async function findIndustry(db: Kysely<DB>, code: string) {
  return db.selectFrom('industries').select(['code', 'name', 'level', 'parent_code']).where('code', '=', code).executeTakeFirst();
}
