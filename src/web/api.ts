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
  /** Headers of the endpoint's own (the tip door's `X-Tip-Secret`). */
  headers?: Record<string, string>;
  /** `omit` where no session has any business (the tip door); the app's own session otherwise. */
  credentials?: RequestCredentials;
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
  const headers: Record<string, string> = { ...options.headers, 'X-Requested-With': 'zhiben', Accept: 'application/json' };
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
      credentials: options.credentials ?? 'same-origin',
      signal: options.signal,
    });
  } catch (err) {
    if (err instanceof DOMException && err.name === 'AbortError') throw err;
    throw new ApiError(0, null, 'network error');
  }
  if (res.status === 204) return undefined as T;
  return settle<T>(res.status, await res.text());
}

/** The answer's JSON, or the ApiError its status and problem+json body mean. */
function settle<T>(status: number, text: string): T {
  let data: unknown = null;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = null;
    }
  }
  if (status < 200 || status >= 300) throw failure(status, data);
  return data as T;
}

function failure(status: number, data: unknown): ApiError {
  const problem = isProblem(data) ? data : null;
  if (status === 401 && !NOT_A_LOST_SESSION.has(problem?.code ?? '')) onUnauthorized?.();
  return new ApiError(status, problem, problem?.detail ?? `HTTP ${status}`);
}

export interface SendFileOptions {
  query?: Query;
  /** the share of the file sent so far, 0 to 1 */
  onProgress?: (fraction: number) => void;
  signal?: AbortSignal;
}

/**
 * One file to a multipart endpoint (field `file`), reporting how much has been sent: fetch cannot
 * tell upload progress, XMLHttpRequest can, and a 50 MB ledger on a slow line needs it.
 */
function sendFile<T>(path: string, file: File, options: SendFileOptions = {}): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', path + toQueryString(options.query));
    xhr.setRequestHeader('X-Requested-With', 'zhiben');
    xhr.setRequestHeader('Accept', 'application/json');
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable && e.total > 0) options.onProgress?.(e.loaded / e.total);
    };
    xhr.onload = () => {
      try {
        resolve(settle<T>(xhr.status, xhr.responseText));
      } catch (err) {
        reject(err);
      }
    };
    xhr.onerror = () => reject(new ApiError(0, null, 'network error'));
    xhr.onabort = () => reject(new DOMException('The upload was aborted', 'AbortError'));
    if (options.signal?.aborted) return reject(new DOMException('The upload was aborted', 'AbortError'));
    options.signal?.addEventListener('abort', () => xhr.abort(), { once: true });
    const form = new FormData();
    form.append('file', file, file.name);
    xhr.send(form);
  });
}

/** The file name a Content-Disposition header gives (RFC 5987 `filename*` first), or the fallback. */
function attachmentName(header: string | null, fallback: string): string {
  const star = header?.match(/filename\*=UTF-8''([^;]+)/i);
  if (star) {
    try {
      return decodeURIComponent(star[1].trim());
    } catch {
      // a malformed encoding: try the plain name
    }
  }
  return header?.match(/filename="([^"]+)"/i)?.[1] ?? fallback;
}

/**
 * Fetches a small generated document (a Word notice, a report) and saves it, so that a refusal
 * shows as the server's message instead of a broken download. Large exports are written by a
 * job at the server and then saved from a plain link (see saveUrl).
 */
async function download(path: string, query?: Query, fallbackName = 'download'): Promise<void> {
  let res: Response;
  try {
    res = await fetch(path + toQueryString(query), { headers: { 'X-Requested-With': 'zhiben' }, credentials: 'same-origin' });
  } catch {
    throw new ApiError(0, null, 'network error');
  }
  if (!res.ok) throw failure(res.status, await res.json().catch(() => null));
  saveBlob(await res.blob(), attachmentName(res.headers.get('content-disposition'), fallbackName));
}

/**
 * Hands a same-origin address to the browser's download, under `name`: a GET the browser streams
 * straight to disk, however large (a finished export).
 */
export function saveUrl(href: string, name: string): void {
  const a = document.createElement('a');
  a.href = href;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
}

/** Hands a file made or fetched in the page to the browser's download, under `name`. */
export function saveBlob(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  saveUrl(url, name);
  // The click has handed the blob to the browser's download; free it once that has started.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

function isProblem(data: unknown): data is Problem {
  return typeof data === 'object' && data !== null && 'status' in data && 'detail' in data;
}

export const api = {
  get: <T>(path: string, query?: Query, signal?: AbortSignal) => request<T>('GET', path, { query, signal }),
  post: <T>(path: string, body?: unknown) => request<T>('POST', path, { body: body ?? {} }),
  patch: <T>(path: string, body: unknown) => request<T>('PATCH', path, { body }),
  put: <T>(path: string, body: unknown) => request<T>('PUT', path, { body }),
  /** One evidence file to POST /api/files (multipart field `file`). */
  upload: (file: File, signal?: AbortSignal) => {
    const form = new FormData();
    form.append('file', file, file.name);
    return request<UploadedFile>('POST', '/api/files', { form, signal });
  },
  sendFile,
  download,
};

export interface PollOptions<T> {
  intervalMs: number;
  /** whether to ask again after this answer (a job still running) */
  again: (answer: T) => boolean;
  onAnswer: (answer: T) => void;
  /** `retrying`: a lost connection or a failing server, asked again later; otherwise the polling has ended */
  onError: (err: unknown, retrying: boolean) => void;
}

/**
 * Asks `load` at once, then every `intervalMs` while `again` says so: a job at the server. A lost
 * connection or a restarting server is retried, more slowly each time; a refusal ends it.
 * Returns the stop (for an effect's cleanup): no answer is reported after it.
 */
export function poll<T>(load: (signal: AbortSignal) => Promise<T>, opts: PollOptions<T>): () => void {
  const ctrl = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let misses = 0;
  const ask = async () => {
    try {
      const answer = await load(ctrl.signal);
      if (ctrl.signal.aborted) return;
      misses = 0;
      opts.onAnswer(answer);
      if (opts.again(answer)) timer = setTimeout(() => void ask(), opts.intervalMs);
    } catch (err) {
      if (ctrl.signal.aborted) return;
      const retrying = err instanceof ApiError && (err.status === 0 || err.status >= 500);
      opts.onError(err, retrying);
      if (retrying) {
        misses += 1;
        timer = setTimeout(() => void ask(), Math.min(30_000, opts.intervalMs * 2 ** misses));
      }
    }
  };
  void ask();
  return () => {
    ctrl.abort();
    clearTimeout(timer);
  };
}

/** A GET endpoint as a link, for downloads the browser streams straight to disk (templates, error rows). */
export const downloadUrl = (path: string, query?: Query) => path + toQueryString(query);

/** Where the browser reads (or shows) an uploaded file. */
export const fileUrl = (id: string) => `/api/files/${encodeURIComponent(id)}`;

/** Reference lists may come bare or wrapped in a list envelope; the UI wants the items. */
export function itemsOf<T>(data: T[] | { items: T[] }): T[] {
  return Array.isArray(data) ? data : data.items;
}
