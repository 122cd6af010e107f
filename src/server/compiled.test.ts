/**
 * The compiled server (what `npm start` runs): built by scripts/build-server.mjs into a folder two
 * levels below the root like dist/server, run by plain Node with no TypeScript loader. It finds its
 * reference data and web app, serves, runs each kind of worker thread from its compiled bundle
 * (import preview, import commit, export), and stops with exit code 0 on SIGTERM.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { usccCheckChar } from '../shared/uscc';

const ROOT = path.resolve(import.meta.dirname, '../..');
const PASSWORD = 'Admin-pass-2026';

describe('the compiled server', () => {
  let out: string;
  let dataDir: string;
  beforeAll(() => {
    mkdirSync(path.join(ROOT, 'dist'), { recursive: true });
    out = mkdtempSync(path.join(ROOT, 'dist', 'server-test-'));
    dataDir = mkdtempSync(path.join(tmpdir(), 'zhiben-compiled-'));
    const built = spawnSync(process.execPath, ['scripts/build-server.mjs', out], { cwd: ROOT, encoding: 'utf8' });
    expect(built.status, built.stderr).toBe(0);
  });
  afterAll(() => {
    rmSync(out, { recursive: true, force: true });
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('bundles main and each worker entry on its own, with source maps', () => {
    const { entries } = JSON.parse(readFileSync(path.join(out, 'build.json'), 'utf8')) as { entries: string[] };
    expect(entries.sort()).toEqual(['src/server/main.ts', 'src/server/modules/exports/export-worker.ts', 'src/server/modules/imports/commit-worker.ts', 'src/server/modules/imports/preview-worker.ts']);
    for (const name of ['main', 'export-worker', 'commit-worker', 'preview-worker']) {
      const map = JSON.parse(readFileSync(path.join(out, `${name}.js.map`), 'utf8')) as { sources: string[] };
      expect(map.sources.some((s) => s.endsWith(`/${name}.ts`))).toBe(true);
    }
  });

  it('serves, runs its worker threads from the compiled bundles, and stops cleanly', async () => {
    const child = spawn(process.execPath, ['--enable-source-maps', path.join(out, 'main.js'), '--no-build'], {
      cwd: ROOT,
      env: { PATH: process.env.PATH, HOST: '127.0.0.1', PORT: '0', DATA_DIR: dataDir, ZHIBEN_ADMIN_PASSWORD: PASSWORD, LOG_LEVEL: 'silent' },
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      const url = await serving(child, () => output);
      expect(output).toMatch(/Loaded reference data: 251 regions, 117 industries, 12 standards/);

      expect(await (await fetch(`${url}/api/health`)).json()).toEqual({ status: 'ok', db: 'sqlite' });
      if (existsSync(path.join(ROOT, 'dist/web/index.html'))) {
        const page = await fetch(`${url}/`);
        expect(page.status).toBe(200);
        expect(page.headers.get('content-type')).toMatch(/^text\/html/);
      }

      const login = await fetch(`${url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: PASSWORD }) });
      expect(login.status).toBe(200);
      const headers = { cookie: login.headers.getSetCookie().map((c) => c.split(';')[0]).join('; '), 'x-requested-with': 'zhiben' };
      const api = async (method: string, p: string, body?: FormData) => {
        const r = await fetch(`${url}${p}`, { method, headers, body });
        if (r.status >= 400) throw new Error(`${method} ${p}: ${r.status} ${await r.text()}\n${output}`);
        return r;
      };
      const until = async <T extends { status: string }>(p: string, done: (s: string) => boolean): Promise<T> => {
        for (let i = 0; i < 300; i++) {
          const job = (await (await api('GET', p)).json()) as T;
          if (done(job.status)) return job;
          await new Promise((r) => setTimeout(r, 100));
        }
        throw new Error(`${p} did not finish:\n${output}`);
      };

      // An enterprise registry import: previewed in one worker thread, committed in another.
      const body17 = '91310104MA1CP0001';
      const uscc = body17 + usccCheckChar(body17);
      const form = new FormData();
      form.append('file', new Blob([`统一社会信用代码,企业名称,地址,行业代码,主要负责人\n${uscc},上海编译运行测试有限公司,某路1号,34,赵一\n`], { type: 'text/csv' }), '名录.csv');
      const started = (await (await api('POST', '/api/imports?kind=enterprises', form)).json()) as { id: string };
      const previewed = await until<{ status: string; counts: { create: number; error: number } | null; message: string | null }>(`/api/imports/${started.id}`, (s) => s !== 'previewing');
      expect(previewed).toMatchObject({ status: 'previewed', counts: { create: 1, error: 0 } });
      await api('POST', `/api/imports/${started.id}/commit`);
      const committed = await until<{ status: string; rowsWritten: number }>(`/api/imports/${started.id}`, (s) => s !== 'committing');
      expect(committed).toMatchObject({ status: 'committed', rowsWritten: 1 });

      // An export, written by a third.
      const exp = (await (await api('POST', '/api/enterprises/exports')).json()) as { id: string };
      const exported = await until<{ status: string; rowsWritten: number }>(`/api/exports/${exp.id}`, (s) => s !== 'running');
      expect(exported).toMatchObject({ status: 'done', rowsWritten: 1 });
      const file = Buffer.from(await (await api('GET', `/api/exports/${exp.id}/file`)).arrayBuffer());
      expect(file.subarray(0, 2).toString()).toBe('PK');
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
    expect(output).toMatch(/SIGTERM: shutting down/);
  });
});

describe('the compiled server with WORKERS=2', () => {
  let out: string;
  let dataDir: string;
  beforeAll(() => {
    mkdirSync(path.join(ROOT, 'dist'), { recursive: true });
    out = mkdtempSync(path.join(ROOT, 'dist', 'server-test-'));
    dataDir = mkdtempSync(path.join(tmpdir(), 'zhiben-workers-'));
    const built = spawnSync(process.execPath, ['scripts/build-server.mjs', out], { cwd: ROOT, encoding: 'utf8' });
    expect(built.status, built.stderr).toBe(0);
  });
  afterAll(() => {
    rmSync(out, { recursive: true, force: true });
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('prepares once, serves from two processes on one port, replaces a worker that dies, and stops them all', async () => {
    const child = spawn(process.execPath, ['--enable-source-maps', path.join(out, 'main.js'), '--no-build'], {
      cwd: ROOT,
      env: { PATH: process.env.PATH, HOST: '127.0.0.1', PORT: '0', DATA_DIR: dataDir, ZHIBEN_ADMIN_PASSWORD: PASSWORD, LOG_LEVEL: 'silent', WORKERS: '2' },
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const seen = new Set<number>();
    const workers = () => {
      const pids = spawnSync('ps', ['-o', 'pid=', '--ppid', String(child.pid)], { encoding: 'utf8' })
        .stdout.split('\n')
        .map((l) => Number(l.trim()))
        .filter((n) => n > 0);
      pids.forEach((p) => seen.add(p));
      return pids;
    };
    try {
      const url = await serving(child, () => output);
      expect(output).toMatch(/from 2 processes/);
      // The database was prepared by the first process alone.
      expect(output.match(/Loaded reference data/g)).toHaveLength(1);
      const first = workers();
      expect(first).toHaveLength(2);

      const login = await fetch(`${url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: PASSWORD }) });
      expect(login.status).toBe(200);
      const cookie = login.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
      // A session made through one process is honoured by the other (connections are handed out in turn).
      for (let i = 0; i < 6; i++) expect((await fetch(`${url}/api/hazards`, { headers: { cookie, connection: 'close' } })).status).toBe(200);

      process.kill(first[0], 'SIGKILL');
      for (let i = 0; i < 100 && !/starting another/.test(output); i++) await new Promise((r) => setTimeout(r, 100));
      expect(output).toMatch(new RegExp(`Worker ${first[0]} exited \\(SIGKILL\\); starting another`));
      for (let i = 0; i < 100 && !(workers().length === 2 && !workers().includes(first[0])); i++) await new Promise((r) => setTimeout(r, 100));
      const second = workers();
      expect(second).toHaveLength(2);
      expect(second).not.toContain(first[0]);
      for (let i = 0; i < 100; i++) {
        const r = await fetch(`${url}/api/health`, { headers: { connection: 'close' } }).catch(() => null);
        if (r?.status === 200) break;
        await new Promise((res) => setTimeout(res, 100));
      }
      for (let i = 0; i < 4; i++) expect((await fetch(`${url}/api/hazards`, { headers: { cookie, connection: 'close' } })).status).toBe(200);
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
    expect(output).toMatch(/SIGTERM: shutting down/);
    // Every worker it ran has ended (none left behind, orphaned).
    const alive = (pid: number) => {
      try {
        process.kill(pid, 0);
        return true;
      } catch {
        return false;
      }
    };
    expect([...seen].filter(alive)).toEqual([]);
  });
});

/** The URL the server prints once it listens (PORT=0: the port it was given). */
function serving(child: ChildProcess, output: () => string): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no start within 60 s:\n${output()}`)), 60_000);
    const look = () => {
      const m = /serving on (http:\/\/\S+)/.exec(output());
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    };
    child.stdout!.on('data', look);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`exited ${code}:\n${output()}`));
    });
  });
}
