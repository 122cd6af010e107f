/**
 * Background work in a worker thread with its own database connection (import previews and
 * commits, exports), so the server's thread stays free for requests: on SQLite a long statement
 * of better-sqlite3 runs synchronously, and on either database a long loop of row building would
 * hold the event loop. A worker's memory is its own, bounded, and returned when it ends.
 *
 * Main side: `startWorker` boots the entry (TypeScript, like the server), hands it the actor's
 * context as plain data (`workerCtxData`) and relays its messages. Worker side: `workerMain`
 * rebuilds the context on a connection of its own and runs the job.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { parentPort, Worker, workerData, type MessagePort } from 'node:worker_threads';
import type { Config } from '../config';
import { systemCtx, type ActorCtx } from '../context';
import { connectionOf, reopen, type Connection } from '../db/database';
import { shareWaitingWrites, waitingWritesCounter } from '../db/sqlite-driver';
import type { Actor } from '../scope/scope';

/** The caller's context as plain data, for the worker to rebuild it. */
export interface WorkerCtxData {
  connection: Connection;
  config: Config;
  actor: Actor;
  requestId: string | null;
  ip: string | null;
  /** The caller's clock minus the real one (tests run on a set clock). */
  clockOffsetMs: number;
  /** The process's count of writes waiting for SQLite's write lock (sqlite-driver.ts), shared. */
  waitingWrites: SharedArrayBuffer;
}

/** A worker's failure, as text (errors lose their class and fields crossing threads). */
export type WorkerFailure = { error: string };

/**
 * A worker's heap. The young generation is larger than V8's default (batches allocate many
 * short-lived rows, and scavenges dominate otherwise); the old one is bounded, so what a batch
 * leaves behind is collected rather than piled up (a batch's live rows are tens of megabytes).
 */
const WORKER_LIMITS = { maxYoungGenerationSizeMb: 48, maxOldGenerationSizeMb: 256 };

/**
 * The caller's context for a worker. A worker opens the same database anew, so it needs one opened
 * from a file or URL (not in memory), and cannot join an open transaction.
 */
export function workerCtxData(ctx: ActorCtx): WorkerCtxData {
  const connection = connectionOf(ctx.db);
  if (!connection || ctx.inTransaction) throw new Error('background jobs need a database opened from a file or URL, outside a transaction');
  return {
    connection,
    config: ctx.config,
    actor: ctx.actor,
    requestId: ctx.requestId,
    ip: ctx.ip,
    clockOffsetMs: ctx.now().getTime() - Date.now(),
    waitingWrites: waitingWritesCounter(),
  };
}

/**
 * The worker runs the same kind of code as this thread. From TypeScript source (tsx, vitest), it
 * registers tsx's loader first (Node 20 does not apply `--import` hooks to a worker's own entry).
 * In the compiled server it runs the worker's own bundle and needs no loader (`compiledEntry`).
 */
function boot(entry: URL): string {
  if (COMPILED) return `import(${JSON.stringify(compiledEntry(entry).href)});`;
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm/api').replace(/\.cjs$/, '.mjs')).href;
  return `import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(entry.href)}); });`;
}

/** Whether this module runs compiled (bundled into dist/server/*.js by scripts/build-server.mjs) rather than from its source. */
const COMPILED = import.meta.url.endsWith('.js');

/**
 * A worker entry in the compiled server: every worker is an entry point of the build, bundled on
 * its own (no shared chunks) into one flat folder, so `new URL('./export-worker.ts', import.meta.url)`
 * — resolved from whichever bundle holds the caller — names `export-worker.js` beside this code.
 */
function compiledEntry(entry: URL): URL {
  const js = new URL(`./${entry.pathname.split('/').pop()!.replace(/\.ts$/, '.js')}`, import.meta.url);
  if (!existsSync(js)) throw new Error(`the compiled server has no worker ${js.pathname}: rebuild it (npm start, or npm run build:server)`);
  return js;
}

/**
 * Starts `entry` with `data`; `onMessage` receives each message but a failure (it may answer
 * through the worker, or throw to stop it). Settles when the worker exits: rejected with the
 * first failure, or when it exits with a non-zero code.
 */
