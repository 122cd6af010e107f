/**
 * The city cockpit through the web app, on the real server with the demo city, in Debian's
 * Chromium: the city officer lands on the city cockpit, sees Shanghai's districts on the map,
 * opens a district from the map and Pudong from the ranking, reads Pudong's overdue figure, and
 * follows it to the ledger, whose total is that figure; the same for the open figure. A chart's
 * data comes out as a workbook Excel can read, and the city view is screenshotted on a phone too.
 * Screenshots land in test-results/ (gitignored).
 */
import { readFileSync } from 'node:fs';
import ExcelJS from 'exceljs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { announceSkip, runJourneys, startJourney } from './harness';
import type { Journey } from './harness';

const DEMO_PASSWORD = 'cockpit-demo-2026';
const STEP_TIMEOUT = 120_000;
const PUDONG = { code: '310115', name: '浦东新区' };
const CHONGMING = { code: '310151', name: '崇明区' };

announceSkip('the cockpit journey');

describe.skipIf(!runJourneys)('web journey: from the city cockpit to the ledger behind a figure', () => {
  let j: Journey;
  let page: Page;
  const shot = (name: string) => j.shot(name);
  const mapLabel = (name: string) => page.locator('[data-testid=district-map] svg text', { hasText: name });

  /** The figure a cockpit link shows, as the number it stands for. */
  const figure = async (testId: string) => Number(await page.getByTestId(testId).getAttribute('data-value'));

  /** The ledger's total as the list states it, once the list has loaded. */
  const ledgerTotal = async () => {
    await page.locator('[data-testid=hazard-table] tbody tr.ant-table-row').first().waitFor();
    const text = await page.locator('.ant-pagination-total-text').innerText();
    return Number(text.replace(/[^\d]/g, ''));
  };

  const apiTotal = async (query: URLSearchParams) => {
    const res = await page.request.get(`${j.url}/api/hazards?${query}&pageSize=1`, { headers: { 'X-Requested-With': 'zhiben' } });
    expect(res.ok()).toBe(true);
    return ((await res.json()) as { total: number }).total;
  };

  beforeAll(async () => {
    j = await startJourney({ prefix: 'cockpit', demoPassword: DEMO_PASSWORD, fullPage: true });
    page = j.page;
  }, STEP_TIMEOUT);

  afterAll(async () => {
    await j?.close();
  });

  it(
    'the city officer lands on the city cockpit and sees the districts on the map',
    async () => {
      await j.login('city');
      await page.waitForURL(/\/cockpit$/);
      await expect.poll(() => page.getByTestId('page-title').innerText()).toBe('上海市驾驶舱');
      // The menu's first entry is the cockpit, and it is the one selected.
      expect(await page.locator('[data-testid=nav-menu] .ant-menu-item-selected').innerText()).toBe('驾驶舱');

      await page.locator('[data-testid=district-map] svg').waitFor();
      await mapLabel(PUDONG.name).waitFor();
      expect(await page.locator('[data-testid=district-map] svg text').allTextContents()).toEqual(expect.arrayContaining([PUDONG.name, CHONGMING.name, '嘉定区', '松江区']));
      // Every name on the map is readable: no two labels overlap (the small central districts name themselves on hover).
      const labels = await page.locator('[data-testid=district-map] svg text').evaluateAll((nodes) =>
        nodes.filter((n) => /区$/.test(n.textContent ?? '')).map((n) => ({ text: n.textContent, box: (n as SVGGraphicsElement).getBoundingClientRect().toJSON() as DOMRect })),
      );
      const overlapping = labels.flatMap((a, i) =>
        labels.slice(i + 1).filter((b) => a.box.left < b.box.right && b.box.left < a.box.right && a.box.top < b.box.bottom && b.box.top < a.box.bottom).map((b) => `${a.text}/${b.text}`),
      );
      expect(overlapping).toEqual([]);
      expect(labels.length).toBeGreaterThanOrEqual(9);
      // Sixteen districts ranked beside the map, each figure a link.
      expect(await page.locator('[data-testid=district-table] tbody tr.ant-table-row').count()).toBe(16);
      for (const id of ['figure-open', 'figure-openMajor', 'figure-overdue', 'figure-closedThisMonth', 'figure-foundThisMonth']) {
        expect(await page.getByTestId(id).getAttribute('href')).toMatch(/^\/hazards\?/);
      }
      for (const chart of ['chart-stock', 'chart-trend', 'chart-grade', 'chart-source', 'chart-section']) {
        await page.locator(`[data-testid=${chart}] .zb-chart svg`).waitFor();
      }
      await shot('city');
    },
    STEP_TIMEOUT,
  );

  it(
    'a district on the map opens its cockpit',
    async () => {
      const label = await mapLabel(CHONGMING.name).boundingBox();
      expect(label).not.toBeNull();
      await page.mouse.click(label!.x + label!.width / 2, label!.y + label!.height / 2);
      await page.waitForURL(new RegExp(`/cockpit/districts/${CHONGMING.code}$`));
      await expect.poll(() => page.getByTestId('page-title').innerText()).toBe(`${CHONGMING.name}驾驶舱`);
      await page.getByTestId('page-back').click();
      await page.waitForURL(/\/cockpit$/);
      await mapLabel(PUDONG.name).waitFor();
    },
    STEP_TIMEOUT,
  );

  let overdue = 0;
  let open = 0;

  it(
    'Pudong, opened from the ranking, shows its streets, its worst enterprises and its figures',
    async () => {
      await page.getByTestId('district-table').getByRole('link', { name: PUDONG.name, exact: true }).click();
      await page.waitForURL(new RegExp(`/cockpit/districts/${PUDONG.code}$`));
      await expect.poll(() => page.getByTestId('page-title').innerText()).toBe(`${PUDONG.name}驾驶舱`);
      await page.getByTestId('street-table').locator('tbody tr.ant-table-row').first().waitFor();
      await page.getByTestId('worst-enterprises').locator('tbody tr.ant-table-row').first().waitFor();
      // A district has no map: its streets are in the table instead.
      expect(await page.getByTestId('district-map').count()).toBe(0);

      overdue = await figure('figure-overdue');
      open = await figure('figure-open');
      expect(overdue).toBeGreaterThan(0);
      expect(open).toBeGreaterThanOrEqual(overdue);
      expect(await page.getByTestId('figure-overdue').innerText()).toBe(String(overdue));
      // The streets' overdue figures are parts of the district's (hazards kept outside any street have no link of their own).
      const streetOverdue = await page.locator('[data-testid=street-table] [data-testid^=street-table-overdue-]').evaluateAll((els) =>
        els.reduce((s, el) => s + Number(el.getAttribute('data-value')), 0),
      );
      expect(streetOverdue).toBeLessThanOrEqual(overdue);
      await page.locator('[data-testid=chart-trend] .zb-chart svg').waitFor();
      await shot('district');
    },
    STEP_TIMEOUT,
  );

  it(
    "Pudong's overdue figure opens the ledger of exactly those hazards",
    async () => {
      await page.getByTestId('figure-overdue').click();
      await page.waitForURL((u) => u.pathname === '/hazards' && u.searchParams.get('districtCode') === PUDONG.code && u.searchParams.get('overdue') === 'true');
      expect(await ledgerTotal()).toBe(overdue);
      expect(await apiTotal(new URL(page.url()).searchParams)).toBe(overdue);
      // The filters the link set are said on the page, each one clearable.
      await expect.poll(() => page.getByTestId('filter-chip-districtCode').innerText()).toContain(PUDONG.name);
      expect(await page.getByTestId('filter-chip-overdue').innerText()).toContain('仅看逾期');
      await shot('ledger-overdue');

      await page.goBack();
      await page.waitForURL(new RegExp(`/cockpit/districts/${PUDONG.code}$`));
      await page.getByTestId('figure-open').click();
      await page.waitForURL((u) => u.pathname === '/hazards' && u.searchParams.get('status') === 'reported,rectifying,pending_acceptance');
      // Several statuses from a link show as one tab of their own: 在办.
      await expect.poll(() => page.locator('.ant-tabs-tab-active').innerText()).toContain('在办');
      expect(await ledgerTotal()).toBe(open);
      await shot('ledger-open');
    },
    STEP_TIMEOUT,
  );

  it(
    "a chart's data downloads as a workbook with the chart's months",
    async () => {
      await page.goto(`${j.url}/cockpit`);
      const card = page.getByTestId('chart-trend');
      await card.locator('.zb-chart svg').waitFor();
      const [download] = await Promise.all([page.waitForEvent('download'), card.getByTestId('chart-export').click()]);
      expect(download.suggestedFilename()).toMatch(/^上海市-发现与销号-\d{4}-\d{2}\.xlsx$/);
      const book = new ExcelJS.Workbook();
      await book.xlsx.load(readFileSync((await download.path())!) as unknown as ArrayBuffer);
      const sheet = book.worksheets[0];
      expect((sheet.getRow(1).values as unknown[]).slice(1)).toEqual(['月份', '发现', '销号']);
      // A header and 24 months, the last one this month.
      expect(sheet.rowCount).toBe(25);
      expect(String(sheet.getCell('A25').value)).toMatch(/^\d{4}-\d{2}$/);
      expect(typeof sheet.getCell('B25').value).toBe('number');
    },
    STEP_TIMEOUT,
  );

  it(
    'on a phone, the city cockpit fits the screen',
    async () => {
      await page.setViewportSize({ width: 390, height: 844 });
      await page.goto(`${j.url}/cockpit`);
      await mapLabel(PUDONG.name).waitFor();
      await page.locator('[data-testid=chart-section] .zb-chart svg').waitFor();
      // Nothing wider than the screen: the cards wrap and the charts follow their box.
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
      const svgWidth = await page.locator('[data-testid=chart-trend] .zb-chart svg').evaluate((el) => el.getBoundingClientRect().width);
      expect(svgWidth).toBeLessThanOrEqual(390);
      await shot('city-phone');
    },
    STEP_TIMEOUT,
  );
});
