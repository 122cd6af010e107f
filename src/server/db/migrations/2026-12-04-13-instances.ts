import { sql, type Kysely } from 'kysely';
import { columnTypes, type DialectName } from '../dialect';

/**
 * Several server processes on one database: each process says it is alive (`instances`, one row
 * per process, its heartbeat moved every few seconds), and every background job names the process
 * that runs it (`holder`). A job whose holder stopped beating was interrupted: any process marks it
 * so (an import commit can then be resumed), instead of every process marking all running jobs at
 * its start.
 */
export async function up(db: Kysely<any>, dialect: DialectName): Promise<void> {
  const t = columnTypes(dialect);
  await db.schema
    .createTable('instances')
    .addColumn('id', t.text, (c) => c.primaryKey())
    .addColumn('host', t.text, (c) => c.notNull())
    .addColumn('pid', t.integer, (c) => c.notNull())
    .addColumn('started_at', t.timestamp, (c) => c.notNull())
    .addColumn('heartbeat_at', t.timestamp, (c) => c.notNull())
    .modifyEnd(dialect === 'sqlite' ? sql`strict` : sql``)
    .execute();
  await db.schema.alterTable('import_jobs').addColumn('holder', t.text).execute();
  await db.schema.alterTable('export_jobs').addColumn('holder', t.text).execute();
}
