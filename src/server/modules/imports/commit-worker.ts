/**
 * Worker thread: commits one import job on its own database connection, so the server's thread
 * stays free for requests (and, on SQLite, readers keep reading the WAL snapshot meanwhile).
 * Started by `commitImport`; posts the rows written after each batch, and ends after the batch it
 * is writing when the server stops.
 */
import { nextMessage, StopRequested, stopRequested, workerMain, type WorkerCtxData } from '../../workers/thread';
import { commitEnterpriseImport } from './enterprise-import';
import { commitHazardImport } from './hazard-import';

export interface CommitWorkerData extends WorkerCtxData {
  kind: 'hazards' | 'enterprises';
  jobId: string;
  batch?: number;
  part?: number;
  /** Wait for the caller's go-ahead after each batch (the caller's `afterBatch` hook). */
  handshake: boolean;
}
/** Rows written after each batch. */
export type CommitWorkerMessage = { written: number };

await workerMain<CommitWorkerData>((ctx, data, port) =>
  (data.kind === 'hazards' ? commitHazardImport : commitEnterpriseImport)(ctx, data.jobId, {
    batch: data.batch,
    part: data.part,
    afterBatch: async (written) => {
      port.postMessage({ written } satisfies CommitWorkerMessage);
      if (data.handshake) await nextMessage();
      // A stopping server lets the batch just written stand and the job be resumed from it.
      if (stopRequested()) throw new StopRequested();
    },
  }),
);
