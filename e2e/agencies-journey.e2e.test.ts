/**
 * A third-party agency engaged, on the real server with the demo city, in Debian's Chromium: ent-pd
 * records an engagement of the agency Pudong listed as untrustworthy — the warning shows as soon as
 * the agency is chosen and must be acknowledged — records the agency's finding with a photo and files
 * its report; the hazard is on Pudong's ledger (source 第三方服务) and opens the engagement; Pudong's
 * registry shows the listed agency with one engagement more. Screenshots land in test-results/.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Agency, EngagementDetail } from '../src/shared/contracts/agencies';
import { announceSkip, photoFixture, runJourneys, startJourney } from './harness';
import type { Journey } from './harness';

const DEMO_PASSWORD = 'agencies-demo-2026';
const STEP_TIMEOUT = 180_000;
const LISTED = '上海张江安全服务有限公司';

announceSkip('the agencies journey');

describe.skipIf(!runJourneys)('web journey: ent-pd engages a listed agency knowingly, records its finding and files its report', () => {
  let j: Journey;
  let page: Page;
  let photo = '';
  let engagementsBefore = 0;
  let engagement: EngagementDetail | undefined;
  const stamp = Date.now().toString(36).toUpperCase();
  const finding = `E2E${stamp} 配电室未设置挡鼠板，电缆沟盖板缺失`;
  const shot = (name: string) => j.shot(name);
  const api = <T = unknown>(url: string) => j.getJson<T>(url);

  beforeAll(async () => {
    j = await startJourney({ prefix: 'agencies', demoPassword: DEMO_PASSWORD, fullPage: true });
    page = j.page;
    photo = photoFixture(j.dataDir, 'switch-room.png', [120, 80, 30]);
  }, STEP_TIMEOUT);

  afterAll(async () => {
    await j?.close();
  });

  it(
    'ent-pd chooses the listed agency, sees its warning, acknowledges it and records the engagement',
    async () => {
      await j.login('ent-pd');
      engagementsBefore = (await api<{ items: Agency[] }>(`/api/agencies?q=${encodeURIComponent(LISTED)}`)).items[0].engagements;
      await page.getByTestId('nav-menu').getByText('第三方机构', { exact: true }).click();
      await page.waitForURL(/\/agencies$/);
      await page.getByTestId('ag-eng-table').waitFor();
      await page.getByTestId('ag-eng-add').click();
      await page.getByTestId('ag-eng-form').waitFor();
      const agency = page.getByTestId('ag-eng-agency');
      await agency.click();
      await agency.locator('input').fill('张江');
      await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: LISTED }).click();
      await expect.poll(() => page.getByTestId('ag-eng-warnings').innerText()).toContain('列入失信名单');
      // Sent without acknowledging: the form says so and nothing is recorded.
      await page.getByTestId('ag-eng-submit').click();
      await expect.poll(() => page.getByTestId('ag-eng-form').innerText()).toContain('请确认已知悉');
      await page.getByTestId('ag-eng-ack').click();
      await page.getByTestId('ag-eng-service').click();
      // By its exact title: the agency list's dropdown may still be closing, and an agency's name can hold the same words.
      await page.locator('.ant-select-dropdown:visible .ant-select-item-option[title="安全托管"]').click();
      await shot('enterprise-engage-warning');
      const made = page.waitForResponse((r) => r.url().endsWith('/api/agency-engagements') && r.request().method() === 'POST');
      await page.getByTestId('ag-eng-submit').click();
      const res = await made;
      expect(res.status(), await res.text()).toBe(201);
      engagement = (await res.json()) as EngagementDetail;
      expect(engagement.warningsAcknowledged[0]).toContain('浦东新区');
      await page.waitForURL(new RegExp(`/agencies/engagements/${engagement.id}$`));
      await page.getByTestId('ag-eng-record').waitFor();
    },
    STEP_TIMEOUT,
  );

  it(
    'records the agency’s finding with a photo and files its report',
    async () => {
      const e = engagement!;
      await page.getByTestId('enf-finding-1-description').fill(finding);
      await page.getByTestId('enf-finding-1-location').fill('1号配电室');
      const uploaded = page.waitForResponse((r) => r.url().endsWith('/api/files') && r.request().method() === 'POST');
      await page.locator('[data-testid=enf-finding-1-photos] .zb-evidence-photos input[type=file]').setInputFiles(photo);
      expect((await uploaded).status()).toBe(201);
      await expect.poll(() => page.locator('[data-testid=enf-finding-1-photos] .ant-upload-list-item-done').count()).toBe(1);
      const recorded = page.waitForResponse((r) => r.url().endsWith(`/api/agency-engagements/${e.id}/findings`));
      await page.getByTestId('enf-finding-submit').click();
      const rec = await recorded;
      expect(rec.status(), await rec.text()).toBe(200);
      await expect.poll(() => page.getByTestId('enf-finding-link').count()).toBe(1);

      await page.getByTestId('ag-eng-conclusion').fill('发现一般隐患 1 项，已告知企业限期整改；未发现重大事故隐患。');
      const report = page.waitForResponse((r) => r.url().endsWith('/api/files') && r.request().method() === 'POST');
      await page.locator('[data-testid=ag-eng-report] .zb-evidence-photos input[type=file]').setInputFiles(photo);
      expect((await report).status()).toBe(201);
      await expect.poll(() => page.getByTestId('ag-eng-conclude-submit').isEnabled()).toBe(true);
      await shot('enterprise-engagement-report');
      const concluded = page.waitForResponse((r) => r.url().endsWith(`/api/agency-engagements/${e.id}/actions/conclude`));
      await page.getByTestId('ag-eng-conclude-submit').click();
      expect((await concluded).status()).toBe(200);
      await expect.poll(() => page.getByTestId('ag-eng-status').innerText()).toBe('已出具报告');
      expect(await page.getByTestId('ag-eng-file').count()).toBe(1);
      await shot('enterprise-engagement-concluded');
      await j.logout();
    },
    STEP_TIMEOUT,
  );

  it(
    'the hazard is on Pudong’s ledger and opens the engagement; the registry shows the listed agency with it',
    async () => {
      await j.login('pudong');
      const list = await api<{ items: { id: string; description: string; source: string }[] }>(`/api/hazards?q=${encodeURIComponent(`E2E${stamp}`)}&districtCode=310115`);
      expect(list.items.map((h) => h.description)).toEqual([finding]);
      expect(list.items[0].source).toBe('third_party');
      await page.goto(`${j.url}/hazards/${list.items[0].id}`);
      await page.getByTestId('hazard-origin').click();
      await page.waitForURL(new RegExp(`/agencies/engagements/${engagement!.id}$`));
      await page.getByTestId('ag-eng-findings').waitFor();
      await page.goto(`${j.url}/agencies?filter=listed`);
      const row = page.locator('[data-testid=ag-table] tbody tr.ant-table-row', { hasText: LISTED });
      await row.waitFor();
      expect(await page.locator('[data-testid=ag-table] tbody tr.ant-table-row').count()).toBe(1);
      await row.click();
      await page.getByTestId('ag-record').waitFor();
      await expect.poll(() => page.getByTestId('ag-record').innerText()).toMatch(new RegExp(`委托\\s*${engagementsBefore + 1}`));
      expect(await page.getByTestId('ag-listings').innerText()).toContain('浦东新区');
      await shot('district-agency-record');
      // Its engagements in Pudong: the list filtered by the agency, the journey's among them.
      await page.getByTestId('ag-engagements-link').click();
      await page.waitForURL(/view=engagements&agencyId=/);
      await expect.poll(() => page.getByTestId('ag-eng-agency-filter').innerText()).toContain(LISTED);
      const listed = await api<{ total: number; items: { id: string }[] }>(`/api/agency-engagements?agencyId=${engagement!.agencyId}&pageSize=100`);
      expect(listed.items.map((e) => e.id)).toContain(engagement!.id);
      await expect.poll(() => page.locator('.ant-pagination-total-text').innerText()).toBe(`共 ${listed.total} 条`);
    },
    STEP_TIMEOUT,
  );
});
