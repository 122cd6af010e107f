/**
 * 城市安全风险清单 and 持证上岗 (#20), on the real server with the demo city, in Debian's Chromium:
 * `city` opens the register, switches to the risk map, opens Pudong's major (red) item that has open
 * major hazards from the map's list of red items and finds them in its linked hazards; then `ent-pd`
 * records a welder's certificate that ran out yesterday, reads that the system put a hazard on the
 * ledger, follows the link to it (source 系统核验) and finds it in the ledger filtered by that source.
 * Screenshots land in test-results/.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Certificate } from '../src/shared/contracts/certificates';
import type { ListResult } from '../src/shared/contracts/common';
import type { Hazard } from '../src/shared/contracts/hazards';
import type { Risk, RiskDetail } from '../src/shared/contracts/risks';
import { announceSkip, runJourneys, shanghaiDay, startJourney } from './harness';
import type { Journey } from './harness';

const DEMO_PASSWORD = 'risks-demo-2026';
const STEP_TIMEOUT = 180_000;
const PUDONG = '310115';
const OPEN = ['reported', 'rectifying', 'pending_acceptance'];

/** 17 digits and the GB 11643 check character (weights 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2, sum mod 11 into '10X98765432'). */
function idNumber(body: string): string {
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  return body + '10X98765432'[weights.reduce((s, w, i) => s + w * Number(body[i]), 0) % 11];
}

/** The same day six years before (29 February falls on 1 March). */
function sixYearsBefore(day: string): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCFullYear(d.getUTCFullYear() - 6);
  return d.toISOString().slice(0, 10);
}

announceSkip('the risks and certificates journey');

