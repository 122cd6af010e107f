/** Worker thread: writes one export's file on its own connection (started by `startExport`). */
import { runInWorker, workerContext, workerPort } from '../../workers/thread';
import { produceExport, type ExportMessage, type ExportWorkerData } from './jobs';

const { data, port } = workerPort<ExportWorkerData>();
const { ctx, database } = workerContext(data, { cacheMb: 16 });
await runInWorker(database, () => produceExport(ctx, data.filters, data.file, data.maxRows, (m: ExportMessage) => port.postMessage(m)));
