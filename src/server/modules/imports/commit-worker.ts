/**
 * Worker thread: commits one import job on its own database connection, so the server's thread
 * stays free for requests (and, on SQLite, readers keep reading the WAL snapshot meanwhile).
 * Started by `commitImport`; posts the rows written after each batch.
 */
import { nextMessage, runInWorker, workerContext, workerPort, type WorkerCtxData } from '../../workers/thread';
import { commitEnterpriseImport } from './enterprise-import';
import { commitHazardImport } from './hazard-import';

export interface CommitWorkerData extends WorkerCtxData {
  kind: 'hazards' | 'enterprises';
  jobId: string;
  batch: number;
  /** Wait for the caller's go-ahead after each batch (the caller's `afterBatch` hook). */
  handshake: boolean;
}
/** Rows written after each batch. */
export type CommitWorkerMessage = { written: number };

const { data, port } = workerPort<CommitWorkerData>();
// A small page cache: the batch's pages are what it touches, and the process's memory is shared with the server.
const { ctx, database } = workerContext(data, { cacheMb: 16 });
await runInWorker(database, () =>
  (data.kind === 'hazards' ? commitHazardImport : commitEnterpriseImport)(ctx, data.jobId, {
    batch: data.batch,
    afterBatch: async (written) => {
      port.postMessage({ written } satisfies CommitWorkerMessage);
      if (data.handshake) await nextMessage();
    },
  }),
);
