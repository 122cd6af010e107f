/**
 * Test support for whole server processes: `npm start`'s entry point as a child process on a given
 * database, and a small HTTP client with a session, over loopback only.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '../../..');

export interface ServerProcess {
  url: string;
  child: ChildProcess;
  /** Everything it printed so far. */
  output(): string;
  /** Settles when it exits. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Sends `signal` and waits for the exit. */
  kill(signal: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Runs `npm start`'s entry point (without building the web app) until it says it is serving. */
export function spawnServer(env: Record<string, string>, args: string[] = [], timeoutMs = 60_000): Promise<ServerProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server/main.ts', '--no-build', ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'warn', ...env },
  });
  let out = '';
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`no start within ${timeoutMs} ms:\n${out}`));
    }, timeoutMs);
    const onData = (d: Buffer) => {
      out += d.toString();
      const m = /serving on (http:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({
          url: m[1],
          child,
          output: () => out,
          exited,
          kill(signal) {
            if (child.exitCode === null && child.signalCode === null) child.kill(signal);
            return exited;
          },
        });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    void exited.then(({ code }) => {
      clearTimeout(timer);
      if (!/serving on/.test(out)) reject(new Error(`exited ${code}:\n${out}`));
    });
  });
}

export interface Answer {
  status: number;
  body: any;
}

/** A user's session against one server process (a session is valid on every process sharing the database). */
export class Client {
  cookie: string | null = null;
  constructor(public url: string) {}

  /** Logs in; answers the status (the session is kept on success). */
  async login(username: string, password: string): Promise<Answer> {
    const res = await fetch(`${this.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
    const set = res.headers.getSetCookie().find((c) => c.startsWith('zhiben_session='));
    if (res.ok && set) this.cookie = set.split(';')[0];
    return { status: res.status, body: await res.json() };
  }

  /** The same session against another process. */
  at(url: string): Client {
    const c = new Client(url);
    c.cookie = this.cookie;
    return c;
  }

  async request(method: string, url: string, body?: unknown, init: { signal?: AbortSignal } = {}): Promise<Answer> {
    const headers: Record<string, string> = { 'x-requested-with': 'zhiben' };
    if (this.cookie) headers.cookie = this.cookie;
    let payload: BodyInit | undefined;
    if (body instanceof FormData) payload = body;
    else if (body !== undefined) {
      headers['content-type'] = 'application/json';
      payload = JSON.stringify(body);
    }
    const res = await fetch(`${this.url}${url}`, { method, headers, body: payload, signal: init.signal });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // not JSON: kept as text
    }
    return { status: res.status, body: parsed };
  }

  get = (url: string) => this.request('GET', url);
  post = (url: string, body?: unknown) => this.request('POST', url, body);

  /** Uploads a file as multipart form data. */
  upload(url: string, name: string, content: Buffer, type = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'): Promise<Answer> {
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(content)], { type }), name);
    return this.request('POST', url, form);
  }
}

/** Polls `probe` until it answers something other than undefined (every `everyMs`, at most `timeoutMs`). */
export async function until<T>(probe: () => Promise<T | undefined>, what: string, timeoutMs = 60_000, everyMs = 50): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
