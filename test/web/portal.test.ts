import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { DEMO_PIN } from '../../src/services/demo.js';
import {
  BROWSER_TEST_TIMEOUT,
  expectAccessible,
  expectNoHorizontalOverflow,
  HAVE_CHROMIUM,
  type Harness,
  jsErrors,
  newPage,
  PHONE,
  SKIP_REASON,
  screenshot,
  startHarness,
} from './support.js';

if (!HAVE_CHROMIUM) console.warn(`skipping the portal browser tests: ${SKIP_REASON}`);

/** The member portal on a phone (390×844): card login, eligibility, PDF, applications (issue #4 item 3). */
describe.skipIf(!HAVE_CHROMIUM)('member portal on a phone (browser)', { timeout: BROWSER_TEST_TIMEOUT }, () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness();
  }, 120_000);
  afterAll(async () => {
    await h?.close();
  });

  async function openPortal(): Promise<Page> {
    const { page } = await newPage(h, PHONE, { acceptDownloads: true });
    onTestFailed(async ({ task }) => {
      await screenshot(page, `FAILED-${task.name.slice(0, 40).replace(/[^\w]+/g, '-')}`).catch(() => undefined);
    });
    await page.goto(`${h.base}/portal`);
    return page;
  }

  async function login(page: Page, cardId: string, pin: string) {
    await page.getByLabel('カードID（読み取り装置の代わり）').fill(cardId);
    await page.getByRole('button', { name: 'カードを読み取る' }).click();
    await page.getByLabel('暗証番号（数字4桁）').fill(pin);
    await page.getByRole('button', { name: 'ログイン' }).click();
  }

  it('logs in with the card and PIN, shows the eligibility of self and dependents, downloads the PDF', async () => {
    const page = await openPortal();
    await page.getByRole('heading', { name: 'マイナンバーカードでログイン' }).waitFor();
    await expectAccessible(page, 'portal: login');
    await expectNoHorizontalOverflow(page);
    await screenshot(page, 'portal-1-login');

    await login(page, h.demo.cards.taro!, DEMO_PIN);
    await page.getByRole('heading', { name: '協会 太郎 さん' }).waitFor();
    const screen = page.locator('dl.elig');
    await screen.waitFor();
    const taro = h.demo.members.find((m) => m.key === 'taro')!;
    const text = await screen.innerText();
    expect(text).toContain('シカク健康保険組合');
    expect(text).toContain('06139992');
    expect(text).toContain(`${taro.symbol}・${taro.number}`);
    expect(text).toContain('3割');
    // The insured sees the dependents too (the preschooler 次郎 pays 2割 until 2027-03-31).
    await page.getByRole('button', { name: '協会 次郎' }).click();
    await expect.poll(async () => (await screen.innerText()).includes('協会 次郎')).toBe(true);
    expect(await screen.innerText()).toContain('2割');
    await page.getByRole('button', { name: '協会 太郎' }).click();
    await expectAccessible(page, 'portal: eligibility');
    await expectNoHorizontalOverflow(page);
    await screenshot(page, 'portal-2-eligibility');

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'PDFで保存' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/\.pdf$/);
    const pdf = readFileSync((await download.path())!);
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    await page.getByRole('status').filter({ hasText: 'PDFを保存しました' }).waitFor();

    // The session is the member's: audited as a portal login, the PDF as a disclosure.
    const actions = (await h.ctx.store.db.selectFrom('audit_log').select('action').execute()).map((r) => r.action);
    expect(actions).toContain('portal.login');
    expect(jsErrors(page)).toEqual([]);
  });

  it('applies for a 資格確認書 with a reason; the お知らせ is not reissued to someone who can use the portal', async () => {
    const page = await openPortal();
    await login(page, h.demo.cards.taro!, DEMO_PIN);
    await page.locator('dl.elig').waitFor();
    // No reason is pre-selected, and the form refuses to send until the member chooses one (issue #19 §6).
    const reason = page.getByLabel('申請理由');
    expect(await reason.inputValue()).toBe('');
    expect(await reason.locator('option:checked').innerText()).toBe('選択してください');
    const posted: string[] = [];
    page.on('request', (r) => {
      if (r.method() === 'POST' && r.url().includes('/api/v1/certificates')) posted.push(r.url());
    });
    await page.getByRole('button', { name: '申請する', exact: true }).click();
    await page.getByText('申請理由を選んでください').waitFor();
    expect(await reason.getAttribute('aria-invalid')).toBe('true');
    expect(await reason.evaluate((e) => e === e.ownerDocument.activeElement)).toBe(true);
    expect(posted).toEqual([]);
    await expectAccessible(page, 'portal: application without a reason');

    await reason.selectOption('needs_assistance');
    expect(await page.getByText('申請理由を選んでください').count()).toBe(0);
    await page.getByRole('button', { name: '申請する', exact: true }).click();
    await page.getByRole('status').filter({ hasText: '資格確認書を交付しました' }).waitFor();
    expect(posted).toHaveLength(1);
    await expect.poll(async () => (await page.locator('dl.elig').innerText()).includes('交付済み')).toBe(true);

    await page.getByRole('button', { name: '再交付を申請する' }).click();
    await page.getByRole('alert').filter({ hasText: 'マイナポータルで資格情報を確認できるため' }).waitFor();
    await expectAccessible(page, 'portal: applications');
    await expectNoHorizontalOverflow(page);
    await screenshot(page, 'portal-3-applied');
  });

  it('warns about a certificate in its grace period; a wrong PIN counts down', async () => {
    const page = await openPortal();
    await login(page, h.demo.cards.saburo!, '0000');
    await page.getByText('暗証番号が違います。あと2回間違えるとロックされます。').waitFor();
    await page.getByLabel('暗証番号（数字4桁）').fill(DEMO_PIN);
    await page.getByRole('button', { name: 'ログイン' }).click();
    await page.getByRole('heading', { name: '猶予 三郎 さん' }).waitFor();
    await page.getByText(/電子証明書の有効期限（.+）が過ぎています。猶予期間中は/).waitFor();
    await expectAccessible(page, 'portal: grace warning');
    await expectNoHorizontalOverflow(page);
    await screenshot(page, 'portal-4-grace-warning');
  });
});
