import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, openTestDatabase } from '../test/harness';
import { migrateToLatest } from '../db/migrate';
import { aliveInstances, joinInstances } from './instance';

describe.each(DIALECTS)('server processes sharing the database on %s', (dialect) => {
  let database: Awaited<ReturnType<typeof openTestDatabase>>;
  beforeAll(async () => {
    database = await openTestDatabase(dialect);
    await migrateToLatest(database);
  });
  afterAll(() => database?.drop());

  it('a process is alive while it beats, gone after three silent beats, and removed when it leaves; each beat hands the living to onBeat', async () => {
    let clock = Date.parse('2026-12-04T08:00:00Z');
    const now = () => new Date(clock);
    const seen: string[][] = [];
    // Long intervals: the beats here are driven by hand, with a clock of their own.
    const a = await joinInstances(database.db, { id: 'proc-a', heartbeatMs: 60_000, now, onBeat: async (alive) => void seen.push([...alive].sort()) });
    const b = await joinInstances(database.db, { id: 'proc-b', heartbeatMs: 60_000, now });
    expect(seen).toEqual([['proc-a']]);
    await a.beat();
    expect(seen.at(-1)).toEqual(['proc-a', 'proc-b']);

    // b falls silent: after two minutes it still counts, after three it is gone.
    clock += 120_000;
    await a.beat();
    expect(seen.at(-1)).toEqual(['proc-a', 'proc-b']);
    clock += 61_000;
    await a.beat();
    expect(seen.at(-1)).toEqual(['proc-a']);
    expect(await aliveInstances(database.db, now(), 60_000)).toEqual(['proc-a']);

    // It beats again: alive again.
    await b.beat();
    expect((await aliveInstances(database.db, now(), 60_000)).sort()).toEqual(['proc-a', 'proc-b']);

    await b.leave();
    await a.leave();
    expect(await database.db.selectFrom('instances').selectAll().execute()).toEqual([]);
  });
});
