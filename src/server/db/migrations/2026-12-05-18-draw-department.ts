import type { Kysely } from 'kysely';
import { columnTypes, type DialectName } from '../dialect';

/**
 * A draw belongs to the department that made it (its officers see it, as they see their plans),
 * named on the row rather than found through its maker's account; the district that made a draw
 * was kept beside the district drawn from and never read.
 */
export async function up(db: Kysely<any>, dialect: DialectName): Promise<void> {
  const t = columnTypes(dialect);
  await db.schema.alterTable('draws').addColumn('department_id', t.text, (c) => c.references('departments.id')).execute();
  await db.schema.alterTable('draws').dropColumn('owner_district_code').execute();
}
