import { sql, type Kysely } from 'kysely';
import { columnTypes, type DialectName } from '../dialect';

/**
 * The closed loop as officials run it:
 * - who submitted the rectification now awaiting acceptance, and who recorded a first acceptance
 *   (separation of duties, two acceptors) — kept on the hazard so the "waiting for me" list is a
 *   plain condition, not a search through the timeline;
 * - notifications that say whether they call for the reader's action, and where they lead;
 * - rules as versioned configuration: each version of a rule's value, from a date, with its source;
 * - the industries each judgement standard applies to.
 */
export async function up(db: Kysely<any>, dialect: DialectName): Promise<void> {
  const t = columnTypes(dialect);
  await db.schema.alterTable('hazards').addColumn('submitted_by', t.text).execute();
  await db.schema.alterTable('hazards').addColumn('first_accepted_by', t.text).execute();
  await db.schema.alterTable('notifications').addColumn('needs_action', t.integer, (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.alterTable('notifications').addColumn('link', t.text).execute();
  await db.schema.createIndex('notifications_user_action_idx').on('notifications').columns(['user_id', 'needs_action', 'id']).execute();
  // One alert per overdue hazard gives way to a daily digest: the old alerts stay, read, so they bury nothing.
  await db
    .updateTable('notifications')
    .set({ read_at: sql`created_at` })
    .where('kind', 'in', ['due_soon', 'overdue', 'major_overdue'])
    .where('read_at', 'is', null)
    .execute();
  await db.schema
    .createTable('rule_versions')
    .addColumn('id', t.text, (c) => c.primaryKey())
    .addColumn('city_code', t.text, (c) => c.notNull())
    .addColumn('rule_key', t.text, (c) => c.notNull())
    .addColumn('effective_from', t.text, (c) => c.notNull())
    .addColumn('value_json', t.text, (c) => c.notNull())
    .addColumn('source_note', t.text, (c) => c.notNull())
    .addColumn('set_by', t.text, (c) => c.references('users.id'))
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .modifyEnd(dialect === 'sqlite' ? sql`strict` : sql``)
    .execute();
  // The industries a judgement standard applies to (GB/T 4754 section or division; '*' for all): clause
  // suggestions rank the applicable standards first. Data, shipped in reference/ and editable.
  await db.schema
    .createTable('standard_industries')
    .addColumn('standard_id', t.text, (c) => c.notNull().references('standards.id'))
    .addColumn('industry_code', t.text, (c) => c.notNull())
    .addPrimaryKeyConstraint('standard_industries_pk', ['standard_id', 'industry_code'])
    .modifyEnd(dialect === 'sqlite' ? sql`strict` : sql``)
    .execute();
  await db.schema.createIndex('rule_versions_key_uq').unique().on('rule_versions').columns(['city_code', 'rule_key', 'effective_from']).execute();
}
