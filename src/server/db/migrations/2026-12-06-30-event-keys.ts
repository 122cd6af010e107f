import { sql, type Kysely } from 'kysely';
import type { DialectName } from '../dialect';

type AnyDb = Kysely<any>;

const EVENT_COLUMNS = ['hazard_id', 'seq', 'action', 'from_status', 'to_status', 'actor_id', 'actor_name', 'at', 'comment', 'data_json'];

/**
 * A hazard's events are keyed by (hazard, seq) — the key every reader already asks by — instead of a
 * random 36-character id of their own that nothing looked up. At 1M hazards (3.4M events) on SQLite
 * the id cost the table 126 MB, its primary-key index 175 MB and the separate unique (hazard_id, seq)
 * index 180 MB; the table is now WITHOUT ROWID on (hazard_id, seq), so one b-tree holds each event
 * once, a hazard's events side by side. An event's attachments point at that key. The API still
 * names each event (`<hazard id>:<seq>`, see hazards/repository.ts eventsFor).
 */
export async function up(db: AnyDb, dialect: DialectName): Promise<void> {
  if (dialect === 'postgres') {
    // In place, in the migration's transaction: the unique (hazard_id, seq) index becomes the primary key.
    const keyed = (await sql`select 1 from information_schema.columns where table_schema = current_schema() and table_name = 'hazard_events' and column_name = 'id'`.execute(db)).rows.length === 0;
    if (keyed) return;
    await sql`alter table hazard_event_files add column seq integer`.execute(db);
    await sql`update hazard_event_files f set seq = e.seq from hazard_events e where e.id = f.event_id`.execute(db);
    await sql`alter table hazard_event_files drop column event_id`.execute(db);
    await sql`alter table hazard_event_files alter column seq set not null`.execute(db);
    await sql`alter table hazard_events drop column id`.execute(db);
    await sql`alter table hazard_events add constraint hazard_events_pk primary key using index hazard_events_hazard_uq`.execute(db);
    await sql`alter table hazard_event_files add constraint hazard_event_files_pk primary key (hazard_id, seq, file_id)`.execute(db);
    await sql`alter table hazard_event_files add constraint hazard_event_files_event_fk foreign key (hazard_id, seq) references hazard_events (hazard_id, seq)`.execute(db);
    return;
  }
  // SQLite cannot change a table's key: both tables are rebuilt. Resumable (SQLite migrations run
  // outside a transaction): the old tables are set aside as *_v1 first, and a run cut short anywhere
  // later starts again from them; the foreign keys are checked once the copy is whole.
  const tables = async () => new Set((await sql<{ name: string }>`select name from sqlite_master where type = 'table'`.execute(db)).rows.map((r) => r.name));
  let have = await tables();
  const hasId = (await sql<{ name: string }>`select name from pragma_table_info('hazard_events')`.execute(db)).rows.some((r) => r.name === 'id');
  if (!have.has('hazard_events_v1') && !hasId) return; // already keyed (a finished run not yet recorded)
  await sql`pragma foreign_keys = off`.execute(db);
  try {
    if (!have.has('hazard_events_v1')) {
      for (const ix of ['hazard_events_spot_idx', 'hazard_events_transfer_idx', 'hazard_event_files_file_idx']) await sql`drop index if exists ${sql.ref(ix)}`.execute(db);
      await sql`alter table hazard_events rename to hazard_events_v1`.execute(db);
    }
    have = await tables();
    if (!have.has('hazard_event_files_v1')) await sql`alter table hazard_event_files rename to hazard_event_files_v1`.execute(db);
    await sql`drop table if exists hazard_event_files`.execute(db);
    await sql`drop table if exists hazard_events`.execute(db);
    await createEventTables(db);
    const cols = sql.join(EVENT_COLUMNS.map((c) => sql.ref(c)));
    // Read in key order (the old unique index) so the new b-tree is written front to back.
    await sql`insert into hazard_events (${cols}) select ${cols} from hazard_events_v1 indexed by hazard_events_hazard_uq order by hazard_id, seq`.execute(db);
    await sql`insert into hazard_event_files (hazard_id, seq, file_id) select e.hazard_id, e.seq, f.file_id from hazard_event_files_v1 f join hazard_events_v1 e on e.id = f.event_id order by 1, 2, 3`.execute(db);
    await createEventIndexes(db);
    await sql`drop table hazard_event_files_v1`.execute(db);
    await sql`drop table hazard_events_v1`.execute(db);
    const broken = (await sql`select * from pragma_foreign_key_check('hazard_event_files') limit 1`.execute(db)).rows.length;
    if (broken) throw new Error('hazard_event_files: an attachment points at no event after rekeying');
  } finally {
    await sql`pragma foreign_keys = on`.execute(db);
  }
}

async function createEventTables(db: AnyDb): Promise<void> {
  await sql`create table hazard_events (
    hazard_id text not null references hazards (id),
    seq integer not null,
    action text not null,
    from_status text,
    to_status text not null,
    actor_id text,
    actor_name text not null,
    at text not null,
    comment text,
    data_json text,
    constraint hazard_events_pk primary key (hazard_id, seq)
  ) without rowid, strict`.execute(db);
  await sql`create table hazard_event_files (
    hazard_id text not null references hazards (id),
    seq integer not null,
    file_id text not null references files (id),
    constraint hazard_event_files_pk primary key (hazard_id, seq, file_id),
    constraint hazard_event_files_event_fk foreign key (hazard_id, seq) references hazard_events (hazard_id, seq)
  ) without rowid, strict`.execute(db);
}

async function createEventIndexes(db: AnyDb): Promise<void> {
  // As migration 29 made them (worded as hazards/event-actions.ts asks); a name still held by a set-aside table is freed first.
  for (const ix of ['hazard_events_spot_idx', 'hazard_events_transfer_idx', 'hazard_event_files_file_idx']) await sql`drop index if exists ${sql.ref(ix)}`.execute(db);
  await sql`create index hazard_events_spot_idx on hazard_events (hazard_id, at) where action = 'fix_on_spot'`.execute(db);
  await sql`create index hazard_events_transfer_idx on hazard_events (at, hazard_id) where action = 'transfer'`.execute(db);
  await sql`create index hazard_event_files_file_idx on hazard_event_files (file_id, hazard_id)`.execute(db);
}
