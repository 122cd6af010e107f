/**
 * District assessment (#19), on the real server with the demo city, in Debian's Chromium: `city`
 * starts this quarter's assessment, opens Pudong's row and its computed overdue-major-hazards value,
 * follows it to the ledger and finds the same total there, comes back, publishes the run, writes
 * the 季度点评's overall comment and downloads the document, whose ranking is the run's; then reads
 * the accident trends and an accident the demo marked concealed. Screenshots land in test-results/.
 */
import { readFileSync } from 'node:fs';
import JSZip from 'jszip';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Run } from '../src/shared/contracts/assessment';
import type { ListResult } from '../src/shared/contracts/common';
import type { Accident } from '../src/shared/contracts/accidents';
import { announceSkip, runJourneys, startJourney } from './harness';
import type { Journey } from './harness';

const DEMO_PASSWORD = 'assessment-demo-2026';
const STEP_TIMEOUT = 180_000;
const PUDONG = '310115';

announceSkip('the assessment journey');

describe.skipIf(!runJourneys)('web journey: the city runs the quarter’s assessment, follows a value to the ledger, publishes and downloads the 季度点评', () => {
  let j: Journey;
  let page: Page;
  let runId = '';
  const shot = (name: string) => j.shot(name);
  const api = <T = unknown>(url: string) => j.getJson<T>(url);
  const overall = `全市本季度重大事故隐患动态清零总体平稳（${Date.now().toString(36)}）。`;

  beforeAll(async () => {
    j = await startJourney({ prefix: 'assessment', demoPassword: DEMO_PASSWORD, fullPage: true });
    page = j.page;
  }, STEP_TIMEOUT);

  afterAll(async () => {
    await j?.close();
  });

  it(
    'city starts this quarter’s assessment and follows Pudong’s overdue major hazards to the ledger with the same total',
    async () => {
      await j.login('city');
      await page.goto(`${j.url}/assessment`);
      // The demo's published quarters are listed.
      await page.getByTestId('asm-runs').waitFor();
      await expect.poll(() => page.getByTestId('asm-run-status').count()).toBeGreaterThan(3);
      await shot('runs');
      await page.getByTestId('asm-start').click();
      const created = page.waitForResponse((r) => r.url().endsWith('/api/assessment/runs') && r.request().method() === 'POST');
      await page.getByTestId('asm-start-submit').click();
      const res = await created;
      expect(res.status()).toBe(201);
      const run = (await res.json()) as Run;
      runId = run.id;
      expect(run.period).toMatch(/^\d{4}Q[1-4]$/);
      await page.waitForURL(new RegExp(`/assessment/runs/${run.id}$`));
      await page.getByTestId('asm-ranking').waitFor();
      // Pudong's row, opened: its computed value of 逾期重大事故隐患, a link to the ledger.
      const pudong = run.units.find((u) => u.code === PUDONG)!;
      const overdue = pudong.indicators.find((i) => i.indicator === 'hazards.overdue_major')!;
      expect(overdue.link).toBe(`/hazards?districtCode=${PUDONG}&grade=major&overdue=true`);
      await page.locator(`[data-testid=asm-ranking] tr[data-row-key="${PUDONG}"]`).click();
      const indicators = page.getByTestId(`asm-indicators-${PUDONG}`);
      await indicators.waitFor();
      const link = indicators.locator(`tr[data-row-key="${overdue.key}"]`).getByTestId('asm-value-link');
      await expect.poll(() => link.innerText()).toBe(String(overdue.value));
      await shot('pudong-indicators');
      await link.click();
      await page.waitForURL(/\/hazards\?/);
      // The ledger under the same filters counts the same.
      const ledger = await api<ListResult<unknown>>(`/api/hazards?districtCode=${PUDONG}&grade=major&overdue=true&pageSize=1`);
      expect(ledger.total).toBe(overdue.value);
      await expect.poll(() => page.locator('.ant-pagination-total-text').innerText(), { timeout: 20_000 }).toBe(`共 ${overdue.value} 条`);
      await shot('ledger-same-total');
    },
    STEP_TIMEOUT,
  );

  it(
    'city publishes the run, writes the overall comment and downloads the 季度点评 with the run’s ranking',
    async () => {
      await page.goto(`${j.url}/assessment/runs/${runId}`);
      await page.getByTestId('asm-publish').click();
      const published = page.waitForResponse((r) => r.url().endsWith(`/api/assessment/runs/${runId}/actions/publish`));
      await page.locator('.ant-modal-confirm .ant-btn-primary').click();
      expect((await published).status()).toBe(200);
      await expect.poll(async () => (await api<Run>(`/api/assessment/runs/${runId}`)).status).toBe('published');
      await expect.poll(() => page.getByTestId('asm-publish').count()).toBe(0);
      await page.getByTestId('asm-review-open').click();
      await page.getByTestId('asm-review-overall').fill(overall);
      const saved = page.waitForResponse((r) => r.url().includes('/api/assessment/reviews/') && r.request().method() === 'PUT');
      await page.getByTestId('asm-review-save').click();
      expect((await saved).status()).toBe(200);
      await shot('review-comments');
      await page.keyboard.press('Escape');
      const run = await api<Run>(`/api/assessment/runs/${runId}`);
      const doc = page.getByTestId('asm-review-doc');
      await expect.poll(() => doc.isEnabled()).toBe(true);
      const [download] = await Promise.all([page.waitForEvent('download'), doc.click()]);
      expect(download.suggestedFilename()).toMatch(/\.docx$/);
      const xml = await (await JSZip.loadAsync(readFileSync((await download.path())!))).file('word/document.xml')!.async('string');
      const text = xml.replace(/<[^>]+>/g, '');
      expect(text).toContain('安全生产治本攻坚工作点评');
      expect(text).toContain(overall);
      const ranking = text.slice(text.indexOf('一、考核排名'), text.indexOf('二、总体点评'));
      const positions = [...run.units].sort((a, b) => a.rank - b.rank).map((u) => ranking.indexOf(u.name));
      expect(positions.every((p) => p > 0)).toBe(true);
      expect([...positions].sort((a, b) => a - b)).toEqual(positions);
      await shot('published-run');
    },
    STEP_TIMEOUT,
  );

  it(
    'city reads the accident trends against last year and the concealed accident',
    async () => {
      await page.goto(`${j.url}/accidents?view=trends`);
      await page.getByText('总体趋势').first().waitFor();
      await shot('trends');
      const hidden = await api<ListResult<Accident>>('/api/accidents?concealed=true');
      expect(hidden.total).toBe(1);
      await page.goto(`${j.url}/accidents?concealed=true`);
      await expect.poll(() => page.locator('.ant-pagination-total-text').innerText(), { timeout: 20_000 }).toBe('共 1 条');
      await page.getByText(hidden.items[0].code).click();
      await page.waitForURL(new RegExp(`/accidents/${hidden.items[0].id}$`));
      await page.getByText('瞒报').first().waitFor();
      await shot('concealed-accident');
    },
    STEP_TIMEOUT,
  );
});
