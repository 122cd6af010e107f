/**
 * A self-check round at phone size, on the real server with the demo city, in Debian's Chromium:
 * the district assigns a daily checklist to an enterprise; the enterprise opens its workbench,
 * starts the round due today, marks one item as a hazard with a photo, signs it off and submits,
 * and finds the hazard on its ledger; the district then sees the round done and its figure of rounds
 * done on time move. A screenshot of every step lands in test-results/ (gitignored).
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { announceSkip, photoFixture, runJourneys, shanghaiDay, startJourney } from './harness';
import type { Journey } from './harness';

const DEMO_PASSWORD = 'selfcheck-demo-2026';
const STEP_TIMEOUT = 120_000;

announceSkip('the self-check journey');

describe.skipIf(!runJourneys)('web journey: an enterprise does its self-check on a phone', () => {
  let j: Journey;
  let page: Page;
  let photo = '';
  let roundId = '';
  let onTimeBefore = 0;
  let doneBefore = 0;
  const title = `每日安全自查（E2E${Date.now().toString(36).toUpperCase()}）`;
  const description = '二号车间配电箱门未关闭，箱内积尘';
  const shot = (name: string) => j.shot(name);
  const api = async (method: 'GET' | 'POST', url: string, data?: unknown) => {
    const res = await page.request.fetch(`${j.url}${url}`, { method, data, headers: { 'X-Requested-With': 'zhiben' } });
    expect(res.status(), `${method} ${url}: ${await res.text()}`).toBeLessThan(300);
    return res.json();
  };
  const onTime = async () => Number((await page.getByTestId('sc-total-ontime').locator('.ant-statistic-content-value').innerText()).replace(/[^\d]/g, ''));

  beforeAll(async () => {
    j = await startJourney({ prefix: 'selfcheck', demoPassword: DEMO_PASSWORD, fullPage: true });
    page = j.page;
    photo = photoFixture(j.dataDir, 'switchboard.png');
  }, STEP_TIMEOUT);

  afterAll(async () => {
    await j?.close();
  });

  it(
    'the district assigns a daily checklist to the enterprise and notes the figure of rounds done on time',
    async () => {
      // The enterprise of the demo account ent-pd, as it knows itself.
      await j.login('ent-pd');
      const enterpriseId = (await api('GET', '/api/me')).enterpriseId as string;
      expect(enterpriseId).toMatch(/^[0-9a-f-]{36}$/);
      await j.logout();

      await j.login('pudong');
      const checklist = await api('POST', '/api/checklists', {
        title,
        items: [
          { text: '疏散通道、安全出口是否畅通', category: '消防' },
          { text: '配电箱是否关闭并可靠接地', category: '用电' },
          { text: '动火作业是否办理审批', category: '作业' },
        ],
      });
      const schedule = await api('POST', '/api/selfcheck-schedules', { checklistId: checklist.id, enterpriseIds: [enterpriseId], frequency: 'daily', startDate: shanghaiDay(0) });
      expect(schedule.enterprises).toBe(1);
      // Both are listed where the district keeps its checklists and schedules.
      await page.goto(`${j.url}/selfchecks?view=plans`);
      await page.locator('[data-testid=sc-checklist-table] tbody tr', { hasText: title }).waitFor();
      await expect.poll(() => page.locator('[data-testid=sc-schedule-table] tbody tr', { hasText: title }).innerText()).toContain('每日');
      await shot('district-plans');
      await page.goto(`${j.url}/selfchecks?view=stats`);
      await page.getByTestId('sc-total-ontime').waitFor();
      onTimeBefore = await onTime();
      await shot('district-stats-before');
      // The district's cockpit: this month's rounds done.
      await page.goto(`${j.url}/cockpit/districts/310115`);
      doneBefore = Number(await page.getByTestId('sc-fig-done').getAttribute('data-value'));
      await shot('district-cockpit-before');
      await j.logout();
    },
    STEP_TIMEOUT,
  );

  it(
    'the enterprise opens its workbench on a phone, starts the round due today, finds a hazard with a photo and signs it off',
    async () => {
      await page.setViewportSize({ width: 390, height: 844 });
      await j.login('ent-pd');
      await page.waitForURL((u) => u.pathname === '/');
      const due = page.getByTestId('home-due');
      await due.waitFor();
      const round = page.getByTestId('home-round').filter({ hasText: title });
      await round.waitFor();
      expect(await round.innerText()).toContain('今日到期');
      await shot('ent-workbench');

      await round.getByTestId('home-round-open').click();
      await page.waitForURL(/\/selfchecks\/[0-9a-f-]{36}$/);
      roundId = page.url().split('/').pop()!;
      await page.getByTestId('round-item-1').waitFor();
      await expect.poll(() => page.getByTestId('page-title').innerText()).toBe(title);
      await page.getByTestId('round-item-1-result').getByText('合格').click();
      await page.getByTestId('round-item-2-result').getByText('发现隐患').click();
      await page.getByTestId('round-item-2-description').fill(description);
      const uploaded = page.waitForResponse((r) => r.url().endsWith('/api/files') && r.request().method() === 'POST');
      await page.locator('[data-testid=round-item-2-photos] .zb-evidence-photos input[type=file]').setInputFiles(photo);
      expect((await uploaded).status()).toBe(201);
      await expect.poll(() => page.locator('[data-testid=round-item-2-photos] .ant-upload-list-item-done').count()).toBe(1);
      await page.getByTestId('round-item-3-result').getByText('不适用').click();
      await shot('ent-round-items');
      await expect.poll(() => page.getByTestId('round-progress').innerText()).toBe('已检查 3 / 3 项');
      // Signed off by a person recorded on the enterprise.
      await page.getByTestId('round-signer').click();
      await page.locator('.ant-select-dropdown .ant-select-item-option').first().click();
      await shot('ent-round-filled');

      const answered = page.waitForResponse((r) => r.url().endsWith(`/api/selfchecks/${roundId}/submit`));
      await page.getByTestId('round-submit').click();
      expect((await answered).status()).toBe(200);
      await expect.poll(() => page.getByTestId('round-findings').innerText()).toBe('1');
      expect(await page.getByTestId('round-status').first().innerText()).toBe('已完成');
      await shot('ent-round-submitted');

      const link = page.getByTestId('round-hazard-link');
      const code = (await link.innerText()).trim();
      expect(code).toMatch(/^YH-310115-\d{4}-\d{6}$/);
      await link.click();
      await page.waitForURL(/\/hazards\/[0-9a-f-]{36}$/);
      await expect.poll(() => page.getByTestId('page-title').innerText()).toBe(code);
      await page.getByTestId('hazard-timeline').waitFor();
      await expect.poll(() => page.getByTestId('hazard-status').first().innerText()).toBe('已上报');
      expect(await page.getByTestId('event-image').count()).toBe(1);
      await shot('ent-hazard');

      // On its ledger, with the source 企业自查.
      await page.goto(`${j.url}/hazards?q=${encodeURIComponent(code)}`);
      // A search of the whole demo ledger: more than expect.poll's default second under load.
      await expect.poll(() => page.locator('[data-testid=hazard-table] tbody tr.ant-table-row').allInnerTexts(), { timeout: 20_000 }).toEqual([expect.stringContaining(description)]);
      await shot('ent-ledger');
      await j.logout();
      await page.setViewportSize({ width: 1366, height: 800 });
    },
    STEP_TIMEOUT,
  );

  it(
    'the district sees the round done and the figure of rounds done on time move',
    async () => {
      await j.login('pudong');
      await page.goto(`${j.url}/selfchecks?status=done`);
      const row = page.locator('[data-testid=sc-round-table] tbody tr.ant-table-row', { hasText: title });
      await page.locator('[data-testid=sc-round-table] tbody tr.ant-table-row').first().waitFor();
      await shot('district-rounds-loaded');
      await row.waitFor();
      expect(await row.innerText()).toContain('已完成');
      await shot('district-rounds');
      await row.click();
      await page.waitForURL(new RegExp(`/selfchecks/${roundId}$`));
      expect(await page.getByTestId('round-findings').innerText()).toBe('1');
      await page.getByTestId('round-annotation').fill('请于三日内完成配电箱整改并上传照片');
      await page.getByTestId('round-annotate').click();
      await expect.poll(() => page.getByTestId('round-event').count()).toBe(2);
      await shot('district-annotated');

      await page.goto(`${j.url}/selfchecks?view=stats`);
      await page.getByTestId('sc-total-ontime').waitFor();
      await expect.poll(onTime).toBe(onTimeBefore + 1);
      await shot('district-stats-after');
      // On the cockpit too; the figure opens the list that totals it.
      await page.goto(`${j.url}/cockpit/districts/310115`);
      const done = page.getByTestId('sc-fig-done');
      await expect.poll(async () => Number(await done.getAttribute('data-value'))).toBe(doneBefore + 1);
      await shot('district-cockpit-after');
      await done.click();
      await page.waitForURL(/\/selfchecks\?status=done&from=/);
      await expect.poll(() => page.locator('[data-testid=sc-round-table] .ant-pagination-total-text, [data-testid=sc-round-table] tbody tr.ant-table-row').count()).toBeGreaterThan(0);
    },
    STEP_TIMEOUT,
  );
});
