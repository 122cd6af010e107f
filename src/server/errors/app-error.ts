/**
 * The one error type. A code names what went wrong; its HTTP status lives in one table
 * (ERROR_STATUS) and is applied at the edge (http/problem.ts).
 */
export const ERROR_STATUS = {
  VALIDATION_FAILED: 400,
  INVALID_JSON: 400,
  BAD_REQUEST: 400,
  INVALID_URL: 400,
  INVALID_USCC: 400,
  UNKNOWN_REGION: 400,
  STREET_NOT_IN_DISTRICT: 400,
  UNKNOWN_INDUSTRY: 400,
  UNKNOWN_DEPARTMENT: 400,
  UNKNOWN_ENTERPRISE: 400,
  OUT_OF_SCOPE: 403,
  ROLE_SCOPE_MISMATCH: 400,
  CLAUSE_REQUIRED: 400,
  UNAUTHENTICATED: 401,
  INVALID_CREDENTIALS: 401,
  SESSION_EXPIRED: 401,
  INVALID_TOKEN: 401,
  METRICS_TOKEN_REQUIRED: 401,
  WRONG_PASSWORD: 400,
  FORBIDDEN: 403,
  CSRF_REQUIRED: 403,
  SEPARATION_OF_DUTIES: 403,
  ACCOUNT_DISABLED: 403,
  NOT_FOUND: 404,
  METRICS_DISABLED: 404,
  METHOD_NOT_ALLOWED: 405,
  DUPLICATE_USCC: 409,
  DUPLICATE_USERNAME: 409,
  DUPLICATE: 409,
  VERSION_CONFLICT: 409,
  ALREADY_SUBMITTED: 409,
  INVALID_TRANSITION: 409,
  EXPORT_NOT_READY: 409,
  MAPPING_REQUIRED: 409,
  PAYLOAD_TOO_LARGE: 413,
  URI_TOO_LONG: 414,
  UNSUPPORTED_MEDIA_TYPE: 415,
  EXPORT_TOO_LARGE: 422,
  ACCOUNT_LOCKED: 423,
  RATE_LIMITED: 429,
  INTERNAL: 500,
  DATABASE_UNAVAILABLE: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export interface FieldError {
  path: string;
  code: string;
  message: string;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly messageEn: string;
  readonly errors?: FieldError[];
  readonly headers?: Record<string, string>;

  constructor(
    code: ErrorCode,
    message: string,
    messageEn: string,
    extra: { errors?: FieldError[]; headers?: Record<string, string> } = {},
  ) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.messageEn = messageEn;
    this.errors = extra.errors;
    this.headers = extra.headers;
  }

  get status(): number {
    return ERROR_STATUS[this.code];
  }
}

export const notFound = (what = '记录', whatEn = 'record') =>
  new AppError('NOT_FOUND', `${what}不存在或无权访问`, `The ${whatEn} does not exist or is not accessible`);

export const forbidden = (message = '无权执行此操作', messageEn = 'You are not allowed to do this') =>
  new AppError('FORBIDDEN', message, messageEn);

export const fieldError = (code: ErrorCode, path: string, message: string, messageEn: string) =>
  new AppError(code, message, messageEn, { errors: [{ path, code, message }] });
