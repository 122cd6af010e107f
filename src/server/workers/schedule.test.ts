import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateToLatest } from '../db/migrate';
import { DIALECTS, openTestDatabase } from '../test/harness';
import { periodOf, runOncePerPeriod, type PeriodicJob } from './schedule';

const HOUR = 3_600_000;

describe.each(DIALECTS)('periodic jobs across processes on %s', (dialect) => {
  let database: Awaited<ReturnType<typeof openTestDatabase>>;
  beforeAll(async () => {
    database = await openTestDatabase(dialect);
    await migrateToLatest(database);
  });
  afterAll(() => database?.drop());

  const job = (name: string, runs: string[], opts: { fail?: boolean; slowMs?: number } = {}): PeriodicJob => ({
    name,
    everyMs: HOUR,
    run: async (now) => {
      if (opts.slowMs) await new Promise((r) => setTimeout(r, opts.slowMs));
      runs.push(periodOf(now, HOUR));
      if (opts.fail) throw new Error('boom');
    },
  });

  it('runs once per period whichever process ticks, and again in the next period', async () => {
    const runs: string[] = [];
    const j = job('digest-a', runs, { slowMs: 30 });
    const t = new Date('2026-12-04T09:10:00Z');
    // Four processes tick the same hour at once; then again later in the hour.
    const first = await Promise.all(['p1', 'p2', 'p3', 'p4'].map((p) => runOncePerPeriod(database.db, j, t, p)));
    expect(first.filter((r) => r === 'ran')).toHaveLength(1);
    expect(await runOncePerPeriod(database.db, j, new Date('2026-12-04T09:59:00Z'), 'p2')).toBe('skipped');
    expect(await runOncePerPeriod(database.db, j, new Date('2026-12-04T10:00:00Z'), 'p3')).toBe('ran');
    expect(runs).toEqual(['2026-12-04T09:00:00.000Z', '2026-12-04T10:00:00.000Z']);
    const rows = await database.db.selectFrom('job_runs').selectAll().where('name', '=', 'digest-a').orderBy('period').execute();
    expect(rows.map((r) => [r.period, r.finished_at !== null])).toEqual([
      ['2026-12-04T09:00:00.000Z', true],
      ['2026-12-04T10:00:00.000Z', true],
    ]);
  });

  it('a run whose process died holds its period only until the lease expires; a failed run gives it back', async () => {
    const runs: string[] = [];
    const j = { ...job('sweep-b', runs), leaseMs: 10 * 60_000 };
    // p1 took the period and died: the row stays unfinished.
    await database.db.insertInto('job_runs').values({ name: 'sweep-b', period: '2026-12-04T09:00:00.000Z', holder: 'p1', started_at: '2026-12-04T09:01:00.000Z', finished_at: null }).execute();
    expect(await runOncePerPeriod(database.db, j, new Date('2026-12-04T09:05:00Z'), 'p2')).toBe('skipped');
    expect(await runOncePerPeriod(database.db, j, new Date('2026-12-04T09:12:00Z'), 'p2')).toBe('ran');
    expect((await database.db.selectFrom('job_runs').select(['holder', 'finished_at']).where('name', '=', 'sweep-b').executeTakeFirstOrThrow()).holder).toBe('p2');

    const failing = job('fails-c', runs, { fail: true });
    await expect(runOncePerPeriod(database.db, failing, new Date('2026-12-04T09:20:00Z'), 'p1')).rejects.toThrow('boom');
    await expect(runOncePerPeriod(database.db, failing, new Date('2026-12-04T09:21:00Z'), 'p2')).rejects.toThrow('boom');
    expect(runs.filter((p) => p === '2026-12-04T09:00:00.000Z')).toHaveLength(3);
  });
});
