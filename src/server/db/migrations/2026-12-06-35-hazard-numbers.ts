import { sql, type Kysely } from 'kysely';
import { columnTypes, type DialectName } from '../dialect';

type AnyDb = Kysely<any>;

const EVENT_COLUMNS = ['seq', 'action', 'from_status', 'to_status', 'actor_id', 'actor_name', 'at', 'comment', 'data_json'];
const EVENT_INDEXES = ['hazard_events_spot_idx', 'hazard_events_transfer_idx', 'hazard_event_files_file_idx'];

/**
 * Every hazard gets a number (`hazards.num`, unique, given by the writer — `db/hazard-numbers.ts`),
 * and its events and their attachments are keyed by (hazard number, seq) instead of the hazard's
 * 36-character id: the id was stored in every event (3.4 events a hazard in the bench's ledger) and in
 * the fix-on-spot index, ~37 bytes each, where the number takes 1–4. Existing rows are numbered in
 * their stored order (SQLite: the rowid; PostgreSQL: as the table is rewritten); the API is unchanged
 * (an event is still named `<hazard id>:<seq>`). An event's from_status, which repeats the status
 * the event before ended in, is kept only where it says something else (null otherwise; read back
 * through `modules/hazards/event-chain.ts`). Issue 23, goal 3.
 *
 * SQLite runs migrations outside a transaction: the number is added in one transaction, and the
 * event tables are rebuilt as migration 30 did — the old ones set aside as *_v2 first, so a run cut
 * short anywhere later starts again from them; the foreign keys are checked once the copy is whole.
 * PostgreSQL: in the migration's transaction; the tables are rebuilt too (a dropped column keeps its
 * bytes there until the table is rewritten).
 */
export async function up(db: AnyDb, dialect: DialectName): Promise<void> {
  if (dialect === 'postgres') return upPostgres(db);
  const columns = async (table: string) => new Set((await sql<{ name: string }>`select name from pragma_table_info(${table})`.execute(db)).rows.map((r) => r.name));
  if (!(await columns('hazards')).has('num')) {
    await db.transaction().execute(async (trx) => {
      // SQLite adds a NOT NULL column only with a default; every writer gives the number (a forgotten
      // one would write 0 and meet the unique index at the second row).
      await sql`alter table hazards add column num integer not null default 0`.execute(trx);
      await sql`update hazards set num = rowid`.execute(trx);
      await sql`create unique index hazards_num_uq on hazards (num)`.execute(trx);
    });
  }
  const tables = async () => new Set((await sql<{ name: string }>`select name from sqlite_master where type = 'table'`.execute(db)).rows.map((r) => r.name));
  let have = await tables();
  if (!have.has('hazard_events_v2') && (await columns('hazard_events')).has('hazard_num')) return; // already rebuilt
  await sql`pragma foreign_keys = off`.execute(db);
  try {
    if (!have.has('hazard_events_v2')) {
      for (const ix of EVENT_INDEXES) await sql`drop index if exists ${sql.ref(ix)}`.execute(db);
      await sql`alter table hazard_events rename to hazard_events_v2`.execute(db);
    }
    have = await tables();
    if (!have.has('hazard_event_files_v2')) await sql`alter table hazard_event_files rename to hazard_event_files_v2`.execute(db);
    await sql`drop table if exists hazard_event_files`.execute(db);
    await sql`drop table if exists hazard_events`.execute(db);
    await createEventTables(db, 'sqlite');
    await copyEvents(db);
    await createEventIndexes(db);
    // Checked while the old tables are still there to start again from.
    for (const t of ['hazard_events', 'hazard_event_files']) {
      const broken = (await sql`select * from pragma_foreign_key_check(${t}) limit 1`.execute(db)).rows.length;
      if (broken) throw new Error(`${t}: a row points at no hazard or event after renumbering`);
    }
    // Both at once: a run stopped between the two would set the new attachments aside as the old.
    await db.transaction().execute(async (trx) => {
      await sql`drop table hazard_event_files_v2`.execute(trx);
      await sql`drop table hazard_events_v2`.execute(trx);
    });
  } finally {
    await sql`pragma foreign_keys = on`.execute(db);
  }
}

