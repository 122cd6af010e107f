import { sql, type Kysely } from 'kysely';
import { columnTypes, type DialectName } from '../dialect';

/**
 * Periodic jobs run once per period across every server process sharing the database: the first
 * process to insert the (job, period) row runs it; a run whose holder died is taken over once its
 * lease has expired.
 */
export async function up(db: Kysely<any>, dialect: DialectName): Promise<void> {
  const t = columnTypes(dialect);
  await db.schema
    .createTable('job_runs')
    .addColumn('name', t.text, (c) => c.notNull())
    .addColumn('period', t.text, (c) => c.notNull())
    .addColumn('holder', t.text, (c) => c.notNull())
    .addColumn('started_at', t.timestamp, (c) => c.notNull())
    .addColumn('finished_at', t.timestamp)
    .addPrimaryKeyConstraint('job_runs_pk', ['name', 'period'])
    .modifyEnd(dialect === 'sqlite' ? sql`strict` : sql``)
    .execute();
}
