import { sql, type Kysely } from 'kysely';
import { columnTypes, type DialectName } from '../dialect';

/** Configurable code lists (first: hazard categories), editable by administrators. */
export async function up(db: Kysely<any>, dialect: DialectName): Promise<void> {
  const t = columnTypes(dialect);
  let b = db.schema
    .createTable('dictionary_entries')
    .addColumn('kind', t.text, (c) => c.notNull())
    .addColumn('code', t.text, (c) => c.notNull())
    .addColumn('label', t.text, (c) => c.notNull())
    .addColumn('sort', t.integer, (c) => c.notNull())
    .addColumn('active', t.integer, (c) => c.notNull().check(sql`active in (0, 1)`))
    .addPrimaryKeyConstraint('dictionary_entries_pk', ['kind', 'code']);
  if (dialect === 'sqlite') b = b.modifyEnd(sql`strict`);
  await b.execute();
}
