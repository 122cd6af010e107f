import { sql, type Kysely } from 'kysely';
import { columnTypes, type DialectName } from '../dialect';

/**
 * 检查表 (self-checks, #14): checklists published by an organisation (city, district, street,
 * department or one enterprise) and their items, versioned — an edit of the items makes a new
 * version, and the items of every earlier version stay, so a round keeps what it was done against.
 */
export async function up(db: Kysely<any>, dialect: DialectName): Promise<void> {
  const t = columnTypes(dialect);
  await db.schema
    .createTable('checklists')
    .addColumn('id', t.text, (c) => c.primaryKey())
    .addColumn('city_code', t.text, (c) => c.notNull())
    .addColumn('owner_level', t.text, (c) => c.notNull().check(sql`owner_level in ('city', 'district', 'street', 'department', 'enterprise')`))
    // The region code (city, district, street), the department id, or the enterprise id.
    .addColumn('owner_id', t.text, (c) => c.notNull())
    .addColumn('title', t.text, (c) => c.notNull())
    .addColumn('industry_codes', t.text, (c) => c.notNull())
    .addColumn('enterprise_kinds', t.text, (c) => c.notNull())
    .addColumn('standard_id', t.text)
    .addColumn('version', t.integer, (c) => c.notNull())
    .addColumn('created_by', t.text, (c) => c.notNull().references('users.id'))
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .modifyEnd(dialect === 'sqlite' ? sql`strict` : sql``)
    .execute();
  await db.schema.createIndex('checklists_owner_idx').on('checklists').columns(['city_code', 'owner_level', 'owner_id']).execute();
  await db.schema
    .createTable('checklist_items')
    .addColumn('id', t.text, (c) => c.primaryKey())
    .addColumn('checklist_id', t.text, (c) => c.notNull().references('checklists.id'))
    .addColumn('version', t.integer, (c) => c.notNull())
    .addColumn('seq', t.integer, (c) => c.notNull())
    .addColumn('text', t.text, (c) => c.notNull())
    .addColumn('category', t.text)
    .addColumn('clause_id', t.text, (c) => c.references('standard_clauses.id'))
    .modifyEnd(dialect === 'sqlite' ? sql`strict` : sql``)
    .execute();
  await db.schema.createIndex('checklist_items_version_uq').unique().on('checklist_items').columns(['checklist_id', 'version', 'seq']).execute();
}
