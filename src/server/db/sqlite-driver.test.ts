import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { threadId } from 'node:worker_threads';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { aWriteIsWaiting, letWaitingWritesIn, openSqlite, whileBulkWriting } from './database';
import { batchQuery, writesWaiting, writesWaitingElsewhere, ZhibenSqliteDialect } from './sqlite-driver';

type T = { items: { id: number; who: string } };

function open(file: string, busyTimeoutMs?: number) {
  const sqlite = new SqliteDatabase(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('busy_timeout = 0');
  return new Kysely<T>({ dialect: new ZhibenSqliteDialect(sqlite, busyTimeoutMs) });
}

describe('SQLite driver with two connections on one file', () => {
  const handles: Kysely<T>[] = [];
  afterEach(async () => {
    for (const h of handles.splice(0)) await h.destroy();
  });
  async function pair(busyTimeoutMs?: number) {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'sqlite-driver-')), 'db.sqlite');
    const a = open(file, busyTimeoutMs);
    const b = open(file, busyTimeoutMs);
    handles.push(a, b);
    await sql`create table items (id integer primary key, who text not null)`.execute(a);
    return { a, b };
  }
  /** B holds the write lock (an open transaction) until `release` is called. */
  function holdWriteLock(b: Kysely<T>) {
    let release!: () => void;
    const released = new Promise<void>((r) => (release = r));
    let locked!: () => void;
    const isLocked = new Promise<void>((r) => (locked = r));
    const done = b.transaction().execute(async (trx) => {
      await trx.insertInto('items').values({ id: 1, who: 'b' }).execute();
      locked();
      await released;
    });
    return { isLocked, release, done };
  }

  it('a write waits for the other connection’s transaction without stopping the event loop, then succeeds', async () => {
    const { a, b } = await pair();
    const lock = holdWriteLock(b);
    await lock.isLocked;
    let ticks = 0;
    const timer = setInterval(() => ticks++, 5);
    const write = a.insertInto('items').values({ id: 2, who: 'a' }).execute();
    await new Promise((r) => setTimeout(r, 100));
    // The event loop kept running while the write waited.
    expect(ticks).toBeGreaterThan(5);
    // Readers are not held back at all (WAL): they see what was committed before B began.
    expect(await a.selectFrom('items').selectAll().execute()).toEqual([]);
    lock.release();
    await lock.done;
    await write;
    clearInterval(timer);
    expect(await a.selectFrom('items').select('who').orderBy('id').execute()).toEqual([{ who: 'b' }, { who: 'a' }]);
  });

  it('a bulk writer pausing between its transactions (letWaitingWritesIn) lets a waiting write in after the batch in progress, not after the job; nobody waiting, no pause', async () => {
    const { a, b } = await pair();
    // Nobody waiting: no pause (it goes on before a timer set now fires).
    expect(writesWaiting()).toBe(0);
    expect(await Promise.race([letWaitingWritesIn('sqlite').then(() => 'went on'), new Promise((r) => setTimeout(() => r('paused'), 0))])).toBe('went on');
    const order: string[] = [];
    let waitingSeen = -1;
    let firstHeld!: () => void;
    const holding = new Promise<void>((r) => (firstHeld = r));
    const bulk = (async () => {
      for (let i = 0; i < 6; i++) {
        if (i > 0) await letWaitingWritesIn('sqlite');
        await b.transaction().execute(async (trx) => {
          await trx.insertInto('items').values({ id: 100 + i, who: 'bulk' }).execute();
          if (i === 0) {
            firstHeld();
            // The write below is asked for meanwhile, and finds the database busy: it counts as waiting.
            await new Promise((r) => setTimeout(r, 30));
            waitingSeen = writesWaiting();
          } else {
            // A batch being written holds the lock (and the thread) for a while.
            for (const end = Date.now() + 15; Date.now() < end; );
          }
          order.push(`batch ${i}`);
        });
      }
    })();
    await holding;
    const write = a
      .insertInto('items')
      .values({ id: 1, who: 'write' })
      .execute()
      .then(() => order.push('write'));
    await Promise.all([bulk, write]);
    // Right after the batch it waited for (the first), or the one after at worst; never after all six.
    expect(order.indexOf('write')).toBeGreaterThan(0);
    expect(order.indexOf('write')).toBeLessThanOrEqual(2);
    expect(waitingSeen).toBe(1);
    expect(writesWaiting()).toBe(0);
    expect(await a.selectFrom('items').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).toEqual({ n: 7 });
  });

  it('a transaction that reads before it writes does not fail when the other connection wrote meanwhile (BEGIN IMMEDIATE)', async () => {
    const { a, b } = await pair();
    const lock = holdWriteLock(b);
    await lock.isLocked;
    const tx = a.transaction().execute(async (trx) => {
      const n = await trx.selectFrom('items').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      await trx.insertInto('items').values({ id: 3, who: `a saw ${n.n}` }).execute();
    });
    await new Promise((r) => setTimeout(r, 30));
    lock.release();
    await lock.done;
    await tx;
    // The transaction began after B committed, so it counted B's row.
    expect(await a.selectFrom('items').select('who').where('id', '=', 3).executeTakeFirst()).toEqual({ who: 'a saw 1' });
  });

  it('gives up with SQLITE_BUSY after the busy timeout', async () => {
    const { a, b } = await pair(50);
    const lock = holdWriteLock(b);
    await lock.isLocked;
    await expect(a.insertInto('items').values({ id: 4, who: 'a' }).execute()).rejects.toMatchObject({ code: expect.stringMatching(/^SQLITE_BUSY/) });
    lock.release();
    await lock.done;
  });

  it('a batch of rows is all or nothing, like one statement', async () => {
    const { a } = await pair();
    const insert = 'insert into items (id, who) values (?, ?)';
    await expect(a.executeQuery(batchQuery(insert, [[10, 'x'], [11, 'y'], [10, 'again']]))).rejects.toMatchObject({ code: 'SQLITE_CONSTRAINT_PRIMARYKEY' });
    expect(await a.selectFrom('items').selectAll().execute()).toEqual([]);
    const done = await a.executeQuery(batchQuery(insert, [[10, 'x'], [11, 'y']]));
    expect(done.numAffectedRows).toBe(2n);
    expect(await a.selectFrom('items').select('who').orderBy('id').execute()).toEqual([{ who: 'x' }, { who: 'y' }]);
  });

  it('a batch of objects binds each row from one reused parameter list (`params`), each row its own values', async () => {
    const { a } = await pair();
    const insert = 'insert into items (id, who) values (?, ?)';
    const list: unknown[] = [];
    const made: unknown[][] = [];
    const params = (r: { n: number; name: string }) => {
      list[0] = r.n;
      list[1] = r.name;
      made.push(list);
      return list;
    };
    const done = await a.executeQuery(batchQuery(insert, [{ n: 30, name: '甲' }, { n: 31, name: '乙' }, { n: 32, name: '丙' }], { params }));
    expect(done.numAffectedRows).toBe(3n);
    expect(made.length).toBe(3);
    expect(new Set(made).size).toBe(1);
    expect(await a.selectFrom('items').select(['id', 'who']).where('id', '>=', 30).orderBy('id').execute()).toEqual([
      { id: 30, who: '甲' },
      { id: 31, who: '乙' },
      { id: 32, who: '丙' },
    ]);
    // Still all or nothing.
    await expect(a.executeQuery(batchQuery(insert, [{ n: 33, name: 'x' }, { n: 30, name: 'again' }], { params }))).rejects.toMatchObject({ code: 'SQLITE_CONSTRAINT_PRIMARYKEY' });
    expect(await a.selectFrom('items').select('id').where('id', '=', 33).execute()).toEqual([]);
  });

  it('a batch in the caller’s transaction goes without a savepoint of its own: that transaction’s rollback undoes it; outside one it is refused', async () => {
    const { a } = await pair();
    const insert = 'insert into items (id, who) values (?, ?)';
    await expect(a.executeQuery(batchQuery(insert, [[20, 'x']], { inCallersTransaction: true }))).rejects.toThrow(/outside one/);
    expect(await a.selectFrom('items').selectAll().execute()).toEqual([]);
    let seen: unknown[] = [];
    await expect(
      a.transaction().execute(async (trx) => {
        await trx.executeQuery(batchQuery(insert, [[20, 'x'], [21, 'y'], [20, 'again']], { inCallersTransaction: true })).catch(async (err) => {
          // The rows before the failing one stand until the caller rolls back.
          seen = (await trx.selectFrom('items').select('id').orderBy('id').execute()).map((r) => r.id);
          throw err;
        });
      }),
    ).rejects.toMatchObject({ code: 'SQLITE_CONSTRAINT_PRIMARYKEY' });
    expect(seen).toEqual([20, 21]);
    expect(await a.selectFrom('items').selectAll().execute()).toEqual([]);
    await a.transaction().execute((trx) => trx.executeQuery(batchQuery(insert, [[20, 'x'], [21, 'y']], { inCallersTransaction: true })));
    expect(await a.selectFrom('items').select('who').orderBy('id').execute()).toEqual([{ who: 'x' }, { who: 'y' }]);
  });
});

