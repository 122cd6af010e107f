import { sql, type Kysely } from 'kysely';
import type { DialectName } from '../dialect';

type AnyDb = Kysely<any>;

const EVENT_COLUMNS = ['hazard_num', 'seq', 'action', 'from_status', 'to_status', 'actor_id', 'actor_name', 'at', 'comment', 'data_json'];
const EVENT_INDEXES = ['hazard_events_spot_idx', 'hazard_events_transfer_idx', 'hazard_event_files_file_idx'];

/**
 * A hazard event's instant (`hazard_events.at`) is stored as milliseconds since the Unix epoch,
 * an integer, on both databases (`db/instants.ts`). On SQLite it was ISO-8601 text, 24 bytes an
 * event (3.4 events a hazard in the bench's ledger, and again in the fix-on-spot and transfer
 * indexes), where the integer takes 6; PostgreSQL's timestamptz took 8 and its bigint takes 8 — it
 * changes there only so that both answer the same thing and every reader reads it one way. Issue 23, goal 3.
 *
 * SQLite cannot change a column's type: the event tables are rebuilt as migration 35 did — the old
 * ones set aside as *_v3 first, so a run cut short anywhere later starts again from them; an instant
 * SQLite cannot read stops the migration with the old tables in place. PostgreSQL: one ALTER, in
 * the migration's transaction (its indexes on the column are rebuilt with it).
 */
export async function up(db: AnyDb, dialect: DialectName): Promise<void> {
  if (dialect === 'postgres') {
    await sql`alter table hazard_events alter column at type bigint using round(extract(epoch from at) * 1000)::bigint`.execute(db);
    return;
  }
  const tables = async () => new Set((await sql<{ name: string }>`select name from sqlite_master where type = 'table'`.execute(db)).rows.map((r) => r.name));
  const atType = async () => (await sql<{ type: string }>`select type from pragma_table_info('hazard_events') where name = 'at'`.execute(db)).rows[0]?.type.toLowerCase();
  let have = await tables();
  if (!have.has('hazard_events_v3') && (await atType()) === 'integer') return; // already rebuilt
  await sql`pragma foreign_keys = off`.execute(db);
  try {
    if (!have.has('hazard_events_v3')) {
      for (const ix of EVENT_INDEXES) await sql`drop index if exists ${sql.ref(ix)}`.execute(db);
      await sql`alter table hazard_events rename to hazard_events_v3`.execute(db);
    }
    have = await tables();
    if (!have.has('hazard_event_files_v3')) await sql`alter table hazard_event_files rename to hazard_event_files_v3`.execute(db);
    await sql`drop table if exists hazard_event_files`.execute(db);
    await sql`drop table if exists hazard_events`.execute(db);
    await createEventTables(db);
    await copyEvents(db);
    await createEventIndexes(db);
    // Checked while the old tables are still there to start again from.
    for (const t of ['hazard_events', 'hazard_event_files']) {
      const broken = (await sql`select * from pragma_foreign_key_check(${t}) limit 1`.execute(db)).rows.length;
      if (broken) throw new Error(`${t}: a row points at no hazard or event after the rebuild`);
    }
    // Both at once: a run stopped between the two would set the new attachments aside as the old.
    await db.transaction().execute(async (trx) => {
      await sql`drop table hazard_event_files_v3`.execute(trx);
      await sql`drop table hazard_events_v3`.execute(trx);
    });
  } finally {
    await sql`pragma foreign_keys = on`.execute(db);
  }
}

async function copyEvents(db: AnyDb): Promise<void> {
  // ISO-8601 text as the API wrote it (with or without milliseconds, 'Z' or an offset) → whole milliseconds.
  const unreadable = (await sql<{ n: number; example: string | null }>`select count(*) as n, min(at) as example from hazard_events_v3 where unixepoch(at, 'subsec') is null`.execute(db)).rows[0];
  if (Number(unreadable.n)) throw new Error(`hazard_events: ${unreadable.n} events have an instant that is not ISO-8601 (e.g. ${JSON.stringify(unreadable.example)}); nothing was changed`);
  const cols = sql.join(EVENT_COLUMNS.map((c) => sql.ref(c)));
  const from = sql.join(EVENT_COLUMNS.map((c) => (c === 'at' ? sql`cast(round(unixepoch(at, 'subsec') * 1000) as integer)` : sql.ref(c))));
  // In key order, so the new b-tree is written front to back.
  await sql`insert into hazard_events (${cols}) select ${from} from hazard_events_v3 order by hazard_num, seq`.execute(db);
  await sql`insert into hazard_event_files (hazard_num, seq, file_id) select hazard_num, seq, file_id from hazard_event_files_v3 order by 1, 2, 3`.execute(db);
  for (const [old, now] of [['hazard_events_v3', 'hazard_events'], ['hazard_event_files_v3', 'hazard_event_files']]) {
    const [before, after] = await Promise.all([old, now].map(async (t) => Number((await sql<{ n: number }>`select count(*) as n from ${sql.table(t)}`.execute(db)).rows[0].n)));
    if (before !== after) throw new Error(`${now}: ${before} rows before the rebuild, ${after} after`);
  }
}

// The tables as migration 35 made them, with the instant as an integer: written out here rather
// than shared with it (a landed migration is a snapshot; neither may follow the other's later edits).
async function createEventTables(db: AnyDb): Promise<void> {
  await sql`create table hazard_events (
    hazard_num integer not null references hazards (num),
    seq integer not null,
    action text not null,
    from_status text,
    to_status text not null,
    actor_id text,
    actor_name text not null,
    at integer not null,
    comment text,
    data_json text,
    constraint hazard_events_pk primary key (hazard_num, seq)
  ) without rowid, strict`.execute(db);
  await sql`create table hazard_event_files (
    hazard_num integer not null references hazards (num),
    seq integer not null,
    file_id text not null references files (id),
    constraint hazard_event_files_pk primary key (hazard_num, seq, file_id),
    constraint hazard_event_files_event_fk foreign key (hazard_num, seq) references hazard_events (hazard_num, seq)
  ) without rowid, strict`.execute(db);
}

async function createEventIndexes(db: AnyDb): Promise<void> {
  for (const ix of EVENT_INDEXES) await sql`drop index if exists ${sql.ref(ix)}`.execute(db);
  await sql`create index hazard_events_spot_idx on hazard_events (hazard_num, at) where action = 'fix_on_spot'`.execute(db);
  await sql`create index hazard_events_transfer_idx on hazard_events (at, hazard_num) where action = 'transfer'`.execute(db);
  await sql`create index hazard_event_files_file_idx on hazard_event_files (file_id, hazard_num)`.execute(db);
}
