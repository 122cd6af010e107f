import { createReadStream } from 'node:fs';
import { IdParam } from '../../../shared/contracts/common';
import { UploadedFile } from '../../../shared/contracts/hazards';
import { route } from '../../http/route';
import { readUpload } from '../../http/upload';
import { fileStore, MAX_UPLOAD_BYTES, readableFile, storeUpload } from './commands';

export const fileRoutes = [
  route({
    method: 'POST',
    url: '/api/files',
    summary: 'Upload an evidence file (multipart field `file`): JPEG, PNG, WebP, PDF, DOCX or XLSX, recognised by content, at most 20 MB',
    tags: ['files'],
    auth: 'user',
    multipart: true,
    response: { status: 201, schema: UploadedFile },
    errors: ['UNSUPPORTED_MEDIA_TYPE', 'PAYLOAD_TOO_LARGE', 'VALIDATION_FAILED'],
    async handler({ ctx, request }) {
      const { name, content } = await readUpload(request, MAX_UPLOAD_BYTES);
      return storeUpload(ctx, content, name);
    },
  }),
  route({
    method: 'GET',
    url: '/api/files/:id',
    summary: 'Download a file (its uploader, or anyone who can see a hazard it is attached to)',
    tags: ['files'],
    auth: 'user',
    params: IdParam,
    response: { status: 200 },
    errors: ['NOT_FOUND'],
    async handler({ ctx, params, reply }) {
      const file = await readableFile(ctx.db, ctx.actor, params.id);
      const name = encodeURIComponent(file.original_name ?? file.id);
      reply
        .type(file.mime)
        .header('content-length', file.size)
        .header('cache-control', 'private, max-age=86400')
        .header('x-content-type-options', 'nosniff')
        .header('content-disposition', `${file.mime.startsWith('image/') || file.mime === 'application/pdf' ? 'inline' : 'attachment'}; filename*=UTF-8''${name}`);
      return createReadStream(fileStore(ctx).pathFor(file.sha256));
    },
  }),
];
