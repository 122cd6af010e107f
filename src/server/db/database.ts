import { mkdirSync } from 'node:fs';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { CompiledQuery, Kysely, sql } from 'kysely';
import pg from 'pg';
import { hazardSearchTokens } from '../text/terms';
import type { DialectName } from './dialect';
import { OwnSchemaPostgresDialect } from './pg-introspector';
import { withCopy } from './pg-copy';
import { BUSY_RETRY_MAX_MS, writesWaiting, writesWaitingElsewhere, ZhibenSqliteDialect } from './sqlite-driver';
import type { DB } from './schema';

export interface Database {
  db: Kysely<DB>;
  dialect: DialectName;
  /** Where the data lives, for logs (file path or URL without password). */
  location: string;
  close(): Promise<void>;
  /** Connections by state, read when metrics are scraped. */
  poolStats?(): PoolStats;
  /** SQLite only: lets a migration edit a table's definition in place (a CHECK list widened), see migrations/2026-12-05-21-tips.ts. */
  unsafeSchema?(on: boolean): void;
}

/** A handle's connections by state. SQLite has one: idle or not, and the queries and transactions waiting for it. */
export interface PoolStats {
  total: number;
  idle: number;
  waiting: number;
}

// Both dialects hand the same JS types to repositories: int8 and numeric as numbers,
// timestamps as ISO-8601 UTC strings, dates as 'YYYY-MM-DD'.
pg.types.setTypeParser(20, (v) => Number(v));
pg.types.setTypeParser(1700, (v) => Number(v));
pg.types.setTypeParser(1184, (v) => new Date(v).toISOString());
pg.types.setTypeParser(1114, (v) => new Date(`${v}Z`).toISOString());
pg.types.setTypeParser(1082, (v) => v);

/** How another thread opens the same database (an import commit runs in a worker with its own connection). */
export type Connection = { dialect: 'sqlite'; file: string } | { dialect: 'postgres'; url: string };
const connections = new WeakMap<Kysely<DB>, Connection>();
/** The connection a database handle was opened with; none for an in-memory SQLite database or a transaction. */
export const connectionOf = (db: Kysely<DB>): Connection | undefined => connections.get(db);

export function reopen(c: Connection, opts: { poolSize?: number; cacheMb?: number } = {}): Database {
  return c.dialect === 'sqlite' ? openSqlite(c.file, opts.cacheMb) : openPostgres(c.url, opts.poolSize);
}

/** WAL pages (4 kB) after which a committing connection copies the log back into the database. */
const AUTOCHECKPOINT_PAGES = 16384;
const bulkWriters = new WeakMap<Kysely<DB>, number>();

/**
 * Runs `fn` while another connection of this process (a worker's) writes in bulk. On SQLite this
 * connection stops checkpointing meanwhile: a checkpoint runs inside a commit, synchronously, and
 * one over a log the bulk writer has grown would stop this thread (the server's) for hundreds of
 * milliseconds. The bulk writer's own connection checkpoints as it goes.
 */
export async function whileBulkWriting<T>(db: Kysely<DB>, dialect: DialectName, fn: () => Promise<T>): Promise<T> {
  if (dialect !== 'sqlite') return fn();
  const n = bulkWriters.get(db) ?? 0;
  bulkWriters.set(db, n + 1);
  if (n === 0) await sql`pragma wal_autocheckpoint = 0`.execute(db);
  try {
    return await fn();
  } finally {
    const left = (bulkWriters.get(db) ?? 1) - 1;
    bulkWriters.set(db, left);
    // Only a closed database can refuse a pragma.
    if (left === 0) await sql.raw(`pragma wal_autocheckpoint = ${AUTOCHECKPOINT_PAGES}`).execute(db).catch(() => undefined);
  }
}

/** How long a bulk writer on SQLite leaves the write lock free for a waiting write (`letWaitingWritesIn`). */
const WRITE_TURN_MS = BUSY_RETRY_MAX_MS + 10;

/**
 * Between two of a bulk writer's transactions, on SQLite: when a write of this process (the
 * server's thread or another worker) is waiting for the lock, a pause long enough for it to take
 * the lock (the driver tries again at least every BUSY_RETRY_MAX_MS), so the next batch waits for
 * that write instead. Without it, a writer that began its next batch at once could keep the lock
 * from batch to batch while the waiting write kept missing the moment between: behind an import's
 * 5,000-row batches a write waited up to 2.7 s, several batches. Nobody waiting, no pause. Given
 * the bulk writer's database (`db`), a write waiting in another process on the same file counts
 * too (its marker, sqlite-driver.ts `writesWaitingElsewhere`).
 * PostgreSQL: nothing to wait for (row locks).
 */
export async function letWaitingWritesIn(dialect: DialectName, db?: Kysely<DB>): Promise<void> {
  if (aWriteIsWaiting(dialect, db)) await new Promise((resolve) => setTimeout(resolve, WRITE_TURN_MS));
}

/**
 * Whether a write waits for SQLite's write lock now — of this process, or, given the bulk writer's
 * database (`db`, opened from a file), of another process on the same file (several server
 * processes under `WORKERS`, the command line): a bulk writer taking its transaction's rows in
 * parts ends the transaction after the part in hand, so the write waits for one part, not the
 * whole batch. Measured behind a 100k import, compiled server, a small write every 250 ms: with two
 * processes, writes waited p50 1.4 s, max 1.6 s (a 20,000-row batch) before markers were read across
 * processes, p50 0.21–0.23 s, max 0.38 s after — as with one process (p50 0.23 s, max 0.40 s). The
 * commit takes ~1 s longer while writes keep coming (more, shorter transactions), as with one.
 * PostgreSQL: never (row locks).
 */