describe('whileBulkWriting', () => {
  it('stops this connection’s checkpoints while another connection writes in bulk, and restores them after', async () => {
    const database = openSqlite(path.join(mkdtempSync(path.join(tmpdir(), 'sqlite-bulk-')), 'db.sqlite'));
    const pages = async () => Number(Object.values((await sql<Record<string, number>>`pragma wal_autocheckpoint`.execute(database.db)).rows[0])[0]);
    try {
      const before = await pages();
      expect(before).toBeGreaterThan(0);
      let inner = -1;
      let nested = -1;
      await whileBulkWriting(database.db, 'sqlite', async () => {
        inner = await pages();
        // Two bulk writers at once: checkpoints resume only when both are done.
        await whileBulkWriting(database.db, 'sqlite', async () => undefined);
        nested = await pages();
      });
      expect({ inner, nested, after: await pages() }).toEqual({ inner: 0, nested: 0, after: before });
      await expect(whileBulkWriting(database.db, 'sqlite', async () => Promise.reject(new Error('failed')))).rejects.toThrow('failed');
      expect(await pages()).toBe(before);
    } finally {
      await database.close();
    }
  });
});

describe('SQLite driver rows', () => {
  it('answers rows as objects with every column, the later of two same-named columns winning, and sees a column added since', async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'sqlite-rows-')), 'db.sqlite');
    const db = open(file);
    try {
      await sql`create table items (id integer primary key, who text not null)`.execute(db);
      await sql`insert into items (id, who) values (1, 'a'), (2, 'b')`.execute(db);
      const star = () => db.selectFrom('items').selectAll().orderBy('id').execute();
      expect(await star()).toEqual([
        { id: 1, who: 'a' },
        { id: 2, who: 'b' },
      ]);
      // Same-named columns: the last one, as better-sqlite3 answers them.
      expect((await sql<{ id: number }>`select id, id * 10 as id from items where id = 1`.execute(db)).rows).toEqual([{ id: 10 }]);
      // Names needing quotes are properties like any other.
      expect((await sql`select who as "a ""b"", c", 1 as "{}" from items where id = 2`.execute(db)).rows).toEqual([{ 'a "b", c': 'b', '{}': 1 }]);
      // A statement prepared before a schema change answers the new shape after it.
      await sql`alter table items add column note text`.execute(db);
      expect(await star()).toEqual([
        { id: 1, who: 'a', note: null },
        { id: 2, who: 'b', note: null },
      ]);
      // …and after another connection (a process migrating) changes it, with a comment before the DDL.
      const other = open(file);
      try {
        await sql`/* migration */ alter table items add column tag text`.execute(other);
      } finally {
        await other.destroy();
      }
      expect(await star()).toEqual([
        { id: 1, who: 'a', note: null, tag: null },
        { id: 2, who: 'b', note: null, tag: null },
      ]);
    } finally {
      await db.destroy();
    }
  });
});

