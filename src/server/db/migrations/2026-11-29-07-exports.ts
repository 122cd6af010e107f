import { sql, type Kysely } from 'kysely';
import { columnTypes, type DialectName } from '../dialect';

/** Export jobs: a large export is written to a file in the background with its progress kept here, then downloaded. */
export async function up(db: Kysely<any>, dialect: DialectName): Promise<void> {
  const t = columnTypes(dialect);
  await db.schema
    .createTable('export_jobs')
    .addColumn('id', t.text, (c) => c.primaryKey())
    .addColumn('city_code', t.text, (c) => c.notNull())
    .addColumn('user_id', t.text, (c) => c.notNull().references('users.id'))
    .addColumn('kind', t.text, (c) => c.notNull().check(sql`kind in ('hazards', 'enterprises')`))
    .addColumn('filters_json', t.text, (c) => c.notNull())
    .addColumn('status', t.text, (c) => c.notNull().check(sql`status in ('running', 'done', 'failed')`))
    .addColumn('rows_total', t.integer, (c) => c.notNull())
    .addColumn('rows_written', t.integer, (c) => c.notNull())
    .addColumn('file_name', t.text, (c) => c.notNull())
    .addColumn('size', t.integer)
    .addColumn('message', t.text)
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .addColumn('expires_at', t.timestamp, (c) => c.notNull())
    .modifyEnd(dialect === 'sqlite' ? sql`strict` : sql``)
    .execute();
  await db.schema.createIndex('export_jobs_user_idx').on('export_jobs').columns(['user_id', 'created_at']).execute();
  await db.schema.createIndex('export_jobs_expires_idx').on('export_jobs').columns(['expires_at']).execute();
}
