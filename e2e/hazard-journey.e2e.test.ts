/**
 * The hazard closed loop through the web app, on the real server with the demo city, in Debian's
 * Chromium: an enterprise reports a hazard from its self-check with a photo, sets itself a deadline
 * and submits its rectification with evidence; the district rejects it; the enterprise submits
 * again; the district accepts and closes it. The ledger then lists it as closed and its timeline
 * shows every step. A screenshot of every step lands in test-results/ (gitignored).
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { announceSkip, photoFixture, runJourneys, startJourney, shanghaiDay } from './harness';
import type { Journey } from './harness';

const DEMO_PASSWORD = 'hazard-demo-2026';
const STEP_TIMEOUT = 120_000;
const TIMELINE = ['上报', '限期整改', '提交整改', '验收不通过', '提交整改', '验收销号'];

announceSkip('the hazard journey');

describe.skipIf(!runJourneys)('web journey: a hazard from self-check to closure', () => {
  let j: Journey;
  let page: Page;
  let photos: string[] = [];
  let hazardUrl = '';
  let code = '';
  const marker = `E2E${Date.now().toString(36).toUpperCase()}`;
  const shot = (name: string) => j.shot(name);
  const login = (username: string) => j.login(username);
  const logout = () => j.logout();

  const timelineLabels = () => page.getByTestId('hazard-event-label').allInnerTexts();

  /** Sets one photo on an upload control and waits until the server has it. */
  const attachPhoto = async (scope: string, file: string) => {
    const done = page.locator(`${scope} .ant-upload-list-item-done`);
    const before = await done.count();
    const uploaded = page.waitForResponse((r) => r.url().endsWith('/api/files') && r.request().method() === 'POST');
    await page.locator(`${scope} .zb-evidence-photos input[type=file]`).setInputFiles(file);
    expect((await uploaded).status()).toBe(201);
    await expect.poll(() => done.count()).toBe(before + 1);
  };

  /** Opens a workflow step's form, lets fill() complete it, confirms, and waits for the answer. */
  const act = async (action: string, fill: () => Promise<void>, name: string) => {
    await page.getByTestId(`hazard-action-${action}`).click();
    const modal = page.locator('.ant-modal', { has: page.getByTestId('action-submit') });
    await modal.waitFor();
    await fill();
    await shot(`${name}-form`);
    const answered = page.waitForResponse((r) => r.url().includes(`/actions/${action}`) && r.request().method() === 'POST');
    await page.getByTestId('action-submit').click();
    expect((await answered).status()).toBe(200);
    await modal.waitFor({ state: 'detached' });
  };

  /** 限期整改: a deadline `days` from today and the person responsible. */
  const assign = (days: number, responsible: string, name: string) =>
    act(
      'assign',
      async () => {
        const deadline = page.locator('.ant-modal .ant-picker input').first();
        await deadline.click();
        await deadline.fill(shanghaiDay(days));
        await deadline.press('Enter');
        await page.getByTestId('action-responsible').fill(responsible);
      },
      name,
    );

  const submitRectification = async (note: string, photo: string, name: string) => {
    await act(
      'submit',
      async () => {
        await page.getByTestId('action-note').fill(note);
        await attachPhoto('[data-testid=action-upload]', photo);
      },
      name,
    );
    await expect.poll(() => page.getByTestId('hazard-status').first().innerText()).toBe('待验收');
  };

  beforeAll(async () => {
    j = await startJourney({ prefix: 'hazard', demoPassword: DEMO_PASSWORD, fullPage: true });
    page = j.page;
    photos = (
      [
        [200, 40, 40],
        [40, 160, 60],
        [40, 80, 200],
      ] as const
    ).map((tint, i) => photoFixture(j.dataDir, `photo-${i + 1}.png`, [...tint]));
  }, STEP_TIMEOUT);

  afterAll(async () => {
    await j?.close();
  });

  it(
    'the enterprise reports a hazard from its self-check, with a photo',
    async () => {
      await login('ent-pd');
      await page.getByRole('menuitem', { name: '隐患台账' }).click();
      await page.waitForURL(/\/hazards$/);
      await page.locator('[data-testid=hazard-table] tbody tr.ant-table-row').first().waitFor();
      // Open work first: the ledger opens on 在办, with what waits for me one tab away and everything one click away.
      expect(await page.locator('.zb-hazard-tabs .ant-tabs-tab-active').innerText()).toContain('在办');
      expect(await page.getByTestId('hazard-tab-todo').innerText()).toContain('待我处理');
      expect(await page.getByTestId('hazard-tab-all').innerText()).toContain('全部');
      const statuses = await page.locator('[data-testid=hazard-table] tbody [data-testid=hazard-status]').allInnerTexts();
      expect(statuses.every((st) => ['已上报', '整改中', '待验收'].includes(st))).toBe(true);
      await shot('ent-ledger');

      await page.getByTestId('hazard-report').click();
      await page.waitForURL(/\/hazards\/new$/);
      // An enterprise reports for itself, from its self-check: both are fixed.
      expect(await page.getByTestId('hazard-enterprise-fixed').inputValue()).toContain('上海');
      await expect.poll(() => page.locator('[data-testid=hazard-source]').innerText()).toContain('企业自查');
      await page.getByTestId('hazard-description-input').fill(`配电箱箱门未关闭，箱内积尘较多（${marker}）`);
      await page.getByTestId('hazard-location').fill('二号车间东侧配电室');
      await attachPhoto('[data-testid=hazard-photos]', photos[0]);
      // Suggestions appear as the description is typed; not citing one keeps the hazard general.
      await expect.poll(() => page.locator('[data-testid=clause-suggestion], [data-testid=clause-suggestions] .ant-empty').count()).toBeGreaterThan(0);
      expect(await page.locator('[data-testid=hazard-grade] .ant-radio-button-wrapper-checked').innerText()).toBe('一般隐患');
      await shot('report-form');

      const created = page.waitForResponse((r) => r.url().endsWith('/api/hazards') && r.request().method() === 'POST');
      await page.getByTestId('hazard-submit').click();
      expect((await created).status()).toBe(201);
      await page.waitForURL(/\/hazards\/[0-9a-f-]{36}$/);
      await page.getByTestId('hazard-timeline').waitFor();
      hazardUrl = page.url();
      code = (await page.getByTestId('page-title').innerText()).trim();
      expect(code).toMatch(/^YH-310115-\d{4}-\d{6}$/);
      expect(await page.getByTestId('hazard-status').first().innerText()).toBe('已上报');
      expect(await timelineLabels()).toEqual(['上报']);
      expect(await page.getByTestId('event-image').count()).toBe(1);
      await shot('reported');
    },
    STEP_TIMEOUT,
  );

  it(
    'sets itself a deadline and submits the rectification with evidence',
    async () => {
      await assign(14, '王立新', 'assign');
      await expect.poll(() => page.getByTestId('hazard-status').first().innerText()).toBe('整改中');
      await shot('rectifying');

      await submitRectification('已关闭箱门并清扫积尘，张贴警示标识', photos[1], 'submit');
      expect(await timelineLabels()).toEqual(['上报', '限期整改', '提交整改']);
      await shot('submitted');
      await logout();
    },
    STEP_TIMEOUT,
  );

  it(
    'the district rejects it with a reason',
    async () => {
      await login('pudong');
      await page.goto(hazardUrl);
      await page.getByTestId('hazard-timeline').waitFor();
      expect(await page.getByTestId('page-title').innerText()).toBe(code);
      await shot('district-opens');
      await act('reject', () => page.getByTestId('action-reason').fill('箱内仍有积尘，警示标识未张贴到位'), 'reject');
      await expect.poll(() => page.getByTestId('hazard-status').first().innerText()).toBe('整改中');
      expect(await page.getByText('箱内仍有积尘，警示标识未张贴到位').count()).toBeGreaterThan(0);
      await shot('rejected');
      await logout();
    },
    STEP_TIMEOUT,
  );

  it(
    'the enterprise submits again',
    async () => {
      await login('ent-pd');
      await page.goto(hazardUrl);
      await page.getByTestId('hazard-timeline').waitFor();
      await submitRectification('已彻底清扫并在箱门张贴“有电危险”警示标识', photos[2], 'resubmit');
      await shot('resubmitted');
      await logout();
    },
    STEP_TIMEOUT,
  );

  it(
    'the district accepts and closes it',
    async () => {
      await login('pudong');
      await page.goto(hazardUrl);
      await page.getByTestId('hazard-timeline').waitFor();
      await act('accept', () => page.getByTestId('action-note').fill('现场复查合格，同意销号'), 'accept');
      await expect.poll(() => page.getByTestId('hazard-status').first().innerText()).toBe('已销号');
      await shot('closed');
    },
    STEP_TIMEOUT,
  );

  it(
    'the ledger lists it as closed, and its timeline shows every step',
    async () => {
      await page.goto(`${j.url}/hazards`);
      await page.getByTestId('hazard-tab-closed').click();
      await page.waitForURL((u) => u.searchParams.get('status') === 'closed');
      const rows = page.locator('[data-testid=hazard-table] tbody tr.ant-table-row');
      // The tab has taken effect (the filter form follows the URL) before the search is typed.
      await expect
        .poll(async () => {
          const statuses = await page.locator('[data-testid=hazard-table] tbody [data-testid=hazard-status]').allInnerTexts();
          return statuses.length > 0 && statuses.every((s) => s === '已销号');
        })
        .toBe(true);
      await page.getByTestId('hazard-search').fill(code);
      await page.waitForURL((u) => u.searchParams.get('q') === code);
      // The newest closed hazard may head the unfiltered tab too: wait for the search's answer, one row.
      await expect.poll(async () => (await rows.allInnerTexts()).map((r) => r.includes(code))).toEqual([true]);
      expect(await rows.first().innerText()).toContain('已销号');
      await shot('ledger-closed');

      await rows.first().getByRole('link', { name: code }).click();
      await page.waitForURL(hazardUrl);
      await page.getByTestId('hazard-timeline').waitFor();
      expect(await timelineLabels()).toEqual(TIMELINE);
      // The photos of the report and of both submissions are on the timeline.
      expect(await page.getByTestId('event-image').count()).toBe(3);
      // Nothing is left to do on a closed hazard.
      expect(await page.locator('[data-testid^=hazard-action-]').count()).toBe(0);
      await shot('timeline');
    },
    STEP_TIMEOUT,
  );

  /** As the signed-in user, through the API (setting up what the journey does not click through). */
  const apiPost = async (url: string, data: unknown) => {
    const res = await page.request.post(`${j.url}${url}`, { data, headers: { 'x-requested-with': 'zhiben' } });
    expect(res.status(), await res.text()).toBeLessThan(300);
    return res.json();
  };
  /** Opens the bell, the "needs my action" tab, and the notice about `hazardCode`; answers where it led. */
  const openNotice = async (hazardCode: string, words: string) => {
    await page.getByTestId('notification-bell').click();
    await page.getByTestId('notification-drawer').waitFor();
    await page.getByTestId('notification-tab-action').click();
    const item = page.getByTestId('notification-item').filter({ hasText: hazardCode });
    await expect.poll(() => item.first().innerText()).toContain(words);
    await shot(`notice-${words.slice(0, 6)}`);
    await item.first().click();
    await page.waitForURL(/\/hazards\/[0-9a-f-]{36}$/);
    await page.getByTestId('hazard-timeline').waitFor();
  };
  let found = { id: '', code: '' };

  it(
    'the district assigns a hazard it found; the enterprise is told and follows the notice to it',
    async () => {
      const enterpriseId = (await (await page.request.get(`${hazardUrl.replace('/hazards/', '/api/hazards/')}`)).json()).enterpriseId;
      found = await apiPost('/api/hazards', { enterpriseId, description: `消防通道堆放杂物（${marker}）`, location: '仓库北侧通道', grade: 'general', source: 'routine_inspection', foundAt: new Date(Date.now() - 3_600_000).toISOString() });
      await page.goto(`${j.url}/hazards/${found.id}`);
      await page.getByTestId('hazard-timeline').waitFor();
      await assign(7, '李安全', 'district-assigns');
      await logout();

      await login('ent-pd');
      await expect.poll(async () => Number((await page.getByTestId('notification-count').innerText()).trim() || 0)).toBeGreaterThan(0);
      await openNotice(found.code, '已下达限期整改');
      expect(page.url()).toBe(`${j.url}/hazards/${found.id}`);
      expect(await page.getByTestId('hazard-status').first().innerText()).toBe('整改中');
      await submitRectification('已清理通道杂物，划设禁止堆放标线', photos[0], 'ent-submits-found');
      await logout();
    },
    STEP_TIMEOUT,
  );

  it(
    'the district is told to accept what the enterprise submitted',
    async () => {
      await login('pudong');
      await openNotice(found.code, '已提交整改，请验收');
      expect(await page.getByTestId('hazard-action-accept').count()).toBe(1);
      await shot('district-told-to-accept');
    },
    STEP_TIMEOUT,
  );

  it(
    'whoever submits a rectification cannot accept it: the page says who may',
    async () => {
      const enterpriseId = (await (await page.request.get(`${j.url}/api/hazards/${found.id}`)).json()).enterpriseId;
      const h = await apiPost('/api/hazards', { enterpriseId, description: `灭火器过期未更换（${marker}）`, location: '办公楼二层', grade: 'general', source: 'routine_inspection', foundAt: new Date(Date.now() - 3_600_000).toISOString() });
      await apiPost(`/api/hazards/${h.id}/actions/assign`, { version: 1, deadline: shanghaiDay(7), responsibleName: '李安全' });
      await page.goto(`${j.url}/hazards/${h.id}`);
      await page.getByTestId('hazard-timeline').waitFor();
      // The district submits on the enterprise's behalf…
      await submitRectification('已代企业提交：灭火器已全部更换', photos[1], 'district-submits');
      // …and so may not accept it itself.
      expect(await page.getByTestId('hazard-action-accept').count()).toBe(0);
      expect(await page.getByTestId('hazard-held-back-accept').innerText()).toContain('不能由您本人验收');
      await shot('separation-of-duties');
    },
    STEP_TIMEOUT,
  );
  it(
    'warns the enterprise before it reports the same hazard twice, with a link to the open one',
    async () => {
      await logout();
      await login('ent-pd');
      await page.goto(`${j.url}/hazards/new`);
      await page.getByTestId('hazard-description-input').fill(`消防通道堆放杂物（${marker}）`);
      const warning = page.getByTestId('hazard-duplicates');
      await warning.waitFor();
      expect(await warning.innerText()).toContain('可能重复');
      expect(await page.getByTestId('hazard-duplicate-link').first().innerText()).toBe(found.code);
      await shot('duplicate-warning');
    },
    STEP_TIMEOUT,
  );
});
