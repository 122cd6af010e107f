/** File uploads: one multipart field `file`, its name checked like any text input. */
import type {} from '@fastify/multipart';
import type { FastifyRequest } from 'fastify';
import { isSafeText } from '../../shared/contracts/fields';
import { AppError } from '../errors/app-error';
import { unsafeTextError } from './problem';

/** Longest original file name kept, in characters (never cutting a character in two). */
const MAX_NAME = 200;

export interface Upload {
  /** The name the user's computer gave the file, or null when it sent none. */
  name: string | null;
  content: Buffer;
}

export async function readUpload(request: FastifyRequest, maxBytes: number): Promise<Upload> {
  if (!request.isMultipart()) throw new AppError('UNSUPPORTED_MEDIA_TYPE', '请以 multipart/form-data 上传，字段名为 file', 'Send multipart/form-data with a field named file');
  const part = await request.file({ limits: { fileSize: maxBytes, files: 1 } });
  if (!part || part.fieldname !== 'file') {
    throw new AppError('VALIDATION_FAILED', '缺少上传字段 file', 'Missing the multipart field `file`', { errors: [{ path: 'file', code: 'required', message: '必填' }] });
  }
  const content = await part.toBuffer();
  const filename = part.filename ?? '';
  if (!isSafeText(filename)) throw unsafeTextError('file.filename');
  const name = Array.from(filename.trim()).slice(0, MAX_NAME).join('');
  return { name: name || null, content };
}
