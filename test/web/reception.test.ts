import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { DEMO_INSURER, DEMO_PIN } from '../../src/services/demo.js';
import {
  BROWSER_TEST_TIMEOUT,
  expectAccessible,
  HAVE_CHROMIUM,
  type Harness,
  jsErrors,
  loginWithToken,
  newPage,
  SKIP_REASON,
  screenshot,
  startHarness,
} from './support.js';

if (!HAVE_CHROMIUM) console.warn(`skipping the reception browser tests: ${SKIP_REASON}`);

/** The reception terminal (窓口), clicked through as a clerk and a patient would (issue #4 item 1). */
describe.skipIf(!HAVE_CHROMIUM)('reception terminal (browser)', { timeout: BROWSER_TEST_TIMEOUT }, () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness();
  }, 120_000);
  afterAll(async () => {
    await h?.close();
  });

  const member = (key: string) => {
    const m = h.demo.members.find((x) => x.key === key);
    if (!m) throw new Error(`no demo member ${key}`);
    return m;
  };

  async function openTerminal(): Promise<Page> {
    const { page } = await newPage(h);
    onTestFailed(async ({ task }) => {
      await screenshot(page, `FAILED-${task.name.slice(0, 40).replace(/[^\w]+/g, '-')}`).catch(() => undefined);
    });
    await page.goto(`${h.base}/reception`);
    await loginWithToken(page, h.demo.tokens.provider);
    await expect.poll(() => page.getByRole('heading', { name: 'お持ちの保険証を選んでください' }).count()).toBe(1);
    return page;
  }

  async function insertCard(page: Page, cardId: string) {
    await page
      .getByRole('button', { name: /マイナ保険証/ })
      .first()
      .click();
    await page.getByLabel('カードID（カードリーダーの代わり）').fill(cardId);
    await page.getByRole('button', { name: '読み取る' }).click();
    await page.getByRole('heading', { name: '本人確認の方法を選んでください' }).waitFor();
  }

  async function typePin(page: Page, pin: string) {
    for (const d of pin) await page.getByRole('button', { name: `数字 ${d}`, exact: true }).click();
    await page.getByRole('button', { name: '確定' }).click();
  }

  it('card with PIN and consents: eligible, name, 記号・番号, 3割, limit category', async () => {
    const page = await openTerminal();
    await expectAccessible(page, 'reception: choose');
    await screenshot(page, 'reception-1-choose');
    await insertCard(page, h.demo.cards.taro!);
    await page.getByRole('button', { name: /暗証番号/ }).click();
    await page.getByRole('heading', { name: '暗証番号（4桁）を入力してください' }).waitFor();
    await expectAccessible(page, 'reception: PIN pad');
    await screenshot(page, 'reception-2-pin');
    await typePin(page, DEMO_PIN);

    // One consent question per screen, as readers ask them.
    await page.getByText('同意の確認 1 / 3').waitFor();
    await expectAccessible(page, 'reception: consent');
    await screenshot(page, 'reception-3-consent');
    await page.getByRole('button', { name: '同意する' }).click();
    await page.getByText('同意の確認 2 / 3').waitFor();
    await page.getByRole('button', { name: '同意しない' }).click();
    await page.getByText('同意の確認 3 / 3').waitFor();
    await page.getByRole('button', { name: '同意する' }).click();

    const banner = page.locator('[data-outcome]');
    await banner.waitFor();
    expect(await banner.getAttribute('data-outcome')).toBe('eligible');
    await expect.poll(() => page.getByRole('heading', { name: '資格あり' }).count()).toBe(1);
    const taro = member('taro');
    const text = await page.locator('.result').innerText();
    expect(text).toContain('協会 太郎');
    expect(text).toContain('キョウカイ タロウ');
    expect(text).toContain(`${taro.symbol}・${taro.number}・${taro.branch}`);
    expect(text).toContain('3割');
    expect(text).toContain('ウ');
    expect(text).toContain('シカク健康保険組合');
    await expectAccessible(page, 'reception: eligible');
    await screenshot(page, 'reception-4-eligible');
    expect(jsErrors(page)).toEqual([]);
  });

  it('a past 基準日 is marked on the result and does not carry over to the next patient (issue #19 §3)', async () => {
    const page = await openTerminal();
    const taro = member('taro');
    const checkTaro = async () => {
      await insertCard(page, h.demo.cards.taro!);
      await page.getByRole('button', { name: /暗証番号/ }).click();
      await typePin(page, DEMO_PIN);
      for (let i = 0; i < 3; i++) await page.getByRole('button', { name: '同意する' }).click();
      await page.locator('[data-outcome="eligible"]').waitFor();
      expect(await page.locator('.result').innerText()).toContain(`${taro.symbol}・${taro.number}`);
    };
    const warning = page.getByRole('alert').filter({ hasText: '本日ではありません' });

    await page.getByLabel('基準日').fill('2026-11-01');
    await checkTaro();
    await warning.waitFor();
    expect(await warning.innerText()).toContain('基準日 2026年11月1日 の確認結果です（本日ではありません）');
    // Its own look, not the outcome banner's: it sits above it, outside it.
    expect(await warning.evaluate((e) => e.classList.contains('as-of-warning') && !e.closest('.banner'))).toBe(true);
    await expectAccessible(page, 'reception: eligible on a past day');
    await screenshot(page, 'reception-4b-past-day');

    await page.getByRole('button', { name: '次の方へ' }).click();
    expect(await page.getByLabel('基準日').inputValue()).toBe('2026-11-23');
    await checkTaro();
    expect(await warning.count()).toBe(0);
    expect(jsErrors(page)).toEqual([]);
  });

  it('a wrong PIN three times locks the card (CARD_PIN_LOCKED), then face recognition goes on', async () => {
    const page = await openTerminal();
    await insertCard(page, h.demo.cards.kourei!);
    await page.getByRole('button', { name: /暗証番号/ }).click();
    await typePin(page, '9999');
    await page.getByRole('alert').filter({ hasText: 'あと2回' }).waitFor();
    await typePin(page, '9998');
    await page.getByRole('alert').filter({ hasText: '次に間違えるとロックされます' }).waitFor();
    await screenshot(page, 'reception-5-pin-last-try');
    await typePin(page, '9997');
    await page.getByRole('heading', { name: '暗証番号がロックされました' }).waitFor();
    expect(await page.locator('.step').innerText()).toContain('暗証番号がロックされています');
    await expectAccessible(page, 'reception: locked');
    await screenshot(page, 'reception-6-locked');

    // The lock is the chip's: the right PIN no longer works either…
    const view = await h.app.inject({
      method: 'GET',
      url: `/api/v1/cards/${h.demo.cards.kourei}`,
      headers: { authorization: `Bearer ${h.demo.tokens.operator}` },
    });
    expect(view.json()).toMatchObject({ pinLocked: true, pinRemainingTries: 0 });
    // …but a face check still identifies the patient.
    await page.getByRole('button', { name: '顔認証で続ける' }).click();
    await page.getByText('同意の確認 1 / 3').waitFor();
    for (let i = 0; i < 3; i++) await page.getByRole('button', { name: '同意する' }).click();
    await page.locator('[data-outcome="eligible"]').waitFor();
    expect(await page.locator('.result').innerText()).toContain('高齢 一');
  });

  /** The body of the next card verification the terminal sends. */
  function nextVerification(page: Page): Promise<Record<string, unknown>> {
    return page
      .waitForRequest((r) => r.method() === 'POST' && r.url().endsWith('/api/v1/verifications'))
      .then((r) => r.postDataJSON() as Record<string, unknown>);
  }

  it('a generic reader (汎用カードリーダー): no face step, the setting is kept and sent with the check (issue #16 point 10)', async () => {
    const page = await openTerminal();
    const reader = page.getByLabel('カードリーダー');
    expect(await reader.inputValue()).toBe('faceReader');
    await reader.selectOption('genericReader');
    await insertCard(page, h.demo.cards.taro!);
    // A generic reader has no camera: only the PIN or the staff's visual check (seed 001 Q5).
    expect(await page.getByRole('button', { name: /顔認証/ }).count()).toBe(0);
    await page.getByText('汎用カードリーダーのため顔認証は使えません').waitFor();
    expect(await page.getByRole('button', { name: /職員が目視で確認/ }).count()).toBe(1);
    await expectAccessible(page, 'reception: identity on a generic reader');
    await screenshot(page, 'reception-12-generic-reader');
    await page.getByRole('button', { name: /暗証番号/ }).click();
    await typePin(page, DEMO_PIN);
    const sent = nextVerification(page);
    for (let i = 0; i < 3; i++) await page.getByRole('button', { name: '同意する' }).click();
    expect(await sent).toMatchObject({ method: 'card', identityCheck: 'pin', reader: 'genericReader' });
    await page.locator('[data-outcome="eligible"]').waitFor();

    // The reader is the terminal's: a reload keeps it.
    await page.reload();
    await page.getByRole('heading', { name: 'お持ちの保険証を選んでください' }).waitFor();
    expect(await page.getByLabel('カードリーダー').inputValue()).toBe('genericReader');
    expect(jsErrors(page)).toEqual([]);
  });

  it('a face check answered on a generic reader is refused with IDENTITY_CHECK_NOT_ALLOWED, said plainly', async () => {
    const page = await openTerminal();
    await insertCard(page, h.demo.cards.taro!);
    await page.getByRole('button', { name: /顔認証/ }).click();
    await page.getByText('同意の確認 1 / 3').waitFor();
    // The clerk switches the terminal to its generic reader while the patient answers the consents.
    await page.getByLabel('カードリーダー').selectOption('genericReader');
    const sent = nextVerification(page);
    for (let i = 0; i < 3; i++) await page.getByRole('button', { name: '同意する' }).click();
    expect(await sent).toMatchObject({ identityCheck: 'face', reader: 'genericReader' });
    await page.locator('[data-outcome="ineligible"]').waitFor();
    const refusal = page
      .getByRole('alert')
      .filter({ hasText: '汎用カードリーダーでは顔認証による本人確認はできません' });
    await refusal.waitFor();
    expect(await refusal.innerText()).toContain('暗証番号または目視でやり直してください');
    expect(await page.locator('.notes.bad').innerText()).toContain('IDENTITY_CHECK_NOT_ALLOWED');
    await expectAccessible(page, 'reception: face refused on a generic reader');
    await screenshot(page, 'reception-13-face-refused');
  });

  it('資格確認書 by number: the check digit is validated as typed; not eligible with the advice shown', async () => {
    const page = await openTerminal();
    await page.getByRole('button', { name: /資格確認書/ }).click();
    // 健康保険証 is offered only up to the last day of the temporary measure (2026-03-31).
    await page.getByRole('button', { name: '戻る' }).click();
    expect(await page.getByRole('button', { name: /健康保険証/ }).count()).toBe(0);
    await page.getByLabel('基準日').fill('2026-03-31');
    expect(await page.getByRole('button', { name: /健康保険証/ }).count()).toBe(1);
    await page.getByLabel('基準日').fill('2026-11-23');
    await page.getByRole('button', { name: /資格確認書/ }).click();

    const insurer = page.getByLabel('保険者番号');
    await insurer.fill('0613999');
    await page.getByText('あと1桁').waitFor();
    await insurer.fill('06139993');
    await page.getByText('検証番号が合いません。入力を確かめてください。').waitFor();
    expect(await insurer.getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByRole('button', { name: '確認する' }).isDisabled()).toBe(true);
    await screenshot(page, 'reception-7-check-digit');
    await insurer.fill(DEMO_INSURER);
    await page.getByText('保険者番号の形式は正しいです').waitFor();

    // 転職 健 lost his qualification at this association on 2026-10-01.
    const ken = member('ken');
    await page.getByLabel('記号').fill(ken.symbol);
    await page.getByLabel(/^番号/).fill(ken.number);
    await page.getByLabel('枝番').fill(ken.branch);
    await page.getByLabel('生年月日').fill('1985-12-24');
    await expectAccessible(page, 'reception: number form');
    await page.getByRole('button', { name: '確認する' }).click();
    const banner = page.locator('[data-outcome]');
    await banner.waitFor();
    expect(await banner.getAttribute('data-outcome')).not.toBe('eligible');
    const advice = page.locator('.notes.info');
    await advice.waitFor();
    expect((await advice.locator('li').count()) > 0).toBe(true);
    await expectAccessible(page, 'reception: not eligible');
    await screenshot(page, 'reception-8-not-eligible');
  });

  it('offline: the clerk records what was shown; back online, each is re-verified and the ineligible one flagged', async () => {
    const page = await openTerminal();
    // The line drops: every API call fails at the network level.
    await page.route('**/api/**', (route) => route.abort('internetdisconnected'));
    await page.route('**/healthz', (route) => route.abort('internetdisconnected'));
    await insertCard(page, h.demo.cards.taro!).catch(() => undefined);
    await page.getByRole('heading', { name: 'オンライン資格確認に接続できません' }).waitFor();
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'オフライン' }).count()).toBeGreaterThan(0);

    const record = async (who: { symbol: string; number: string; branch: string }, birthDate: string, name: string) => {
      await page.getByLabel('マイナ保険証＋資格情報のお知らせ').check();
      await page.getByLabel('保険者番号').fill(DEMO_INSURER);
      await page.getByLabel('記号').fill(who.symbol);
      await page.getByLabel(/^番号/).fill(who.number);
      await page.getByLabel('枝番').fill(who.branch);
      await page.getByLabel('生年月日').fill(birthDate);
      await page.getByLabel('氏名（控え）').fill(name);
      await page.getByRole('button', { name: '記録して受付する' }).click();
      await page.getByText('記録しました').waitFor();
    };
    await expectAccessible(page, 'reception: offline record');
    await screenshot(page, 'reception-9-offline-form');
    await record(member('taro'), '1989-10-01', '協会 太郎');

    // The next patient: 転職 健 shows the old association's お知らせ (lost on 2026-10-01).
    await page
      .getByRole('button', { name: /マイナ保険証/ })
      .first()
      .click();
    await page.getByLabel('カードID（カードリーダーの代わり）').fill(h.demo.cards.ken!);
    await page.getByRole('button', { name: '読み取る' }).click();
    await page.getByRole('heading', { name: 'オンライン資格確認に接続できません' }).waitFor();
    await record(member('ken'), '1985-12-24', '転職 健');
    await expect.poll(() => page.locator('tr[data-status="pending"]').count()).toBe(2);
    await screenshot(page, 'reception-10-offline-queue');

    // The line is back: the terminal re-verifies by itself.
    await page.unroute('**/api/**');
    await page.unroute('**/healthz');
    await expect.poll(() => page.locator('tr[data-status="pending"]').count(), { timeout: 30_000 }).toBe(0);
    expect(await page.locator('tr[data-status="confirmed"]').innerText()).toContain('協会 太郎');
    const flagged = page.locator('tr[data-status="flagged"]');
    expect(await flagged.innerText()).toContain('転職 健');
    expect(await flagged.innerText()).toContain('資格を喪失しています');
    await page.getByRole('alert').filter({ hasText: '再確認で資格を確認できなかった受付が1件あります' }).waitFor();
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'オンライン' }).count()).toBeGreaterThan(0);
    await expectAccessible(page, 'reception: queue re-verified');
    await screenshot(page, 'reception-11-rechecked');
    // The re-verification answered for the day of the visit and was recorded like any other check.
    const rows = await h.ctx.store.db
      .selectFrom('verifications')
      .select(['as_of', 'outcome'])
      .where('method', '=', 'number')
      .execute();
    expect(rows).toEqual(
      expect.arrayContaining([
        { as_of: '2026-11-23', outcome: 'eligible' },
        { as_of: '2026-11-23', outcome: 'ineligible' },
      ]),
    );
  });
});
