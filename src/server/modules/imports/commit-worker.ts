/**
 * Worker thread: commits one import job on its own database connection, so the server's thread
 * stays free for requests (and, on SQLite, readers keep reading the WAL snapshot meanwhile).
 * Started by `commitImport`; posts the rows written after each batch.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { Config } from '../../config';
import { systemCtx, type ActorCtx } from '../../context';
import { reopen, type Connection } from '../../db/database';
import type { Actor } from '../../scope/scope';
import { commitEnterpriseImport } from './enterprise-import';
import { commitHazardImport } from './hazard-import';

export interface CommitWorkerData {
  connection: Connection;
  config: Config;
  actor: Actor;
  requestId: string | null;
  ip: string | null;
  /** The caller's clock minus the real one (tests run on a set clock). */
  clockOffsetMs: number;
  kind: 'hazards' | 'enterprises';
  jobId: string;
  batch: number;
  /** Wait for the caller's go-ahead after each batch (the caller's `afterBatch` hook). */
  handshake: boolean;
}
/** Rows written after each batch; or why the commit failed (errors lose their text crossing threads). */
export type CommitWorkerMessage = { written: number } | { error: string };

const data = workerData as CommitWorkerData;
const port = parentPort!;
// A small page cache: the batch's pages are what it touches, and the process's memory is shared with the server.
const database = reopen(data.connection, { poolSize: 2, cacheMb: 16 });
try {
  const ctx: ActorCtx = {
    ...systemCtx({ db: database.db, dialect: database.dialect, config: data.config, now: () => new Date(Date.now() + data.clockOffsetMs) }),
    actor: data.actor,
    requestId: data.requestId,
    ip: data.ip,
  };
  const afterBatch = (written: number) => {
    port.postMessage({ written } satisfies CommitWorkerMessage);
    if (data.handshake) return new Promise<void>((resolve) => port.once('message', () => resolve()));
  };
  await (data.kind === 'hazards' ? commitHazardImport : commitEnterpriseImport)(ctx, data.jobId, { batch: data.batch, afterBatch });
} catch (err) {
  port.postMessage({ error: err instanceof Error ? (err.stack ?? err.message) : String(err) } satisfies CommitWorkerMessage);
  process.exitCode = 1;
} finally {
  await database.close();
}
