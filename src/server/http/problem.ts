import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { UNSAFE_TEXT } from '../../shared/contracts/fields';
import { AppError, type FieldError } from '../errors/app-error';

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Content Too Large',
  414: 'URI Too Long',
  415: 'Unsupported Media Type',
  423: 'Locked',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

export function zodFieldErrors(error: z.ZodError, prefix: string): FieldError[] {
  return error.issues.map((issue) => {
    const path = [prefix, ...issue.path.map(String)].filter(Boolean).join('.');
    let message = issue.message;
    if (issue.code === 'unrecognized_keys') message = `不允许的字段：${issue.keys.join(', ')}`;
    else if (issue.code === 'invalid_type') message = issue.input === undefined ? '必填' : `类型错误，应为 ${issue.expected}`;
    return { path: issue.code === 'unrecognized_keys' ? [path, ...issue.keys].filter(Boolean).join('.') : path, code: issue.code, message };
  });
}

export function validationError(error: z.ZodError, where: 'body' | 'query'): AppError {
  const errors = zodFieldErrors(error, where === 'body' ? '' : where);
  const first = errors[0];
  return new AppError(
    'VALIDATION_FAILED',
    first ? `输入有误：${first.path || '请求体'} ${first.message}` : '输入有误',
    `Invalid input${first ? `: ${first.path || 'body'}` : ''}`,
    { errors },
  );
}

/** A text input (a path parameter, a multipart field) carrying control characters or broken UTF-16. */
export function unsafeTextError(path: string): AppError {
  return new AppError('VALIDATION_FAILED', `输入有误：${path} ${UNSAFE_TEXT.zh}`, `Invalid input: ${path} ${UNSAFE_TEXT.en}`, {
    errors: [{ path, code: 'invalid_string', message: UNSAFE_TEXT.zh }],
  });
}

/** Turns framework errors into AppErrors; everything unknown becomes INTERNAL (logged, never shown). */
export function toAppError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  const e = err as FastifyError;
  switch (e?.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new AppError('INVALID_JSON', '请求体不是有效的 JSON', 'The request body is not valid JSON');
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new AppError('PAYLOAD_TOO_LARGE', '请求体过大', 'The request body is too large');
    case 'FST_REQ_FILE_TOO_LARGE':
      return new AppError('PAYLOAD_TOO_LARGE', '文件过大：单个文件不超过 20 MB', 'The file is too large: at most 20 MB');
    case 'FST_INVALID_MULTIPART_CONTENT_TYPE':
      return new AppError('UNSUPPORTED_MEDIA_TYPE', '请以 multipart/form-data 上传，字段名为 file', 'Send multipart/form-data with a field named file');
    case 'FST_ERR_BAD_URL':
      return new AppError('INVALID_URL', '网址中有无效的编码（%xx），无法处理', 'The URL contains an invalid escape (%xx)');
    case 'FST_ERR_MAX_PARAM_LENGTH':
      return new AppError('URI_TOO_LONG', '网址中的参数过长', 'A parameter in the URL is too long');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new AppError('UNSUPPORTED_MEDIA_TYPE', '不支持的请求内容类型，请使用 application/json', 'Unsupported content type; send application/json');
  }
  if (e && typeof e === 'object' && 'statusCode' in e && e.statusCode === 400 && /JSON/i.test(e.message ?? '')) {
    return new AppError('INVALID_JSON', '请求体不是有效的 JSON', 'The request body is not valid JSON');
  }
  // Whatever else the framework refuses (a malformed URL escape, a bad header) is the request's
  // fault, not the server's: never a 500.
  const status = typeof e?.statusCode === 'number' ? e.statusCode : 0;
  if (status === 404) return new AppError('NOT_FOUND', '请求的资源不存在', 'Not found');
  if (status === 413) return new AppError('PAYLOAD_TOO_LARGE', '请求体过大', 'The request body is too large');
  if (status === 415) return new AppError('UNSUPPORTED_MEDIA_TYPE', '不支持的请求内容类型', 'Unsupported content type');
  if (status >= 400 && status < 500) return new AppError('BAD_REQUEST', '请求格式有误，无法处理', 'The request is malformed');
  return new AppError('INTERNAL', '服务器内部错误，请稍后重试', 'Internal server error; please try again later');
}

export function sendProblem(request: FastifyRequest, reply: FastifyReply, err: AppError) {
  const status = err.status;
  if (err.headers) reply.headers(err.headers);
  request.server.countProblem?.(err.code);
  return reply
    .code(status)
    .type('application/problem+json; charset=utf-8')
    .send({
      type: `urn:zhiben:problem:${err.code}`,
      title: TITLES[status] ?? 'Error',
      status,
      code: err.code,
      detail: err.message,
      detailEn: err.messageEn,
      instance: request.url.split('?')[0],
      requestId: request.id,
      ...(err.errors ? { errors: err.errors } : {}),
    });
}
