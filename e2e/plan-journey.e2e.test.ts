/**
 * The plan itself (#18), on the real server with the demo city, in Debian's Chromium: `city` opens
 * the plan's tree, keeps only the late tasks, reads the late list and the milestones' timeline and
 * opens a late task; `pudong` opens one of Pudong's tasks, reports it done with a file and sees its
 * status turn from its colour to done's blue, then records a leaders' meeting with a decision; the
 * city reads the meetings' quarterly matrix. Screenshots land in test-results/.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ListResult } from '../src/shared/contracts/common';
import type { Meeting, PlanTask, PlanTaskDetail } from '../src/shared/contracts/tasks';
import { announceSkip, photoFixture, runJourneys, shanghaiDay, startJourney } from './harness';
import type { Journey } from './harness';

const DEMO_PASSWORD = 'plan-demo-2026';
const STEP_TIMEOUT = 180_000;
const PUDONG = '310115';

announceSkip('the plan journey');

describe.skipIf(!runJourneys)('web journey: the city follows the plan’s late tasks; Pudong reports progress with a file and records a meeting', () => {
  let j: Journey;
  let page: Page;
  let evidence = '';
  const stamp = Date.now().toString(36).toUpperCase();
  const shot = (name: string) => j.shot(name);
  const api = <T = unknown>(url: string) => j.getJson<T>(url);
  const taskRows = () => page.locator('[data-testid=plan-tree] tr[data-testid=plan-tree-task]');
  /** Types a date into an antd picker and picks it in the calendar, which closes it. */
  const pickDate = async (input: ReturnType<Page['locator']>, date: string) => {
    await input.click();
    await input.fill(date);
    await page.locator(`.ant-picker-dropdown:visible td[title="${date}"]`).click();
    await page.locator('.ant-picker-dropdown:visible').waitFor({ state: 'hidden' });
  };
  const openMenu = async (group: string, item: string) => {
    const menu = page.getByTestId('nav-menu');
    const entry = menu.getByText(item, { exact: true });
    if (!(await entry.isVisible())) await menu.getByText(group, { exact: true }).click();
    await entry.click();
  };

  beforeAll(async () => {
    j = await startJourney({ prefix: 'plan', demoPassword: DEMO_PASSWORD, fullPage: true });
    page = j.page;
    evidence = photoFixture(j.dataDir, 'progress-evidence.png', [20, 120, 60]);
  }, STEP_TIMEOUT);

  afterAll(async () => {
    await j?.close();
  });

  it(
    'city opens the plan, keeps the late tasks, reads the late list and the timeline, and opens a late task',
    async () => {
      await j.login('city');
      await openMenu('治本攻坚', '任务进展');
      await page.waitForURL(/\/plan$/);
      await expect.poll(() => taskRows().count()).toBeGreaterThan(0);
      // Every action and measure of the plan is there, numbered as in the plan.
      expect(await page.locator('[data-testid=plan-tree] tr[data-testid=plan-tree-action]').count()).toBe(10);
      expect(await page.locator('[data-testid=plan-tree] tr[data-testid=plan-tree-measure]').count()).toBe(30);
      const statuses = new Set(await taskRows().evaluateAll((rows) => rows.map((r) => r.getAttribute('data-status'))));
      expect(statuses.size).toBeGreaterThan(1);
      await shot('city-plan-tree');

      // 只看滞后: the tree keeps the late tasks only.
      const lateTree = page.waitForResponse((r) => r.url().includes('/tree?') && r.url().includes('late=true'));
      await page.getByTestId('plan-late-only').click();
      expect((await lateTree).status()).toBe(200);
      await page.waitForURL(/late=true/);
      await expect.poll(async () => (await taskRows().evaluateAll((rows) => rows.map((r) => r.getAttribute('data-late')))).every((l) => l === 'true')).toBe(true);
      const lateCount = await taskRows().count();
      expect(lateCount).toBeGreaterThan(0);
      expect(new Set(await taskRows().evaluateAll((rows) => rows.map((r) => r.getAttribute('data-status'))))).toEqual(new Set(['late']));
      await shot('city-plan-late-tree');

      // The late list: the same tasks as the API's late list, in red.
      const lateApi = await api<ListResult<PlanTask>>('/api/plan-tasks?late=true&pageSize=200');
      expect(lateApi.total).toBeGreaterThanOrEqual(lateCount);
      await page.getByTestId('plan-view-late').click();
      const lateRows = page.locator('[data-testid=plan-late-table] tbody tr.ant-table-row');
      await expect.poll(() => lateRows.count()).toBe(Math.min(lateApi.total, 20));
      expect(new Set(await page.locator('[data-testid=plan-late-table] [data-testid=plan-late-status]').evaluateAll((tags) => tags.map((x) => x.getAttribute('data-status'))))).toEqual(new Set(['late']));
      await shot('city-plan-late-list');

      // The timeline: a bar per task, the milestones as markers, the late ones red.
      await page.getByTestId('plan-view-timeline').click();
      await expect.poll(() => page.locator('[data-testid=plan-gantt-row]').count()).toBe(lateCount);
      expect(await page.locator('[data-testid=plan-gantt-milestone][data-state=late]').count()).toBeGreaterThan(0);
      await shot('city-plan-timeline');

      // Open a late task from the late list.
      await page.getByTestId('plan-view-late').click();
      const first = page.locator('[data-testid=plan-late-table] [data-testid=plan-late-link]').first();
      const title = (await first.innerText()).trim();
      await first.click();
      await page.waitForURL(/\/plan\/tasks\/[0-9a-f-]{36}$/);
      await expect.poll(async () => (await page.getByTestId('page-title').innerText()).trim()).toBe(title);
      await expect.poll(() => page.getByTestId('plan-task-status').getAttribute('data-status')).toBe('late');
      await page.getByTestId('plan-reports').waitFor();
      await shot('city-plan-task-late');
      await j.logout();
    },
    STEP_TIMEOUT,
  );

  it(
    'pudong opens a Pudong task from the tree, reports it done with a file, and the status turns blue',
    async () => {
      await j.login('pudong');
      // A task Pudong leads and may report on, not done yet.
      const mine = await api<ListResult<PlanTask>>(`/api/plan-tasks?districtCode=${PUDONG}&unitKind=district&pageSize=200`);
      const open = mine.items.filter((x) => x.leadUnit.code === PUDONG && x.status !== 'done' && x.measureNo !== null);
      expect(open.length).toBeGreaterThan(0);
      let task: PlanTaskDetail | undefined;
      for (const x of open) {
        const d = await api<PlanTaskDetail>(`/api/plan-tasks/${x.id}`);
        if (d.allowed.report) {
          task = d;
          break;
        }
      }
      expect(task).toBeDefined();
      const before = task!.status;

      await openMenu('治本攻坚', '任务进展');
      await page.waitForURL(/\/plan$/);
      await page.locator(`[data-testid=plan-tree] a[href="/plan/tasks/${task!.id}"]`).first().click();
      await page.waitForURL(new RegExp(`/plan/tasks/${task!.id}$`));
      await expect.poll(() => page.getByTestId('plan-task-status').getAttribute('data-status')).toBe(before);
      await page.getByTestId('plan-report-form').waitFor();

      await page.getByTestId('plan-report-status-done').click();
      await page.getByTestId('plan-report-note').fill(`E2E${stamp} 已按子方案完成全部工作，验收材料见附件。`);
      const uploaded = page.waitForResponse((r) => r.url().endsWith('/api/files') && r.request().method() === 'POST');
      await page.locator('[data-testid=plan-report-upload] .zb-evidence-files input[type=file]').setInputFiles(evidence);
      const up = await uploaded;
      expect(up.status(), await up.text()).toBe(201);
      await shot('district-task-report-filled');
      const reported = page.waitForResponse((r) => r.url().endsWith(`/api/plan-tasks/${task!.id}/progress`) && r.request().method() === 'POST');
      await page.getByTestId('plan-report-submit').click();
      const res = await reported;
      expect(res.status(), await res.text()).toBe(201);
      const sent = res.request().postDataJSON() as { status: string; attachmentIds: string[] };
      expect(sent.status).toBe('done');
      expect(sent.attachmentIds).toHaveLength(1);

      // The tag changes colour and the report is on the timeline with its file.
      await expect.poll(() => page.getByTestId('plan-task-status').getAttribute('data-status')).toBe('done');
      expect(await page.getByTestId('plan-task-status').evaluate((el) => el.className)).toContain('blue');
      const item = page.locator('[data-testid=plan-report-item]').first();
      expect(await item.getAttribute('data-status')).toBe('done');
      expect(await item.locator('[data-testid=plan-report-file]').count()).toBe(1);
      await shot('district-task-reported');

      const after = await api<PlanTaskDetail>(`/api/plan-tasks/${task!.id}`);
      expect(after.status).toBe('done');
      expect(after.reports[0]).toMatchObject({ status: 'done', attachmentIds: sent.attachmentIds });
    },
    STEP_TIMEOUT,
  );

  it(
    'pudong records a leaders’ meeting with a decision, which becomes a task',
    async () => {
      await openMenu('治本攻坚', '党政会议');
      await page.waitForURL(/\/plan\/meetings$/);
      await page.locator('[data-testid=plan-compliance] tr[data-testid=plan-compliance-row]').first().waitFor();
      await page.getByTestId('plan-mt-add').click();
      const drawer = page.getByTestId('plan-mt-drawer');
      await pickDate(drawer.locator('.ant-picker input').first(), shanghaiDay(0));
      const title = `E2E${stamp} 区政府常务会议（专题研究安全生产）`;
      await page.getByTestId('plan-mt-title').fill(title);
      await page.getByTestId('plan-mt-chair').fill('张区长');
      await page.getByTestId('plan-mt-topic-1').fill('通报本季度重大事故隐患动态清零进展');
      await page.getByTestId('plan-mt-add-decision').click();
      const decision = page.getByTestId('plan-mt-decision-1');
      await decision.locator('input').first().fill(`E2E${stamp} 年底前完成全区自建房隐患整治复查`);
      await pickDate(decision.locator('.ant-picker input'), shanghaiDay(30));
      await shot('district-meeting-drawer');
      const recorded = page.waitForResponse((r) => r.url().endsWith('/api/meetings') && r.request().method() === 'POST');
      await page.getByTestId('plan-mt-submit').click();
      const res = await recorded;
      expect(res.status(), await res.text()).toBe(201);
      const meeting = (await res.json()) as Meeting;
      expect(meeting).toMatchObject({ title, qualifies: true, unit: { kind: 'district', code: PUDONG } });
      expect(meeting.decisions).toHaveLength(1);
      await page.locator('[data-testid=plan-mt-table] [data-testid=plan-mt-row]', { hasText: title }).waitFor();
      // This quarter's cell for Pudong counts it.
      const cell = page.locator('[data-testid=plan-compliance] [data-testid=plan-compliance-cell][data-state=held]');
      await expect.poll(() => cell.count()).toBeGreaterThan(0);
      await shot('district-meetings');
      // The decision is a task, Pudong's, due when the meeting said.
      const d = await api<PlanTaskDetail>(`/api/plan-tasks/${meeting.decisions[0].taskId}`);
      expect(d).toMatchObject({ originType: 'meeting', originId: meeting.id, dueOn: shanghaiDay(30), leadUnit: { kind: 'district', code: PUDONG } });
      await j.logout();
    },
    STEP_TIMEOUT,
  );

  it(
    'city reads the quarterly matrix: held quarters green, missed ones red',
    async () => {
      await j.login('city');
      await openMenu('治本攻坚', '党政会议');
      await page.waitForURL(/\/plan\/meetings$/);
      const rows = page.locator('[data-testid=plan-compliance] tr[data-testid=plan-compliance-row]');
      await expect.poll(() => rows.count()).toBeGreaterThan(16);
      // A past year of the plan: every quarter has ended, so each is held or missed.
      await page.getByTestId('plan-mt-year').click();
      await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: '2025' }).click();
      await page.waitForURL(/year=2025/);
      const states = () => page.locator('[data-testid=plan-compliance] [data-testid=plan-compliance-cell]').evaluateAll((cells) => cells.map((c) => c.getAttribute('data-state')));
      await expect.poll(async () => new Set(await states())).toEqual(new Set(['held', 'missed']));
      const held = page.locator('[data-testid=plan-compliance] [data-testid=plan-compliance-cell][data-state=held]').first();
      expect(await held.evaluate((el) => el.className)).toContain('green');
      const missed = page.locator('[data-testid=plan-compliance] [data-testid=plan-compliance-cell][data-state=missed]').first();
      expect(await missed.evaluate((el) => el.className)).toContain('red');
      await shot('city-meetings-2025');
      await j.logout();
    },
    STEP_TIMEOUT,
  );
});
