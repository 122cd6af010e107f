/**
 * A district officer's first journey through the web app, on the real server with the demo city,
 * in Debian's Chromium: sign in, find an enterprise, open it, register a new one (the credit code's
 * check character caught before submit), see it listed, sign out.
 * A screenshot of every step lands in test-results/ (gitignored).
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Enterprise } from '../src/shared/contracts/enterprises';
import { USCC_ALPHABET, usccCheckChar } from '../src/shared/uscc';
import { announceSkip, runJourneys, startJourney } from './harness';
import type { Journey } from './harness';

const DEMO_PASSWORD = 'journey-demo-2026';
const WRONG_USCC = '91310115MA1H8R7C6D';
const CHECK_ERROR = '统一社会信用代码校验位不正确';

announceSkip('the browser journey');

/** A fresh, valid credit code in Pudong's registration area, from the USCC alphabet only. */
function freshUscc(): string {
  let body = '';
  for (let i = 0; i < 5; i++) body += USCC_ALPHABET[Math.floor(Math.random() * USCC_ALPHABET.length)];
  const first17 = `91310115MA1Q${body}`;
  return first17 + usccCheckChar(first17);
}

describe.skipIf(!runJourneys)('web journey: a district officer registers an enterprise', () => {
  let j: Journey;
  let page: Page;
  const shot = (name: string) => j.shot(name);
  const rows = () => page.locator('[data-testid=enterprise-table] tbody tr.ant-table-row');

  beforeAll(async () => {
    j = await startJourney({ prefix: 'journey', demoPassword: DEMO_PASSWORD });
    page = j.page;
  }, 120_000);

  afterAll(async () => {
    await j?.close();
  });

  it('signs in as pudong', async () => {
    await page.goto(`${j.url}/enterprises`);
    // Not signed in: the login page, remembering where we were going.
    await page.waitForURL(/\/login\?next=%2Fenterprises/);
    await page.getByText('重大事故隐患动态清零').waitFor();
    await shot('login');
    await page.getByTestId('login-username').fill('pudong');
    await page.getByTestId('login-password').fill(DEMO_PASSWORD);
    await page.getByTestId('login-submit').click();
    await page.waitForURL(/\/enterprises$/);
    expect(await page.getByTestId('user-display-name').textContent()).toContain('浦东');
    await rows().first().waitFor();
    await shot('enterprises');
  });

  it('finds an enterprise by part of its name and opens it', async () => {
    const res = await page.request.get(`${j.url}/api/enterprises?pageSize=1&sort=name`, {
      headers: { 'X-Requested-With': 'zhiben' },
    });
    expect(res.ok()).toBe(true);
    const target = ((await res.json()) as { items: Enterprise[] }).items[0];
    // The distinctive middle of the name, without 上海 and 有限公司.
    const part = target.name.replace(/^上海(市)?/, '').slice(0, 4);

    await page.getByTestId('enterprise-search').fill(part);
    await page.waitForURL((u) => u.searchParams.get('q') === part);
    await expect
      .poll(async () => {
        const texts = await rows().allInnerTexts();
        return texts.length > 0 && texts.every((t) => t.includes(part)) && texts.some((t) => t.includes(target.name));
      })
      .toBe(true);
    await shot('search');

    await rows().filter({ hasText: target.name }).first().click();
    await page.waitForURL(new RegExp(`/enterprises/${target.id}$`));
    await page.getByTestId('enterprise-uscc').waitFor();
    expect(await page.getByTestId('page-title').textContent()).toBe(target.name);
    expect(await page.getByTestId('enterprise-uscc').textContent()).toBe(target.uscc);
    await shot('detail');
  });

  it('registers a new enterprise, catching a wrong check character first', async () => {
    const uscc = freshUscc();
    const name = `上海旅程测试${uscc.slice(12, 17)}有限公司`;

    await page.goto(`${j.url}/enterprises`);
    await page.getByTestId('enterprise-create').click();
    await page.locator('#uscc').fill(WRONG_USCC);
    await page.locator('#name').fill(name);
    await page.getByText(CHECK_ERROR).waitFor();
    await shot('wrong-check-character');

    await page.locator('#uscc').fill(uscc);
    await page.getByText(CHECK_ERROR).waitFor({ state: 'detached' });
    await page.locator('#address').fill('上海市浦东新区旅程路1号');
    await pickIndustry(page, '26');
    await page.locator('#principalName').fill('张旅程');
    await shot('form-filled');

    const created = page.waitForResponse((r) => r.url().endsWith('/api/enterprises') && r.request().method() === 'POST');
    await page.getByTestId('enterprise-form-submit').click();
    expect((await created).status()).toBe(201);
    // Newest first: the new enterprise heads the list.
    await expect.poll(() => rows().first().innerText()).toContain(name);
    expect(await rows().first().innerText()).toContain(uscc);
    await shot('created');
  });

  it('signs out and lands on the login page', async () => {
    await j.logout();
    await page.getByTestId('login-username').waitFor();
    await shot('logged-out');
    // The session is really gone.
    const me = await page.request.get(`${j.url}/api/me`, { headers: { 'X-Requested-With': 'zhiben' } });
    expect(me.status()).toBe(401);
  });
});

/** Picks a GB/T 4754 division in the industry tree; retried, as a click during the popup's entrance animation can miss. */
async function pickIndustry(page: Page, code: string) {
  const selected = page.locator('.ant-form-item', { has: page.locator('#industryCode') }).locator('.ant-select-content');
  for (let attempt = 0; attempt < 3; attempt++) {
    await page.locator('#industryCode').click();
    await page.locator('#industryCode').fill(code);
    const node = page.locator('.ant-select-tree-node-content-wrapper', { hasText: new RegExp(`^${code} `) });
    await node.waitFor();
    await node.click();
    await page.waitForTimeout(300);
    if ((await selected.innerText()).includes(`${code} `)) return;
    await page.keyboard.press('Escape');
  }
  throw new Error(`could not pick industry ${code}`);
}
