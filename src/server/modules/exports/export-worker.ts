/** Worker thread: writes one export's file on its own connection (started by `startExport`). */
import { workerMain } from '../../workers/thread';
import { produceExport, type ExportMessage, type ExportWorkerData } from './jobs';

await workerMain<ExportWorkerData>((ctx, data, port) => produceExport(ctx, data.filters, data.file, data.maxRows, (m: ExportMessage) => port.postMessage(m)));
