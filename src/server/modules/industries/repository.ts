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

/** The GB/T 4754 divisions that sections or divisions stand for, as a subquery (an enterprise carries a division). */
export function divisionsIn(db: Kysely<DB>, codes: readonly string[]) {
  return db
    .selectFrom('industries')
    .select('code')
    .where('level', '=', 'division')
    .where((eb) => eb.or([eb('code', 'in', [...codes]), eb('parent_code', 'in', [...codes])]));
}
