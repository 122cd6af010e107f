/** File answers: one way to name a download and to stream a generated spreadsheet. */
import { once } from 'node:events';
import { PassThrough, type Readable, type Writable } from 'node:stream';
import type { FastifyReply, FastifyRequest } from 'fastify';

export const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
export const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

/** `asciiName` for old clients, `name` (Chinese) for every current browser. */
function named(reply: FastifyReply, mime: string, asciiName: string, name: string): FastifyReply {
  return reply.type(mime).header('content-disposition', `attachment; filename="${asciiName}"; filename*=UTF-8''${encodeURIComponent(name)}`);
}

export async function sendDownload(reply: FastifyReply, mime: string, asciiName: string, name: string, body: Buffer | Readable, size?: number) {
  if (size !== undefined) reply.header('content-length', size);
  return named(reply, mime, asciiName, name).send(body);
}

/**
 * Streams a workbook as it is written, so a million rows never sit in memory. A failure after the
 * first bytes can only cut the download short (the status is already sent); it is logged.
 */
export async function streamXlsx(reply: FastifyReply, request: FastifyRequest, asciiName: string, name: string, write: (out: Writable) => Promise<unknown>) {
  const out = new PassThrough();
  named(reply, XLSX, asciiName, name).header('cache-control', 'no-store');
  write(out).catch((err) => {
    request.log.error({ err }, `${asciiName} failed`);
    out.destroy(err);
  });
  return reply.send(out);
}

/** An old-style (readable-stream 2) writable, as archiver hands exceljs. */
interface LegacyWritable extends NodeJS.EventEmitter {
  _writableState?: { needDrain: boolean; length: number };
}

/** The deflate input of a sheet being written (exceljs 4.4: the sheet's StreamBuf `stream` pipes into it). */
export function sheetPipe(ws: object): LegacyWritable | undefined {
  return (ws as { stream?: { pipes?: LegacyWritable[] } }).stream?.pipes?.[0];
}

/**
 * Backpressure for exceljs's streaming writer, which ignores it: a sheet's rows are pushed into
 * the zip's deflate stream without waiting, so a fast producer piles the whole uncompressed sheet
 * up in memory (3 GB for a million rows). Waits, between batches, until that stream has taken
 * what it holds. Relies on exceljs and archiver internals (see `sheetPipe`); a test guards them.
 */
export async function sheetDrained(ws: object): Promise<void> {
  const pipe = sheetPipe(ws);
  if (pipe?._writableState?.needDrain) await once(pipe, 'drain');
}
