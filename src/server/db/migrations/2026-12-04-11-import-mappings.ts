import { sql, type Kysely } from 'kysely';
import { columnTypes, type DialectName } from '../dialect';

/**
 * Imports that take the files offices keep:
 * - a job remembers how its file was read (format, encoding, sheet, header row, which column
 *   feeds which field and why) and the mapping the user chose in the preview;
 * - mappings are saved per organisation, found again by the file's header row.
 */
export async function up(db: Kysely<any>, dialect: DialectName): Promise<void> {
  const t = columnTypes(dialect);
  await db.schema.alterTable('import_jobs').addColumn('layout_json', t.text).execute();
  await db.schema.alterTable('import_jobs').addColumn('mapping_json', t.text).execute();
  await db.schema
    .createTable('import_mappings')
    .addColumn('id', t.text, (c) => c.primaryKey())
    .addColumn('city_code', t.text, (c) => c.notNull())
    // The organisation the mapping belongs to: region:<code>, department:<id> or enterprise:<id>.
    .addColumn('owner_key', t.text, (c) => c.notNull())
    .addColumn('kind', t.text, (c) => c.notNull().check(sql`kind in ('hazards', 'enterprises')`))
    // The header row's titles, normalised and joined: the same header finds the same mapping.
    .addColumn('signature', t.text, (c) => c.notNull())
    .addColumn('name', t.text, (c) => c.notNull())
    .addColumn('mapping_json', t.text, (c) => c.notNull())
    .addColumn('created_by', t.text, (c) => c.notNull().references('users.id'))
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .modifyEnd(dialect === 'sqlite' ? sql`strict` : sql``)
    .execute();
  await db.schema.createIndex('import_mappings_owner_uq').unique().on('import_mappings').columns(['city_code', 'owner_key', 'kind', 'signature']).execute();
}
