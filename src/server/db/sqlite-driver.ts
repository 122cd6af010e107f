/**
 * Kysely's SQLite driver, with changes for a database that more than one connection writes (the
 * server and an import commit's worker thread, or the command line), and for bulk writes:
 *
 * - Transactions begin IMMEDIATE, taking the write lock at the start. A deferred transaction that
 *   read first would fail with SQLITE_BUSY_SNAPSHOT on its first write if another connection wrote
 *   in between.
 * - A busy database is waited for asynchronously. SQLite's own busy timeout sleeps inside the call,
 *   and better-sqlite3 calls are synchronous: the whole server would stop answering while another
 *   connection held the write lock. Here a statement outside a transaction (including the BEGIN)
 *   that finds the database busy is retried after a short timer, up to `busyTimeoutMs`; inside a
 *   transaction, which already holds the write lock, it cannot be busy. While it waits, other
 *   queries of this handle go ahead: a waiting write does not hold the server's readers back.
 * - Prepared statements are kept and reused (better-sqlite3 would parse each query anew), and rows
 *   are read as arrays and made into objects by a function built once per statement: better-sqlite3
 *   builds each row object property by property, which cost a third of reading a ledger page.
 * - A `BatchQuery` runs one statement for many parameter lists in one call, all or nothing.
 */
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { threadId } from 'node:worker_threads';
import type SqliteDatabase from 'better-sqlite3';
import { CompiledQuery, SqliteDialect, type DatabaseConnection, type Driver, type QueryResult } from 'kysely';

/**
 * A statement run once for each row of a batch, in one call (bulk writes): with better-sqlite3 a
 * prepared single-row statement per row is faster than any multi-row form. A row is its parameter
 * list, or `params` makes the list from it just before it runs — one array may serve every row
 * (better-sqlite3 binds a copy of each value), so a batch of objects costs no array per row.
 */
export interface BatchQuery<T = readonly unknown[]> extends CompiledQuery {
  readonly batch: readonly T[];
  readonly params?: (row: T) => readonly unknown[];
  /** Run in the caller's open transaction without a savepoint of its own (see `batchQuery`). */
  readonly inCallersTransaction?: boolean;
}
/**
 * `inCallersTransaction`: the caller holds a transaction that a failure rolls back whole, so the
 * batch runs in it without the savepoint that otherwise makes it all or nothing — a failure part-way
 * leaves the rows before it until that rollback. Inside a savepoint, each single-row statement that
 * needs a statement journal (a table with triggers, like hazards) journals every page it touches
 * anew, in memory (temp_store = MEMORY): 5,000 hazards a batch took 1.4–4 s, growing batch after
 * batch, against 0.2 s without the savepoint.
 */
export function batchQuery(sqlText: string, batch: readonly (readonly unknown[])[], opts?: { inCallersTransaction?: boolean }): BatchQuery;
export function batchQuery<T>(sqlText: string, batch: readonly T[], opts: { params: (row: T) => readonly unknown[]; inCallersTransaction?: boolean }): BatchQuery<T>;
export function batchQuery<T>(sqlText: string, batch: readonly T[], opts: { params?: (row: T) => readonly unknown[]; inCallersTransaction?: boolean } = {}): BatchQuery<T> {
  return { ...CompiledQuery.raw(sqlText, []), batch, ...opts };
}
/** The one connection's state, as the metrics read it (database.ts `PoolStats`). */
type ConnectionState = { total: number; idle: number; waiting: number };

interface Prepared {
  stmt: SqliteDatabase.Statement;
  /** For a statement that answers rows: makes one row object from its array of column values. */
  row: ((values: unknown[]) => unknown) | null;
  /** The columns `row` was made for. */
  width: number;
}

// After any leading comments.
const DDL = /^\s*(?:(?:--[^\n]*\n|\/\*[\s\S]*?\*\/)\s*)*(create|alter|drop)\s/i;

/**
 * Reads the statement's rows as arrays, and answers the function that makes an object of one row —
 * the columns as properties in order, a later column of the same name winning, as better-sqlite3
 * itself does. Built from the statement's column names (JSON-quoted) once.
 */
function rowMaker(stmt: SqliteDatabase.Statement): (values: unknown[]) => unknown {
  const names = stmt.columns().map((c) => c.name);
  stmt.raw(true);
  // eslint-disable-next-line @typescript-eslint/no-implied-eval
  return new Function('v', `return {${names.map((n, i) => `${JSON.stringify(n)}: v[${i}]`).join(', ')}};`) as (values: unknown[]) => unknown;
}

const isBatch = (q: CompiledQuery): q is BatchQuery<unknown> => Array.isArray((q as Partial<BatchQuery<unknown>>).batch);

