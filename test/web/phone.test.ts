import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import {
  BROWSER_TEST_TIMEOUT,
  expectAccessible,
  expectNoHorizontalOverflow,
  HAVE_CHROMIUM,
  type Harness,
  jsErrors,
  loginWithToken,
  newPage,
  PHONE,
  SKIP_REASON,
  screenshot,
  startHarness,
} from './support.js';

if (!HAVE_CHROMIUM) console.warn(`skipping the phone-size browser tests: ${SKIP_REASON}`);

/**
 * Every screen on a phone-sized viewport (issue #4): the portal has its own click-through
 * (portal.test.ts); here the landing page, the reception terminal, the console and the employer desk
 * must fit 390 px without sideways scrolling and stay accessible.
 */
describe.skipIf(!HAVE_CHROMIUM)('the other screens on a phone (browser)', { timeout: BROWSER_TEST_TIMEOUT }, () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness();
  }, 120_000);
  afterAll(async () => {
    await h?.close();
  });

  async function open(path: string, token: string | null): Promise<Page> {
    const { page } = await newPage(h, PHONE);
    onTestFailed(async ({ task }) => {
      await screenshot(page, `FAILED-phone-${task.name.slice(0, 40).replace(/[^\w]+/g, '-')}`).catch(() => undefined);
    });
    await page.goto(`${h.base}${path}`);
    if (token) await loginWithToken(page, token);
    return page;
  }

  async function fits(page: Page, name: string): Promise<void> {
    await expectNoHorizontalOverflow(page);
    await expectAccessible(page, name);
    await screenshot(page, name);
    expect(jsErrors(page)).toEqual([]);
  }

  it('landing page', async () => {
    const page = await open('/', null);
    await page.getByRole('heading', { name: '健康保険の資格確認' }).waitFor();
    await fits(page, 'phone-landing');
  });

  it('reception terminal: the choice of proof', async () => {
    const page = await open('/reception', h.demo.tokens.provider);
    await page.getByRole('heading', { name: 'お持ちの保険証を選んでください' }).waitFor();
    await fits(page, 'phone-reception-choose');
  });

  it('association console: dashboard and member search', async () => {
    const page = await open('/console', h.demo.tokens.admin);
    await page.getByRole('heading', { name: /シカク健康保険組合/ }).waitFor();
    await fits(page, 'phone-console-dashboard');
    await page.getByRole('tab', { name: '加入者検索' }).click();
    await page.getByRole('tabpanel').waitFor();
    await fits(page, 'phone-console-search');
  });

  it('employer desk: the notification form', async () => {
    const page = await open('/employer', h.demo.tokens.employer);
    await page.getByRole('heading', { name: '届出' }).waitFor();
    await fits(page, 'phone-employer-form');
  });
});
