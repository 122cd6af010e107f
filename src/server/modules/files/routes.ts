import type {} from '@fastify/multipart';
import { createReadStream } from 'node:fs';
import { z } from 'zod';
import { UploadedFile } from '../../../shared/contracts/hazards';
import { AppError } from '../../errors/app-error';
import { route } from '../../http/route';
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
      if (!request.isMultipart()) throw new AppError('UNSUPPORTED_MEDIA_TYPE', '请以 multipart/form-data 上传，字段名为 file', 'Send multipart/form-data with a field named file');
      const part = await request.file({ limits: { fileSize: MAX_UPLOAD_BYTES, files: 1 } });
      if (!part || part.fieldname !== 'file') {
        throw new AppError('VALIDATION_FAILED', '缺少上传字段 file', 'Missing the multipart field `file`', { errors: [{ path: 'file', code: 'required', message: '必填' }] });
      }
      const content = await part.toBuffer();
      return storeUpload(ctx, content, part.filename || null);
    },
  }),
  route({
    method: 'GET',
    url: '/api/files/:id',
    summary: 'Download a file (its uploader, or anyone who can see a hazard it is attached to)',
    tags: ['files'],
    auth: 'user',
    params: z.object({ id: z.string().min(1).max(64) }),
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