function made(stmt: SqliteDatabase.Statement): Prepared {
  // (A column named __proto__ would set the prototype in an object literal: left to better-sqlite3.)
  if (!stmt.reader || stmt.columns().some((c) => c.name === '__proto__')) return { stmt, row: null, width: 0 };
  return { stmt, row: rowMaker(stmt), width: stmt.columns().length };
}

/** Prepared statements kept for reuse (better-sqlite3 would parse each query anew). */
const STATEMENT_CACHE = 500;

const isBusy = (err: unknown) => typeof err === 'object' && err !== null && /^SQLITE_BUSY/.test(String((err as { code?: unknown }).code));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** The longest a write that found the database busy sleeps before trying again (the first tries come sooner). */
export const BUSY_RETRY_MAX_MS = 20;

/**
 * How many writes of this process are waiting for another connection's write lock, across its
 * threads: the server shares the counter with its workers (`shareWaitingWrites`), so a bulk writer
 * in a worker knows to let a request's write in between two batches (database.ts `letWaitingWritesIn`).
 */
let waitingWrites = new Int32Array(new SharedArrayBuffer(4));
/** The counter to hand a worker thread. */
export const waitingWritesCounter = (): SharedArrayBuffer => waitingWrites.buffer as SharedArrayBuffer;
/** In a worker thread: count with the thread that started it. */
export function shareWaitingWrites(counter: SharedArrayBuffer): void {
  waitingWrites = new Int32Array(counter);
}
/** Writes of this process waiting for the write lock now. */
export const writesWaiting = (): number => Atomics.load(waitingWrites, 0);

/**
 * Writes waiting in *other* processes (several server processes, `WORKERS`; the command line) cannot
 * share that counter, so a thread with a write waiting on a database file also leaves a marker file
 * beside it: `<file>-waits/<pid>.<thread>`, made when the thread's first write starts waiting and
 * removed when its last stops (only under contention: a write that finds the lock free makes none).
 * A bulk writer reads the folder between its parts (`writesWaitingElsewhere`).
 */
const markerCounts = new Map<string, number>();
const waitsFolder = (file: string) => `${path.resolve(file)}-waits`;
function markWaiting(file: string): void {
  const marker = path.join(waitsFolder(file), `${process.pid}.${threadId}`);
  const n = markerCounts.get(marker) ?? 0;
  markerCounts.set(marker, n + 1);
  if (n > 0) return;
  try {
    mkdirSync(waitsFolder(file), { recursive: true });
    writeFileSync(marker, '');
  } catch {
    // Without a marker another process's bulk writer does not know to let this write in sooner; it
    // still gets its turn between two batches.
  }
}
function unmarkWaiting(file: string): void {
  const marker = path.join(waitsFolder(file), `${process.pid}.${threadId}`);
  const n = (markerCounts.get(marker) ?? 1) - 1;
  if (n > 0) return void markerCounts.set(marker, n);
  markerCounts.delete(marker);
  removeMarker(marker);
}
/** A marker that cannot be removed (a folder made read-only) is left: it must never fail a write. */
function removeMarker(marker: string): void {
  try {
    rmSync(marker, { force: true });
  } catch {
    // left behind: counted as a write waiting while its process lives, ignored after
  }
}

/**
 * Whether a write of another process waits for the write lock on `file` now (its marker is there).
 * A marker whose process has ended (killed while it waited) is removed and not counted.
 */
export function writesWaitingElsewhere(file: string): boolean {
  let names: string[];
  try {
    names = readdirSync(waitsFolder(file));
  } catch {
    return false; // no folder: nobody has waited on this file yet
  }
  let waiting = false;
  for (const name of names) {
    const pid = Number(name.split('.')[0]);
    if (pid === process.pid) continue; // this process's own writes are counted by `writesWaiting`
    if (processAlive(pid)) waiting = true;
    else removeMarker(path.join(waitsFolder(file), name));
  }
  return waiting;
}

