import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, openTestDatabase } from '../test/harness';
import { classifyDbError, columnTypes, insertMany, updateMany } from './dialect';
import type { DB } from './schema';

/** Values a ledger really holds, and the ones a bulk format has to escape. */
const TRICKY = [
  { id: 1, body: '普通文本：消防通道被货物堵塞', n: 0, at: '2025-05-31T16:00:00.000Z' },
  { id: 2, body: 'tab\there, newline\nthere, carriage\rreturn', n: -3, at: null },
  { id: 3, body: 'back\\slash, \\N literally, \\t literally', n: 42, at: '2024-02-29T00:00:00.000Z' },
  { id: 4, body: '', n: 7, at: '2026-11-29T23:59:59.999Z' },
  { id: 5, body: null, n: null, at: null },
  { id: 6, body: 'emoji 🚒 and "quotes" and \'apostrophes\', commas', n: 1, at: null },
];

describe.each(DIALECTS)('bulk insert on %s', (dialect) => {
  let database: Awaited<ReturnType<typeof openTestDatabase>>;
  let db: Kysely<DB>;
  beforeAll(async () => {
    database = await openTestDatabase(dialect);
    db = database.db;
    const t = columnTypes(dialect);
    await sql.raw(`create table bulk_probe (id integer primary key, body ${t.text}, n integer, at ${t.timestamp})`).execute(db);
    await sql.raw(`create table bulk_update (id integer primary key, body ${t.text}, n integer, at ${t.timestamp}, d ${t.date})`).execute(db);
    await sql.raw(`create table bulk_tally (k ${t.text} primary key, n integer not null)`).execute(db);
  });
  afterAll(() => database?.drop());

  const read = async () => (await sql<{ id: number; body: string | null; n: number | null; at: string | null }>`select id, body, n, at from bulk_probe order by id`.execute(db)).rows;

  it('writes every value back exactly: escapes, empty text, nulls, Chinese and emoji, timestamps', async () => {
    await insertMany(db, dialect, 'bulk_probe' as keyof DB & string, TRICKY);
    const rows = await read();
    expect(rows.map((r) => ({ ...r, at: r.at === null ? null : new Date(r.at).toISOString() }))).toEqual(TRICKY);
  });

  it('is one statement in the caller’s transaction: a failing row leaves nothing behind', async () => {
    const before = await read();
    const failed = await (
      db.transaction().execute(async (trx) => {
        await insertMany(trx, dialect, 'bulk_probe' as keyof DB & string, [{ id: 100, body: 'kept only if all is', n: 1, at: null }]);
        await insertMany(trx, dialect, 'bulk_probe' as keyof DB & string, [
          { id: 101, body: 'new', n: 1, at: null },
          { id: 1, body: 'duplicate key', n: 1, at: null },
        ]);
      })
    ).then(
      () => null,
      (err: unknown) => err,
    );
    // Recognised like any other statement's violation, so commands can answer with a clear code.
    expect(classifyDbError(failed)).toMatchObject({ kind: 'unique' });
    expect(await read()).toEqual(before);
  });

  it('`set` writes one value for every row over the rows’ own, without changing the rows given', async () => {
    const rows = [
      { id: 200, body: 'own text', n: 1, at: null },
      { id: 201, body: 'another', n: 2, at: '2025-05-31T16:00:00.000Z' },
      { id: 202, body: null, n: 3, at: null },
    ];
    const given = structuredClone(rows);
    await insertMany(db, dialect, 'bulk_probe' as keyof DB & string, rows, undefined, { set: { body: '-' } });
    expect(rows).toEqual(given);
    const back = (await read()).filter((r) => r.id >= 200);
    expect(back.map((r) => [r.id, r.body, r.n, r.at === null ? null : new Date(r.at).toISOString()])).toEqual([
      [200, '-', 1, null],
      [201, '-', 2, '2025-05-31T16:00:00.000Z'],
      [202, '-', 3, null],
    ]);
    // A column only `set` names is written too; with an upsert as well.
    await insertMany(db, dialect, 'bulk_tally' as keyof DB & string, [{ k: 'set-1' }, { k: 'set-2' }], { keys: ['k'], add: ['n'] }, { set: { n: 4 } });
    expect((await sql<{ k: string; n: number }>`select k, n from bulk_tally where k like 'set-%' order by k`.execute(db)).rows).toEqual([
      { k: 'set-1', n: 4 },
      { k: 'set-2', n: 4 },
    ]);
    await sql`delete from bulk_probe where id >= 200`.execute(db);
    await sql`delete from bulk_tally where k like 'set-%'`.execute(db);
  });

  it('adds counters on conflict (the tallies’ upsert)', async () => {
    await insertMany(db, dialect, 'bulk_tally' as keyof DB & string, [{ k: 'a', n: 2 }, { k: 'b', n: 1 }], { keys: ['k'], add: ['n'] });
    await insertMany(db, dialect, 'bulk_tally' as keyof DB & string, [{ k: 'a', n: -1 }, { k: 'c', n: 5 }], { keys: ['k'], add: ['n'] });
    expect((await sql<{ k: string; n: number }>`select k, n from bulk_tally order by k`.execute(db)).rows).toEqual([
      { k: 'a', n: 1 },
      { k: 'b', n: 1 },
      { k: 'c', n: 5 },
    ]);
  });

  it('adds counters on conflict inside a transaction too, twice in one (nothing of the first carried into the second)', async () => {
    await db.transaction().execute(async (trx) => {
      await insertMany(trx, dialect, 'bulk_tally' as keyof DB & string, [{ k: 'a', n: 10 }, { k: 'd', n: 1 }], { keys: ['k'], add: ['n'] });
      await insertMany(trx, dialect, 'bulk_tally' as keyof DB & string, [{ k: 'd', n: 2 }], { keys: ['k'], add: ['n'] });
    });
    await expect(
      db.transaction().execute(async (trx) => {
        await insertMany(trx, dialect, 'bulk_tally' as keyof DB & string, [{ k: 'e', n: 1 }], { keys: ['k'], add: ['n'] });
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    expect((await sql<{ k: string; n: number }>`select k, n from bulk_tally order by k`.execute(db)).rows).toEqual([
      { k: 'a', n: 11 },
      { k: 'b', n: 1 },
      { k: 'c', n: 5 },
      { k: 'd', n: 3 },
    ]);
  });

  it('updates many rows to values of their own in one statement, converting each to its column type, and leaves the others alone', async () => {
    const table = 'bulk_update' as keyof DB & string;
    await insertMany(db, dialect, table, [...TRICKY.map((r) => ({ ...r, d: '2024-01-01' })), { id: 7, body: 'untouched', n: 7, at: null, d: null }]);
    // Each row takes the values of another: every escape, null and type moves through the update.
    const next = TRICKY.map((r, i) => ({ ...TRICKY[TRICKY.length - 1 - i], id: r.id, d: i % 2 ? null : `2025-0${i + 1}-3${i % 2}` }));
    await db.transaction().execute((trx) => updateMany(trx, dialect, table, 'id', next));
    const rows = (await sql<{ id: number; body: string | null; n: number | null; at: string | null; d: string | null }>`select id, body, n, at, d from bulk_update order by id`.execute(db)).rows;
    const norm = (r: (typeof rows)[number]) => ({ ...r, at: r.at === null ? null : new Date(r.at).toISOString(), d: r.d === null ? null : String(r.d).slice(0, 10) });
    expect(rows.map(norm)).toEqual([...next, { id: 7, body: 'untouched', n: 7, at: null, d: null }]);
  });
});
