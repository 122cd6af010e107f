import type { Problem } from '../shared/contracts/common';
import type { UploadedFile as UploadedFileSchema } from '../shared/contracts/hazards';
import type { z } from 'zod';

export type { ListResult } from '../shared/contracts/common';

/** An answer the server gave as application/problem+json, or a network failure (status 0). */
export class ApiError extends Error {
  readonly status: number;
  readonly problem: Problem | null;

  constructor(status: number, problem: Problem | null, message: string) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.problem = problem;
  }

  get code(): string | undefined {
    return this.problem?.code;
  }
}

type Query = Record<string, string | number | boolean | null | undefined>;

export interface RequestOptions {
  query?: Query;
  body?: unknown;
  /** multipart instead of JSON (uploads); the browser sets the boundary */
  form?: FormData;
  signal?: AbortSignal;
}

export type UploadedFile = z.infer<typeof UploadedFileSchema>;

let onUnauthorized: (() => void) | null = null;

/** The session layer registers what a 401 means for the app (back to the login page). */
export function setUnauthorizedHandler(handler: (() => void) | null): void {
  onUnauthorized = handler;
}

// A wrong password answers 401 too, but that is the login form's business, not a lost session.
const NOT_A_LOST_SESSION = new Set(['INVALID_CREDENTIALS', 'ACCOUNT_LOCKED', 'RATE_LIMITED']);

export function toQueryString(query: Query | undefined): string {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '') continue;
    params.set(key, String(value));
  }
  const s = params.toString();
  return s ? `?${s}` : '';
}

export async function request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { 'X-Requested-With': 'zhiben', Accept: 'application/json' };
  let body: string | FormData | undefined;
  if (options.form) {
    body = options.form;
  } else if (options.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(options.body);
  }
  let res: Response;
  try {
    res = await fetch(path + toQueryString(options.query), {
      method,
      headers,
      body,
      credentials: 'same-origin',
      signal: options.signal,
    });
  } catch (err) {
    if (err instanceof DOMException && err.name === 'AbortError') throw err;
    throw new ApiError(0, null, 'network error');
  }
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  let data: unknown = null;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = null;
    }
  }
  if (!res.ok) {
    const problem = isProblem(data) ? data : null;
    const err = new ApiError(res.status, problem, problem?.detail ?? `HTTP ${res.status}`);
    if (res.status === 401 && !NOT_A_LOST_SESSION.has(problem?.code ?? '')) onUnauthorized?.();
    throw err;
  }
  return data as T;
}

function isProblem(data: unknown): data is Problem {
  return typeof data === 'object' && data !== null && 'status' in data && 'detail' in data;
}

export const api = {
  get: <T>(path: string, query?: Query, signal?: AbortSignal) => request<T>('GET', path, { query, signal }),
  post: <T>(path: string, body?: unknown) => request<T>('POST', path, { body: body ?? {} }),
  patch: <T>(path: string, body: unknown) => request<T>('PATCH', path, { body }),
  /** One evidence file to POST /api/files (multipart field `file`). */
  upload: (file: File, signal?: AbortSignal) => {
    const form = new FormData();
    form.append('file', file, file.name);
    return request<UploadedFile>('POST', '/api/files', { form, signal });
  },
};

/** Where the browser reads (or shows) an uploaded file. */
export const fileUrl = (id: string) => `/api/files/${encodeURIComponent(id)}`;

/** Reference lists may come bare or wrapped in a list envelope; the UI wants the items. */
export function itemsOf<T>(data: T[] | { items: T[] }): T[] {
  return Array.isArray(data) ? data : data.items;
}
