import { sql, type CreateTableBuilder, type Kysely } from 'kysely';
import { columnTypes, type DialectName } from '../dialect';

type AnyDb = Kysely<any>;

function strict<T extends string>(dialect: DialectName, b: CreateTableBuilder<T, any>) {
  return dialect === 'sqlite' ? b.modifyEnd(sql`strict`) : b;
}

const inList = (values: string[]) => sql.raw(values.map((v) => `'${v}'`).join(', '));

export async function up(db: AnyDb, dialect: DialectName): Promise<void> {
  const t = columnTypes(dialect);

  await strict(
    dialect,
    db.schema
      .createTable('regions')
      .addColumn('code', t.text, (c) => c.primaryKey())
      .addColumn('name', t.text, (c) => c.notNull())
      .addColumn('level', t.text, (c) => c.notNull().check(sql`level in (${inList(['city', 'district', 'street'])})`))
      .addColumn('parent_code', t.text, (c) => c.references('regions.code'))
      .addColumn('kind', t.text)
      .addColumn('city_code', t.text, (c) => c.notNull())
      .addColumn('sort', t.integer, (c) => c.notNull()),
  ).execute();
  await db.schema.createIndex('regions_parent_idx').on('regions').columns(['parent_code', 'sort']).execute();

  await strict(
    dialect,
    db.schema
      .createTable('industries')
      .addColumn('code', t.text, (c) => c.primaryKey())
      .addColumn('name', t.text, (c) => c.notNull())
      .addColumn('level', t.text, (c) => c.notNull().check(sql`level in (${inList(['section', 'division'])})`))
      .addColumn('parent_code', t.text, (c) => c.references('industries.code'))
      .addColumn('sort', t.integer, (c) => c.notNull()),
  ).execute();

  await strict(
    dialect,
    db.schema
      .createTable('standards')
      .addColumn('id', t.text, (c) => c.primaryKey())
      .addColumn('title', t.text, (c) => c.notNull())
      .addColumn('doc_no', t.text)
      .addColumn('issuer', t.text)
      .addColumn('published', t.text)
      .addColumn('effective', t.text)
      .addColumn('scope', t.text)
      .addColumn('source', t.text)
      .addColumn('confidence', t.text)
      .addColumn('status', t.text)
      .addColumn('item_count', t.integer)
      .addColumn('clauses_complete', t.integer, (c) => c.notNull().check(sql`clauses_complete in (0, 1)`))
      .addColumn('clauses_missing', t.text)
      .addColumn('meta', t.text)
      .addColumn('sort', t.integer, (c) => c.notNull())
      .addColumn('created_at', t.timestamp, (c) => c.notNull())
      .addColumn('updated_at', t.timestamp, (c) => c.notNull()),
  ).execute();

  await strict(
    dialect,
    db.schema
      .createTable('standard_clauses')
      .addColumn('id', t.text, (c) => c.primaryKey())
      .addColumn('standard_id', t.text, (c) => c.notNull().references('standards.id'))
      .addColumn('no', t.text, (c) => c.notNull())
      .addColumn('category', t.text)
      .addColumn('text', t.text, (c) => c.notNull())
      .addColumn('source', t.text)
      .addColumn('is_lead_in', t.integer, (c) => c.notNull().check(sql`is_lead_in in (0, 1)`))
      .addColumn('sort', t.integer, (c) => c.notNull())
      .addColumn('meta', t.text)
      .addColumn('created_at', t.timestamp, (c) => c.notNull())
      .addColumn('updated_at', t.timestamp, (c) => c.notNull())
      .addColumn('updated_by', t.text),
  ).execute();
  await db.schema.createIndex('standard_clauses_standard_idx').on('standard_clauses').columns(['standard_id', 'sort']).execute();
  await db.schema.createIndex('standard_clauses_no_uq').unique().on('standard_clauses').columns(['standard_id', 'no']).execute();

  await strict(
    dialect,
    db.schema
      .createTable('departments')
      .addColumn('id', t.text, (c) => c.primaryKey())
      .addColumn('city_code', t.text, (c) => c.notNull())
      .addColumn('region_code', t.text, (c) => c.notNull().references('regions.code'))
      .addColumn('district_code', t.text)
      .addColumn('name', t.text, (c) => c.notNull())
      .addColumn('created_at', t.timestamp, (c) => c.notNull())
      .addColumn('updated_at', t.timestamp, (c) => c.notNull()),
  ).execute();
  await db.schema.createIndex('departments_region_name_uq').unique().on('departments').columns(['region_code', 'name']).execute();

  await strict(
    dialect,
    db.schema
      .createTable('department_industries')
      .addColumn('department_id', t.text, (c) => c.notNull().references('departments.id'))
      .addColumn('industry_code', t.text, (c) => c.notNull().references('industries.code'))
      .addPrimaryKeyConstraint('department_industries_pk', ['department_id', 'industry_code']),
  ).execute();

  await strict(
    dialect,
    db.schema
      .createTable('enterprises')
      .addColumn('id', t.text, (c) => c.primaryKey())
      .addColumn('city_code', t.text, (c) => c.notNull())
      .addColumn('district_code', t.text, (c) => c.notNull().references('regions.code'))
      .addColumn('street_code', t.text, (c) => c.references('regions.code'))
      .addColumn('uscc', t.text, (c) => c.notNull())
      .addColumn('name', t.text, (c) => c.notNull())
      .addColumn('address', t.text, (c) => c.notNull())
      .addColumn('industry_code', t.text, (c) => c.notNull().references('industries.code'))
      .addColumn('principal_name', t.text, (c) => c.notNull())
      .addColumn('principal_phone', t.text)
      .addColumn('safety_manager_name', t.text)
      .addColumn('safety_manager_phone', t.text)
      .addColumn('risk_class', t.text, (c) => c.notNull().check(sql`risk_class in (${inList(['major', 'high', 'general', 'low'])})`))
      .addColumn('standardization_level', t.text, (c) =>
        c.notNull().check(sql`standardization_level in (${inList(['level1', 'level2', 'level3', 'none'])})`),
      )
      .addColumn('lng', t.real)
      .addColumn('lat', t.real)
      .addColumn('version', t.integer, (c) => c.notNull())
      .addColumn('created_at', t.timestamp, (c) => c.notNull())
      .addColumn('updated_at', t.timestamp, (c) => c.notNull())
      .addColumn('created_by', t.text),
  ).execute();
  await db.schema.createIndex('enterprises_uscc_uq').unique().on('enterprises').column('uscc').execute();
  await db.schema.createIndex('enterprises_city_idx').on('enterprises').columns(['city_code', 'id']).execute();
  await db.schema.createIndex('enterprises_district_idx').on('enterprises').columns(['district_code', 'id']).execute();
  await db.schema.createIndex('enterprises_district_industry_idx').on('enterprises').columns(['district_code', 'industry_code', 'id']).execute();
  await db.schema.createIndex('enterprises_street_idx').on('enterprises').columns(['street_code', 'id']).execute();
  await db.schema.createIndex('enterprises_industry_idx').on('enterprises').columns(['industry_code', 'id']).execute();
  await db.schema.createIndex('enterprises_name_idx').on('enterprises').columns(['city_code', 'name']).execute();

  if (dialect === 'sqlite') {
    // Trigram full-text index over name and credit code, kept in step by triggers.
    await sql`create virtual table enterprises_fts using fts5(name, uscc, content='enterprises', content_rowid='rowid', tokenize='trigram')`.execute(db);
    await sql`create trigger enterprises_fts_ai after insert on enterprises begin
      insert into enterprises_fts(rowid, name, uscc) values (new.rowid, new.name, new.uscc); end`.execute(db);
    await sql`create trigger enterprises_fts_ad after delete on enterprises begin
      insert into enterprises_fts(enterprises_fts, rowid, name, uscc) values ('delete', old.rowid, old.name, old.uscc); end`.execute(db);
    await sql`create trigger enterprises_fts_au after update of name, uscc on enterprises begin
      insert into enterprises_fts(enterprises_fts, rowid, name, uscc) values ('delete', old.rowid, old.name, old.uscc);
      insert into enterprises_fts(rowid, name, uscc) values (new.rowid, new.name, new.uscc); end`.execute(db);
  } else {
    await sql`create extension if not exists pg_trgm`.execute(db);
    await sql`create index enterprises_name_trgm on enterprises using gin (name gin_trgm_ops)`.execute(db);
    await sql`create index enterprises_uscc_trgm on enterprises using gin (uscc gin_trgm_ops)`.execute(db);
  }

  await strict(
    dialect,
    db.schema
      .createTable('users')
      .addColumn('id', t.text, (c) => c.primaryKey())
      .addColumn('username', t.text, (c) => c.notNull())
      .addColumn('display_name', t.text, (c) => c.notNull())
      .addColumn('role', t.text, (c) =>
        c
          .notNull()
          .check(
            sql`role in (${inList(['city_admin', 'city_officer', 'dept_officer', 'district_officer', 'street_officer', 'inspector', 'expert', 'enterprise'])})`,
          ),
      )
      .addColumn('region_code', t.text, (c) => c.notNull().references('regions.code'))
      .addColumn('city_code', t.text, (c) => c.notNull())
      .addColumn('district_code', t.text)
      .addColumn('street_code', t.text)
      .addColumn('department_id', t.text, (c) => c.references('departments.id'))
      .addColumn('enterprise_id', t.text, (c) => c.references('enterprises.id'))
      .addColumn('password_hash', t.text, (c) => c.notNull())
      .addColumn('status', t.text, (c) => c.notNull().check(sql`status in ('active', 'disabled')`))
      .addColumn('must_change_password', t.integer, (c) => c.notNull())
      .addColumn('failed_logins', t.integer, (c) => c.notNull())
      .addColumn('locked_until', t.timestamp)
      .addColumn('last_login_at', t.timestamp)
      .addColumn('version', t.integer, (c) => c.notNull())
      .addColumn('created_at', t.timestamp, (c) => c.notNull())
      .addColumn('updated_at', t.timestamp, (c) => c.notNull()),
  ).execute();
  await db.schema.createIndex('users_username_uq').unique().on('users').column('username').execute();
  await db.schema.createIndex('users_enterprise_idx').on('users').column('enterprise_id').execute();

  await strict(
    dialect,
    db.schema
      .createTable('sessions')
      .addColumn('id', t.text, (c) => c.primaryKey())
      .addColumn('user_id', t.text, (c) => c.notNull().references('users.id'))
      .addColumn('created_at', t.timestamp, (c) => c.notNull())
      .addColumn('last_seen_at', t.timestamp, (c) => c.notNull())
      .addColumn('expires_at', t.timestamp, (c) => c.notNull())
      .addColumn('ip', t.text)
      .addColumn('user_agent', t.text),
  ).execute();
  await db.schema.createIndex('sessions_user_idx').on('sessions').column('user_id').execute();

  await strict(
    dialect,
    db.schema
      .createTable('api_tokens')
      .addColumn('id', t.text, (c) => c.primaryKey())
      .addColumn('user_id', t.text, (c) => c.notNull().references('users.id'))
      .addColumn('name', t.text, (c) => c.notNull())
      .addColumn('token_hash', t.text, (c) => c.notNull())
      .addColumn('prefix', t.text, (c) => c.notNull())
      .addColumn('created_at', t.timestamp, (c) => c.notNull())
      .addColumn('created_by', t.text)
      .addColumn('expires_at', t.timestamp)
      .addColumn('last_used_at', t.timestamp)
      .addColumn('revoked_at', t.timestamp),
  ).execute();
  await db.schema.createIndex('api_tokens_hash_uq').unique().on('api_tokens').column('token_hash').execute();

  await strict(
    dialect,
    db.schema
      .createTable('audit_log')
      .addColumn('id', t.text, (c) => c.primaryKey())
      .addColumn('chain', t.text, (c) => c.notNull())
      .addColumn('seq', t.integer, (c) => c.notNull())
      .addColumn('at', t.timestamp, (c) => c.notNull())
      .addColumn('actor_id', t.text)
      .addColumn('actor_name', t.text)
      .addColumn('action', t.text, (c) => c.notNull())
      .addColumn('entity_type', t.text, (c) => c.notNull())
      .addColumn('entity_id', t.text)
      .addColumn('district_code', t.text)
      .addColumn('before_json', t.text)
      .addColumn('after_json', t.text)
      .addColumn('request_id', t.text)
      .addColumn('ip', t.text)
      .addColumn('prev_hash', t.text, (c) => c.notNull())
      .addColumn('hash', t.text, (c) => c.notNull()),
  ).execute();
  await db.schema.createIndex('audit_log_chain_seq_uq').unique().on('audit_log').columns(['chain', 'seq']).execute();
  await db.schema.createIndex('audit_log_entity_idx').on('audit_log').columns(['entity_type', 'entity_id']).execute();
  await db.schema.createIndex('audit_log_at_idx').on('audit_log').column('at').execute();

  await strict(
    dialect,
    db.schema
      .createTable('audit_heads')
      .addColumn('chain', t.text, (c) => c.primaryKey())
      .addColumn('seq', t.integer, (c) => c.notNull())
      .addColumn('hash', t.text, (c) => c.notNull()),
  ).execute();

  // The audit log is append-only: the database itself refuses updates and deletes.
  if (dialect === 'sqlite') {
    await sql`create trigger audit_log_no_update before update on audit_log begin select raise(abort, 'audit_log is append-only'); end`.execute(db);
    await sql`create trigger audit_log_no_delete before delete on audit_log begin select raise(abort, 'audit_log is append-only'); end`.execute(db);
  } else {
    await sql`create or replace function audit_log_append_only() returns trigger language plpgsql as $$
      begin raise exception 'audit_log is append-only'; end $$`.execute(db);
    await sql`create trigger audit_log_no_change before update or delete on audit_log for each row execute function audit_log_append_only()`.execute(db);
    await sql`create trigger audit_log_no_truncate before truncate on audit_log for each statement execute function audit_log_append_only()`.execute(db);
  }
}
