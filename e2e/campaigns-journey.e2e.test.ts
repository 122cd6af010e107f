/**
 * 综合整治 and 培训 (#20), on the real server with the demo city, in Debian's Chromium: `pudong` opens
 * its factories-and-warehouses campaign, records the check of a pending target with one general
 * finding (and its deadline), reads the finding's ledger code on the target's row and sees Pudong's
 * hazards in the progress table go up by one; then `city` reads 2026's focus population of the
 * training coverage (large commercial complexes' fire-safety persons) with its trained count.
 * Screenshots land in test-results/.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import type { Target } from '../src/shared/contracts/campaigns';
import type { Coverage } from '../src/shared/contracts/training';
import { announceSkip, runJourneys, shanghaiDay, startJourney } from './harness';
import type { Journey } from './harness';

const DEMO_PASSWORD = 'campaigns-demo-2026';
const STEP_TIMEOUT = 180_000;
const PUDONG = '310115';

announceSkip('the campaigns and training journey');

describe.skipIf(!runJourneys)('web journey: a district office checks a campaign target and its finding goes onto the ledger; the city reads the year’s training coverage', () => {
  let j: Journey;
  let page: Page;
  const shot = (name: string) => j.shot(name);

  beforeAll(async () => {
    j = await startJourney({ prefix: 'campaigns', demoPassword: DEMO_PASSWORD, fullPage: true });
    page = j.page;
  }, STEP_TIMEOUT);

  afterAll(async () => {
    await j?.close();
  });

  it(
    'pudong checks a pending target of its campaign with one general finding',
    async () => {
      await j.login('pudong');
      await page.getByTestId('nav-menu').getByText('综合整治', { exact: true }).click();
      await page.waitForURL(/\/campaigns$/);
      await page.getByTestId('campaign-link').filter({ hasText: /^浦东新区\d{4}年厂房仓库安全专项整治$/ }).click();
      await page.getByTestId('campaign-detail').waitFor();
      const hazards = page.locator(`[data-testid=campaign-progress] tr[data-row-key="${PUDONG}"] [data-testid=progress-hazards]`);
      await hazards.waitFor();
      const before = Number(await hazards.innerText());
      await shot('campaign');

      const pending = page.locator('[data-testid=campaign-targets] tbody tr.ant-table-row').filter({ has: page.getByTestId('campaign-target-check') }).first();
      await pending.waitFor();
      const targetId = await pending.getAttribute('data-row-key');
      await pending.getByTestId('campaign-target-check').click();
      await page.getByTestId('campaign-check').waitFor();
      await page.getByTestId('campaign-check-item-2').getByText('不合格').click();
      await page.getByTestId('campaign-finding-add').click();
      await page.getByTestId('campaign-finding-1-description').fill('二层仓库物品堆放占用防火间距');
      await j.pickDate(page.getByTestId('campaign-finding-1-deadline'), shanghaiDay(14));
      await shot('check-drawer');

      const sent = page.waitForResponse((r) => r.url().includes(`/targets/${targetId}/check`) && r.request().method() === 'POST');
      await page.getByTestId('campaign-check-submit').click();
      const res = await sent;
      expect(res.status()).toBe(200);
      const target = (await res.json()) as z.infer<typeof Target>;
      expect(target.status).toBe('checked');
      expect(target.findings).toHaveLength(1);

      const row = page.locator(`[data-testid=campaign-targets] tr[data-row-key="${targetId}"]`);
      await expect.poll(() => row.getByTestId('campaign-finding-link').first().innerText().catch(() => '')).toBe(target.findings[0].code);
      expect(await row.getByTestId('campaign-target-status').getAttribute('data-status')).toBe('checked');
      await expect.poll(async () => Number(await hazards.innerText())).toBe(before + 1);
      await shot('checked');
    },
    STEP_TIMEOUT,
  );

  it(
    'city reads 2026’s focus population in the training coverage',
    async () => {
      await j.logout();
      await j.login('city');
      await page.getByTestId('nav-menu').getByText('培训', { exact: true }).click();
      await page.waitForURL(/\/training$/);
      await page.getByTestId('training-tab-coverage').click();
      const card = page.locator('[data-testid=training-population][data-key=commercial_complex]');
      await card.waitFor();
      expect(await card.innerText()).toContain('大型商业综合体消防安全责任人');
      const coverage = await j.getJson<z.infer<typeof Coverage>>('/api/training/coverage?year=2026');
      const population = coverage.populations.find((p) => p.key === 'commercial_complex');
      expect(population?.trained).toBeGreaterThan(0);
      expect(await card.getByTestId('training-trained').innerText()).toContain(String(population?.trained));
      await shot('coverage');
    },
    STEP_TIMEOUT,
  );
});
