/**
 * 多实例: every server (or CLI) process sharing the database keeps a row in `instances` and moves
 * its heartbeat every `heartbeatMs`. Background jobs (import previews and commits, exports) name
 * the process that runs them (`holder`); a job whose holder is gone — stopped beating for three
 * beats, or never registered — was interrupted, and any live process marks it so. Nothing is
 * marked merely because another process started, so several processes can share one database.
 */
import { hostname } from 'node:os';
import { sql, type Kysely, type RawBuilder, type SqlBool } from 'kysely';
import type { DB } from '../db/schema';
import { PROCESS_HOLDER } from './schedule';

/** This process, as it signs the jobs it holds. */
export const INSTANCE_ID = PROCESS_HOLDER;

/** A holder silent for this many beats is gone. */
const BEATS_BEFORE_GONE = 3;

/** Which running jobs to mark: those of processes that are gone, or those of one process (itself, stopping). */
export type HeldBy = { gone: { alive: string[] } } | { holder: string };

/** The condition on a job table's `holder` column selecting the jobs `which` names. */
export function heldBy(which: HeldBy): RawBuilder<SqlBool> {
  if ('holder' in which) return sql<SqlBool>`holder = ${which.holder}`;
  const alive = which.gone.alive;
  return alive.length ? sql<SqlBool>`(holder is null or holder not in (${sql.join(alive)}))` : sql<SqlBool>`1 = 1`;
}

/** The processes whose heartbeat moved within the last three beats. */
export async function aliveInstances(db: Kysely<DB>, now: Date, heartbeatMs: number): Promise<string[]> {
  const since = new Date(now.getTime() - BEATS_BEFORE_GONE * heartbeatMs).toISOString();
  return (await db.selectFrom('instances').select('id').where('heartbeat_at', '>=', since).execute()).map((r) => r.id);
}

export interface Instance {
  id: string;
  /** Beats once now (the heartbeat, then `onBeat` with the processes alive). */
  beat(): Promise<void>;
  /** Stops beating and removes this process's row (the jobs it held must be settled first). */
  leave(): Promise<void>;
}

/**
 * Registers this process and beats every `heartbeatMs`: each beat moves its heartbeat, then calls
 * `onBeat` with the processes alive (to mark the jobs of the others as interrupted). The first
 * beat runs before this answers. Rows of processes gone for a day are removed.
 */
export async function joinInstances(
  db: Kysely<DB>,
  opts: { heartbeatMs: number; now?: () => Date; onBeat?: (alive: string[], now: Date) => Promise<unknown>; onError?: (err: unknown) => void; id?: string },
): Promise<Instance> {
  const id = opts.id ?? INSTANCE_ID;
  const clock = opts.now ?? (() => new Date());
  const at = clock().toISOString();
  await db
    .insertInto('instances')
    .values({ id, host: hostname().slice(0, 200), pid: process.pid, started_at: at, heartbeat_at: at })
    .onConflict((oc) => oc.column('id').doUpdateSet({ heartbeat_at: at }))
    .execute();
  let current: Promise<void> | null = null;
  const once = async () => {
    const now = clock();
    await db.updateTable('instances').set({ heartbeat_at: now.toISOString() }).where('id', '=', id).execute();
    const alive = await aliveInstances(db, now, opts.heartbeatMs);
    if (!alive.includes(id)) alive.push(id);
    await opts.onBeat?.(alive, now);
    await db.deleteFrom('instances').where('heartbeat_at', '<', new Date(now.getTime() - 86_400_000).toISOString()).execute();
  };
  const beat = () => {
    // One beat at a time: a slow beat is not overtaken by the next.
    current ??= once().finally(() => (current = null));
    return current;
  };
  await beat();
  // A tick while a beat is still running (a busy database) skips: the beat in progress reports its own failure once.
  const timer = setInterval(() => {
    if (!current) void beat().catch((err) => opts.onError?.(err));
  }, opts.heartbeatMs);
  timer.unref();
  return {
    id,
    beat,
    async leave() {
      clearInterval(timer);
      await current?.catch(() => undefined);
      await db.deleteFrom('instances').where('id', '=', id).execute();
    },
  };
}
