import { sql, type Kysely } from 'kysely';
import type { Database } from '../database';
import { columnTypes, type DialectName } from '../dialect';

const ROLES_BEFORE = "'expert', 'enterprise')";
const ROLES_AFTER = "'expert', 'enterprise', 'tip_custodian')";

/**
 * 举报奖励 (#17, measure 24): tips as they come through the public door or are registered by an
 * office — routed to a district and a supervising department, stepped through acceptance,
 * verification and feedback against their deadlines, linked as duplicates, rewarded by rule — the
 * reporter's identity and reward claim kept sealed apart (AES-256-GCM, crypto/sealed.ts), the
 * photos the public sent kept apart from the officers' files, and the figures per district, month,
 * channel and category kept in the writing transaction. And a role: 举报人信息保管员 (`tip_custodian`),
 * added to the users' CHECK list — on SQLite by editing the table's stored definition in place (the
 * documented way to change a CHECK constraint that only widens; rebuilding `users` with foreign keys
 * on would fail on every reference to it), on PostgreSQL by replacing the constraint. Every step can
 * run again (SQLite's migrations run outside a transaction, so a stopped run is run again whole).
 */
export async function up(db: Kysely<any>, dialect: DialectName, database: Pick<Database, 'unsafeSchema'>): Promise<void> {
  const t = columnTypes(dialect);
  const strict = dialect === 'sqlite' ? sql`strict` : sql``;

  if (dialect === 'sqlite') {
    if (!database.unsafeSchema) throw new Error('the SQLite handle cannot edit a table definition');
    database.unsafeSchema(true);
    try {
      // Kysely runs SQLite's migrations outside a transaction: a run that stopped half-way is run again, so each step checks it is still to do.
      const { rows } = await sql<{ schema_version: number }>`pragma schema_version`.execute(db);
      await sql`pragma writable_schema = ON`.execute(db);
      const r = await sql`update sqlite_schema set sql = replace(sql, ${ROLES_BEFORE}, ${ROLES_AFTER}) where type = 'table' and name = 'users' and instr(sql, ${ROLES_BEFORE}) > 0`.execute(db);
      const done = await sql<{ n: number }>`select count(*) as n from sqlite_schema where type = 'table' and name = 'users' and instr(sql, ${ROLES_AFTER}) > 0`.execute(db);
      if (Number(r.numAffectedRows) !== 1 && Number(done.rows[0].n) !== 1) throw new Error('users: the role CHECK list was not found as expected');
      await sql.raw(`pragma schema_version = ${Number(rows[0].schema_version) + 1}`).execute(db);
      await sql`pragma writable_schema = OFF`.execute(db);
    } finally {
      database.unsafeSchema(false);
    }
    const check = await sql<{ quick_check: string }>`pragma quick_check(users)`.execute(db);
    if (check.rows[0]?.quick_check !== 'ok') throw new Error(`users: the database is not sound after widening the role list (${JSON.stringify(check.rows)})`);
  } else {
    const { rows } = await sql<{ conname: string }>`select conname from pg_constraint where conrelid = 'users'::regclass and contype = 'c' and pg_get_constraintdef(oid) like '%city_admin%'`.execute(db);
    for (const r of rows) await sql`alter table users drop constraint ${sql.id(r.conname)}`.execute(db);
    await sql`alter table users add constraint users_role_check check (role in ('city_admin', 'city_officer', 'dept_officer', 'district_officer', 'street_officer', 'inspector', 'expert', 'enterprise', 'tip_custodian'))`.execute(db);
  }

  await db.schema
    .createTable('tips')
    .ifNotExists()
    .addColumn('id', t.text, (c) => c.primaryKey())
    .addColumn('code', t.text, (c) => c.notNull())
    .addColumn('receipt', t.text, (c) => c.notNull())
    .addColumn('secret_hash', t.text, (c) => c.notNull())
    .addColumn('city_code', t.text, (c) => c.notNull())
    .addColumn('district_code', t.text, (c) => c.notNull())
    .addColumn('street_code', t.text)
    .addColumn('industry_code', t.text)
    .addColumn('department_id', t.text, (c) => c.references('departments.id'))
    .addColumn('enterprise_id', t.text, (c) => c.references('enterprises.id'))
    .addColumn('enterprise_name', t.text)
    .addColumn('place', t.text)
    .addColumn('channel', t.text, (c) => c.notNull())
    .addColumn('category', t.text, (c) => c.notNull())
    .addColumn('description', t.text, (c) => c.notNull())
    .addColumn('anonymous', t.integer, (c) => c.notNull())
    .addColumn('has_identity', t.integer, (c) => c.notNull())
    .addColumn('status', t.text, (c) => c.notNull())
    .addColumn('received_at', t.timestamp, (c) => c.notNull())
    .addColumn('accept_by', t.text, (c) => c.notNull())
    .addColumn('accepted_at', t.timestamp)
    .addColumn('declined_at', t.timestamp)
    .addColumn('decline_reason', t.text)
    .addColumn('answered_on_time', t.integer)
    .addColumn('verify_by', t.text)
    .addColumn('extension', t.text, (c) => c.notNull())
    .addColumn('extension_by', t.text, (c) => c.references('users.id'))
    .addColumn('verified_at', t.timestamp)
    .addColumn('verified_on_time', t.integer)
    .addColumn('substantiated', t.integer)
    .addColumn('verification', t.text)
    .addColumn('feedback_by', t.text)
    .addColumn('feedback', t.text)
    .addColumn('fed_back_at', t.timestamp)
    .addColumn('duplicate_of', t.text)
    .addColumn('suspected_duplicate_of', t.text)
    .addColumn('hazards', t.integer, (c) => c.notNull())
    .addColumn('major_hazards', t.integer, (c) => c.notNull())
    .addColumn('reward_status', t.text, (c) => c.notNull())
    .addColumn('reward_yuan', t.integer)
    .addColumn('reward_steps_json', t.text)
    .addColumn('reward_rule_from', t.text)
    .addColumn('reward_proposed_by', t.text, (c) => c.references('users.id'))
    .addColumn('reward_approved_by', t.text, (c) => c.references('users.id'))
    .addColumn('reward_paid_on', t.text)
    .addColumn('reward_payment_ref', t.text)
    .addColumn('claimed', t.integer, (c) => c.notNull())
    .addColumn('lookup_failures', t.integer, (c) => c.notNull())
    .addColumn('lookup_locked_until', t.timestamp)
    .addColumn('version', t.integer, (c) => c.notNull())
    .addColumn('created_by', t.text, (c) => c.references('users.id'))
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .modifyEnd(strict)
    .execute();
  await db.schema.createIndex('tips_receipt_uq').ifNotExists().unique().on('tips').columns(['receipt']).execute();
  await db.schema.createIndex('tips_code_uq').ifNotExists().unique().on('tips').columns(['code']).execute();
  await db.schema.createIndex('tips_district_received_idx').ifNotExists().on('tips').columns(['district_code', 'received_at']).execute();
  await db.schema.createIndex('tips_city_received_idx').ifNotExists().on('tips').columns(['city_code', 'received_at']).execute();
  await db.schema.createIndex('tips_enterprise_idx').ifNotExists().on('tips').columns(['enterprise_id', 'received_at']).execute();
  await db.schema.createIndex('tips_status_idx').ifNotExists().on('tips').columns(['status']).execute();

  // The reporter's identity and reward claim: ciphertext only, bound to the tip and the field.
  await db.schema
    .createTable('tip_sealed')
    .ifNotExists()
    .addColumn('tip_id', t.text, (c) => c.notNull().references('tips.id'))
    .addColumn('field', t.text, (c) => c.notNull())
    .addColumn('key_id', t.text, (c) => c.notNull())
    .addColumn('sealed', t.text, (c) => c.notNull())
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addPrimaryKeyConstraint('tip_sealed_pk', ['tip_id', 'field'])
    .modifyEnd(strict)
    .execute();

  // Photos sent through the public door, before and after they are attached to a tip (no user uploaded them).
  await db.schema
    .createTable('tip_uploads')
    .ifNotExists()
    .addColumn('id', t.text, (c) => c.primaryKey())
    .addColumn('tip_id', t.text, (c) => c.references('tips.id'))
    .addColumn('sha256', t.text, (c) => c.notNull())
    .addColumn('mime', t.text, (c) => c.notNull())
    .addColumn('size', t.integer, (c) => c.notNull())
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .modifyEnd(strict)
    .execute();
  await db.schema.createIndex('tip_uploads_tip_idx').ifNotExists().on('tip_uploads').columns(['tip_id']).execute();

  // A record step's files, findable by file (the timeline keeps them in order as JSON): who may read
  // a file attached to a case's or an inspection's step is whoever sees that record (files/commands.ts).
  await db.schema
    .createTable('record_event_files')
    .ifNotExists()
    .addColumn('file_id', t.text, (c) => c.notNull().references('files.id'))
    .addColumn('entity_type', t.text, (c) => c.notNull())
    .addColumn('entity_id', t.text, (c) => c.notNull())
    .addPrimaryKeyConstraint('record_event_files_pk', ['file_id', 'entity_type', 'entity_id'])
    .modifyEnd(strict)
    .execute();
  const attached = await db.selectFrom('record_events').select(['entity_type', 'entity_id', 'file_ids_json']).where('file_ids_json', 'is not', null).execute();
  const links = new Map<string, { file_id: string; entity_type: string; entity_id: string }>();
  for (const e of attached as { entity_type: string; entity_id: string; file_ids_json: string }[]) {
    for (const f of JSON.parse(e.file_ids_json) as string[]) links.set(`${f}|${e.entity_type}|${e.entity_id}`, { file_id: f, entity_type: e.entity_type, entity_id: e.entity_id });
  }
  const rows = [...links.values()];
  for (let i = 0; i < rows.length; i += 500) await db.insertInto('record_event_files').values(rows.slice(i, i + 500)).onConflict((oc) => oc.doNothing()).execute();

  await db.schema
    .createTable('tip_tallies')
    .ifNotExists()
    .addColumn('city_code', t.text, (c) => c.notNull())
    .addColumn('district_code', t.text, (c) => c.notNull())
    .addColumn('month', t.text, (c) => c.notNull())
    .addColumn('channel', t.text, (c) => c.notNull())
    .addColumn('category', t.text, (c) => c.notNull())
    .addColumn('received', t.integer, (c) => c.notNull())
    .addColumn('accepted', t.integer, (c) => c.notNull())
    .addColumn('declined', t.integer, (c) => c.notNull())
    .addColumn('accepted_on_time', t.integer, (c) => c.notNull())
    .addColumn('verified', t.integer, (c) => c.notNull())
    .addColumn('verified_on_time', t.integer, (c) => c.notNull())
    .addColumn('substantiated', t.integer, (c) => c.notNull())
    .addColumn('with_hazards', t.integer, (c) => c.notNull())
    .addColumn('hazards', t.integer, (c) => c.notNull())
    .addColumn('major_hazards', t.integer, (c) => c.notNull())
    .addColumn('rewards_approved', t.integer, (c) => c.notNull())
    .addColumn('rewards_approved_yuan', t.integer, (c) => c.notNull())
    .addColumn('rewards_paid', t.integer, (c) => c.notNull())
    .addColumn('rewards_paid_yuan', t.integer, (c) => c.notNull())
    .addPrimaryKeyConstraint('tip_tallies_pk', ['city_code', 'district_code', 'month', 'channel', 'category'])
    .modifyEnd(strict)
    .execute();
}
