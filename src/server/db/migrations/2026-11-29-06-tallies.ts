import { sql, type Kysely } from 'kysely';
import { columnTypes, type DialectName } from '../dialect';

/**
 * 驾驶舱汇总表: pre-aggregated hazard counts, kept current in the same transaction as every hazard
 * change (see `modules/dashboard/tallies.ts`), so the cockpit never scans the ledger per request.
 * Built from the ledger on first start (`tally_state`), and rebuildable at any time.
 */
export async function up(db: Kysely<any>, dialect: DialectName): Promise<void> {
  const t = columnTypes(dialect);
  // SQLite: a WITHOUT ROWID table is stored in its primary key, so each range read is one b-tree walk.
  const end = dialect === 'sqlite' ? sql`without rowid, strict` : sql``;
  await db.schema
    .createTable('hazard_tallies')
    .addColumn('grouping', t.text, (c) => c.notNull())
    .addColumn('measure', t.text, (c) => c.notNull())
    .addColumn('city_code', t.text, (c) => c.notNull())
    .addColumn('district_code', t.text, (c) => c.notNull())
    .addColumn('period', t.text, (c) => c.notNull())
    .addColumn('street_code', t.text, (c) => c.notNull())
    .addColumn('industry_code', t.text, (c) => c.notNull())
    .addColumn('grade', t.text, (c) => c.notNull())
    .addColumn('source', t.text, (c) => c.notNull())
    .addColumn('supervision', t.text, (c) => c.notNull())
    .addColumn('extra', t.text, (c) => c.notNull())
    .addColumn('n', t.integer, (c) => c.notNull())
    .addPrimaryKeyConstraint('hazard_tallies_pk', ['grouping', 'measure', 'city_code', 'district_code', 'period', 'street_code', 'industry_code', 'grade', 'source', 'supervision', 'extra'])
    .modifyEnd(end)
    .execute();
  await db.schema
    .createTable('enterprise_open_tallies')
    .addColumn('enterprise_id', t.text, (c) => c.notNull())
    .addColumn('district_code', t.text, (c) => c.notNull())
    .addColumn('street_code', t.text, (c) => c.notNull())
    .addColumn('city_code', t.text, (c) => c.notNull())
    .addColumn('industry_code', t.text, (c) => c.notNull())
    .addColumn('open', t.integer, (c) => c.notNull())
    .addColumn('open_major', t.integer, (c) => c.notNull())
    // Within a district an enterprise's hazards share its street (a hazard handed to another district has none).
    .addPrimaryKeyConstraint('enterprise_open_tallies_pk', ['enterprise_id', 'district_code'])
    .modifyEnd(dialect === 'sqlite' ? sql`strict` : sql``)
    .execute();
  await db.schema.createIndex('enterprise_open_tallies_rank_idx').on('enterprise_open_tallies').columns(['district_code', 'open_major', 'open']).execute();
  await db.schema.createIndex('enterprise_open_tallies_city_rank_idx').on('enterprise_open_tallies').columns(['city_code', 'open_major', 'open']).execute();
  await db.schema
    .createTable('tally_state')
    .addColumn('id', t.integer, (c) => c.primaryKey().notNull())
    .addColumn('built_at', t.timestamp, (c) => c.notNull())
    .modifyEnd(dialect === 'sqlite' ? sql`strict` : sql``)
    .execute();
  // Fixed-on-the-spot closures are found through their event when the tallies are built.
  await db.schema.createIndex('hazard_events_action_idx').on('hazard_events').columns(['action', 'hazard_id']).execute();
}
