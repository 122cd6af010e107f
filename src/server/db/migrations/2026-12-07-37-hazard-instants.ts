import { sql, type Kysely } from 'kysely';
import type { DialectName } from '../dialect';

type AnyDb = Kysely<any>;

const INSTANTS = ['found_at', 'closed_at', 'created_at', 'updated_at'] as const;
/**
 * The columns in the table's order, kept in the new table (`num` last, where migration 35 added it): a
 * server process still running when another migrates maps a `select *` row it prepared before by the
 * columns' positions, and would read every column under its neighbour's name were they reordered.
 */
const COLUMNS = [
  'id', 'code', 'city_code', 'district_code', 'street_code', 'enterprise_id', 'industry_code', 'department_id', 'description', 'location', 'lng', 'lat',
  'category', 'grade', 'source', 'found_by_name', 'found_at', 'reported_by', 'deadline', 'responsible_name', 'responsible_phone', 'plan_json', 'supervision_level',
  'status', 'version', 'closed_at', 'search_tokens', 'created_at', 'updated_at', 'submitted_by', 'first_accepted_by', 'num',
];

/**
 * A hazard's instants — `found_at`, `closed_at`, `created_at`, `updated_at` — are stored as
 * milliseconds since the Unix epoch, an integer, on both databases (`db/instants.ts`), as its events'
 * have been since migration 36. On SQLite each was ISO-8601 text, 24 bytes, in the row and again in
 * every index holding it (found_at in four, closed_at in two) — about 170 bytes a hazard — where the
 * integer takes 6. PostgreSQL's timestamptz took 8 and its bigint takes 8: it changes there so that
 * both answer the same thing and every reader reads it one way. Issue 23, goal 3.
 *
 * SQLite cannot change a column's type, so the table is rebuilt, and in the rebuild the hazard's
 * number becomes the table's rowid (`num integer primary key`): the number was already equal to the
 * rowid (migration 35 numbered rows by it; both are taken after the table's largest), and so its
 * unique index (~16 bytes a hazard) goes, and a join from an event to its hazard reads the row
 * straight from the table. The id keeps its unique index (the other tables' foreign keys point at it).
 *
 * The copy goes into `hazards_next`; then, in one transaction, the old table goes and the new one
 * takes its name, its indexes and triggers as the database had them (read from its schema, so later
 * changes to them are kept; the number's index excepted). A run cut short before that transaction
 * commits leaves the old table whole, and the next run copies again. An instant SQLite cannot read
 * stops the migration before anything is copied, naming an example. Should any row's number differ
 * from its rowid, the search index (which knows hazards by rowid) is made again from the rows.
 */
export async function up(db: AnyDb, dialect: DialectName): Promise<void> {
  if (dialect === 'postgres') {
    const using = (c: string) => sql`alter column ${sql.ref(c)} type bigint using round(extract(epoch from ${sql.ref(c)}) * 1000)::bigint`;
    await sql`alter table hazards ${sql.join(INSTANTS.map(using))}`.execute(db);
    return;
  }
  const type = (await sql<{ type: string }>`select type from pragma_table_info('hazards') where name = 'found_at'`.execute(db)).rows[0]?.type.toLowerCase();
  if (type === 'integer') {
    await sql`drop table if exists hazards_next`.execute(db);
    return; // already rebuilt
  }
  for (const c of INSTANTS) {
    const bad = (await sql<{ n: number; example: string | null }>`select count(*) as n, min(${sql.ref(c)}) as example from hazards where ${sql.ref(c)} is not null and unixepoch(${sql.ref(c)}, 'subsec') is null`.execute(db)).rows[0];
    if (Number(bad.n)) throw new Error(`hazards.${c}: ${bad.n} hazards have an instant that is not ISO-8601 (e.g. ${JSON.stringify(bad.example)}); nothing was changed`);
  }
  const renumber = Number((await sql<{ n: number }>`select count(*) as n from hazards where num <> rowid`.execute(db)).rows[0].n) > 0;
  await sql`pragma foreign_keys = off`.execute(db);
  try {
    await sql`drop table if exists hazards_next`.execute(db);
    await createTable(db);
    const cols = sql.join(COLUMNS.map((c) => sql.ref(c)));
    const from = sql.join(COLUMNS.map((c) => ((INSTANTS as readonly string[]).includes(c) ? sql`cast(round(unixepoch(${sql.ref(c)}, 'subsec') * 1000) as integer)` : sql.ref(c))));
    // In the number's order, so the new b-tree is written front to back.
    await sql`insert into hazards_next (${cols}) select ${from} from hazards order by num`.execute(db);
    const [before, after] = await Promise.all(['hazards', 'hazards_next'].map(async (t) => Number((await sql<{ n: number }>`select count(*) as n from ${sql.table(t)}`.execute(db)).rows[0].n)));
    if (before !== after) throw new Error(`hazards: ${before} rows before the rebuild, ${after} after`);
    await db.transaction().execute(async (trx) => {
      const kept = (await sql<{ sql: string }>`select sql from sqlite_master where tbl_name = 'hazards' and type in ('index', 'trigger') and sql is not null and name <> 'hazards_num_uq' order by type, name`.execute(trx)).rows;
      await sql`drop table hazards`.execute(trx);
      await sql`alter table hazards_next rename to hazards`.execute(trx);
      for (const k of kept) await sql.raw(k.sql).execute(trx);
      if (renumber) {
        await sql`delete from hazards_fts`.execute(trx);
        await sql`insert into hazards_fts (rowid, search_tokens) select h.num, zb_hazard_tokens(h.code, h.description, h.location, e.name, h.district_code) from hazards h join enterprises e on e.id = h.enterprise_id`.execute(trx);
      }
      const broken = (await sql`select * from pragma_foreign_key_check('hazards') limit 1`.execute(trx)).rows.length;
      if (broken) throw new Error('hazards: a row points at nothing after the rebuild');
    });
  } finally {
    await sql`pragma foreign_keys = on`.execute(db);
  }
}

// The table as migrations 02 and 35 left it, with the instants as integers and the number as the
// rowid: written out here (a landed migration is a snapshot).
async function createTable(db: AnyDb): Promise<void> {
  await sql`create table hazards_next (
    id text not null unique,
    code text not null,
    city_code text not null,
    district_code text not null references regions (code),
    street_code text references regions (code),
    enterprise_id text not null references enterprises (id),
    industry_code text not null,
    department_id text references departments (id),
    description text not null,
    location text not null,
    lng real,
    lat real,
    category text,
    grade text not null check (grade in ('general', 'major')),
    source text not null check (source in ('self_check', 'routine_inspection', 'enforcement_inspection', 'expert_inspection', 'tip', 'third_party', 'accident_investigation', 'transfer', 'other', 'system')),
    found_by_name text not null,
    found_at integer not null,
    reported_by text references users (id),
    deadline text,
    responsible_name text,
    responsible_phone text,
    plan_json text,
    supervision_level text not null check (supervision_level in ('none', 'district', 'city')),
    status text not null check (status in ('reported', 'rectifying', 'pending_acceptance', 'closed', 'voided')),
    version integer not null,
    closed_at integer,
    search_tokens text not null,
    created_at integer not null,
    updated_at integer not null,
    submitted_by text,
    first_accepted_by text,
    num integer primary key not null
  ) strict`.execute(db);
}