describe('SQLite: a write waiting in another process', () => {
  it('is seen by a bulk writer of this process through its marker, and the marker goes when the write is done', async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'sqlite-waits-')), 'db.sqlite');
    const database = openSqlite(file);
    try {
      await sql`create table items (id integer primary key, who text not null)`.execute(database.db);
      expect(aWriteIsWaiting('sqlite', database.db)).toBe(false);
      let release!: () => void;
      const released = new Promise<void>((r) => (release = r));
      let locked!: () => void;
      const isLocked = new Promise<void>((r) => (locked = r));
      const holder = database.db.transaction().execute(async (trx) => {
        await sql`insert into items (who) values ('holder')`.execute(trx);
        locked();
        await released;
      });
      await isLocked;
      const child = spawn(process.execPath, ['--import', 'tsx', path.join(import.meta.dirname, 'waiting-write.fixture.ts'), file], { stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      child.stdout.on('data', (b: Buffer) => (out += b.toString()));
      child.stderr.on('data', (b: Buffer) => (out += b.toString()));
      const exited = new Promise<number | null>((r) => child.on('exit', r));
      try {
        // The child starts (tsx) and finds the database busy: its marker appears beside the file.
        await expect.poll(() => aWriteIsWaiting('sqlite', database.db), { timeout: 30_000, interval: 20 }).toBe(true);
        expect(readdirSync(`${file}-waits`)).toEqual([expect.stringMatching(new RegExp(`^${child.pid}\\.\\d+$`))]);
        // Not counted in this process: only the marker tells.
        expect(writesWaiting()).toBe(0);
        expect(aWriteIsWaiting('sqlite')).toBe(false);
      } finally {
        release();
        await holder;
      }
      expect(await exited).toBe(0);
      expect(out).toContain('written');
      expect(readdirSync(`${file}-waits`)).toEqual([]);
      expect(aWriteIsWaiting('sqlite', database.db)).toBe(false);
      expect((await sql<{ who: string }>`select who from items order by id`.execute(database.db)).rows.map((r) => r.who)).toEqual(['holder', 'other process']);
    } finally {
      await database.close();
    }
  });

  it('keeps one marker for a thread while any of its writes waits (two at once), and removes it after the last', async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'sqlite-waits-')), 'db.sqlite');
    const holderDb = open(file);
    const patient = open(file);
    const impatient = open(file, 150); // gives up after 150 ms
    try {
      await sql`create table items (id integer primary key, who text not null)`.execute(holderDb);
      let release!: () => void;
      const released = new Promise<void>((r) => (release = r));
      let locked!: () => void;
      const isLocked = new Promise<void>((r) => (locked = r));
      const holder = holderDb.transaction().execute(async (trx) => {
        await trx.insertInto('items').values({ id: 1, who: 'holder' }).execute();
        locked();
        await released;
      });
      await isLocked;
      const own = `${process.pid}.${threadId}`;
      const waits = patient.insertInto('items').values({ id: 2, who: 'patient' }).execute();
      const givesUp = impatient.insertInto('items').values({ id: 3, who: 'impatient' }).execute();
      await expect.poll(() => writesWaiting(), { timeout: 5_000, interval: 5 }).toBe(2);
      expect(readdirSync(`${file}-waits`)).toEqual([own]);
      // One gives up while the other still waits: the marker stays for the one still waiting.
      await expect(givesUp).rejects.toMatchObject({ code: expect.stringMatching(/^SQLITE_BUSY/) });
      expect(writesWaiting()).toBe(1);
      expect(readdirSync(`${file}-waits`)).toEqual([own]);
      release();
      await holder;
      await waits;
      expect(writesWaiting()).toBe(0);
      expect(readdirSync(`${file}-waits`)).toEqual([]);
    } finally {
      for (const h of [holderDb, patient, impatient]) await h.destroy();
    }
  });

  it('does not count a marker left by a process that has ended (and removes it), nor one of this process', () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'sqlite-waits-')), 'db.sqlite');
    const folder = `${file}-waits`;
    expect(writesWaitingElsewhere(file)).toBe(false); // no folder yet
    mkdirSync(folder);
    const ended = spawnSync(process.execPath, ['-e', '0']).pid;
    writeFileSync(path.join(folder, `${ended}.0`), '');
    writeFileSync(path.join(folder, `${process.pid}.0`), '');
    expect(writesWaitingElsewhere(file)).toBe(false);
    expect(existsSync(path.join(folder, `${ended}.0`))).toBe(false);
    // A live process of another pid counts.
    const live = spawn('sleep', ['30']);
    try {
      writeFileSync(path.join(folder, `${live.pid}.0`), '');
      expect(writesWaitingElsewhere(file)).toBe(true);
    } finally {
      live.kill();
    }
  });
});
