/** Worker thread: previews one import job (reads the file, classifies every row) on its own connection. */
import { runInWorker, workerContext, workerPort } from '../../workers/thread';
import { previewJob, type PreviewWorkerData } from './jobs';

const { data } = workerPort<PreviewWorkerData>();
const { ctx, database } = workerContext(data, { cacheMb: 16 });
await runInWorker(database, () => previewJob(ctx, data.kind, data.jobId, data.file, data.maxRows));