describe.skipIf(!runJourneys)('web journey: the city follows a red risk on the map to its open major hazards; an enterprise records a lapsed certificate and the system puts its hazard on the ledger', () => {
  let j: Journey;
  let page: Page;
  const stamp = Date.now().toString(36).toUpperCase();
  const shot = (name: string) => j.shot(name);
  const api = <T = unknown>(url: string) => j.getJson<T>(url);

  beforeAll(async () => {
    j = await startJourney({ prefix: 'risks', demoPassword: DEMO_PASSWORD, fullPage: true });
    page = j.page;
  }, STEP_TIMEOUT);

  afterAll(async () => {
    await j?.close();
  });

  it(
    'city opens the risk map, picks Pudong’s flagged red item and reads its open major hazards',
    async () => {
      await j.login('city');
      await page.getByTestId('nav-menu').getByText('风险清单', { exact: true }).click();
      await page.waitForURL(/\/risks$/);
      // The register: red items first.
      const rows = page.locator('[data-testid=risk-table] tbody tr.ant-table-row');
      await rows.first().waitFor();
      expect(await rows.first().getByTestId('risk-level').getAttribute('data-level')).toBe('red');
      await shot('register');

      await page.getByTestId('risk-view-map').click();
      await page.waitForURL(/view=map/);
      await page.locator('[data-testid=risk-map] svg').waitFor();
      const flagged = (await api<ListResult<Risk>>(`/api/risks?districtCode=${PUDONG}&level=red&flagged=true`)).items[0];
      expect(flagged, 'the demo has a flagged red item in Pudong').toBeTruthy();
      const item = page.locator(`[data-testid=risk-red-item][data-district="${PUDONG}"][data-flagged=true]`);
      await expect.poll(() => item.count()).toBe(1);
      expect(await item.innerText()).toBe(flagged.name);
      await shot('map');

      await item.click();
      await page.waitForURL(new RegExp(`/risks/${flagged.id}$`));
      await page.getByTestId('risk-detail').waitFor();
      const detail = await api<RiskDetail>(`/api/risks/${flagged.id}`);
      const openMajor = detail.hazards.filter((h) => h.grade === 'major' && OPEN.includes(h.status));
      expect(openMajor.length).toBeGreaterThan(0);
      expect(await page.getByTestId('risk-level-reason').innerText()).toBe(detail.levelReason);
      // Its linked hazards: every one listed, the open major ones among them, each a link to the hazard.
      const hazardRows = page.locator('[data-testid=risk-hazards] tbody tr.ant-table-row');
      await expect.poll(() => hazardRows.count()).toBe(detail.hazards.length);
      for (const h of openMajor) {
        const row = page.locator(`[data-testid=risk-hazards] tr[data-row-key="${h.id}"]`);
        expect(await row.getByTestId('risk-hazard-link').innerText()).toBe(h.code);
        expect(await row.innerText()).toContain('重大隐患');
      }
      await shot('red-item-hazards');
    },
    STEP_TIMEOUT,
  );

  it(
    'ent-pd records a welder’s certificate that expired yesterday; the system puts its hazard on the ledger',
    async () => {
      await j.logout();
      await j.login('ent-pd');
      await page.getByTestId('nav-menu').getByText('持证上岗', { exact: true }).click();
      await page.waitForURL(/\/certificates$/);
      await page.locator('[data-testid=certificate-table] tbody tr.ant-table-row').first().waitFor();
      await page.getByTestId('cert-record').click();
      await page.getByTestId('cert-form').waitFor();
      // The enterprise records for itself: no enterprise to pick.
      expect(await page.getByTestId('cert-enterprise').count()).toBe(0);
      await page.getByTestId('cert-operation').click();
      await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: '焊接与热切割作业' }).click();
      const holder = `焊工${stamp}`;
      const number = `T-E2E-${stamp}`;
      const validTo = shanghaiDay(-1);
      await page.getByTestId('cert-holder').fill(holder);
      await page.getByTestId('cert-id-number').fill(idNumber('31011519850615201'));
      await page.getByTestId('cert-number').fill(number);
      await page.getByTestId('cert-issuer').fill('上海市应急管理局');
      await j.pickDate(page.getByTestId('cert-valid-from'), sixYearsBefore(validTo));
      await j.pickDate(page.getByTestId('cert-valid-to'), validTo);
      await shot('certificate-form');

      const recorded = page.waitForResponse((r) => r.url().endsWith('/api/certificates') && r.request().method() === 'POST');
      await page.getByTestId('cert-form-submit').click();
      const res = await recorded;
      expect(res.status()).toBe(201);
      const cert = (await res.json()) as Certificate & { hazardsOpened: string[] };
      expect(cert.state).toBe('expired');
      expect(cert.idNumberMasked).toMatch(/^310\*+\d{3}[\dX]$/);
      expect(cert.hazardsOpened).toHaveLength(1);
      const hazardId = cert.hazardsOpened[0];
      // The message says so plainly, with the hazard's link; the list shows the certificate masked.
      await page.getByTestId('certificate-result').waitFor();
      const link = page.getByTestId('certificate-hazard-link');
      const hazard = await api<Hazard>(`/api/hazards/${hazardId}`);
      expect(hazard.source).toBe('system');
      await expect.poll(() => link.innerText()).toContain(hazard.code);
      const row = page.locator(`[data-testid=certificate-table] tr[data-row-key="${cert.id}"]`);
      await row.waitFor();
      expect(await row.getByTestId('certificate-id-masked').innerText()).toBe(cert.idNumberMasked);
      expect(await row.getByTestId('certificate-state').getAttribute('data-state')).toBe('expired');
      await shot('certificate-recorded');

      await link.click();
      await page.waitForURL(new RegExp(`/hazards/${hazardId}$`));
      await page.getByText('系统核验').first().waitFor();
      expect(await page.getByTestId('hazard-origin').getAttribute('href')).toBe(`/certificates/${cert.id}`);
      await shot('lapse-hazard');

      // The ledger filtered by source 系统核验 lists it.
      await page.goto(`${j.url}/hazards?source=system`);
      await page.locator(`[data-testid=hazard-table] tr[data-row-key="${hazardId}"]`).waitFor();
      const ledger = await api<ListResult<Hazard>>('/api/hazards?source=system&pageSize=100');
      expect(ledger.items.map((h) => h.id)).toContain(hazardId);
      await shot('ledger-system-source');
    },
    STEP_TIMEOUT,
  );
});
