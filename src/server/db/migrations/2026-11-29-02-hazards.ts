import { sql, type CreateTableBuilder, type Kysely } from 'kysely';
import { columnTypes, type DialectName } from '../dialect';

type AnyDb = Kysely<any>;
const strict = <T extends string>(dialect: DialectName, b: CreateTableBuilder<T, any>) => (dialect === 'sqlite' ? b.modifyEnd(sql`strict`) : b);
const inList = (values: readonly string[]) => sql.raw(values.map((v) => `'${v}'`).join(', '));

const STATUSES = ['reported', 'rectifying', 'pending_acceptance', 'closed', 'voided'];
const SOURCES = ['self_check', 'routine_inspection', 'enforcement_inspection', 'expert_inspection', 'tip', 'third_party', 'accident_investigation', 'transfer', 'other'];

export async function up(db: AnyDb, dialect: DialectName): Promise<void> {
  const t = columnTypes(dialect);

  await strict(
    dialect,
    db.schema
      .createTable('files')
      .addColumn('id', t.text, (c) => c.primaryKey())
      .addColumn('sha256', t.text, (c) => c.notNull())
      .addColumn('mime', t.text, (c) => c.notNull())
      .addColumn('size', t.integer, (c) => c.notNull())
      .addColumn('original_name', t.text)
      .addColumn('uploaded_by', t.text, (c) => c.notNull().references('users.id'))
      .addColumn('city_code', t.text, (c) => c.notNull())
      .addColumn('created_at', t.timestamp, (c) => c.notNull()),
  ).execute();
  await db.schema.createIndex('files_sha_idx').on('files').column('sha256').execute();

  // Bumped in the same transaction as every change that alters what the ledger shows, so
  // cached ledger answers (any process) know when they are stale.
  await strict(
    dialect,
    db.schema
      .createTable('ledger_versions')
      .addColumn('city_code', t.text, (c) => c.primaryKey())
      .addColumn('version', t.integer, (c) => c.notNull()),
  ).execute();

  await strict(
    dialect,
    db.schema
      .createTable('hazard_code_counters')
      .addColumn('district_code', t.text, (c) => c.notNull())
      .addColumn('year', t.integer, (c) => c.notNull())
      .addColumn('seq', t.integer, (c) => c.notNull())
      .addPrimaryKeyConstraint('hazard_code_counters_pk', ['district_code', 'year']),
  ).execute();

  await strict(
    dialect,
    db.schema
      .createTable('hazards')
      .addColumn('id', t.text, (c) => c.primaryKey())
      .addColumn('code', t.text, (c) => c.notNull())
      .addColumn('city_code', t.text, (c) => c.notNull())
      .addColumn('district_code', t.text, (c) => c.notNull().references('regions.code'))
      .addColumn('street_code', t.text, (c) => c.references('regions.code'))
      .addColumn('enterprise_id', t.text, (c) => c.notNull().references('enterprises.id'))
      .addColumn('industry_code', t.text, (c) => c.notNull())
      .addColumn('department_id', t.text, (c) => c.references('departments.id'))
      .addColumn('description', t.text, (c) => c.notNull())
      .addColumn('location', t.text, (c) => c.notNull())
      .addColumn('lng', t.real)
      .addColumn('lat', t.real)
      .addColumn('category', t.text)
      .addColumn('grade', t.text, (c) => c.notNull().check(sql`grade in ('general', 'major')`))
      .addColumn('source', t.text, (c) => c.notNull().check(sql`source in (${inList(SOURCES)})`))
      .addColumn('found_by_name', t.text, (c) => c.notNull())
      .addColumn('found_at', t.timestamp, (c) => c.notNull())
      .addColumn('reported_by', t.text, (c) => c.references('users.id'))
      .addColumn('deadline', t.date)
      .addColumn('responsible_name', t.text)
      .addColumn('responsible_phone', t.text)
      .addColumn('plan_json', t.text)
      .addColumn('supervision_level', t.text, (c) => c.notNull().check(sql`supervision_level in ('none', 'district', 'city')`))
      .addColumn('status', t.text, (c) => c.notNull().check(sql`status in (${inList(STATUSES)})`))
      .addColumn('version', t.integer, (c) => c.notNull())
      .addColumn('closed_at', t.timestamp)
      .addColumn('search_tokens', t.text, (c) => c.notNull())
      .addColumn('created_at', t.timestamp, (c) => c.notNull())
      .addColumn('updated_at', t.timestamp, (c) => c.notNull()),
  ).execute();
  await db.schema.createIndex('hazards_code_uq').unique().on('hazards').column('code').execute();
  await db.schema.createIndex('hazards_district_status_idx').on('hazards').columns(['district_code', 'status', 'deadline']).execute();
  await db.schema.createIndex('hazards_street_idx').on('hazards').columns(['street_code', 'status']).execute();
  await db.schema.createIndex('hazards_enterprise_idx').on('hazards').columns(['enterprise_id', 'status']).execute();

  await strict(
    dialect,
    db.schema
      .createTable('hazard_clauses')
      .addColumn('hazard_id', t.text, (c) => c.notNull().references('hazards.id'))
      .addColumn('clause_id', t.text, (c) => c.notNull().references('standard_clauses.id'))
      .addPrimaryKeyConstraint('hazard_clauses_pk', ['hazard_id', 'clause_id']),
  ).execute();

  // Read access kept by whoever handed a hazard over (移交): a district or a department.
  await strict(
    dialect,
    db.schema
      .createTable('hazard_access')
      .addColumn('hazard_id', t.text, (c) => c.notNull().references('hazards.id'))
      .addColumn('grantee_type', t.text, (c) => c.notNull().check(sql`grantee_type in ('district', 'department')`))
      .addColumn('grantee_id', t.text, (c) => c.notNull())
      .addColumn('granted_at', t.timestamp, (c) => c.notNull())
      .addPrimaryKeyConstraint('hazard_access_pk', ['hazard_id', 'grantee_type', 'grantee_id']),
  ).execute();

  await strict(
    dialect,
    db.schema
      .createTable('hazard_events')
      .addColumn('id', t.text, (c) => c.primaryKey())
      .addColumn('hazard_id', t.text, (c) => c.notNull().references('hazards.id'))
      .addColumn('seq', t.integer, (c) => c.notNull())
      .addColumn('action', t.text, (c) => c.notNull())
      .addColumn('from_status', t.text)
      .addColumn('to_status', t.text, (c) => c.notNull())
      .addColumn('actor_id', t.text)
      .addColumn('actor_name', t.text, (c) => c.notNull())
      .addColumn('at', t.timestamp, (c) => c.notNull())
      .addColumn('comment', t.text)
      .addColumn('data_json', t.text),
  ).execute();
  await db.schema.createIndex('hazard_events_hazard_uq').unique().on('hazard_events').columns(['hazard_id', 'seq']).execute();

  await strict(
    dialect,
    db.schema
      .createTable('hazard_event_files')
      .addColumn('event_id', t.text, (c) => c.notNull().references('hazard_events.id'))
      .addColumn('file_id', t.text, (c) => c.notNull().references('files.id'))
      .addColumn('hazard_id', t.text, (c) => c.notNull().references('hazards.id'))
      .addPrimaryKeyConstraint('hazard_event_files_pk', ['event_id', 'file_id']),
  ).execute();
  await db.schema.createIndex('hazard_event_files_file_idx').on('hazard_event_files').columns(['file_id', 'hazard_id']).execute();

  await strict(
    dialect,
    db.schema
      .createTable('notifications')
      .addColumn('id', t.text, (c) => c.primaryKey())
      .addColumn('user_id', t.text, (c) => c.notNull().references('users.id'))
      .addColumn('kind', t.text, (c) => c.notNull())
      .addColumn('hazard_id', t.text, (c) => c.references('hazards.id'))
      .addColumn('dedupe_key', t.text, (c) => c.notNull())
      .addColumn('title', t.text, (c) => c.notNull())
      .addColumn('body', t.text)
      .addColumn('created_at', t.timestamp, (c) => c.notNull())
      .addColumn('read_at', t.timestamp),
  ).execute();
  await db.schema.createIndex('notifications_dedupe_uq').unique().on('notifications').columns(['user_id', 'dedupe_key']).execute();
  await db.schema.createIndex('notifications_user_idx').on('notifications').columns(['user_id', 'read_at']).execute();
}
