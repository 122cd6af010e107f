/**
 * A 双随机 draw and the inspection it makes, on the real server with the demo city, in Debian's
 * Chromium: the Pudong district office draws 5 enterprises with 2 inspectors each, replays the draw
 * and publishes it (the public page shows it without signing in); inspector-pd opens one of the
 * drawn inspections on a phone, starts it, records two findings (one with a photo) and finishes it
 * with the enterprise's signer; the office then finds both hazards on Pudong's ledger and the
 * 责令限期整改指令书 listing both, follows a bulletin figure to the list with the same total, opens
 * its annual plan and decides a filed case of the demo city with a fine. A screenshot of every step
 * lands in test-results/ (gitignored).
 */
import path from 'node:path';
import JSZip from 'jszip';
import { request } from 'playwright-core';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Draw, Inspection } from '../src/shared/contracts/enforcement';
import { announceSkip, photoFixture, runJourneys, shanghaiDay, SHOTS, startJourney } from './harness';
import type { Journey } from './harness';

const DEMO_PASSWORD = 'enforcement-demo-2026';
const STEP_TIMEOUT = 180_000;
const PHONE = { width: 390, height: 844 };
const DESK = { width: 1366, height: 800 };

announceSkip('the enforcement journey');

describe.skipIf(!runJourneys)('web journey: a random draw, and the drawn inspection on an inspector’s phone', () => {
  let j: Journey;
  let page: Page;
  let photo = '';
  let drawId = '';
  let inspection: Inspection | undefined;
  const stamp = Date.now().toString(36).toUpperCase();
  const findings = [`E2E${stamp} 二号车间配电箱门未关闭，箱内积尘`, `E2E${stamp} 危化品仓库未张贴安全周知卡`];
  const shot = (name: string) => j.shot(name);
  const api = async <T = unknown>(method: 'GET' | 'POST', url: string, data?: unknown): Promise<T> => {
    const res = await page.request.fetch(`${j.url}${url}`, { method, data, headers: { 'X-Requested-With': 'zhiben' } });
    expect(res.status(), `${method} ${url}: ${await res.text()}`).toBeLessThan(300);
    return (await res.json()) as T;
  };
  /** The page never scrolls sideways at phone width. */
  const fitsPhone = async () => expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);

  beforeAll(async () => {
    j = await startJourney({ prefix: 'enforcement', demoPassword: DEMO_PASSWORD, fullPage: true });
    page = j.page;
    photo = photoFixture(j.dataDir, 'switchboard.png', [0, 90, 200]);
  }, STEP_TIMEOUT);

  afterAll(async () => {
    await j?.close();
  });

  it(
    'pudong draws 5 enterprises with 2 inspectors each, replays the draw and publishes it',
    async () => {
      await j.login('pudong');
      await page.getByTestId('nav-menu').getByText('执法检查', { exact: true }).click();
      await page.waitForURL(/\/enforcement$/);
      await page.getByTestId('enf-inspection-table').waitFor();
      await shot('district-inspections');
      await page.getByTestId('enf-view').getByText('双随机抽查').click();
      await page.getByTestId('enf-draw-table').waitFor();
      await page.getByTestId('enf-draw-new').click();
      const form = page.getByTestId('enf-draw-form');
      await form.waitFor();
      // The district's own scope is fixed; 5 enterprises, 2 inspectors each are the defaults, typed anyway.
      expect(await form.locator('.ant-select-disabled').first().innerText()).toContain('浦东新区');
      await page.getByTestId('enf-draw-title').fill(`E2E 双随机抽查 ${stamp}`);
      await page.getByTestId('enf-draw-count').fill('5');
      await page.getByTestId('enf-draw-inspectors').fill('2');
      await shot('district-draw-form');
      const made = page.waitForResponse((r) => r.url().endsWith('/api/draws') && r.request().method() === 'POST');
      await page.getByTestId('enf-draw-submit').click();
      const answer = await made;
      expect(answer.status(), await answer.text()).toBe(201);
      const draw = (await answer.json()) as Draw;
      drawId = draw.id;
      expect(draw.assignments).toHaveLength(5);
      expect(draw.assignments.every((a) => a.inspectorIds.length === 2)).toBe(true);

      const drawer = page.getByTestId('enf-draw-drawer');
      await expect.poll(() => drawer.getByTestId('enf-draw-seed').innerText()).toContain(draw.seed);
      expect(await drawer.getByTestId('enf-draw-algorithm').innerText()).toBe(draw.algorithm);
      expect(await drawer.getByTestId('enf-draw-hash').innerText()).toContain(draw.poolHash);
      expect(await drawer.getByTestId('enf-draw-pool-size').innerText()).toBe(`5 / ${draw.poolSize}`);
      await expect.poll(() => drawer.locator('[data-testid=enf-draw-assignments] tbody tr.ant-table-row').count()).toBe(5);
      await drawer.getByTestId('enf-draw-replay').click();
      await expect.poll(() => drawer.getByTestId('enf-draw-replay-result').innerText()).toContain('复核一致');
      await shot('district-draw-replayed');
      await drawer.getByTestId('enf-draw-publish').click();
      const published = page.waitForResponse((r) => r.url().endsWith(`/api/draws/${drawId}/publish`));
      // The confirmation zooms in; on a busy machine a click during the animation can land beside the
      // button (a publish that never happens). Click until the confirmation closes: while the request
      // is pending its button is loading and takes no second click.
      const confirm = page.locator('.ant-modal-confirm .ant-btn-primary');
      await confirm.waitFor();
      await expect
        .poll(async () => {
          if (await confirm.count()) await confirm.click({ timeout: 2_000 }).catch(() => undefined);
          return confirm.count();
        }, { timeout: 30_000, interval: 1_500 })
        .toBe(0);
      expect((await published).status()).toBe(200);
      await drawer.getByTestId('enf-draw-public-link').waitFor();
      await shot('district-draw-published');

      // The public page, for anyone: a browser without a session, at phone size.
      const stranger = await j.browser.newContext({ viewport: PHONE, locale: 'zh-CN' });
      try {
        const pub = await stranger.newPage();
        await pub.goto(`${j.url}/public/draws/${drawId}`);
        await expect.poll(() => pub.locator('[data-testid=public-draw-enterprises] tbody tr.ant-table-row').count()).toBe(5);
        expect(await pub.getByTestId('public-draw-seed').innerText()).toContain(draw.seed);
        expect(await pub.getByTestId('public-draw-pool').innerText()).toBe(String(draw.poolSize));
        const names = await pub.locator('[data-testid=public-draw-enterprises] tbody').innerText();
        for (const e of draw.enterprises) expect(names).toContain(e.name);
        // Names and dates only: not who inspects.
        for (const a of draw.assignments) for (const n of a.inspectorNames) expect(await pub.locator('body').innerText()).not.toContain(n);
        await pub.screenshot({ path: path.join(SHOTS, 'enforcement-public-draw-phone.png'), fullPage: true });
      } finally {
        await stranger.close();
      }
    },
    STEP_TIMEOUT,
  );

  it(
    'an inspection of the draw falls to inspector-pd (another draw through the API until one does)',
    async () => {
      // inspector-pd's id, as it knows itself.
      const own = await request.newContext({ baseURL: j.url, extraHTTPHeaders: { 'X-Requested-With': 'zhiben' } });
      let inspectorId = '';
      try {
        const login = await own.post('/api/auth/login', { data: { username: 'inspector-pd', password: DEMO_PASSWORD } });
        expect(login.status(), await login.text()).toBe(200);
        inspectorId = ((await (await own.get('/api/me')).json()) as { id: string }).id;
      } finally {
        await own.dispose();
      }
      for (let attempt = 1; attempt <= 5 && !inspection; attempt++) {
        if (attempt > 1) drawId = (await api<Draw>('POST', '/api/draws', { title: `E2E 补抽 ${stamp}-${attempt}`, filter: { districtCode: '310115' }, count: 5, inspectorsPerInspection: 2 })).id;
        const list = await api<{ items: Inspection[] }>('GET', `/api/inspections?drawId=${drawId}&pageSize=20`);
        expect(list.items).toHaveLength(5);
        expect(list.items.every((i) => i.type === 'random' && i.status === 'planned')).toBe(true);
        inspection = list.items.find((i) => i.inspectorIds.includes(inspectorId));
      }
      expect(inspection, 'none of five draws gave inspector-pd an inspection').toBeDefined();
      await page.goto(`${j.url}/enforcement?view=draws`);
      await j.logout();
    },
    STEP_TIMEOUT,
  );

  it(
    'inspector-pd, on a phone, starts the inspection, records two findings (one with a photo) and finishes it with a signer',
    async () => {
      const ins = inspection!;
      await page.setViewportSize(PHONE);
      await j.login('inspector-pd');
      // An inspector's list is their own; today's inspections at a touch.
      await page.goto(`${j.url}/enforcement`);
      await page.getByTestId('enf-today').click();
      const row = page.locator('[data-testid=enf-inspection-table] tbody tr.ant-table-row', { hasText: ins.enterpriseName });
      await row.first().waitFor();
      expect(await page.getByTestId('enf-mine').isChecked()).toBe(true);
      await fitsPhone();
      await shot('inspector-list-phone');
      await page.goto(`${j.url}/enforcement/inspections/${ins.id}`);
      await expect.poll(() => page.getByTestId('page-title').innerText()).toBe(ins.enterpriseName);
      expect(await page.getByTestId('inspection-status').innerText()).toBe('待检查');
      await page.getByTestId('enf-ins-enterprise').waitFor();
      await fitsPhone();
      await shot('inspector-inspection-planned');

      await page.getByTestId('enf-ins-start').click();
      await expect.poll(() => page.getByTestId('inspection-status').innerText()).toBe('检查中');
      await page.getByTestId('enf-ins-record').waitFor();

      // The first finding: a deadline a week ahead (into the order) and a photo.
      await page.getByTestId('enf-finding-1-description').fill(findings[0]);
      await page.getByTestId('enf-finding-1-location').fill('二号车间东侧');
      const deadline = shanghaiDay(7);
      await page.getByTestId('enf-finding-1-deadline').click();
      if (deadline.slice(0, 7) !== shanghaiDay(0).slice(0, 7)) await page.locator('.ant-picker-dropdown:visible .ant-picker-header-next-btn').click();
      await page.locator(`.ant-picker-dropdown:visible td[title="${deadline}"]`).click();
      const uploaded = page.waitForResponse((r) => r.url().endsWith('/api/files') && r.request().method() === 'POST');
      await page.locator('[data-testid=enf-finding-1-photos] .zb-evidence-photos input[type=file]').setInputFiles(photo);
      expect((await uploaded).status()).toBe(201);
      await expect.poll(() => page.locator('[data-testid=enf-finding-1-photos] .ant-upload-list-item-done').count()).toBe(1);
      // The second, without a photo.
      await page.getByTestId('enf-finding-add').click();
      await page.getByTestId('enf-finding-2-description').fill(findings[1]);
      await page.getByTestId('enf-finding-2-location').fill('危化品仓库');
      await fitsPhone();
      await shot('inspector-findings-filled');

      const recorded = page.waitForResponse((r) => r.url().endsWith(`/api/inspections/${ins.id}/findings`));
      await page.getByTestId('enf-finding-submit').click();
      const rec = await recorded;
      expect(rec.status(), await rec.text()).toBeLessThan(300);
      expect(((await rec.json()) as { hazardIds: string[] }).hazardIds).toHaveLength(2);
      const links = page.getByTestId('enf-finding-link');
      await expect.poll(() => links.count()).toBe(2);
      for (const code of await links.allInnerTexts()) expect(code).toMatch(/^YH-310115-\d{4}-\d{6}$/);
      expect(await page.getByTestId('enf-finding-photo').count()).toBe(1);
      await shot('inspector-findings-recorded');

      await page.getByTestId('enf-ins-signer').fill('张建国');
      const finished = page.waitForResponse((r) => r.url().endsWith(`/api/inspections/${ins.id}/actions/finish`));
      await page.getByTestId('enf-ins-finish').click();
      const fin = await finished;
      expect(fin.status(), await fin.text()).toBe(200);
      await expect.poll(() => page.getByTestId('inspection-status').innerText()).toBe('已完成');
      expect(await page.getByTestId('enf-ins-signature').innerText()).toContain('张建国');
      expect(await page.getByTestId('enf-ins-record').count()).toBe(0);
      await page.getByTestId('enf-ins-order-docx').waitFor();
      await fitsPhone();
      await shot('inspector-finished');

      // A finding opens its hazard on the ledger.
      await links.first().click();
      await page.waitForURL(/\/hazards\/[0-9a-f-]{36}$/);
      await page.getByTestId('hazard-timeline').waitFor();
      await shot('inspector-hazard');
      await j.logout();
      await page.setViewportSize(DESK);
    },
    STEP_TIMEOUT,
  );

  it(
    'pudong finds both hazards on its ledger and the 指令书 lists both findings; a bulletin figure opens its list; a case is decided',
    async () => {
      const ins = inspection!;
      await j.login('pudong');
      for (const description of findings) {
        const list = await api<{ items: { code: string; districtCode: string; source: string; description: string; enterpriseId: string }[] }>(
          'GET',
          `/api/hazards?districtCode=310115&source=enforcement_inspection&q=${encodeURIComponent(description.slice(0, 12))}&status=reported,rectifying,pending_acceptance,closed`,
        );
        const mine = list.items.filter((h) => h.description === description);
        expect(mine, description).toHaveLength(1);
        expect(mine[0]).toMatchObject({ districtCode: '310115', source: 'enforcement_inspection', enterpriseId: ins.enterpriseId });
      }

      const res = await page.request.get(`${j.url}/api/inspections/${ins.id}/order.docx`, { headers: { 'X-Requested-With': 'zhiben' } });
      expect(res.status()).toBe(200);
      expect(res.headers()['content-type']).toContain('wordprocessingml');
      const xml = await (await JSZip.loadAsync(await res.body())).file('word/document.xml')!.async('string');
      const text = xml.replace(/<[^>]+>/g, '');
      for (const description of findings) expect(text).toContain(description);

      // The same inspection at desk size, and the office's other screens.
      await page.goto(`${j.url}/enforcement/inspections/${ins.id}`);
      await page.getByTestId('enf-finding-link').first().waitFor();
      expect(await page.getByTestId('enf-finding-link').count()).toBe(2);
      await shot('district-inspection-desk');
      await page.goto(`${j.url}/enforcement?view=draws&draw=${drawId}`);
      await page.getByTestId('enf-draw-assignments').waitFor();
      await shot('district-draw-desk');
      await page.goto(`${j.url}/enforcement?view=bulletin`);
      await page.getByTestId('enf-bul-inspections').waitFor();
      await shot('district-bulletin');
      // The bulletin's count of inspections opens the list that totals it.
      const n = Number(await page.getByTestId('enf-bul-inspections').getAttribute('data-value'));
      expect(n).toBeGreaterThanOrEqual(1);
      await page.getByTestId('enf-bul-inspections').click();
      await page.waitForURL(/view=inspections&status=finished/);
      await expect.poll(() => page.locator('.ant-pagination-total-text').innerText(), { timeout: 20_000 }).toBe(`共 ${n} 条`);
      await shot('district-bulletin-list');
      // So does its count of hazards found: the findings list, each opening on the ledger.
      await page.goto(`${j.url}/enforcement?view=bulletin`);
      const hazards = Number(await page.getByTestId('enf-bul-hazards').getAttribute('data-value'));
      expect(hazards).toBeGreaterThanOrEqual(2);
      await page.getByTestId('enf-bul-hazards').click();
      await page.waitForURL(/view=findings/);
      await expect.poll(() => page.locator('.ant-pagination-total-text').innerText(), { timeout: 20_000 }).toBe(`共 ${hazards} 条`);
      await shot('district-bulletin-findings');
      const plans = page.waitForResponse((r) => r.url().includes('/api/inspection-plans?'));
      await page.goto(`${j.url}/enforcement?view=plans`);
      const planList = (await (await plans).json()) as { items: unknown[] };
      await page.getByTestId('enf-plan-table').waitFor();
      await shot('district-plans');
      // The demo city's plan of the year, if it has one: its coverage and enterprises.
      const plan = page.locator('[data-testid=enf-plan-table] tbody tr.ant-table-row').first();
      if (planList.items.length) {
        await plan.click();
        await page.getByTestId('enf-plan-figures').waitFor();
        await page.locator('[data-testid=enf-plan-items] tbody tr.ant-table-row').first().waitFor();
        await shot('district-plan-detail');
      }
      const cases = page.waitForResponse((r) => r.url().includes('/api/cases?'));
      await page.goto(`${j.url}/enforcement?view=cases`);
      const caseList = (await (await cases).json()) as { items: { status: string }[] };
      await page.getByTestId('enf-case-table').waitFor();
      // A filed case of the demo city, decided with a fine inside the discretion band.
      const filed = page.locator('[data-testid=enf-case-table] tbody tr.ant-table-row', { hasText: '已立案' }).first();
      if (caseList.items.some((c) => c.status === 'filed')) {
        await filed.click();
        const drawer = page.getByTestId('enf-case-drawer');
        await drawer.getByTestId('enf-case-action-decide').click();
        const band = (await api<{ items: { label: string; minYuan: number; maxYuan: number }[] }>('GET', '/api/enforcement/discretion')).items[0];
        const circumstance = page.getByTestId('enf-case-circumstance');
        const option = page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: band.label });
        // Chosen: the modal shows it (the options themselves sit outside the modal). A click on the option
        // can land during the dropdown's opening animation and not take (seen once under load): tried again.
        for (let attempt = 1; ; attempt++) {
          if (!(await option.isVisible())) await circumstance.click();
          await option.click();
          try {
            await expect.poll(() => page.locator('.ant-modal-container').innerText(), { timeout: 5_000 }).toContain(band.label);
            break;
          } catch (err) {
            if (attempt === 3) throw err;
          }
        }
        await page.getByTestId('enf-case-fine').fill(String(Math.round((band.minYuan + band.maxYuan) / 2)));
        await shot('district-case-decide');
        const decided = page.waitForResponse((r) => /\/api\/cases\/[^/]+\/actions\/decide$/.test(r.url()));
        await page.getByTestId('enf-case-step-submit').click();
        const d = await decided.catch(async (err: unknown) => {
          await page.screenshot({ path: path.join(SHOTS, 'enforcement-decide-failed.png') });
          throw err;
        });
        expect(d.status(), await d.text()).toBe(200);
        await expect.poll(() => drawer.getByTestId('case-status').innerText(), { timeout: 20_000 }).toBe('已决定');
        await drawer.getByTestId('enf-case-decision-docx').waitFor();
        await shot('district-case-decided');
      }
      await page.goto(`${j.url}/enforcement?view=matrix`);
      await page.getByTestId('enf-matrix-table').waitFor();
      await shot('district-matrix');
      await page.goto(`${j.url}/cockpit/districts/310115`);
      await page.getByTestId('enf-fig-inspections').waitFor();
      await shot('district-cockpit');
    },
    STEP_TIMEOUT,
  );
});
