/** File answers: one way to name a download and to stream a generated spreadsheet. */
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
