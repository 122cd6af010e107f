/**
 * What every browser journey needs: Debian's Chromium (without it a journey is skipped, loudly,
 * except under CI, where it must fail), the web app built when it is missing or stale, the real
 * server on the demo city in a throwaway directory, a signed-out browser page, and a numbered
 * screenshot per step in test-results/ (gitignored).
 */
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { encodePng } from '../src/server/modules/reports/bar-chart';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const CHROMIUM = '/usr/bin/chromium';
export const SHOTS = path.join(ROOT, 'test-results');
export const hasChromium = existsSync(CHROMIUM);
/** For describe.skipIf(!runJourneys): always under CI (where a missing Chromium then fails), elsewhere with Chromium. */
export const runJourneys = hasChromium || !!process.env.CI;

/** Call at the top of a journey file: says out loud that it will not run. */
export function announceSkip(journey: string): void {
  if (runJourneys) return;
  console.warn(
    `\n\u001b[33m!!! ${CHROMIUM} is missing: ${journey} is SKIPPED. Install it with \`apt-get install -y chromium fonts-noto-cjk\`. !!!\u001b[0m\n`,
  );
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

function webIsFresh(): boolean {
  const index = path.join(ROOT, 'dist/web/index.html');
  if (!existsSync(index)) return false;
  const built = statSync(index).mtimeMs;
  const sources = ['src/web', 'src/shared'].map((d) => path.join(ROOT, d));
  return sources.every((d) => newestMtime(d) <= built) && statSync(path.join(ROOT, 'vite.config.ts')).mtimeMs <= built;
}

const LOCK = path.join(ROOT, 'dist/.web-build.lock');
const STALE_LOCK_MS = 5 * 60_000;

/**
 * `npm test` builds first; a lone run of the journeys builds the web app only when it is missing
 * or stale. The journeys run in parallel: one builds (a directory is the lock, as mkdir is atomic),
 * the others wait for it instead of emptying dist/web under each other.
 */
export async function ensureWebBuilt(): Promise<void> {
  if (webIsFresh()) return;
  mkdirSync(path.dirname(LOCK), { recursive: true });
  const deadline = Date.now() + STALE_LOCK_MS;
  for (;;) {
    try {
      mkdirSync(LOCK);
      break;
    } catch {
      // Another journey is building; a lock older than any build is a crashed run's.
      if (existsSync(LOCK) && Date.now() - statSync(LOCK).mtimeMs > STALE_LOCK_MS) rmSync(LOCK, { recursive: true, force: true });
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${LOCK}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  try {
    if (webIsFresh()) return;
    const { build } = await import('vite');
    await build({ configFile: path.join(ROOT, 'vite.config.ts'), logLevel: 'warn' });
  } finally {
    rmSync(LOCK, { recursive: true, force: true });
  }
}

export interface Journey {
  url: string;
  browser: Browser;
  context: BrowserContext;
  page: Page;
  /** the server's data directory, thrown away at the end; fixtures may go in a subdirectory */
  dataDir: string;
  /** test-results/<prefix>-NN-<name>.png */
  shot(name: string): Promise<void>;
  /** signs in through the login page and waits for the shell */
  login(username: string): Promise<void>;
  logout(): Promise<void>;
  /** GET an API path as the signed-in user (the page's cookies); anything but 200 fails with the answer. */
  getJson<T = unknown>(path: string): Promise<T>;
  /**
   * Types a day (YYYY-MM-DD) into an antd date picker and confirms it with Enter, which closes the
   * calendar. (A click on the day's cell was once lost under load while a drawer re-rendered.)
   */
  pickDate(input: Locator, day: string): Promise<void>;
  close(): Promise<void>;
}

export interface JourneyOptions {
  /** screenshot file prefix: journey, hazard, import … */
  prefix: string;
  /** every demo account's password for this run */
  demoPassword: string;
  fullPage?: boolean;
}

/** The contents of every file under the directories, hashed in path order (what the demo city is made from). */
function treeHash(dirs: string[]): string {
  const h = createHash('sha256');
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(p);
      else if (!entry.name.endsWith('.test.ts')) h.update(p).update(readFileSync(p));
    }
  };
  for (const d of dirs) walk(d);
  return h.digest('hex').slice(0, 16);
}

const TEMPLATE_PASSWORD = 'template-demo-2026';

/**
 * The demo city, made once per run and copied into each journey's directory (a journey then starts in
 * a second rather than in the half-minute the demo takes to make): keyed by the server's code, the
 * reference data and the day, so a change to either makes a new one. One journey makes it (a directory
 * is the lock), the others wait.
 */
async function demoTemplate(): Promise<string> {
  const key = `${treeHash([path.join(ROOT, 'src/server'), path.join(ROOT, 'src/shared'), path.join(ROOT, 'reference')])}-${new Date().toISOString().slice(0, 10)}`;
  const dir = path.join(tmpdir(), `zhiben-demo-template-${key}`);
  const ready = path.join(dir, '.ready');
  const lock = `${dir}.lock`;
  for (let i = 0; ; i++) {
    if (existsSync(ready)) return dir;
    try {
      mkdirSync(lock);
    } catch {
      // Another journey is making it; a lock left by a run that died is taken over after a while.
      if (i > 0 && Date.now() - statSync(lock).mtimeMs > STALE_LOCK_MS) rmSync(lock, { recursive: true, force: true });
      await new Promise((r) => setTimeout(r, 500));
      continue;
    }
    try {
      const building = `${dir}.building`;
      rmSync(building, { recursive: true, force: true });
      // Templates of other code or days are not used again.
      for (const old of readdirSync(tmpdir())) if (/^zhiben-demo-template-[0-9a-f]{16}-\d{4}-\d{2}-\d{2}$/.test(old) && path.join(tmpdir(), old) !== dir) rmSync(path.join(tmpdir(), old), { recursive: true, force: true });
      const { startZhiben } = await import('../src/server/server');
      const server = await startZhiben({ dataDir: building, demo: true, port: 0, env: { ...process.env, ZHIBEN_DEMO_PASSWORD: TEMPLATE_PASSWORD, DATABASE_URL: '' } });
      await server.close();
      renameSync(building, dir);
      writeFileSync(ready, new Date().toISOString());
      return dir;
    } finally {
      rmSync(lock, { recursive: true, force: true });
    }
  }
}

/** The journey's own demo password on every demo account of its copy (one hash, one statement). */
async function setDemoPassword(dataDir: string, password: string): Promise<void> {
  const { hashPassword } = await import('../src/server/auth/password');
  const { default: Sqlite } = await import('better-sqlite3');
  const db = new Sqlite(path.join(dataDir, 'zhiben.db'));
  try {
    db.prepare("update users set password_hash = ? where username <> 'admin'").run(await hashPassword(password));
  } finally {
    db.close();
  }
}

/** Builds if needed, starts the server on the demo city and a browser; call from beforeAll. */
export async function startJourney(opts: JourneyOptions): Promise<Journey> {
  if (!hasChromium) throw new Error(`CI is set but ${CHROMIUM} is missing: the browser journeys cannot be skipped on CI.`);
  mkdirSync(SHOTS, { recursive: true });
  await ensureWebBuilt();
  const dataDir = mkdtempSync(path.join(tmpdir(), `zhiben-${opts.prefix}-journey-`));
  cpSync(await demoTemplate(), dataDir, { recursive: true });
  await setDemoPassword(dataDir, opts.demoPassword);
  const { startZhiben } = await import('../src/server/server');
  let server: Awaited<ReturnType<typeof startZhiben>> | undefined;
  let browser: Browser | undefined;
  const cleanup = async () => {
    await browser?.close();
    await server?.close();
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    server = await startZhiben({
      dataDir,
      demo: true,
      port: 0,
      // The demo city goes into a throwaway SQLite file, whatever DATABASE_URL the shell has.
      env: { ...process.env, ZHIBEN_DEMO_PASSWORD: opts.demoPassword, DATABASE_URL: '' },
    });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  } catch (err) {
    await cleanup();
    throw err;
  }
  const context = await browser.newContext({ viewport: { width: 1366, height: 800 }, locale: 'zh-CN', acceptDownloads: true });
  const page = await context.newPage();
  // The server's Content-Security-Policy is on: whatever it blocks (an inline style without the
  // nonce, a script from elsewhere) is a defect, reported by Chromium on the console.
  const violations: string[] = [];
  page.on('console', (m) => {
    if (/Content Security Policy|Content-Security-Policy/i.test(m.text())) violations.push(m.text());
  });
  const checkPolicy = () => {
    if (violations.length) throw new Error(`Content-Security-Policy violations:\n${violations.splice(0).join('\n')}`);
  };
  // Generous: the suite runs journeys beside other test files on two cores, and waits are not speed checks.
  page.setDefaultTimeout(40_000);
  page.setDefaultNavigationTimeout(40_000);
  const url = server.url;
  let step = 0;

  return {
    url,
    browser,
    context,
    page,
    dataDir,
    async pickDate(input, day) {
      await input.click();
      await input.fill(day);
      await input.press('Enter');
      await page.locator('.ant-picker-dropdown:visible').waitFor({ state: 'hidden' });
    },
    async shot(name) {
      step += 1;
      await page.screenshot({ path: path.join(SHOTS, `${opts.prefix}-${String(step).padStart(2, '0')}-${name}.png`), fullPage: opts.fullPage ?? false });
      checkPolicy();
    },
    async login(username) {
      await page.goto(`${url}/login`);
      await page.getByTestId('login-username').fill(username);
      await page.getByTestId('login-password').fill(opts.demoPassword);
      await page.getByTestId('login-submit').click();
      await page.waitForURL((u) => !u.pathname.startsWith('/login'));
      await page.getByTestId('user-menu').waitFor();
    },
    async getJson<T>(path: string) {
      const res = await page.request.fetch(`${url}${path}`, { headers: { 'X-Requested-With': 'zhiben' } });
      if (res.status() !== 200) throw new Error(`GET ${path}: ${res.status()} ${await res.text()}`);
      return (await res.json()) as T;
    },
    async logout() {
      // Retried: under load a click during the menu's entrance animation can miss (no request goes out).
      for (let attempt = 1; ; attempt++) {
        await page.getByTestId('user-menu').click();
        const item = page.getByTestId('logout');
        await item.waitFor({ state: 'visible' });
        const answered = page.waitForResponse((r) => r.url().endsWith('/api/auth/logout'), { timeout: 8_000 }).catch(() => null);
        await item.click();
        if (await answered) break;
        if (attempt === 3) {
          await page.screenshot({ path: path.join(SHOTS, `${opts.prefix}-logout-failed.png`) }).catch(() => undefined);
          throw new Error(`sign-out sent no request after ${attempt} clicks (at ${page.url()})`);
        }
        await page.keyboard.press('Escape');
      }
      await page.waitForURL(/\/login$/);
    },
    async close() {
      await cleanup();
      checkPolicy();
    },
  };
}

/** A day in Asia/Shanghai, offset from today, as YYYY-MM-DD. */
export function shanghaiDay(offsetDays: number): string {
  return new Date(Date.now() + 8 * 3_600_000 + offsetDays * 86_400_000).toISOString().slice(0, 10);
}

/**
 * A small real PNG (a 48-pixel coloured gradient) in the data directory's fixtures/, so that the
 * server's content sniffing takes it for an image; returns its path.
 */
export function photoFixture(dataDir: string, name: string, tint: [number, number, number] = [0, 0, 120]): string {
  const size = 48;
  const pixels = new Uint8Array(size * size * 3);
  for (let y = 0; y < size; y++) for (let x = 0; x < size; x++) pixels.set([(tint[0] + x * 5) & 0xff, (tint[1] + y * 5) & 0xff, tint[2]], (y * size + x) * 3);
  const dir = path.join(dataDir, 'fixtures');
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, name);
  writeFileSync(file, encodePng(size, size, pixels));
  return file;
}
