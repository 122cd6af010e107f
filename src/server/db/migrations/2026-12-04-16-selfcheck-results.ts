import { sql, type Kysely } from 'kysely';
import { columnTypes, type DialectName } from '../dialect';

/**
 * 自查提交 (#14, third part): a submitted round keeps each item's result, who signed it off, and how
 * many hazards it found; later words on it are events (it is never changed). A hazard's origin — the
 * round and item (or, later, the inspection, visit or tip) it was found in — is one shared table,
 * `hazard_origins`, for every module that puts findings on the ledger. The self-check figures are
 * tallies kept in the writing transaction, like the ledger's.
 */
export async function up(db: Kysely<any>, dialect: DialectName): Promise<void> {
  const t = columnTypes(dialect);
  const strict = dialect === 'sqlite' ? sql`strict` : sql``;
  await db.schema
    .createTable('hazard_origins')
    .addColumn('hazard_id', t.text, (c) => c.primaryKey().references('hazards.id'))
    .addColumn('origin_type', t.text, (c) => c.notNull())
    .addColumn('origin_id', t.text, (c) => c.notNull())
    .addColumn('origin_item_id', t.text)
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .modifyEnd(strict)
    .execute();
  await db.schema.createIndex('hazard_origins_origin_idx').on('hazard_origins').columns(['origin_type', 'origin_id']).execute();

  for (const [col, type] of [
    ['submitted_by', t.text],
    ['signed_by_name', t.text],
    ['signed_by_role', t.text],
    ['findings', t.integer],
  ] as const) {
    await db.schema.alterTable('selfcheck_rounds').addColumn(col, type).execute();
  }
  // Rounds not yet done, by due date: what is overdue now, what to remind of.
  // Rounds done, latest first (city-wide and per district); rounds not yet done are not in it.
  await db.schema.createIndex('selfcheck_rounds_submitted_idx').on('selfcheck_rounds').columns(['district_code', 'submitted_at']).where(sql.ref('submitted_at'), 'is not', null).execute();
  await db.schema.createIndex('selfcheck_rounds_submitted_city_idx').on('selfcheck_rounds').columns(['submitted_at']).where(sql.ref('submitted_at'), 'is not', null).execute();
  await db.schema.createIndex('selfcheck_rounds_open_idx').on('selfcheck_rounds').columns(['due_date', 'district_code']).where(sql.ref('submitted_at'), 'is', null).execute();

  await db.schema
    .createTable('selfcheck_results')
    .addColumn('round_id', t.text, (c) => c.notNull().references('selfcheck_rounds.id'))
    .addColumn('item_id', t.text, (c) => c.notNull())
    .addColumn('result', t.text, (c) => c.notNull().check(sql`result in ('ok', 'na', 'hazard')`))
    .addColumn('note', t.text)
    .addColumn('hazard_id', t.text, (c) => c.references('hazards.id'))
    .addPrimaryKeyConstraint('selfcheck_results_pk', ['round_id', 'item_id'])
    .modifyEnd(strict)
    .execute();

  await db.schema
    .createTable('selfcheck_round_events')
    .addColumn('id', t.text, (c) => c.primaryKey())
    .addColumn('round_id', t.text, (c) => c.notNull().references('selfcheck_rounds.id'))
    .addColumn('seq', t.integer, (c) => c.notNull())
    .addColumn('action', t.text, (c) => c.notNull())
    .addColumn('actor_id', t.text, (c) => c.references('users.id'))
    .addColumn('actor_name', t.text, (c) => c.notNull())
    .addColumn('at', t.timestamp, (c) => c.notNull())
    .addColumn('comment', t.text)
    .addColumn('data_json', t.text)
    .modifyEnd(strict)
    .execute();
  await db.schema.createIndex('selfcheck_round_events_seq_uq').unique().on('selfcheck_round_events').columns(['round_id', 'seq']).execute();

  // Per place, industry and due month (month '' holds the enterprises with a schedule), kept at four
  // roll-ups (`level`): per street and industry (SI), per street (S), per industry (I), per district (D).
  await db.schema
    .createTable('selfcheck_tallies')
    .addColumn('level', t.text, (c) => c.notNull().check(sql`level in ('SI', 'S', 'I', 'D')`))
    .addColumn('city_code', t.text, (c) => c.notNull())
    .addColumn('district_code', t.text, (c) => c.notNull())
    .addColumn('street_code', t.text, (c) => c.notNull())
    .addColumn('industry_code', t.text, (c) => c.notNull())
    .addColumn('month', t.text, (c) => c.notNull())
    .addColumn('enterprises', t.integer, (c) => c.notNull())
    .addColumn('rounds', t.integer, (c) => c.notNull())
    .addColumn('on_time', t.integer, (c) => c.notNull())
    .addColumn('late', t.integer, (c) => c.notNull())
    .addColumn('with_findings', t.integer, (c) => c.notNull())
    .addColumn('hazards', t.integer, (c) => c.notNull())
    .addPrimaryKeyConstraint('selfcheck_tallies_pk', ['level', 'city_code', 'month', 'district_code', 'street_code', 'industry_code'])
    .modifyEnd(strict)
    .execute();
  // Enterprises with at least one schedule, each once (the tally's enterprises count).
  await db.schema
    .createTable('selfcheck_enterprises')
    .addColumn('enterprise_id', t.text, (c) => c.primaryKey().references('enterprises.id'))
    .addColumn('city_code', t.text, (c) => c.notNull())
    .addColumn('district_code', t.text, (c) => c.notNull())
    .addColumn('street_code', t.text, (c) => c.notNull())
    .addColumn('industry_code', t.text, (c) => c.notNull())
    .addColumn('first_scheduled_at', t.timestamp, (c) => c.notNull())
    .modifyEnd(strict)
    .execute();
}