/** Whether process `pid` runs on this machine (EPERM: it does, as another user). */
export function processAlive(pid: number): boolean {
  if (!Number.isSafeInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** SQLite has one connection per handle: a mutex hands it to one query or transaction at a time. */
class Mutex {
  private held: Promise<void> | null = null;
  private release: (() => void) | null = null;
  /** Callers waiting for the lock, for the pool metrics. */
  waiting = 0;
  get busy() {
    return this.held !== null;
  }
  async lock() {
    this.waiting += 1;
    while (this.held) await this.held;
    this.waiting -= 1;
    this.held = new Promise((resolve) => (this.release = resolve));
  }
  unlock() {
    const release = this.release;
    this.held = null;
    this.release = null;
    release?.();
  }
}

class Connection implements DatabaseConnection {
  constructor(
    private readonly db: SqliteDatabase.Database,
    private readonly busyTimeoutMs: number,
    private readonly mutex: Mutex,
  ) {}

  private readonly statements = new Map<string, Prepared>();

  private prepare(text: string): Prepared {
    let p = this.statements.get(text);
    if (p) {
      // Most recently used last, so the oldest goes first when the cache is full.
      this.statements.delete(text);
    } else {
      p = made(this.db.prepare(text));
      if (this.statements.size >= STATEMENT_CACHE) this.statements.delete(this.statements.keys().next().value!);
    }
    this.statements.set(text, p);
    return p;
  }

  private run<R>(compiled: CompiledQuery): QueryResult<R> {
    const p = this.prepare(compiled.sql);
    const { stmt, row } = p;
    if (isBatch(compiled)) {
      const { batch, params } = compiled;
      const all = () => {
        let n = 0;
        for (const r of batch) n += stmt.run((params ? params(r) : r) as unknown[]).changes;
        return n;
      };
      if (compiled.inCallersTransaction && !this.db.inTransaction) throw new Error('a batch meant for the caller’s transaction was run outside one');
      // All or nothing, like one statement (a savepoint inside an open transaction), unless the caller's transaction is.
      const changes = compiled.inCallersTransaction ? all() : this.db.transaction(all).immediate();
      return { numAffectedRows: BigInt(changes), rows: [] };
    }
    const parameters = compiled.parameters as unknown[];
    if (row) {
      const values = stmt.all(parameters) as unknown[][];
      // Another connection (a process migrating) changed the schema: SQLite re-prepared the
      // statement by itself, and its columns may be others now.
      if (values.length && values[0].length !== p.width) {
        const again = made(stmt);
        this.statements.set(compiled.sql, again);
        return { rows: values.map(again.row!) as R[] };
      }
      return { rows: values.map(row) as R[] };
    }
    if (stmt.reader) return { rows: stmt.all(parameters) as R[] };
    // A schema change may change what `select *` answers: statements are prepared afresh after one.
    if (DDL.test(compiled.sql)) this.statements.clear();
    const { changes, lastInsertRowid } = stmt.run(parameters);
    return { numAffectedRows: BigInt(changes), insertId: BigInt(lastInsertRowid), rows: [] };
  }

  async executeQuery<R>(compiled: CompiledQuery): Promise<QueryResult<R>> {
    const started = Date.now();
    let counted = false;
    try {
      for (let delay = 1; ; delay = Math.min(delay * 2, BUSY_RETRY_MAX_MS)) {
        try {
          return this.run<R>(compiled);
        } catch (err) {
          if (!isBusy(err) || this.db.inTransaction || Date.now() - started >= this.busyTimeoutMs) throw err;
        }
        if (!counted) {
          Atomics.add(waitingWrites, 0, 1);
          if (!this.db.memory) markWaiting(this.db.name);
        }
        counted = true;
        // Outside a transaction the connection holds nothing: let other queries (readers) use it meanwhile.
        this.mutex.unlock();
        await sleep(delay);
        await this.mutex.lock();
      }
    } finally {
      if (counted) {
        Atomics.sub(waitingWrites, 0, 1);
        if (!this.db.memory) unmarkWaiting(this.db.name);
      }
    }
  }

  // eslint-disable-next-line require-yield
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('streaming queries are not used with SQLite');
  }
}

class ZhibenSqliteDriver implements Driver {
  private readonly mutex = new Mutex();
  private readonly connection: Connection;
  constructor(private readonly db: SqliteDatabase.Database, busyTimeoutMs: number) {
    this.connection = new Connection(db, busyTimeoutMs, this.mutex);
  }
  async init() {}
  async acquireConnection() {
    await this.mutex.lock();
    return this.connection;
  }
  async beginTransaction(c: DatabaseConnection) {
    await c.executeQuery(CompiledQuery.raw('begin immediate'));
  }
  async commitTransaction(c: DatabaseConnection) {
    await c.executeQuery(CompiledQuery.raw('commit'));
  }
  async rollbackTransaction(c: DatabaseConnection) {
    await c.executeQuery(CompiledQuery.raw('rollback'));
  }
  async releaseConnection() {
    this.mutex.unlock();
  }
  poolStats(): ConnectionState {
    return { total: 1, idle: this.mutex.busy ? 0 : 1, waiting: this.mutex.waiting };
  }
  async destroy() {
    this.db.close();
  }
}

export class ZhibenSqliteDialect extends SqliteDialect {
  constructor(
    private readonly sqlite: SqliteDatabase.Database,
    private readonly busyTimeoutMs = 10_000,
  ) {
    super({ database: sqlite });
  }
  private driver: ZhibenSqliteDriver | null = null;
  override createDriver(): Driver {
    this.driver = new ZhibenSqliteDriver(this.sqlite, this.busyTimeoutMs);
    return this.driver;
  }
  /** The one connection's state (Kysely makes the driver when the database is opened). */
  poolStats(): ConnectionState {
    return this.driver?.poolStats() ?? { total: 1, idle: 1, waiting: 0 };
  }
}