export function startWorker<M extends object>(
  entry: URL,
  data: unknown,
  onMessage: (message: M, worker: Worker) => Promise<void> | void,
  opts: { onStop?: OnStop } = {},
): Promise<void> {
  if (stopping) return Promise.reject(new Error('the server is stopping'));
  const worker = new Worker(boot(entry), { eval: true, workerData: data, resourceLimits: WORKER_LIMITS });
  live.set(worker, opts.onStop ?? 'terminate');
  worker.once('exit', () => live.delete(worker));
  return new Promise((resolve, reject) => {
    let failed: unknown = null;
    const stop = (err: unknown) => {
      failed ??= err;
      void worker.terminate();
    };
    // Messages are handled one at a time, in order, even when a handler waits.
    let queue: Promise<void> = Promise.resolve();
    worker.on('message', (m: M | WorkerFailure) => {
      if ('error' in m && typeof m.error === 'string') {
        failed ??= new Error(m.error);
        return;
      }
      queue = queue.then(() => (failed ? undefined : onMessage(m as M, worker))).catch(stop);
    });
    worker.on('error', (err) => (failed ??= err));
    worker.on('exit', (code) => {
      void queue.then(() => (failed || code !== 0 ? reject(failed ?? new Error(`worker ${entry.pathname} exited with code ${code}`)) : resolve()));
    });
  });
}

/**
 * What a worker does when the server stops: `ask` — it is told (`stopRequested()` turns true) and
 * ends at its next safe point, e.g. an import commit after the batch it is writing; `terminate` —
 * it is ended at once (a preview or an export, whose partial work is discarded anyway).
 */
export type OnStop = 'ask' | 'terminate';
const STOP_MESSAGE = 'zhiben:stop';
const live = new Map<Worker, OnStop>();
let stopping = false;

/** True once `stopWorkers` has been called: background jobs ending now were stopped, not failed. */
export const isStopping = () => stopping;

/** The server is stopping: no worker starts any more, and each live one is asked to stop or terminated. */
export function stopWorkers(): void {
  stopping = true;
  for (const [worker, onStop] of live) {
    if (onStop === 'ask') worker.postMessage(STOP_MESSAGE);
    else void worker.terminate();
  }
}

const running = new Set<Promise<unknown>>();

/**
 * Counts a job's whole run (the worker and the bookkeeping after it) as background work of this
 * process, so whoever closes the database can wait for it first (`backgroundSettled`).
 */
export function background<T>(run: Promise<T>): Promise<T> {
  running.add(run);
  void run.then(
    () => running.delete(run),
    () => running.delete(run),
  );
  return run;
}

/** Resolves when every background job started in this process has ended, its bookkeeping included. */
export async function backgroundSettled(): Promise<void> {
  while (running.size) await Promise.allSettled([...running]);
}

/**
 * Worker side, the whole of a worker's entry: rebuilds the caller's context on a connection of its
 * own (a small page cache: the process's memory is shared with the server), runs `job`, reports a
 * failure as text to the caller (exiting non-zero), and always closes the connection.
 * Measured for the import's commit (100k hazards, SQLite): a 32 MB cache inserts ~0.4 s faster
 * (13 indexes, six written out of order), but the process's peak is ~15 MB higher, and the
 * ledger-files bench's GBK commit already peaks at its 500 MB goal; so 16 MB.
 */
export async function workerMain<D extends WorkerCtxData>(job: (ctx: ActorCtx, data: D, port: MessagePort) => Promise<unknown>): Promise<void> {
  const data = workerData as D;
  const port = parentPort!;
  shareWaitingWrites(data.waitingWrites);
  const database = reopen(data.connection, { poolSize: 2, cacheMb: 16 });
  const ctx: ActorCtx = {
    ...systemCtx({ db: database.db, dialect: database.dialect, config: data.config, now: () => new Date(Date.now() + data.clockOffsetMs) }),
    actor: data.actor,
    requestId: data.requestId,
    ip: data.ip,
  };
  port.on('message', onStopMessage);
  try {
    await job(ctx, data, port);
  } catch (err) {
    port.postMessage({ error: err instanceof Error ? (err.stack ?? err.message) : String(err) } satisfies WorkerFailure);
    process.exitCode = 1;
  } finally {
    port.off('message', onStopMessage);
    await database.close();
  }
}

/** Worker side: waits for the caller's next message (a go-ahead; or the request to stop, see `stopRequested`). */
export const nextMessage = <T = unknown>(): Promise<T> => new Promise((resolve) => parentPort!.once('message', resolve));

let stopAsked = false;
const onStopMessage = (m: unknown) => {
  if (m === STOP_MESSAGE) stopAsked = true;
};
/** Worker side: whether the server asked this worker to stop (for workers started with `onStop: 'ask'`). */
export const stopRequested = (): boolean => stopAsked;

/** Thrown by a worker at a safe point after the server asked it to stop. */
export class StopRequested extends Error {
  constructor() {
    super('stopped at the server\'s request');
  }
}
