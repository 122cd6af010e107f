/**
 * A ledger whose header Zhiben does not know, mapped by hand in the import preview (#12), on the
 * real server with the demo city, in Debian's Chromium: the district office uploads a workbook whose
 * description column is titled 问题摘要, sees the preview ask for 隐患描述 (nothing can be
 * committed), chooses the column for it, names the mapping, previews again, sees three rows to
 * create, commits, and finds them in the ledger. A second file with the same header — a CSV this
 * time — gets the saved mapping without asking. A workbook of two sheets with a totals row and a
 * grade the preview does not know says so, and reads the grade as the user tells it. A screenshot
 * of every step lands in test-results/mapping-NN-*.png (gitignored).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Enterprise } from '../src/shared/contracts/enterprises';
import { usccCheckChar } from '../src/shared/uscc';
import { announceSkip, runJourneys, startJourney, shanghaiDay } from './harness';
import type { Journey } from './harness';

const DEMO_PASSWORD = 'mapping-demo-2026';
const STEP_TIMEOUT = 120_000;
const HEADER = ['企业名称', '问题摘要', '发现时间'];
const MAPPING_NAME = '浦东街道排查表';
const HEADERS = { 'X-Requested-With': 'zhiben' };

announceSkip('the import mapping journey');


describe.skipIf(!runJourneys)('web journey: a district office maps an unknown column by hand and reuses the mapping', () => {
  let j: Journey;
  let page: Page;
  let fixtures = '';
  let enterprises: Enterprise[] = [];
  const marker = `MAP${Date.now().toString(36).toUpperCase()}`;
  const description = (file: number, i: number) => `配电箱未接地，灭火器过期（${marker} 第${file}批第${i}处）`;
  const shot = (name: string) => j.shot(name);
  const count = (kind: string) => page.getByTestId(`import-count-${kind}`).locator('.ant-statistic-content-value').innerText();
  const rows = (file: number) => enterprises.map((e, i) => [e.name, description(file, i + 1), shanghaiDay(-(i + 2))]);

  const ledgerTotal = async (q: string): Promise<number> => {
    const res = await page.request.get(`${j.url}/api/hazards?${new URLSearchParams({ q, pageSize: '1' })}`, { headers: HEADERS });
    expect(res.ok()).toBe(true);
    return ((await res.json()) as { total: number }).total;
  };

  /** Uploads a file on a fresh 数据导入 page and waits for its preview. */
  const upload = async (file: string) => {
    await page.goto(`${j.url}/imports?kind=hazards`);
    await page.locator('[data-testid=import-dragger] input[type=file]').setInputFiles(file);
    await page.waitForURL(/\/imports\/[0-9a-f-]{36}$/);
    await page.getByTestId('import-preview').waitFor();
  };

  /** The nth column of the file, as the layout panel lists it. */
  const columnRow = (n: number) => page.getByTestId('import-columns').locator('tbody tr.ant-table-row').nth(n);
  const openLayout = () => page.getByTestId('import-layout').locator('.ant-collapse-header').click();

  /** Clicks 按此映射重新预览 and answers what it sent, once the server has taken it. */
  const repreview = async (): Promise<unknown> => {
    const sent = page.waitForRequest((r) => r.method() === 'POST' && r.url().endsWith('/preview'));
    await page.getByTestId('import-repreview').click();
    const request = await sent;
    expect((await request.response())?.status()).toBe(202);
    return request.postDataJSON();
  };

  /** Confirms the import and waits for it to be written. */
  const commit = async (created: number) => {
    await page.getByTestId('import-commit').click();
    await page.getByTestId('import-done').waitFor();
    expect(await page.getByTestId('import-done-detail').innerText()).toContain(`新增 ${created} 条`);
  };

  /** Screenshots the preview once the layout panel has finished opening. */
  const shotSettled = async (name: string) => {
    const moving = () => page.getByTestId('import-layout').evaluate((el) => el.getAnimations({ subtree: true }).length);
    await expect.poll(moving).toBe(0);
    await shot(name);
  };

  beforeAll(async () => {
    j = await startJourney({ prefix: 'mapping', demoPassword: DEMO_PASSWORD, fullPage: true });
    page = j.page;
    fixtures = path.join(j.dataDir, 'fixtures');
    mkdirSync(fixtures);
  }, STEP_TIMEOUT);

  afterAll(async () => {
    await j?.close();
  });

  it(
    'uploads a workbook whose description column has a title Zhiben does not know, and is asked for it',
    async () => {
      await j.login('pudong');
      const res = await page.request.get(`${j.url}/api/enterprises?districtCode=310115&pageSize=3&sort=name`, { headers: HEADERS });
      expect(res.ok()).toBe(true);
      enterprises = ((await res.json()) as { items: Enterprise[] }).items;
      expect(enterprises).toHaveLength(3);

      const wb = new ExcelJS.Workbook();
      const sheet = wb.addWorksheet('排查记录');
      sheet.addRows([HEADER, ...rows(1)]);
      sheet.columns.forEach((c, i) => (c.width = [36, 40, 14][i]));
      const file = path.join(fixtures, '浦东街道排查表.xlsx');
      await wb.xlsx.writeFile(file);
      await upload(file);

      // Nothing counted, nothing to commit: the preview asks which column holds 隐患描述.
      const missing = page.getByTestId('import-missing');
      expect(await missing.innerText()).toContain('隐患描述');
      expect(await page.getByTestId('import-count-create').count()).toBe(0);
      expect(await page.getByTestId('import-commit').isDisabled()).toBe(true);
      expect(await page.getByTestId('import-commit-blocked').isVisible()).toBe(true);
      expect(await page.getByTestId('import-saved-mapping').count()).toBe(0);

      // The layout is open on its own: the file's three columns, how each was matched, samples.
      await columnRow(0).waitFor();
      const columns = await page.getByTestId('import-columns').locator('tbody tr.ant-table-row').allInnerTexts();
      expect(columns).toHaveLength(3);
      expect(columns[0]).toMatch(/^A\s+企业名称[\s\S]*单位名称[\s\S]*按列名/);
      expect(columns[0]).toContain(enterprises[0].name);
      expect(columns[1]).toMatch(/^B\s+问题摘要[\s\S]*不导入/);
      expect(columns[1]).toContain(description(1, 1));
      expect(columns[2]).toMatch(/^C\s+发现时间[\s\S]*发现时间[\s\S]*按列名/);
      expect(await page.getByTestId('import-layout-facts').innerText()).toMatch(/Excel 工作簿（\.xlsx）[\s\S]*排查记录[\s\S]*第 1 行/);
      expect(await page.getByTestId('import-still-missing').innerText()).toBe('仍缺少：「隐患描述」');
      await shotSettled('missing');
    },
    STEP_TIMEOUT,
  );

  it(
    'maps 问题摘要 to 隐患描述, names the mapping and previews again: three to create',
    async () => {
      await page.getByTestId('import-map-B').click();
      await page.keyboard.type('隐患描述');
      await page.keyboard.press('Enter');
      await expect.poll(() => columnRow(1).innerText()).toMatch(/隐患描述[\s\S]*已修改，待预览/);
      await expect.poll(() => page.getByTestId('import-still-missing').count()).toBe(0);
      await page.getByTestId('import-mapping-name').fill(MAPPING_NAME);
      await shotSettled('mapped');

      expect(await repreview()).toEqual({
        mapping: { sheet: '排查记录', columns: { 企业名称: 'enterpriseName', 问题摘要: 'description', 发现时间: 'foundAt' } },
        saveAs: MAPPING_NAME,
      });

      await page.getByTestId('import-count-create').waitFor();
      expect(await count('create')).toBe('3');
      expect(await count('error')).toBe('0');
      expect(await page.getByTestId('import-missing').count()).toBe(0);
      expect(await page.getByTestId('import-commit').isEnabled()).toBe(true);
      // Still there to check, now closed: column B says it was the user's choice.
      await openLayout();
      await expect.poll(() => columnRow(1).innerText()).toMatch(/问题摘要[\s\S]*隐患描述[\s\S]*手动指定/);
      await shotSettled('repreviewed');
    },
    STEP_TIMEOUT,
  );

  it(
    'commits and finds the three rows in the ledger',
    async () => {
      await commit(3);
      expect(await ledgerTotal(marker)).toBe(3);

      await page.getByTestId('import-open-list').click();
      await page.waitForURL(/\/hazards\?view=all/);
      await page.getByTestId('hazard-search').fill(marker);
      const ledger = page.locator('[data-testid=hazard-table] tbody tr.ant-table-row');
      await expect.poll(async () => (await ledger.allInnerTexts()).map((r) => r.includes(marker))).toEqual([true, true, true]);
      const texts = (await ledger.allInnerTexts()).join('\n');
      for (const e of enterprises) expect(texts).toContain(e.name);
      await shot('ledger');

      const saved = await page.request.get(`${j.url}/api/import-mappings?kind=hazards`, { headers: HEADERS });
      expect(((await saved.json()) as { items: { name: string }[] }).items.map((m) => m.name)).toEqual([MAPPING_NAME]);
    },
    STEP_TIMEOUT,
  );

  it(
    'uploads a second file with the same header, as CSV: the saved mapping is applied without asking',
    async () => {
      const file = path.join(fixtures, '浦东街道排查表-第二批.csv');
      const quote = (v: string) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
      writeFileSync(file, [HEADER, ...rows(2)].map((r) => r.map(quote).join(',')).join('\r\n') + '\r\n', 'utf8');
      await upload(file);

      expect(await page.getByTestId('import-saved-mapping').innerText()).toBe(`已自动套用保存的映射「${MAPPING_NAME}」`);
      expect(await page.getByTestId('import-missing').count()).toBe(0);
      expect(await count('create')).toBe('3');
      expect(await page.getByTestId('import-commit').isEnabled()).toBe(true);
      // Nothing to settle: the layout stays closed, and says how it read the file when opened.
      expect(await page.getByTestId('import-columns').count()).toBe(0);
      await openLayout();
      const facts = await page.getByTestId('import-layout-facts').innerText();
      expect(facts).toContain('CSV 文本（UTF-8 编码）');
      expect(facts).not.toContain('工作表');
      await expect.poll(() => columnRow(1).innerText()).toMatch(/问题摘要[\s\S]*隐患描述[\s\S]*按保存的映射/);
      await shotSettled('saved-applied');

      // The same, in English.
      await page.getByTestId('lang-switch').click();
      await expect.poll(() => page.getByTestId('import-saved-mapping').innerText()).toBe(`The saved mapping “${MAPPING_NAME}” was applied automatically`);
      expect(await page.getByTestId('import-layout-facts').innerText()).toContain('CSV text (UTF-8)');
      await shotSettled('saved-applied-en');
      await page.getByTestId('lang-switch').click();
      await expect.poll(() => page.getByTestId('import-saved-mapping').innerText()).toContain('已自动套用');

      await commit(3);
      expect(await ledgerTotal(marker)).toBe(6);
    },
    STEP_TIMEOUT,
  );

  it(
    'says what a workbook of two sheets with a totals row and unknown grades held, and reads the grades as told',
    async () => {
      const wb = new ExcelJS.Workbook();
      wb.addWorksheet('填表说明').addRows([['本表由各街道每月报送'], ['隐患级别填写一般或重大']]);
      const sheet = wb.addWorksheet('隐患清单');
      sheet.addRows([
        ['单位名称', '隐患描述', '发现时间', '隐患级别'],
        ...enterprises.map((e, i) => [e.name, description(3, i + 1), shanghaiDay(-2), i === 0 ? '一般' : 'C级']),
        ['合计', '', '', ''],
      ]);
      const file = path.join(fixtures, '街道月报.xlsx');
      await wb.xlsx.writeFile(file);
      await upload(file);

      expect(await page.getByTestId('import-sheet-chosen').innerText()).toBe('工作簿有 2 个工作表，已读取「隐患清单」');
      expect(await page.getByTestId('import-totals').innerText()).toBe('合计行已跳过：1 行（第 5 行，含“合计”“小计”或“总计”）');
      expect(await count('create')).toBe('1');
      expect(await count('error')).toBe('2');
      // Words the preview did not know open the layout on their own, each with what it could mean.
      const unknown = page.getByTestId('import-values-grade');
      expect(await unknown.innerText()).toMatch(/「隐患级别」有 1 种取值无法识别[\s\S]*D 列「隐患级别」[\s\S]*C级\s+2/);
      expect(await page.getByTestId('import-sheet').innerText()).toBe('隐患清单');
      await page.getByTestId('import-value-grade-0').click();
      await page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option', { hasText: '一般隐患' }).click();
      await shotSettled('unknown-values');

      expect(await repreview()).toEqual({
        mapping: { sheet: '隐患清单', columns: { 单位名称: 'enterpriseName', 隐患描述: 'description', 发现时间: 'foundAt', 隐患级别: 'grade' }, values: { grade: { C级: 'general' } } },
      });
      await expect.poll(() => count('create'), { timeout: 30_000 }).toBe('3');
      expect(await count('error')).toBe('0');
      expect(await page.getByTestId('import-values-grade').count()).toBe(0);
      await shotSettled('values-mapped');
    },
    STEP_TIMEOUT,
  );

  it(
    'a ledger naming an enterprise not yet registered: an error until 新建 is ticked, then registered with its hazard',
    async () => {
      const body = `91310115E2${String(Date.now() % 10_000_000).padStart(7, '0')}`;
      const uscc = body + usccCheckChar(body);
      const name = `上海台账新登记${marker}有限公司`;
      const wb = new ExcelJS.Workbook();
      wb.addWorksheet('台账').addRows([
        ['企业名称', '统一社会信用代码', '行业', '隐患描述', '发现时间'],
        [name, uscc, 'C34', description(4, 1), shanghaiDay(-3)],
      ]);
      const file = path.join(fixtures, '新企业台账.xlsx');
      await wb.xlsx.writeFile(file);
      await upload(file);
      expect(await count('error')).toBe('1');
      const tick = page.getByTestId('import-create-enterprises');
      expect(await tick.innerText()).toContain('新建台账中尚未登记的 1 家企业');
      const sent = page.waitForRequest((r) => r.method() === 'POST' && r.url().endsWith('/preview'));
      await tick.click();
      expect((await sent).postDataJSON()).toMatchObject({ mapping: { createEnterprises: true } });
      await expect.poll(() => count('create'), { timeout: 30_000 }).toBe('1');
      expect(await page.getByTestId('import-new-enterprises').innerText()).toContain(`${name}（${uscc}）`);
      await shotSettled('new-enterprise');
      await commit(1);
      const res = await page.request.get(`${j.url}/api/enterprises?${new URLSearchParams({ q: uscc })}`, { headers: HEADERS });
      expect(((await res.json()) as { items: Enterprise[] }).items.map((e) => [e.name, e.districtCode, e.industryCode])).toEqual([[name, '310115', '34']]);
      expect(await ledgerTotal(marker)).toBe(7);
    },
    STEP_TIMEOUT,
  );
});
