/** Worker thread: previews one import job (reads the file, classifies every row) on its own connection. */
import { workerMain } from '../../workers/thread';
import { previewJob, type PreviewWorkerData } from './jobs';

await workerMain<PreviewWorkerData>((ctx, data) => previewJob(ctx, data.kind, data.jobId, data.file, data.maxRows));