export function aWriteIsWaiting(dialect: DialectName, db?: Kysely<DB>): boolean {
  if (dialect !== 'sqlite') return false;
  if (writesWaiting() > 0) return true;
  const c = db && connectionOf(db);
  return c?.dialect === 'sqlite' && writesWaitingElsewhere(c.file);
}

export function openSqlite(file: string, cacheMb = 64): Database {
  if (file !== ':memory:') mkdirSync(path.dirname(file), { recursive: true });
  const sqlite = new SqliteDatabase(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  // Waiting for another connection's write lock is done by the driver, without blocking the thread.
  sqlite.pragma('busy_timeout = 0');
  sqlite.pragma(`cache_size = -${cacheMb * 1024}`);
  sqlite.pragma('temp_store = MEMORY');
  sqlite.pragma(`wal_autocheckpoint = ${AUTOCHECKPOINT_PAGES}`);
  registerSqliteFunctions(sqlite);
  const dialect = new ZhibenSqliteDialect(sqlite);
  const db = new Kysely<DB>({ dialect });
  if (file !== ':memory:') connections.set(db, { dialect: 'sqlite', file: path.resolve(file) });
  return {
    db,
    dialect: 'sqlite',
    location: file,
    close: () => db.destroy(),
    poolStats: () => dialect.poolStats(),
    unsafeSchema: (on) => void sqlite.unsafeMode(on),
  };
}

/**
 * Functions the schema's triggers call (every connection that writes must have them): the hazard
 * search index derives a hazard's tokens from its row and its enterprise's name (migration 31).
 */
function registerSqliteFunctions(sqlite: SqliteDatabase.Database): void {
  sqlite.function('zb_hazard_tokens', { deterministic: true }, (code, description, location, enterpriseName, districtCode) =>
    hazardSearchTokens({ code: String(code ?? ''), description: String(description ?? ''), location: String(location ?? ''), enterpriseName: String(enterpriseName ?? ''), district_code: String(districtCode ?? '') }),
  );
}

/** Memory a sort or bitmap of one statement may use before spilling, in kB: at least this much. */
export const MIN_WORK_MEM_KB = 32 * 1024;

/**
 * How every PostgreSQL connection plans:
 * - No parallel plans: starting workers costs more than the index ranges our reads are (the
 *   cockpit's city view at 1M hazards: 47–93 ms with, 11–25 ms without; one of its statements
 *   spent 75 ms gathering 0.5 ms of work).
 * - work_mem at least 32 MB (PostgreSQL's default is 4 MB; a larger one set by the operator stays):
 *   a text search in a district ANDs the search index's matches with the district's rows, and at
 *   4 MB the district's bitmap (226k hazards of 1M) turns lossy, so every row of those pages is
 *   re-tokenised — a two-character search took 156 ms (16 MB or more: 45 ms), a common term 590 ms
 *   (180 ms), and a search matching the whole district 8.3 s (0.3 s).
 */
const SESSION_SETTINGS = [
  'set max_parallel_workers_per_gather = 0',
  `select set_config('work_mem', greatest(setting::bigint, ${MIN_WORK_MEM_KB}) || 'kB', false) from pg_settings where name = 'work_mem'`,
];

export function openPostgres(url: string, poolSize = 10): Database {
  const pool = withCopy(new pg.Pool({ connectionString: url, max: poolSize }));
  const db = new Kysely<DB>({
    dialect: new OwnSchemaPostgresDialect({
      pool,
      // Before the first statement of each new connection, one at a time (one refused leaves the
      // other); a server that refused them would only plan as before, so their failure is not the caller's.
      onCreateConnection: async (connection) => {
        for (const setting of SESSION_SETTINGS) await connection.executeQuery(CompiledQuery.raw(setting)).catch(() => undefined);
      },
    }),
  });
  connections.set(db, { dialect: 'postgres', url });
  return {
    db,
    dialect: 'postgres',
    location: url.replace(/:\/\/([^:@/]+):[^@/]*@/, '://$1:***@'),
    close: () => db.destroy(),
    poolStats: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }),
  };
}

export function openDatabase(opts: { databaseUrl?: string; dataDir: string }): Database {
  return opts.databaseUrl ? openPostgres(opts.databaseUrl) : openSqlite(path.join(opts.dataDir, 'zhiben.db'));
}

export async function pingDatabase(db: Kysely<DB>): Promise<void> {
  await sql`select 1`.execute(db);
}

/**
 * What an administrator should know about the database at start-up. PostgreSQL: a linguistic
 * collation (e.g. zh_CN.UTF-8) makes every text index and sort compare by locale rules — imports,
 * the ledger and its indexes all slow down several-fold; Zhiben's codes and ids need byte order.
 */
export async function databaseWarnings(database: Pick<Database, 'db' | 'dialect'>): Promise<string[]> {
  if (database.dialect !== 'postgres') return [];
  const { rows } = await sql<{ collate: string }>`select datcollate as collate from pg_database where datname = current_database()`.execute(database.db);
  const warning = collationWarning(rows[0]?.collate ?? '');
  return warning ? [warning] : [];
}

/** A warning for a database collation other than byte order (C, POSIX, C.UTF-8), or null. */
export function collationWarning(collate: string): string | null {
  if (/^(c|posix)(\.utf-?8)?$/i.test(collate)) return null;
  return (
    `注意：数据库排序规则为 ${collate}，建议使用 C.UTF-8（见 README），否则导入、台账查询和索引维护会明显变慢。` +
    ` Warning: the database collation is ${collate}; create it with C.UTF-8 (see the README) — a linguistic collation makes imports, ledger queries and index upkeep several times slower.`
  );
}
