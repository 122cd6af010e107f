/**
 * A tip through the public door, on the real server with the demo city, in Debian's Chromium: at
 * phone size and without signing in, a reporter sends an anonymous tip about a Pudong enterprise
 * with a photo and notes the receipt and the secret; `pudong` accepts it, records the hazard it
 * found (onto the ledger, source 举报) and verifies it, and tells the reporter; the reporter's page
 * shows the feedback. Screenshots land in test-results/.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TipDetail } from '../src/shared/contracts/tips';
import { announceSkip, photoFixture, runJourneys, startJourney } from './harness';
import type { Journey } from './harness';

const DEMO_PASSWORD = 'tips-demo-2026';
const STEP_TIMEOUT = 180_000;
const PHONE = { width: 390, height: 844 };
const DESK = { width: 1366, height: 800 };

announceSkip('the tips journey');

describe.skipIf(!runJourneys)('web journey: an anonymous tip from a phone, verified by Pudong onto the ledger, the feedback read by the reporter', () => {
  let j: Journey;
  let page: Page;
  let photo = '';
  let receipt = '';
  let secret = '';
  let tipId = '';
  const stamp = Date.now().toString(36).toUpperCase();
  const text = `E2E${stamp} 仓库消防通道被货物堵死，安全出口上了锁，晚上还有人住在仓库里`;
  const feedback = `E2E${stamp} 经现场核查，您反映的问题属实，已责令企业限期整改。感谢您的监督！`;
  const shot = (name: string) => j.shot(name);
  const api = <T = unknown>(url: string) => j.getJson<T>(url);

  beforeAll(async () => {
    j = await startJourney({ prefix: 'tips', demoPassword: DEMO_PASSWORD, fullPage: true });
    page = j.page;
    photo = photoFixture(j.dataDir, 'blocked-exit.png', [200, 60, 20]);
  }, STEP_TIMEOUT);

  afterAll(async () => {
    await j?.close();
  });

  it(
    'at phone size, signed out: an anonymous tip about a Pudong enterprise with a photo; the receipt and secret shown once',
    async () => {
      await page.setViewportSize(PHONE);
      await page.goto(`${j.url}/report`);
      await page.getByTestId('tip-pub-category-major_hazard').click();
      // A Pudong enterprise, as a reporter would type its name.
      const found = await page.request.get(`${j.url}/api/public/enterprises?q=${encodeURIComponent('上海')}`);
      const target = ((await found.json()) as { items: { name: string; districtName: string }[] }).items.find((e) => e.districtName === '浦东新区')!;
      expect(target).toBeDefined();
      const enterprise = page.getByTestId('tip-pub-enterprise');
      await enterprise.click();
      const searched = page.waitForResponse((r) => r.url().includes('/api/public/enterprises?') && r.url().includes(encodeURIComponent(target.name.slice(0, 8))));
      await enterprise.locator('input').fill(target.name.slice(0, 8));
      expect((await searched).status()).toBe(200);
      await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: target.name }).first().click();
      await page.getByTestId('tip-pub-description').fill(text);
      const uploaded = page.waitForResponse((r) => r.url().endsWith('/api/public/files') && r.request().method() === 'POST');
      await page.locator('[data-testid=tip-pub-photos] input[type=file]').setInputFiles(photo);
      expect((await uploaded).status()).toBe(201);
      await shot('phone-report-filled');
      const sent = page.waitForResponse((r) => r.url().endsWith('/api/public/tips') && r.request().method() === 'POST');
      await page.getByTestId('tip-pub-submit').click();
      const res = await sent;
      expect(res.status(), await res.text()).toBe(201);
      // The door sets no cookie, and the anonymous tip carried no name or phone.
      expect(res.headers()['set-cookie']).toBeUndefined();
      expect(await page.context().cookies()).toEqual([]);
      const body = res.request().postDataJSON() as Record<string, unknown>;
      expect(body).toMatchObject({ anonymous: true, category: 'major_hazard' });
      expect(body.name).toBeUndefined();
      receipt = (await page.getByTestId('tip-pub-receipt').innerText()).trim();
      secret = (await page.getByTestId('tip-pub-secret').innerText()).trim();
      expect(receipt).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}$/);
      expect(secret).toMatch(/^([A-Z2-9]{4}-){3}[A-Z2-9]{4}$/);
      expect(body.enterpriseId).toMatch(/^[0-9a-f-]{36}$/);
      await shot('phone-report-receipt');
    },
    STEP_TIMEOUT,
  );

  it(
    'pudong accepts it, records the hazard found onto the ledger, verifies it and tells the reporter',
    async () => {
      await page.setViewportSize(DESK);
      await j.login('pudong');
      await page.getByTestId('nav-menu').getByText('举报奖励', { exact: true }).click();
      await page.waitForURL(/\/tips$/);
      await page.getByTestId('tip-search').fill(`E2E${stamp}`);
      const row = page.locator('[data-testid=tip-table] tbody tr.ant-table-row');
      await expect.poll(() => row.count()).toBe(1);
      await shot('district-tip-list');
      await row.first().click();
      await page.waitForURL(/\/tips\/[0-9a-f-]{36}$/);
      tipId = page.url().split('/').pop()!;
      await page.getByTestId('tip-photo').first().waitFor();
      expect(await page.getByTestId('tip-description').innerText()).toBe(text);

      // 受理
      const accepted = page.waitForResponse((r) => r.url().endsWith(`/api/tips/${tipId}/actions/accept`));
      await page.getByTestId('tip-step-submit').click();
      expect((await accepted).status()).toBe(200);
      await expect.poll(() => page.getByTestId('tip-status').first().innerText()).toBe('核查中');

      // 核查发现: the hazard onto the ledger now.
      await page.getByTestId('enf-finding-1-description').fill(`E2E${stamp} 仓库安全出口上锁，疏散通道堆放货物`);
      const found = page.waitForResponse((r) => r.url().endsWith(`/api/tips/${tipId}/findings`));
      await page.getByTestId('enf-finding-submit').click();
      const f = await found;
      expect(f.status(), await f.text()).toBe(200);
      await expect.poll(() => page.getByTestId('enf-finding-link').count()).toBe(1);

      // 核查办结: substantiated.
      await page.getByTestId('tip-step-choice').getByText('核查办结', { exact: true }).click();
      await page.getByTestId('tip-substantiated').getByText('属实', { exact: true }).click();
      await page.getByTestId('tip-note').fill('现场核查属实：安全出口上锁、疏散通道堵塞，已下达整改指令。');
      await shot('district-tip-verify');
      const verified = page.waitForResponse((r) => r.url().endsWith(`/api/tips/${tipId}/actions/verify`));
      await page.getByTestId('tip-step-submit').click();
      expect((await verified).status()).toBe(200);
      await expect.poll(() => page.getByTestId('tip-status').first().innerText()).toBe('已核查待反馈');

      // 反馈举报人
      await page.getByTestId('tip-step-choice').getByText('反馈举报人', { exact: true }).click();
      await page.getByTestId('tip-note').fill(feedback);
      const told = page.waitForResponse((r) => r.url().endsWith(`/api/tips/${tipId}/actions/feedback`));
      await page.getByTestId('tip-step-submit').click();
      expect((await told).status()).toBe(200);
      await expect.poll(() => page.getByTestId('tip-status').first().innerText()).toBe('已办结');
      await shot('district-tip-closed');

      const tip = await api<TipDetail>(`/api/tips/${tipId}`);
      expect(tip).toMatchObject({ status: 'closed', substantiated: true, hazards: 1, anonymous: true, hasIdentity: false });
      const hazard = await api<{ source: string; districtCode: string; origin: { type: string; id: string } }>(`/api/hazards/${tip.findings[0].hazardId}`);
      expect(hazard).toMatchObject({ source: 'tip', districtCode: '310115', origin: { type: 'tip', id: tipId } });
      // The hazard opens its tip.
      await page.goto(`${j.url}/hazards/${tip.findings[0].hazardId}`);
      await page.getByTestId('hazard-origin').click();
      await page.waitForURL(new RegExp(`/tips/${tipId}$`));
      await j.logout();
    },
    STEP_TIMEOUT,
  );

  it(
    'the reporter, at phone size and signed out, reads the status and the feedback with the receipt and the secret',
    async () => {
      await page.setViewportSize(PHONE);
      await page.goto(`${j.url}/report?receipt=${encodeURIComponent(receipt)}`);
      await page.getByTestId('tip-pub-lookup-receipt').waitFor();
      expect(await page.getByTestId('tip-pub-lookup-receipt').inputValue()).toBe(receipt);
      // A wrong secret first: the one neutral answer.
      await page.getByTestId('tip-pub-lookup-secret').fill('AAAA-BBBB-CCCC-DDDD');
      await page.getByTestId('tip-pub-lookup-submit').click();
      await page.getByText('回执号或查询密码不正确', { exact: false }).first().waitFor();
      await page.getByTestId('tip-pub-lookup-secret').fill(secret);
      await page.getByTestId('tip-pub-lookup-submit').click();
      await expect.poll(() => page.getByTestId('tip-pub-status').innerText()).toBe('已办结');
      expect(await page.getByTestId('tip-pub-feedback').innerText()).toBe(feedback);
      await shot('phone-lookup-feedback');
    },
    STEP_TIMEOUT,
  );
});
