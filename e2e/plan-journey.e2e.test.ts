/**
 * The plan itself (#18), on the real server with the demo city, in Debian's Chromium: `city` opens
 * the plan's tree, keeps only the late tasks, reads the late list and the milestones' timeline and
 * opens a late task; `pudong` opens one of Pudong's tasks, reports it done with a file and sees its
 * status turn from its colour to done's blue, then records a leaders' meeting with a decision, opens
 * its own unit's page (its tasks, what is due, this year's meetings) and publishes a sub-plan whose
 * task the tree then shows under the city's; the city reads the meetings' quarterly matrix, opens a
 * unit's page from it, and finds the plan's figures on its cockpit. Screenshots land in test-results/.
 */
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ListResult } from '../src/shared/contracts/common';
import type { z } from 'zod';
import type { Compliance, Meeting, PlanTask, PlanTaskDetail, PlanTree, Subplan } from '../src/shared/contracts/tasks';
import { announceSkip, photoFixture, runJourneys, shanghaiDay, SHOTS, startJourney } from './harness';
import type { Journey } from './harness';

const DEMO_PASSWORD = 'plan-demo-2026';
const STEP_TIMEOUT = 180_000;
const PUDONG = '310115';

announceSkip('the plan journey');

describe.skipIf(!runJourneys)('web journey: the city follows the plan’s late tasks; Pudong reports progress with a file and records a meeting', () => {
  let j: Journey;
  let page: Page;
  let evidence = '';
  let subplanDoc = '';
  const stamp = Date.now().toString(36).toUpperCase();
  const shot = (name: string) => j.shot(name);
  const api = <T = unknown>(url: string) => j.getJson<T>(url);
  const taskRows = () => page.locator('[data-testid=plan-tree] tr[data-testid=plan-tree-task]');
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
    subplanDoc = photoFixture(j.dataDir, 'subplan-document.png', [120, 40, 20]);
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
      await j.pickDate(drawer.locator('.ant-picker input').first(), shanghaiDay(0));
      const title = `E2E${stamp} 区政府常务会议（专题研究安全生产）`;
      await page.getByTestId('plan-mt-title').fill(title);
      await page.getByTestId('plan-mt-chair').fill('张区长');
      await page.getByTestId('plan-mt-topic-1').fill('通报本季度重大事故隐患动态清零进展');
      await page.getByTestId('plan-mt-add-decision').click();
      const decision = page.getByTestId('plan-mt-decision-1');
      await decision.locator('input').first().fill(`E2E${stamp} 年底前完成全区自建房隐患整治复查`);
      await j.pickDate(decision.locator('.ant-picker input'), shanghaiDay(30));
      await shot('district-meeting-drawer');
      const recorded = page.waitForResponse((r) => r.url().endsWith('/api/meetings') && r.request().method() === 'POST');
      await page.getByTestId('plan-mt-submit').click();
      const res = await recorded;
      expect(res.status(), await res.text()).toBe(201);
      const meeting = (await res.json()) as Meeting;
      expect(meeting).toMatchObject({ title, heldOn: shanghaiDay(0), qualifies: true, unit: { kind: 'district', code: PUDONG } });
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
    'pudong opens its own unit’s page: its tasks, what is due, this year’s meetings and their quarters',
    async () => {
      await j.login('pudong');
      await openMenu('治本攻坚', '本单位');
      await page.waitForURL(new RegExp(`/plan/units/district/${PUDONG}$`));
      await expect.poll(async () => (await page.getByTestId('page-title').innerText()).trim()).toBe('浦东新区');
      // Its tasks, as many as the API lists for Pudong (led or shared).
      const mine = await api<ListResult<PlanTask>>(`/api/plan-tasks?districtCode=${PUDONG}&pageSize=1`);
      expect(mine.total).toBeGreaterThan(0);
      const rows = page.locator('[data-testid=plan-unit-tasks] tbody tr.ant-table-row');
      await expect.poll(() => rows.count()).toBe(Math.min(mine.total, 20));
      await expect.poll(async () => (await page.getByTestId('plan-unit-show-all').innerText()).trim()).toBe(`全部 ${mine.total}`);
      // This year's meetings, the one just recorded among them, over the quarters' compliance.
      await page.locator('[data-testid=plan-unit-meetings] [data-testid=plan-mt-row]', { hasText: `E2E${stamp}` }).waitFor();
      await expect.poll(() => page.locator('[data-testid=plan-unit-compliance] [data-testid=plan-compliance-cell]').count()).toBe(4);
      expect(await page.locator('[data-testid=plan-unit-compliance] [data-testid=plan-compliance-cell][data-state=held]').count()).toBeGreaterThan(0);
      await page.locator('[data-testid=plan-unit-duty-lists]').waitFor();
      await page.locator('[data-testid=plan-unit-subplans]').waitFor();
      await shot('district-unit-page');

      // Only what is due this period: each with its 本期待报告 tag.
      const due = await api<ListResult<PlanTask>>(`/api/plan-tasks?districtCode=${PUDONG}&reportDue=true&pageSize=1`);
      await page.getByTestId('plan-unit-show-due').click();
      await page.waitForURL(/tasks=due/);
      await expect.poll(() => rows.count()).toBe(Math.min(due.total, 20));
      if (due.total > 0) expect(await rows.first().innerText()).toContain('本期待报告');
      await shot('district-unit-due');
      // And only the late ones.
      const late = await api<ListResult<PlanTask>>(`/api/plan-tasks?districtCode=${PUDONG}&late=true&pageSize=1`);
      await page.getByTestId('plan-unit-show-late').click();
      await page.waitForURL(/tasks=late/);
      await expect.poll(() => rows.count()).toBe(Math.min(late.total, 20));
      if (late.total > 0) expect(new Set(await page.locator('[data-testid=plan-unit-tasks] [data-testid=plan-unit-task-status]').evaluateAll((tags) => tags.map((x) => x.getAttribute('data-status'))))).toEqual(new Set(['late']));
    },
    STEP_TIMEOUT,
  );

  it(
    'pudong publishes a sub-plan with one task under a city task, and the tree shows it there',
    async () => {
      // A measure with a task of the city's for the sub-plan's task to refine.
      const plans = await api<ListResult<{ id: string }>>('/api/plans?pageSize=1');
      const tree = await api<PlanTree>(`/api/plans/${plans.items[0].id}/tree`);
      const measure = tree.actions.flatMap((a) => a.measures).find((m) => m.tasks.some((x) => x.leadUnit.kind === 'city'))!;
      expect(measure).toBeDefined();
      const parent = measure.tasks.find((x) => x.leadUnit.kind === 'city')!;

      await openMenu('治本攻坚', '任务进展');
      await page.waitForURL(/\/plan$/);
      await page.getByTestId('plan-view-subplans').click();
      await page.waitForURL(/view=subplans/);
      await page.getByTestId('plan-sp-add').click();
      const drawer = page.getByTestId('plan-sp-drawer');
      await drawer.waitFor();
      const title = `E2E${stamp} 浦东新区安全生产治本攻坚三年行动实施方案（补充）`;
      await page.getByTestId('plan-sp-title').fill(title);
      await page.getByTestId('plan-sp-docno').fill('浦安委〔2026〕9号');
      const uploaded = page.waitForResponse((r) => r.url().endsWith('/api/files') && r.request().method() === 'POST');
      await page.locator('[data-testid=plan-sp-upload] .zb-evidence-files input[type=file]').setInputFiles(subplanDoc);
      expect((await uploaded).status()).toBe(201);

      const task = page.getByTestId('plan-sp-task-1');
      await page.getByTestId('plan-sp-measure-1').click();
      await page.keyboard.type(`措施${measure.no} `);
      await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: new RegExp(`^措施${measure.no} `) }).click();
      await page.getByTestId('plan-sp-parent-1').click();
      await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: parent.title }).first().click();
      const taskTitle = `E2E${stamp} 浦东新区细化落实：${parent.title.slice(0, 20)}`;
      await page.getByTestId('plan-sp-task-title-1').fill(taskTitle);
      await j.pickDate(task.locator('.ant-picker input').first(), shanghaiDay(90));
      await shot('district-subplan-drawer');

      const published = page.waitForResponse((r) => r.url().endsWith('/api/plan-subplans') && r.request().method() === 'POST');
      await page.getByTestId('plan-sp-submit').click();
      const res = await published;
      expect(res.status(), await res.text()).toBe(201);
      const made = (await res.json()) as z.infer<typeof Subplan>;
      expect(made).toMatchObject({ title, docNo: '浦安委〔2026〕9号', tasks: 1, unit: { kind: 'district', code: PUDONG } });
      expect(made.fileId).toBeTruthy();
      const sent = res.request().postDataJSON() as { tasks: { measureNo: number; parentId: string; dueOn: string }[] };
      expect(sent.tasks).toEqual([expect.objectContaining({ measureNo: measure.no, parentId: parent.id, dueOn: shanghaiDay(90) })]);
      await drawer.waitFor({ state: 'hidden' });
      const row = page.locator('[data-testid=plan-sp-table] tr.ant-table-row', { hasText: title });
      await row.waitFor();
      expect(await row.locator('[data-testid=plan-sp-file]').count()).toBe(1);
      await shot('district-subplans');

      // The tree: the new task under the city's task it refines.
      const found = await api<ListResult<PlanTask>>(`/api/plan-tasks?q=${encodeURIComponent(`E2E${stamp}`)}&measureNo=${measure.no}&pageSize=20`);
      const added = found.items.find((x) => x.title === taskTitle)!;
      expect(added).toMatchObject({ parentId: parent.id, subplanId: made.id, leadUnit: { kind: 'district', code: PUDONG } });
      await page.getByTestId('plan-view-tree').click();
      const addedRow = page.locator(`[data-testid=plan-tree] tr[data-testid=plan-tree-task][data-key="${added.id}"]`);
      await addedRow.waitFor();
      const parentRow = page.locator(`[data-testid=plan-tree] tr[data-testid=plan-tree-task][data-key="${parent.id}"]`);
      const level = (el: Element) => Number(/ant-table-row-level-(\d+)/.exec(el.className)?.[1]);
      expect(await addedRow.evaluate(level)).toBe((await parentRow.evaluate(level)) + 1);
      await addedRow.scrollIntoViewIfNeeded();
      await shot('district-subplan-tree');
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
      // The matrix of 2025 itself, not this year's still shown while 2025's loads (its states may be held and missed too).
      await page.locator('.ant-card-head-title', { hasText: '2025 年季度落实情况' }).waitFor();
      const states = () => page.locator('[data-testid=plan-compliance] [data-testid=plan-compliance-cell]').evaluateAll((cells) => cells.map((c) => c.getAttribute('data-state')));
      await expect.poll(async () => new Set(await states())).toEqual(new Set(['held', 'missed']));
      const held = page.locator('[data-testid=plan-compliance] [data-testid=plan-compliance-cell][data-state=held]').first();
      expect(await held.evaluate((el) => el.className)).toContain('green');
      const missed = page.locator('[data-testid=plan-compliance] [data-testid=plan-compliance-cell][data-state=missed]').first();
      expect(await missed.evaluate((el) => el.className)).toContain('red');
      await shot('city-meetings-2025');

      // A unit's name in the matrix opens its page.
      const unitLink = page.locator('[data-testid=plan-compliance] tr[data-testid=plan-compliance-row] [data-testid=plan-unit-link]').first();
      const unitName = (await unitLink.innerText()).trim();
      await unitLink.click();
      await page.waitForURL(/\/plan\/units\/(district|department)\/[^/]+$/);
      await expect.poll(async () => (await page.getByTestId('page-title').innerText()).trim()).toBe(unitName);
      await page.locator('[data-testid=plan-unit-tasks]').waitFor();

      // The cockpit: the plan's tasks by status and this year's missed meeting quarters, each opening its list.
      await page.getByTestId('nav-menu').getByText('驾驶舱', { exact: true }).click();
      const card = page.getByTestId('cockpit-plan');
      await card.waitFor();
      const lateTotal = (await api<ListResult<PlanTask>>('/api/plan-tasks?status=late&pageSize=1')).total;
      const missedQuarters = (await api<Compliance>(`/api/meetings/compliance?year=${shanghaiDay(0).slice(0, 4)}`)).missed;
      await expect.poll(async () => (await page.getByTestId('cockpit-plan-late').innerText()).trim()).toBe(String(lateTotal));
      await expect.poll(async () => (await page.getByTestId('cockpit-plan-missed').innerText()).trim()).toBe(String(missedQuarters));
      await card.scrollIntoViewIfNeeded();
      await card.screenshot({ path: path.join(SHOTS, 'plan-cockpit-card.png') });
      await page.getByTestId('cockpit-plan-late').click();
      await page.waitForURL(/\/plan\?status=late$/);
      await expect.poll(async () => new Set(await taskRows().evaluateAll((rows) => rows.map((r) => r.getAttribute('data-status'))))).toEqual(new Set(['late']));
      await j.logout();
    },
    STEP_TIMEOUT,
  );
});