async function upPostgres(db: AnyDb): Promise<void> {
  // A volatile default makes PostgreSQL rewrite the table once, numbering the rows as it goes (an
  // UPDATE would leave every row and index entry twice over until a vacuum); writers give the number.
  await sql`create sequence hazards_num_seq as integer`.execute(db);
  await sql`alter table hazards add column num integer not null default nextval('hazards_num_seq')`.execute(db);
  await sql`alter table hazards alter column num drop default`.execute(db);
  await sql`alter sequence hazards_num_seq owned by hazards.num`.execute(db);
  await sql`create unique index hazards_num_uq on hazards (num)`.execute(db);
  // Constraint and index names are the schema's: the old tables give theirs up before the new are made.
  for (const ix of EVENT_INDEXES) await sql`drop index if exists ${sql.ref(ix)}`.execute(db);
  await sql`alter table hazard_event_files drop constraint hazard_event_files_event_fk`.execute(db);
  await sql`alter table hazard_event_files drop constraint hazard_event_files_pk`.execute(db);
  await sql`alter table hazard_events drop constraint hazard_events_pk`.execute(db);
  await sql`alter table hazard_events rename to hazard_events_v2`.execute(db);
  await sql`alter table hazard_event_files rename to hazard_event_files_v2`.execute(db);
  await createEventTables(db, 'postgres');
  await copyEvents(db);
  await createEventIndexes(db);
  await sql`drop table hazard_event_files_v2`.execute(db);
  await sql`drop table hazard_events_v2`.execute(db);
}

/**
 * An event's from_status as the chain rule keeps it (modules/hazards/event-chain.ts, as landed here):
 * null where it is the previous event's to_status, '' for no status after the first event.
 */
const FROM_IN_CHAIN = sql`case
    when e.from_status is null then (case when e.seq > 1 then '' end)
    when e.from_status = lag(e.to_status) over (partition by e.hazard_id order by e.seq) then null
    else e.from_status end`;

async function copyEvents(db: AnyDb): Promise<void> {
  const cols = sql.join(EVENT_COLUMNS.map((c) => sql.ref(c)));
  const from = sql.join(EVENT_COLUMNS.map((c) => (c === 'from_status' ? FROM_IN_CHAIN : sql.ref(`e.${c}`))));
  // In key order, so the new b-tree is written front to back.
  await sql`insert into hazard_events (hazard_num, ${cols}) select h.num, ${from} from hazard_events_v2 e join hazards h on h.id = e.hazard_id order by h.num, e.seq`.execute(db);
  await sql`insert into hazard_event_files (hazard_num, seq, file_id) select h.num, f.seq, f.file_id from hazard_event_files_v2 f join hazards h on h.id = f.hazard_id order by 1, 2, 3`.execute(db);
  const [before, after] = await Promise.all(
    ['hazard_events_v2', 'hazard_events'].map(async (t) => Number((await sql<{ n: number }>`select count(*) as n from ${sql.table(t)}`.execute(db)).rows[0].n)),
  );
  if (before !== after) throw new Error(`hazard_events: ${before} events before renumbering, ${after} after (an event whose hazard is missing)`);
}

// The tables as migration 30 made them, on the number: written out here rather than shared with it
// (a landed migration is a snapshot; neither may follow the other's later edits).
async function createEventTables(db: AnyDb, dialect: DialectName): Promise<void> {
  const tail = sql.raw(dialect === 'sqlite' ? ' without rowid, strict' : '');
  const timestamp = sql.raw(columnTypes(dialect).timestamp);
  await sql`create table hazard_events (
    hazard_num integer not null references hazards (num),
    seq integer not null,
    action text not null,
    from_status text,
    to_status text not null,
    actor_id text,
    actor_name text not null,
    at ${timestamp} not null,
    comment text,
    data_json text,
    constraint hazard_events_pk primary key (hazard_num, seq)
  )${tail}`.execute(db);
  await sql`create table hazard_event_files (
    hazard_num integer not null references hazards (num),
    seq integer not null,
    file_id text not null references files (id),
    constraint hazard_event_files_pk primary key (hazard_num, seq, file_id),
    constraint hazard_event_files_event_fk foreign key (hazard_num, seq) references hazard_events (hazard_num, seq)
  )${tail}`.execute(db);
}

async function createEventIndexes(db: AnyDb): Promise<void> {
  // As migration 29 made them (worded as hazards/event-actions.ts asks), on the number.
  for (const ix of EVENT_INDEXES) await sql`drop index if exists ${sql.ref(ix)}`.execute(db);
  await sql`create index hazard_events_spot_idx on hazard_events (hazard_num, at) where action = 'fix_on_spot'`.execute(db);
  await sql`create index hazard_events_transfer_idx on hazard_events (at, hazard_num) where action = 'transfer'`.execute(db);
  await sql`create index hazard_event_files_file_idx on hazard_event_files (file_id, hazard_num)`.execute(db);
}
