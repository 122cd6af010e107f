import { sql, type Kysely } from 'kysely';
import { columnTypes, type DialectName } from '../dialect';

/**
 * 第三方服务机构 (#16, measure 28): the registry of agencies — their service types, qualifications
 * (issuer, number, expiry), staff and certificates, the body that approved them — with the figures
 * of their record kept in the writing transaction; enterprises' engagements of them (service,
 * period, deliverable files), whose findings go onto the ledger with the engagement as origin;
 * complaints and penalties; and a district's listing of an agency as untrustworthy, kept with its
 * reason and, when lifted, who lifted it and why.
 */
export async function up(db: Kysely<any>, dialect: DialectName): Promise<void> {
  const t = columnTypes(dialect);
  const strict = dialect === 'sqlite' ? sql`strict` : sql``;

  await db.schema
    .createTable('agencies')
    .addColumn('id', t.text, (c) => c.primaryKey())
    .addColumn('city_code', t.text, (c) => c.notNull())
    .addColumn('district_code', t.text)
    .addColumn('department_id', t.text, (c) => c.references('departments.id'))
    .addColumn('name', t.text, (c) => c.notNull())
    .addColumn('uscc', t.text, (c) => c.notNull())
    .addColumn('service_types_json', t.text, (c) => c.notNull())
    .addColumn('approved_by', t.text, (c) => c.notNull())
    .addColumn('supervised_by', t.text)
    .addColumn('address', t.text)
    .addColumn('contact_name', t.text)
    .addColumn('contact_phone', t.text)
    .addColumn('engagements', t.integer, (c) => c.notNull())
    .addColumn('findings', t.integer, (c) => c.notNull())
    .addColumn('major_findings', t.integer, (c) => c.notNull())
    .addColumn('listed', t.integer, (c) => c.notNull())
    .addColumn('version', t.integer, (c) => c.notNull())
    .addColumn('created_by', t.text, (c) => c.references('users.id'))
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .modifyEnd(strict)
    .execute();
  await db.schema.createIndex('agencies_uscc_uq').unique().on('agencies').columns(['city_code', 'uscc']).execute();

  await db.schema
    .createTable('agency_qualifications')
    .addColumn('id', t.text, (c) => c.primaryKey())
    .addColumn('agency_id', t.text, (c) => c.notNull().references('agencies.id'))
    .addColumn('seq', t.integer, (c) => c.notNull())
    .addColumn('name', t.text, (c) => c.notNull())
    .addColumn('issuer', t.text, (c) => c.notNull())
    .addColumn('number', t.text, (c) => c.notNull())
    .addColumn('valid_from', t.text)
    .addColumn('expires_on', t.text, (c) => c.notNull())
    .modifyEnd(strict)
    .execute();
  await db.schema.createIndex('agency_qualifications_agency_idx').on('agency_qualifications').columns(['agency_id']).execute();
  await db.schema.createIndex('agency_qualifications_expiry_idx').on('agency_qualifications').columns(['expires_on']).execute();

  await db.schema
    .createTable('agency_staff')
    .addColumn('id', t.text, (c) => c.primaryKey())
    .addColumn('agency_id', t.text, (c) => c.notNull().references('agencies.id'))
    .addColumn('seq', t.integer, (c) => c.notNull())
    .addColumn('name', t.text, (c) => c.notNull())
    .addColumn('certificate', t.text, (c) => c.notNull())
    .addColumn('certificate_no', t.text, (c) => c.notNull())
    .addColumn('certificate_expires_on', t.text)
    .modifyEnd(strict)
    .execute();
  await db.schema.createIndex('agency_staff_agency_idx').on('agency_staff').columns(['agency_id']).execute();

  await db.schema
    .createTable('agency_listings')
    .addColumn('id', t.text, (c) => c.primaryKey())
    .addColumn('agency_id', t.text, (c) => c.notNull().references('agencies.id'))
    .addColumn('city_code', t.text, (c) => c.notNull())
    .addColumn('district_code', t.text)
    .addColumn('department_id', t.text, (c) => c.references('departments.id'))
    .addColumn('reason', t.text, (c) => c.notNull())
    .addColumn('listed_by', t.text, (c) => c.references('users.id'))
    .addColumn('listed_at', t.timestamp, (c) => c.notNull())
    .addColumn('lifted_by', t.text, (c) => c.references('users.id'))
    .addColumn('lifted_at', t.timestamp)
    .addColumn('lift_reason', t.text)
    .modifyEnd(strict)
    .execute();
  await db.schema.createIndex('agency_listings_agency_idx').on('agency_listings').columns(['agency_id']).execute();

  await db.schema
    .createTable('agency_records')
    .addColumn('id', t.text, (c) => c.primaryKey())
    .addColumn('agency_id', t.text, (c) => c.notNull().references('agencies.id'))
    .addColumn('kind', t.text, (c) => c.notNull().check(sql`kind in ('complaint', 'penalty')`))
    .addColumn('occurred_on', t.text, (c) => c.notNull())
    .addColumn('summary', t.text, (c) => c.notNull())
    .addColumn('district_code', t.text)
    .addColumn('enterprise_id', t.text, (c) => c.references('enterprises.id'))
    .addColumn('recorded_by', t.text, (c) => c.references('users.id'))
    .addColumn('recorded_at', t.timestamp, (c) => c.notNull())
    .modifyEnd(strict)
    .execute();
  await db.schema.createIndex('agency_records_agency_idx').on('agency_records').columns(['agency_id', 'occurred_on']).execute();

  await db.schema
    .createTable('agency_engagements')
    .addColumn('id', t.text, (c) => c.primaryKey())
    .addColumn('code', t.text, (c) => c.notNull())
    .addColumn('city_code', t.text, (c) => c.notNull())
    .addColumn('district_code', t.text, (c) => c.notNull())
    .addColumn('street_code', t.text)
    .addColumn('industry_code', t.text, (c) => c.notNull())
    .addColumn('enterprise_id', t.text, (c) => c.notNull().references('enterprises.id'))
    .addColumn('agency_id', t.text, (c) => c.notNull().references('agencies.id'))
    .addColumn('service_type', t.text, (c) => c.notNull())
    .addColumn('period_from', t.text, (c) => c.notNull())
    .addColumn('period_to', t.text, (c) => c.notNull())
    .addColumn('status', t.text, (c) => c.notNull().check(sql`status in ('in_service', 'concluded')`))
    .addColumn('concluded_on', t.text)
    .addColumn('conclusion', t.text)
    .addColumn('findings', t.integer, (c) => c.notNull())
    .addColumn('major_findings', t.integer, (c) => c.notNull())
    .addColumn('warnings_json', t.text)
    .addColumn('version', t.integer, (c) => c.notNull())
    .addColumn('created_by', t.text, (c) => c.references('users.id'))
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .modifyEnd(strict)
    .execute();
  await db.schema.createIndex('agency_engagements_code_uq').unique().on('agency_engagements').columns(['code']).execute();
  await db.schema.createIndex('agency_engagements_agency_idx').on('agency_engagements').columns(['agency_id', 'concluded_on']).execute();
  await db.schema.createIndex('agency_engagements_enterprise_idx').on('agency_engagements').columns(['enterprise_id']).execute();
  await db.schema.createIndex('agency_engagements_district_idx').on('agency_engagements').columns(['district_code', 'period_from']).execute();

  await db.schema
    .createTable('agency_engagement_files')
    .addColumn('engagement_id', t.text, (c) => c.notNull().references('agency_engagements.id'))
    .addColumn('file_id', t.text, (c) => c.notNull().references('files.id'))
    .addColumn('kind', t.text, (c) => c.notNull().check(sql`kind in ('contract', 'deliverable')`))
    .addColumn('added_at', t.timestamp, (c) => c.notNull())
    .addPrimaryKeyConstraint('agency_engagement_files_pk', ['engagement_id', 'file_id'])
    .modifyEnd(strict)
    .execute();
  await db.schema.createIndex('agency_engagement_files_file_idx').on('agency_engagement_files').columns(['file_id']).execute();
}
