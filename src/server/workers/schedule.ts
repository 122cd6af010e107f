/**
 * Periodic jobs (the deadline digest, the export sweep, and every later schedule), run once per
 * period across all server processes that share the database: each process ticks on its own, and
 * the one that inserts the (job, period) row runs it; the others skip. A run whose process died
 * holds the period only until its lease expires; then the next tick anywhere takes it over. A run
 * that fails gives the period back, so the next tick tries again.
 */
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema';
import { recordJob } from '../ops/metrics';

/** This process, as it signs the runs it holds. */
export const PROCESS_HOLDER = `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;

export interface PeriodicJob {
  name: string;
  everyMs: number;
  /** How long a run may hold its period before another process may take it over (default: the period). */
  leaseMs?: number;
  run: (now: Date) => Promise<unknown>;
}

/** The period an instant falls in: its start, as ISO text. */
export const periodOf = (now: Date, everyMs: number) => new Date(Math.floor(now.getTime() / everyMs) * everyMs).toISOString();

/** Runs the job for the current period unless another process has (or holds it within its lease). */
export async function runOncePerPeriod(db: Kysely<DB>, job: PeriodicJob, now: Date, holder = PROCESS_HOLDER): Promise<'ran' | 'skipped'> {
  const period = periodOf(now, job.everyMs);
  const at = now.toISOString();
  const inserted = await db.insertInto('job_runs').values({ name: job.name, period, holder, started_at: at, finished_at: null }).onConflict((oc) => oc.columns(['name', 'period']).doNothing()).executeTakeFirst();
  let mine = Number(inserted.numInsertedOrUpdatedRows ?? 0) === 1;
  if (!mine) {
    const expiredBefore = new Date(now.getTime() - (job.leaseMs ?? job.everyMs)).toISOString();
    const taken = await db
      .updateTable('job_runs')
      .set({ holder, started_at: at })
      .where('name', '=', job.name)
      .where('period', '=', period)
      .where('finished_at', 'is', null)
      .where('started_at', '<', expiredBefore)
      .executeTakeFirst();
    mine = Number(taken.numUpdatedRows) === 1;
  }
  if (!mine) {
    recordJob(job.name, 'skipped', 0);
    return 'skipped';
  }
  const started = performance.now();
  const seconds = () => (performance.now() - started) / 1000;
  try {
    await job.run(now);
  } catch (err) {
    recordJob(job.name, 'failed', seconds());
    await db.deleteFrom('job_runs').where('name', '=', job.name).where('period', '=', period).where('holder', '=', holder).execute();
    throw err;
  }
  recordJob(job.name, 'ran', seconds());
  await db.updateTable('job_runs').set({ finished_at: new Date().toISOString() }).where('name', '=', job.name).where('period', '=', period).where('holder', '=', holder).execute();
  // Old periods are of no use once done: kept a week, for whoever looks.
  await db.deleteFrom('job_runs').where('name', '=', job.name).where('period', '<', periodOf(new Date(now.getTime() - 7 * 86_400_000), job.everyMs)).execute();
  return 'ran';
}

/**
 * Ticks every job now and then every `tickMs` (a minute by default); answers a stop function that
 * ends the ticking and waits for runs in progress (a stopping server lets them finish).
 */
export function startSchedules(db: Kysely<DB>, jobs: PeriodicJob[], now: () => Date, onError: (job: string, err: unknown) => void, tickMs = 60_000): () => Promise<void> {
  const running = new Set<Promise<unknown>>();
  const tick = () => {
    for (const job of jobs) {
      const run = runOncePerPeriod(db, job, now()).catch((err) => onError(job.name, err));
      running.add(run);
      void run.finally(() => running.delete(run));
    }
  };
  tick();
  const timer = setInterval(tick, tickMs);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await Promise.allSettled([...running]);
  };
}
