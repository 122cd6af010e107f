/**
 * The server in a child process, for benches that measure it over real HTTP: from its source
 * (tsx, as the tests run it) or compiled (dist/server/main.js, what `npm start` runs — its worker
 * threads load one bundle each instead of the source through tsx's loader).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '..');

export interface Served {
  url: string;
  stop: () => Promise<void>;
}

/** Builds the compiled server of this checkout (as `npm start` does when a source is newer). */
export async function buildCompiledServer(): Promise<void> {
  // @ts-expect-error — a plain .mjs script with no type declarations
  const { buildServer } = (await import('../scripts/build-server.mjs')) as { buildServer: () => Promise<{ ms: number }> };
  await buildServer();
}

/**
 * Starts the server on `dir` (answers when it listens). `root`: another checkout's source (a baseline
 * commit). BENCH_NODE_ARGS: flags for the compiled server's node, e.g. `--cpu-prof --cpu-prof-dir=/tmp/p`
 * (a profile per thread, the import's worker included; NODE_OPTIONS refuses --cpu-prof).
 */
export async function serve(dir: string, opts: { compiled?: boolean; root?: string; env?: Record<string, string> } = {}): Promise<Served> {
  const root = opts.root ?? ROOT;
  const env = { ...process.env, DATA_DIR: dir, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent', ...opts.env };
  const args = opts.compiled ? [...(process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean), '--enable-source-maps', path.join(root, 'dist/server/main.js')] : ['--import', 'tsx', path.join(root, 'src/server/main.ts')];
  const child: ChildProcess = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start: ${out}`)), 120_000);
    const onData = (b: Buffer) => {
      out += b.toString();
      const m = /serving on (http:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('exit', (code) => reject(new Error(`server exited ${code}: ${out}`)));
  });
  return {
    url,
    stop: () =>
      new Promise<void>((resolve) => {
        child.removeAllListeners('exit');
        child.on('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** Signs in; answers the session cookie (`zhiben_session=…`). */
export async function login(url: string, username: string, password: string): Promise<string> {
  const r = await fetch(`${url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-requested-with': 'zhiben' }, body: JSON.stringify({ username, password }) });
  if (!r.ok) throw new Error(`login ${username}: ${r.status} ${await r.text()}`);
  const cookie = r.headers.getSetCookie().find((c) => c.startsWith('zhiben_session='))!;
  return cookie.split(';')[0];
}
