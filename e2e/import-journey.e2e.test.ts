/**
 * A hazard ledger through 数据导入, on the real server with the demo city, in Debian's Chromium:
 * the district office downloads the template, fills it (three real Pudong enterprises, an
 * enterprise that does not exist, a date that does not exist), uploads it, sees the preview (three
 * to create, two errors with their messages), confirms, sees the import complete, finds the rows in
 * the ledger and exports the filtered ledger to Excel through an export job: its progress panel,
 * the same progress after a reload, the file downloaded when done, a refusal over the row limit,
 * and an empty selection. A screenshot of every step lands in test-results/import-NN-*.png
 * (gitignored).
 */
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import type { Download, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Enterprise } from '../src/shared/contracts/enterprises';
import { announceSkip, runJourneys, startJourney, shanghaiDay } from './harness';
import type { Journey } from './harness';

const DEMO_PASSWORD = 'import-demo-2026';
const STEP_TIMEOUT = 120_000;
const NO_SUCH_ENTERPRISE = '企业不存在或不在您的管辖范围内';
const NO_SUCH_DATE = '日期不存在：2024-02-30';

announceSkip('the import journey');


/** Every cell of every row of a workbook's first sheet, as text. */
async function sheetRows(file: string): Promise<string[][]> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(file);
  const rows: string[][] = [];
  wb.worksheets[0].eachRow((row) => {
    const cells: string[] = [];
    row.eachCell({ includeEmpty: true }, (c) => cells.push(c.text));
    rows.push(cells);
  });
  return rows;
}

