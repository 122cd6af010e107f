import { sql, type CreateTableBuilder, type Kysely } from 'kysely';
import { columnTypes, type DialectName } from '../dialect';

const strict = <T extends string>(dialect: DialectName, b: CreateTableBuilder<T, any>) => (dialect === 'sqlite' ? b.modifyEnd(sql`strict`) : b);

/** Import jobs and their previewed rows: a preview classifies every row, a commit applies them batch by batch in row order. */
export async function up(db: Kysely<any>, dialect: DialectName): Promise<void> {
  const t = columnTypes(dialect);
  await strict(
    dialect,
    db.schema
      .createTable('import_jobs')
      .addColumn('id', t.text, (c) => c.primaryKey())
      .addColumn('city_code', t.text, (c) => c.notNull())
      .addColumn('user_id', t.text, (c) => c.notNull().references('users.id'))
      .addColumn('kind', t.text, (c) => c.notNull().check(sql`kind in ('hazards', 'enterprises')`))
      .addColumn('file_name', t.text, (c) => c.notNull())
      .addColumn('sha256', t.text, (c) => c.notNull())
      .addColumn('status', t.text, (c) => c.notNull().check(sql`status in ('previewing', 'previewed', 'committing', 'committed', 'failed')`))
      .addColumn('rows_read', t.integer, (c) => c.notNull())
      .addColumn('rows_written', t.integer, (c) => c.notNull())
      // Rows are applied in row order; this is the last row number a committed batch reached.
      .addColumn('applied_through', t.integer, (c) => c.notNull())
      .addColumn('counts_json', t.text)
      .addColumn('message', t.text)
      .addColumn('created_at', t.timestamp, (c) => c.notNull())
      .addColumn('updated_at', t.timestamp, (c) => c.notNull()),
  ).execute();
  await db.schema.createIndex('import_jobs_user_idx').on('import_jobs').columns(['user_id', 'created_at']).execute();
  await strict(
    dialect,
    db.schema
      .createTable('import_rows')
      .addColumn('job_id', t.text, (c) => c.notNull().references('import_jobs.id'))
      .addColumn('row_number', t.integer, (c) => c.notNull())
      .addColumn('action', t.text, (c) => c.notNull().check(sql`action in ('create', 'update', 'unchanged', 'error')`))
      .addColumn('target_id', t.text)
      .addColumn('data_json', t.text)
      .addColumn('errors_json', t.text)
      .addColumn('raw_json', t.text, (c) => c.notNull())
      .addPrimaryKeyConstraint('import_rows_pk', ['job_id', 'row_number']),
  ).execute();
  await db.schema.createIndex('import_rows_action_idx').on('import_rows').columns(['job_id', 'action', 'row_number']).execute();
}
