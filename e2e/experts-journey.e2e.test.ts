/**
 * A 啄木鸟 visit, on the real server with the demo city, in Debian's Chromium: the Pudong district
 * office opens its programme and assigns expert-1 to a target enterprise; expert-1, on a phone, sees
 * just that enterprise, starts the visit, records a finding with a photo and submits the report with
 * advice; the hazard is on Pudong's ledger (source 专家检查, linked to the visit) and the programme's
 * coverage rose by one. A screenshot of every step lands in test-results/ (gitignored).
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Coverage, Programme, Visit } from '../src/shared/contracts/experts';
import { announceSkip, photoFixture, runJourneys, startJourney } from './harness';
import type { Journey } from './harness';

const DEMO_PASSWORD = 'experts-demo-2026';
const STEP_TIMEOUT = 180_000;
const PHONE = { width: 390, height: 844 };

announceSkip('the experts journey');

describe.skipIf(!runJourneys)('web journey: pudong assigns expert-1, who visits on a phone and submits the report', () => {
  let j: Journey;
  let page: Page;
  let photo = '';
  let programme: Programme;
  let coveredBefore = 0;
  let enterpriseName = '';
  let visit: Visit | undefined;
  const stamp = Date.now().toString(36).toUpperCase();
  const finding = `E2E${stamp} 有限空间作业未执行先通风、再检测、后作业`;
  const shot = (name: string) => j.shot(name);
  const api = <T = unknown>(url: string) => j.getJson<T>(url);
  const fitsPhone = async () => expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);

  beforeAll(async () => {
    j = await startJourney({ prefix: 'experts', demoPassword: DEMO_PASSWORD, fullPage: true });
    page = j.page;
    photo = photoFixture(j.dataDir, 'confined-space.png', [30, 120, 60]);
  }, STEP_TIMEOUT);

  afterAll(async () => {
    await j?.close();
  });

  it(
    'pudong opens its programme and assigns expert-1 to a target enterprise',
    async () => {
      await j.login('pudong');
      await page.getByTestId('nav-menu').getByText('啄木鸟专家', { exact: true }).click();
      await page.waitForURL(/\/experts$/);
      await page.getByTestId('exp-coverage').waitFor();
      programme = (await api<{ items: Programme[] }>('/api/expert-programmes')).items[0];
      expect(programme.districtCode).toBe('310115');
      coveredBefore = programme.covered;
      expect(Number(await page.getByTestId('exp-covered').getAttribute('data-value'))).toBe(coveredBefore);
      await shot('district-programme');
      // The enterprises not yet scheduled, each with its button.
      await page.locator('.ant-tabs-tab', { hasText: '未安排' }).click();
      await page.waitForURL(/state=not_yet/);
      const row = page.locator('[data-testid=exp-target-table] tbody tr.ant-table-row', { has: page.getByTestId('exp-assign-open') }).first();
      await row.waitFor();
      enterpriseName = (await row.locator('td').first().innerText()).trim();
      await row.getByTestId('exp-assign-open').click();
      const drawer = page.getByTestId('exp-assign-drawer');
      await drawer.waitFor();
      // Search the pool by name and take the match with Enter, then check it is chosen.
      const experts = page.getByTestId('exp-assign-experts');
      await experts.click();
      await experts.locator('input').fill('孙洁');
      await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: '孙洁' }).waitFor();
      await page.keyboard.press('Enter');
      await expect.poll(() => experts.locator('.ant-select-selection-item').count()).toBe(1);
      expect(await experts.innerText()).toContain('孙洁');
      // Close the list by clicking the drawer's title (Escape would close the drawer itself).
      await page.locator('.ant-drawer-title').click();
      await expect.poll(() => page.locator('.ant-select-dropdown:visible').count()).toBe(0);
      await shot('district-assign');
      const assigned = page.waitForResponse((r) => r.url().endsWith('/api/expert-assignments') && r.request().method() === 'POST');
      await page.getByTestId('exp-assign-submit').click();
      const res = await assigned;
      expect(res.status(), await res.text()).toBe(201);
      visit = (await res.json()) as Visit;
      expect(visit.enterpriseName).toBe(enterpriseName);
      await expect.poll(() => page.getByTestId('exp-coverage').innerText()).toContain('已安排');
      await shot('district-assigned');
      await j.logout();
    },
    STEP_TIMEOUT,
  );

  it(
    'expert-1, on a phone, sees just that enterprise, records a finding with a photo and submits the report',
    async () => {
      const v = visit!;
      await page.setViewportSize(PHONE);
      await j.login('expert-1');
      await page.goto(`${j.url}/experts`);
      const rows = page.locator('[data-testid=exp-visit-table] tbody tr.ant-table-row');
      await rows.first().waitFor();
      expect(await rows.count()).toBe(1);
      expect(await rows.first().innerText()).toContain(enterpriseName);
      // Its enterprises are that one alone.
      const ents = await api<{ items: { id: string }[] }>('/api/enterprises');
      expect(ents.items.map((e) => e.id)).toEqual([v.enterpriseId]);
      await fitsPhone();
      await shot('expert-visits-phone');

      await rows.first().getByTestId('exp-visit-open').click();
      await expect.poll(() => page.getByTestId('page-title').innerText()).toBe(enterpriseName);
      await page.getByTestId('exp-visit-start').click();
      await expect.poll(() => page.getByTestId('visit-status').innerText()).toBe('检查中');
      await page.getByTestId('exp-visit-record').waitFor();
      await page.getByTestId('enf-finding-1-description').fill(finding);
      await page.getByTestId('enf-finding-1-location').fill('污水处理池');
      const uploaded = page.waitForResponse((r) => r.url().endsWith('/api/files') && r.request().method() === 'POST');
      await page.locator('[data-testid=enf-finding-1-photos] .zb-evidence-photos input[type=file]').setInputFiles(photo);
      expect((await uploaded).status()).toBe(201);
      await expect.poll(() => page.locator('[data-testid=enf-finding-1-photos] .ant-upload-list-item-done').count()).toBe(1);
      // An expert sets no deadline: the district orders the rectification.
      expect(await page.getByTestId('enf-finding-1-deadline').count()).toBe(0);
      await fitsPhone();
      await shot('expert-finding-filled');
      const recorded = page.waitForResponse((r) => r.url().endsWith(`/api/expert-visits/${v.id}/findings`));
      await page.getByTestId('enf-finding-submit').click();
      const rec = await recorded;
      expect(rec.status(), await rec.text()).toBe(200);
      await expect.poll(() => page.getByTestId('enf-finding-link').count()).toBe(1);
      expect(await page.getByTestId('enf-finding-photo').count()).toBe(1);

      await page.getByTestId('exp-visit-advice-input').fill('建议建立有限空间作业审批制度，作业前对人员开展专项培训。');
      const submitted = page.waitForResponse((r) => r.url().endsWith(`/api/expert-visits/${v.id}/actions/submit`));
      await page.getByTestId('exp-visit-submit').click();
      expect((await submitted).status()).toBe(200);
      await expect.poll(() => page.getByTestId('visit-status').innerText()).toBe('已提交报告');
      await page.getByTestId('exp-visit-advice').waitFor();
      await page.getByTestId('exp-visit-report-docx').waitFor();
      await fitsPhone();
      await shot('expert-report-submitted');
      await j.logout();
    },
    STEP_TIMEOUT,
  );

  it(
    'the hazard is on Pudong’s ledger, linked to the visit, and the programme’s coverage rose by one',
    async () => {
      await page.setViewportSize({ width: 1366, height: 800 });
      await j.login('pudong');
      const list = await api<{ items: { id: string; description: string; source: string }[] }>(`/api/hazards?q=${encodeURIComponent(`E2E${stamp}`)}&districtCode=310115`);
      expect(list.items.map((h) => h.description)).toEqual([finding]);
      expect(list.items[0].source).toBe('expert_inspection');
      await page.goto(`${j.url}/hazards/${list.items[0].id}`);
      await page.getByTestId('hazard-origin').click();
      await page.waitForURL(new RegExp(`/experts/visits/${visit!.id}$`));
      await page.getByTestId('exp-visit-findings').waitFor();
      await shot('district-visit');
      const coverage = await api<Coverage>(`/api/expert-programmes/${programme.id}/coverage`);
      expect(coverage.covered).toBe(coveredBefore + 1);
      await page.goto(`${j.url}/experts`);
      await expect.poll(async () => Number(await page.getByTestId('exp-covered').getAttribute('data-value'))).toBe(coveredBefore + 1);
      await shot('district-programme-after');
      // The pool shows expert-1's record: one report, one finding.
      await page.getByTestId('exp-view').getByText('专家库').click();
      await page.locator('[data-testid=exp-pool-table] tbody tr.ant-table-row', { hasText: '孙洁' }).click();
      await page.getByTestId('exp-quality').waitFor();
      await expect.poll(() => page.getByTestId('exp-quality').innerText()).toMatch(/已提交报告 \/ 检查\s*1\s*\/ 1/);
      await shot('district-expert-record');
      // The district's cockpit carries the programme's coverage.
      await page.goto(`${j.url}/`);
      await page.getByTestId('cockpit-experts').waitFor();
      await expect.poll(() => page.getByTestId('cockpit-experts').innerText()).toContain(`已覆盖 ${coveredBefore + 1} / ${programme.targets} 家`);
      await shot('district-cockpit-experts');
    },
    STEP_TIMEOUT,
  );

  it(
    'pudong sets a programme from pasted credit codes and declares an expert’s conflict of interest',
    async () => {
      const ents = await api<{ items: { id: string; name: string; uscc: string }[] }>('/api/enterprises?districtCode=310115&pageSize=3');
      await page.goto(`${j.url}/experts?view=programmes`);
      await page.getByTestId('exp-prog-add').click();
      await page.getByTestId('exp-prog-form').waitFor();
      await page.getByTestId('exp-prog-title').fill(`E2E${stamp} 重点企业专项`);
      // A column pasted from a spreadsheet, with a blank line and a lower-case code.
      await page.getByTestId('exp-prog-usccs').fill([ents.items[0].uscc.toLowerCase(), '', ents.items[1].uscc, ents.items[2].uscc].join('\n'));
      await expect.poll(() => page.getByTestId('exp-prog-form').innerText()).toContain('已识别 3 个代码');
      await shot('district-programme-form');
      const made = page.waitForResponse((r) => r.url().endsWith('/api/expert-programmes') && r.request().method() === 'POST');
      await page.getByTestId('exp-prog-submit').click();
      const res = await made;
      expect(res.status(), await res.text()).toBe(201);
      expect(((await res.json()) as Programme).targets).toBe(3);
      await expect.poll(() => page.getByTestId('exp-prog-table').innerText()).toContain(`E2E${stamp} 重点企业专项`);

      await page.getByTestId('exp-view').getByText('专家库').click();
      await page.locator('[data-testid=exp-pool-table] tbody tr.ant-table-row', { hasText: '孙洁' }).click();
      await page.getByTestId('exp-conflicts').waitFor();
      const pick = page.getByTestId('exp-conflict-enterprise');
      await pick.click();
      await pick.locator('input').fill(ents.items[2].name.slice(0, 6));
      await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: ents.items[2].name }).first().click();
      await page.getByTestId('exp-conflict-reason').fill('近亲属在该企业任职');
      const declared = page.waitForResponse((r) => r.url().includes('/conflicts') && r.request().method() === 'POST');
      await page.getByTestId('exp-conflict-declare').click();
      expect((await declared).status()).toBe(201);
      await expect.poll(() => page.getByTestId('exp-conflicts').innerText()).toContain('近亲属在该企业任职');
      await shot('district-expert-conflict');
    },
    STEP_TIMEOUT,
  );
});
