/**
 * Widening a CHECK list (a new role, a new hazard source) on a table too large or too referenced to
 * rebuild. SQLite: the table's stored definition is edited in place — the documented way to change a
 * constraint that every existing row still meets (sqlite.org/lang_altertable.html, "making other
 * kinds of table schema changes"), with the handle's defensive mode off for the edit and a quick
 * check after it. PostgreSQL: the old constraint is dropped and the wider one added. Runs again
 * safely (SQLite's migrations run outside a transaction): an edit already made is recognised.
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from './database';
import type { DialectName } from './dialect';

export interface CheckWidening {
  table: string;
  column: string;
  /** The list's tail as stored (SQLite), e.g. `'transfer', 'other')`, and the tail it becomes. */
  before: string;
  after: string;
  /** Every value of the wider list, for PostgreSQL's new constraint. */
  values: readonly string[];
  /** A value only the old constraint names, to find it on PostgreSQL. */
  marker: string;
}

export async function widenCheck(db: Kysely<any>, dialect: DialectName, database: Pick<Database, 'unsafeSchema'>, w: CheckWidening): Promise<void> {
  if (dialect === 'postgres') {
    const { rows } = await sql<{ conname: string }>`select conname from pg_constraint where conrelid = ${w.table}::regclass and contype = 'c' and pg_get_constraintdef(oid) like ${`%${w.marker}%`}`.execute(db);
    for (const r of rows) await sql`alter table ${sql.table(w.table)} drop constraint ${sql.id(r.conname)}`.execute(db);
    const list = sql.join(w.values.map((v) => sql.lit(v)));
    await sql`alter table ${sql.table(w.table)} add constraint ${sql.id(`${w.table}_${w.column}_check`)} check (${sql.ref(w.column)} in (${list}))`.execute(db);
    return;
  }
  if (!database.unsafeSchema) throw new Error('the SQLite handle cannot edit a table definition');
  database.unsafeSchema(true);
  try {
    const { rows } = await sql<{ schema_version: number }>`pragma schema_version`.execute(db);
    await sql`pragma writable_schema = ON`.execute(db);
    const r = await sql`update sqlite_schema set sql = replace(sql, ${w.before}, ${w.after}) where type = 'table' and name = ${w.table} and instr(sql, ${w.before}) > 0`.execute(db);
    const done = await sql<{ n: number }>`select count(*) as n from sqlite_schema where type = 'table' and name = ${w.table} and instr(sql, ${w.after}) > 0`.execute(db);
    if (Number(r.numAffectedRows) !== 1 && Number(done.rows[0].n) !== 1) throw new Error(`${w.table}: the ${w.column} CHECK list was not found as expected`);
    if (Number(r.numAffectedRows) === 1) await sql.raw(`pragma schema_version = ${Number(rows[0].schema_version) + 1}`).execute(db);
    await sql`pragma writable_schema = OFF`.execute(db);
  } finally {
    database.unsafeSchema(false);
  }
  const check = await sql<{ quick_check: string }>`pragma quick_check(${sql.raw(w.table)})`.execute(db);
  if (check.rows[0]?.quick_check !== 'ok') throw new Error(`${w.table}: the database is not sound after widening the ${w.column} list (${JSON.stringify(check.rows)})`);
}