describe.skipIf(!runJourneys)('web journey: a district office imports a hazard ledger and exports it', () => {
  let j: Journey;
  let page: Page;
  let fixtures = '';
  let template = '';
  let ledger = '';
  let enterprises: Enterprise[] = [];
  const marker = `IMP${Date.now().toString(36).toUpperCase()}`;
  const description = (i: number) => `消防通道堆放杂物，应急照明损坏（${marker} 第${i}处）`;
  const shot = (name: string) => j.shot(name);
  const count = (kind: string) => page.getByTestId(`import-count-${kind}`).locator('.ant-statistic-content-value').innerText();

  /** How many hazards the ledger counts under these filters (what the list says as 共 N 条). */
  const ledgerTotal = async (query: Record<string, string>): Promise<number> => {
    const res = await page.request.get(`${j.url}/api/hazards?${new URLSearchParams({ ...query, pageSize: '1' })}`, { headers: { 'X-Requested-With': 'zhiben' } });
    expect(res.ok()).toBe(true);
    return ((await res.json()) as { total: number }).total;
  };

  /** A screenshot of the export panel once its bar has finished sliding to its width. */
  const shotPanel = async (name: string) => {
    const sliding = () =>
      page.getByTestId('export-panel').evaluate((el) => el.getAnimations({ subtree: true }).filter((a) => a instanceof CSSTransition).length);
    await expect.poll(sliding).toBe(0);
    await shot(name);
  };

  /** Clicks something that downloads and saves the file among the fixtures. */
  const download = async (testId: string): Promise<{ file: string; download: Download }> => {
    const started = page.waitForEvent('download');
    await page.getByTestId(testId).click();
    const d = await started;
    expect(await d.failure()).toBeNull();
    const file = path.join(fixtures, `${testId}-${d.suggestedFilename()}`);
    await d.saveAs(file);
    return { file, download: d };
  };

  beforeAll(async () => {
    j = await startJourney({ prefix: 'import', demoPassword: DEMO_PASSWORD, fullPage: true });
    page = j.page;
    fixtures = path.join(j.dataDir, 'fixtures');
    mkdirSync(fixtures);
  }, STEP_TIMEOUT);

  afterAll(async () => {
    await j?.close();
  });

  it(
    'opens 数据导入 and downloads the hazard template',
    async () => {
      await j.login('pudong');
      await page.getByRole('menuitem', { name: '数据导入' }).click();
      await page.waitForURL(/\/imports$/);
      await page.getByTestId('import-dragger').waitFor();
      // A district office may import both; the hazard ledger is the first choice.
      expect(await page.locator('[data-testid=import-kind] .ant-radio-button-wrapper-checked').innerText()).toBe('隐患台账');
      await shot('start');

      const { file, download: d } = await download('import-template');
      expect(d.suggestedFilename()).toMatch(/\.xlsx$/);
      // An .xlsx is a zip: it starts with PK.
      expect(readFileSync(file).subarray(0, 2).toString('latin1')).toBe('PK');
      template = file;
      const header = (await sheetRows(template))[0].map((h) => h.replace(/\*$/, ''));
      expect(header).toEqual(expect.arrayContaining(['单位名称', '统一社会信用代码', '隐患描述', '隐患级别', '发现时间']));
    },
    STEP_TIMEOUT,
  );

  it(
    'fills the template with three Pudong enterprises and two bad rows',
    async () => {
      const res = await page.request.get(`${j.url}/api/enterprises?districtCode=310115&pageSize=3&sort=name`, {
        headers: { 'X-Requested-With': 'zhiben' },
      });
      expect(res.ok()).toBe(true);
      enterprises = ((await res.json()) as { items: Enterprise[] }).items;
      expect(enterprises).toHaveLength(3);

      const wb = new ExcelJS.Workbook();
      await wb.xlsx.readFile(template);
      const sheet = wb.worksheets[0];
      const column: Record<string, number> = {};
      sheet.getRow(1).eachCell((c, n) => (column[String(c.value).replace(/\*$/, '')] = n));
      const put = (row: number, values: Record<string, string>) => {
        for (const [header, value] of Object.entries(values)) {
          expect(column[header], header).toBeDefined();
          sheet.getRow(row).getCell(column[header]).value = value;
        }
      };
      enterprises.forEach((e, i) =>
        put(i + 2, {
          单位名称: e.name,
          统一社会信用代码: e.uscc,
          隐患描述: description(i + 1),
          隐患部位: '一号仓库',
          隐患级别: '一般',
          隐患来源: '日常检查',
          发现时间: shanghaiDay(-3),
          整改期限: shanghaiDay(30),
          整改状态: '整改中',
          整改责任人: '王强',
        }),
      );
      // Row 5: an enterprise nobody registered. Row 6: the 30th of February.
      put(5, { 单位名称: `上海${marker}并不存在有限公司`, 隐患描述: description(4), 隐患级别: '一般', 发现时间: shanghaiDay(-2) });
      put(6, { 单位名称: enterprises[0].name, 统一社会信用代码: enterprises[0].uscc, 隐患描述: description(5), 隐患级别: '一般', 发现时间: '2024-02-30' });
      ledger = path.join(fixtures, '浦东隐患台账.xlsx');
      await wb.xlsx.writeFile(ledger);
    },
    STEP_TIMEOUT,
  );

  it(
    'uploads it and sees the preview: three to create, two errors with their messages',
    async () => {
      await page.locator('[data-testid=import-dragger] input[type=file]').setInputFiles(ledger);
      await page.waitForURL(/\/imports\/[0-9a-f-]{36}$/);
      await page.getByTestId('import-preview').waitFor();
      expect(await count('create')).toBe('3');
      expect(await count('update')).toBe('0');
      expect(await count('error')).toBe('2');
      const errorRows = page.locator('[data-testid=import-error-table] tbody tr.ant-table-row');
      await expect.poll(() => errorRows.count()).toBe(2);
      const [first, second] = await errorRows.allInnerTexts();
      expect(first).toMatch(/^5\b/);
      expect(first).toContain(NO_SUCH_ENTERPRISE);
      expect(second).toMatch(/^6\b/);
      expect(second).toContain(NO_SUCH_DATE);
      // The faulty cells are marked among the row's original cells.
      expect(await page.locator('[data-testid=import-error-table] td.zb-import-cell-bad').allInnerTexts()).toEqual([`上海${marker}并不存在有限公司`, '2024-02-30']);
      await shot('preview');

      // The job is in the address: a reload comes back to the same preview.
      await page.reload();
      await page.getByTestId('import-preview').waitFor();
      expect(await count('create')).toBe('3');
      await expect.poll(() => errorRows.count()).toBe(2);

      // The rows in error come back as a sheet to correct: the original cells and what is wrong.
      const { file } = await download('import-download-errors');
      const rows = await sheetRows(file);
      expect(rows).toHaveLength(3);
      expect(rows[0]).toEqual(expect.arrayContaining(['原行号', '错误说明']));
      expect(rows[1].join('|')).toContain(NO_SUCH_ENTERPRISE);
      expect(rows[2].join('|')).toContain(NO_SUCH_DATE);
    },
    STEP_TIMEOUT,
  );

  it(
    'confirms the import and sees it complete',
    async () => {
      const committed = page.waitForResponse((r) => r.url().endsWith('/commit') && r.request().method() === 'POST');
      await page.getByTestId('import-commit').click();
      expect((await committed).status()).toBe(202);
      await page.getByTestId('import-done').waitFor();
      expect(await page.getByTestId('import-done-detail').innerText()).toContain('新增 3 条');
      expect(await page.getByTestId('import-steps').locator('.ant-steps-item-finish').count()).toBe(4);
      await shot('done');
    },
    STEP_TIMEOUT,
  );

  it(
    'finds the imported rows in the ledger',
    async () => {
      await page.getByTestId('import-open-list').click();
      // Everything the import wrote, whatever its status: the ledger opens on 全部 from here.
      await page.waitForURL(/\/hazards\?view=all&sort=-createdAt$/);
      const rows = page.locator('[data-testid=hazard-table] tbody tr.ant-table-row');
      await rows.first().waitFor();
      await page.getByTestId('hazard-search').fill(marker);
      await page.waitForURL((u) => u.searchParams.get('q') === marker);
      // Newest first, the imported rows head the unfiltered list too: wait for the search's answer, three rows only.
      await expect.poll(async () => (await rows.allInnerTexts()).map((r) => r.includes(marker))).toEqual([true, true, true]);
      const texts = (await rows.allInnerTexts()).join('\n');
      for (const e of enterprises) expect(texts).toContain(e.name);
      await shot('ledger');
    },
    STEP_TIMEOUT,
  );

  it(
    'exports the filtered ledger to Excel through an export job, with its progress',
    async () => {
      const started = page.waitForRequest((r) => r.method() === 'POST' && new URL(r.url()).pathname === '/api/hazards/exports');
      const { file, download: d } = await download('hazard-export');
      // The job takes exactly the list's filters (and its sort), not its page.
      const post = await started;
      expect(Object.fromEntries(new URL(post.url()).searchParams)).toEqual({ q: marker, sort: '-createdAt' });
      expect(post.headers()['x-requested-with']).toBe('zhiben');
      expect((await post.response())?.status()).toBe(202);

      // The panel stays once the file has gone to the browser: done, every row written, and a link in case the download was blocked.
      const panel = page.getByTestId('export-panel');
      await expect.poll(() => panel.getAttribute('data-state')).toBe('done');
      const total = await ledgerTotal({ q: marker });
      expect(total).toBe(3);
      expect(await page.getByTestId('export-rows').innerText()).toBe(`已写入 ${total} / ${total} 行`);
      expect(await panel.getByRole('progressbar').getAttribute('aria-valuenow')).toBe('100');
      expect(await panel.locator('.ant-progress-status-success').count()).toBe(1);
      expect(await page.getByTestId('export-download').getAttribute('href')).toMatch(/^\/api\/exports\/[0-9a-f-]{36}\/file$/);
      await shotPanel('export-done');

      expect(d.suggestedFilename()).toMatch(/^隐患台账-\d{8}\.xlsx$/);
      const rows = await sheetRows(file);
      // Nothing but what the filters select: the header and one row per hazard the ledger counts.
      expect(rows).toHaveLength(total + 1);
      const imported = rows.filter((r) => r.some((c) => c.includes(marker)));
      expect(imported).toHaveLength(3);
      for (let i = 1; i <= 3; i++) expect(imported.some((r) => r.includes(description(i)))).toBe(true);

      await page.getByTestId('export-close').click();
      await panel.waitFor({ state: 'detached' });
    },
    STEP_TIMEOUT,
  );

  it(
    'keeps showing a running export across a reload and a visit to another page, then downloads it',
    async () => {
      // The demo ledger is written in a moment: while `holding`, the job's answers are held at
      // "running" with 40 % of the rows, as a large ledger would show them for a while.
      let holding = true;
      const polls: string[] = [];
      await page.route(/\/api\/exports\/[^/]+$/, async (route) => {
        polls.push(route.request().url());
        const res = await route.fetch();
        const job = (await res.json()) as { rowsTotal: number };
        await route.fulfill({ response: res, json: holding ? { ...job, status: 'running', rowsWritten: Math.floor(job.rowsTotal * 0.4), size: null } : job });
      });
      try {
        await page.getByRole('menuitem', { name: '隐患台账' }).click();
        await page.waitForURL((u) => u.pathname === '/hazards' && u.search === '');
        // The ledger opens on the open work (在办), not the three rows the search had left.
        await expect.poll(() => page.locator('[data-testid=hazard-table] tbody tr.ant-table-row').count()).toBeGreaterThan(3);
        const total = await ledgerTotal({ status: 'reported,rectifying,pending_acceptance' });
        expect(total).toBeGreaterThan(3);

        const started = page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/api/hazards/exports');
        await page.getByTestId('hazard-export').click();
        const job = (await (await started).json()) as { id: string; rowsTotal: number };
        expect(job.rowsTotal).toBe(total);
        const panel = page.getByTestId('export-panel');
        const running = async () => {
          await expect.poll(() => panel.getAttribute('data-state')).toBe('running');
          const written = Math.floor(total * 0.4);
          await expect.poll(() => page.getByTestId('export-rows').innerText()).toBe(`已写入 ${written.toLocaleString('en-US')} / ${total.toLocaleString('en-US')} 行`);
          const percent = Math.floor((written / total) * 100);
          expect(await panel.getByRole('progressbar').getAttribute('aria-valuenow')).toBe(String(percent));
          expect(await panel.locator('.ant-progress-indicator').innerText()).toBe(`${percent}%`);
          // One export at a time; the panel cannot be closed while the server writes.
          expect(await page.getByTestId('hazard-export').getAttribute('class')).toContain('ant-btn-loading');
          expect(await page.getByTestId('export-close').count()).toBe(0);
        };
        await running();
        expect(await page.evaluate(() => Object.entries(sessionStorage).filter(([k]) => k.startsWith('zhiben.export.')))).toEqual([[expect.stringMatching(/\.hazards$/), job.id]]);
        await shotPanel('export-running');

        await page.reload();
        await running();
        await shotPanel('export-resumed');

        // Another page stops the polling (the enterprise list shows no hazard export); coming back picks the job up again.
        await page.getByRole('menuitem', { name: '企业' }).filter({ hasNotText: '自查' }).click();
        await page.waitForURL((u) => u.pathname === '/enterprises');
        await page.getByTestId('enterprise-table').waitFor();
        expect(await panel.count()).toBe(0);
        await page.waitForTimeout(300);
        const before = polls.length;
        await page.waitForTimeout(1500);
        expect(polls.length).toBe(before);
        await page.getByRole('menuitem', { name: '隐患台账' }).click();
        await running();

        const downloaded = page.waitForEvent('download');
        holding = false;
        const d = await downloaded;
        expect(await d.failure()).toBeNull();
        await expect.poll(() => panel.getAttribute('data-state')).toBe('done');
        expect(await page.getByTestId('export-rows').innerText()).toBe(`已写入 ${total.toLocaleString('en-US')} / ${total.toLocaleString('en-US')} 行`);
        const file = path.join(fixtures, `ledger-${d.suggestedFilename()}`);
        await d.saveAs(file);
        expect(await sheetRows(file)).toHaveLength(total + 1);
        // Done and downloaded: forgotten, a reload shows no panel and downloads nothing again.
        expect(await page.evaluate(() => Object.keys(sessionStorage).filter((k) => k.startsWith('zhiben.export.')))).toEqual([]);
        await page.reload();
        await page.locator('[data-testid=hazard-table] tbody tr.ant-table-row').first().waitFor();
        expect(await panel.count()).toBe(0);
      } finally {
        await page.unroute(/\/api\/exports\/[^/]+$/);
      }
    },
    STEP_TIMEOUT,
  );

  it(
    'shows the server\'s refusal of an export over 1,000,000 rows',
    async () => {
      // The demo city is far below the limit: the answer is the one the server gives for 1,234,567 rows.
      const START = /\/api\/hazards\/exports(\?|$)/;
      const detail = '筛选结果共 1,234,567 行，超过单次导出上限 1,000,000 行，请缩小筛选范围后分批导出';
      await page.route(START, (route) =>
        route.fulfill({
          status: 422,
          contentType: 'application/problem+json; charset=utf-8',
          json: { type: 'urn:zhiben:problem:EXPORT_TOO_LARGE', title: 'Error', status: 422, code: 'EXPORT_TOO_LARGE', detail, detailEn: '1234567 rows selected; an export holds at most 1000000. Narrow the filters.' },
        }),
      );
      try {
        await page.getByTestId('hazard-export').click();
        const panel = page.getByTestId('export-panel');
        await expect.poll(() => panel.getAttribute('data-state')).toBe('refused');
        expect(await page.getByTestId('export-heading').innerText()).toBe('无法导出');
        expect(await page.getByTestId('export-error').innerText()).toBe(detail);
        await shotPanel('export-too-large');
        await page.getByTestId('export-close').click();
        await panel.waitFor({ state: 'detached' });
      } finally {
        await page.unroute(START);
      }
    },
    STEP_TIMEOUT,
  );

  it(
    'exports an empty selection of enterprises: a file with the header only',
    async () => {
      await page.goto(`${j.url}/enterprises?q=${encodeURIComponent(`${marker}无此企业`)}`);
      await page.getByTestId('enterprise-table').locator('.ant-empty').waitFor();
      const { file, download: d } = await download('enterprise-export');
      expect(d.suggestedFilename()).toMatch(/^企业名录-\d{8}\.xlsx$/);
      await expect.poll(() => page.getByTestId('export-panel').getAttribute('data-state')).toBe('done');
      expect(await page.getByTestId('export-rows').innerText()).toBe('已写入 0 / 0 行');
      await shotPanel('export-empty');
      const rows = await sheetRows(file);
      expect(rows).toHaveLength(1);
      expect(rows[0]).toEqual(expect.arrayContaining(['统一社会信用代码']));
    },
    STEP_TIMEOUT,
  );
});
