import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { DEMO_INSURER, DEMO_SECOND_INSURER } from '../../src/services/demo.js';
import { createToken } from '../../src/services/tokens.js';
import { makeResident, notify, person } from '../support/registry.js';
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

if (!HAVE_CHROMIUM) console.warn(`skipping the console browser tests: ${SKIP_REASON}`);

/** The association console (保険者) and the employer desk, as their staff use them (issue #4 items 2, 4). */
describe.skipIf(!HAVE_CHROMIUM)(
  'association console and employer desk (browser)',
  { timeout: BROWSER_TEST_TIMEOUT },
  () => {
    let h: Harness;

    beforeAll(async () => {
      h = await startHarness();
    }, 120_000);
    afterAll(async () => {
      await h?.close();
    });

    async function open(path: string, token: string, options: { acceptDownloads?: boolean } = {}): Promise<Page> {
      const { page } = await newPage(h, undefined, options);
      onTestFailed(async ({ task }) => {
        await screenshot(page, `FAILED-${task.name.slice(0, 40).replace(/[^\w]+/g, '-')}`).catch(() => undefined);
      });
      await page.goto(`${h.base}${path}`);
      await loginWithToken(page, token);
      return page;
    }

    it('CSV upload: the bad row is reported with its line and column, the good rows are imported, the report downloads', async () => {
      const page = await open('/console', h.demo.tokens.admin, { acceptDownloads: true });
      await page.getByRole('heading', { name: /シカク健康保険組合/ }).waitFor();
      await expectAccessible(page, 'console: dashboard');
      await screenshot(page, 'console-1-dashboard');

      await page.getByRole('tab', { name: 'CSV取込' }).click();
      const csv = [
        '種別,記号,氏名,フリガナ,生年月日,性別,住所,資格取得日,標準報酬月額,個人番号,届出日',
        '取得,5678,新入 一子,シンニュウ イチコ,1998-05-05,女,東京都港区芝公園4-2-8,2026-11-01,"280,000",,2026-11-20',
        '取得,5678,新入 二郎,シンニュウ ジロウ,1999-06-06,男,東京都港区芝公園4-2-8,2026-11-01,260000,123456789012,2026-11-20',
        '取得,5678,新入 三子,シンニュウ ミツコ,2000-07-07,女,東京都港区芝公園4-2-8,2026-11-01,240000,,2026-11-20',
      ].join('\r\n');
      await page.getByLabel('CSVファイル（UTF-8）').setInputFiles({
        name: 'november.csv',
        mimeType: 'text/csv',
        buffer: Buffer.from(csv, 'utf8'),
      });
      await page.getByRole('button', { name: '取り込む' }).click();
      await page.getByText('3行中 成功 2行（新規 2、取込済 0）・エラー 1行').waitFor();
      const bad = page.locator('table.errors tr[data-line="3"]');
      await bad.waitFor();
      const badText = await bad.innerText();
      expect(badText).toContain('MYNUMBER_CHECK_DIGIT');
      expect(badText).toContain('個人番号');
      expect(badText).toContain('検査用数字が正しくありません');
      await expectAccessible(page, 'console: CSV report');
      await screenshot(page, 'console-2-csv-report');

      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('button', { name: 'エラーレポートをダウンロード（CSV）' }).click(),
      ]);
      expect(download.suggestedFilename()).toBe('november-errors.csv');
      const report = readFileSync((await download.path())!, 'utf8');
      expect(report.startsWith('\uFEFFline,code,columns,ja,en')).toBe(true);
      expect(report).toContain('3,MYNUMBER_CHECK_DIGIT,個人番号,');
      expect(report.split('\r\n').filter(Boolean)).toHaveLength(2);

      // Nothing of the bad row was written; the good rows are members now.
      const names = (
        await h.ctx.store.db.selectFrom('members').select('name').where('name', 'like', '新入%').execute()
      ).map((r) => r.name);
      expect(names.sort()).toEqual(['新入 一子', '新入 三子']);
      expect(jsErrors(page)).toEqual([]);
    });

    it('CSV upload of 1,001+ rows: answered with a job, the panel shows its progress, then the same report', async () => {
      const page = await open('/console', h.demo.tokens.admin);
      await page.getByRole('heading', { name: /シカク健康保険組合/ }).waitFor();
      await page.getByRole('tab', { name: 'CSV取込' }).click();
      // Above the job threshold (1,000 rows); 記号 7777 is clear of the demo's members.
      const lines = ['種別,記号,氏名,フリガナ,生年月日,性別,資格取得日,届出日'];
      for (let i = 1; i <= 1201; i++) {
        const born = i === 600 ? '1990-02-30' : `19${70 + (i % 20)}-04-01`;
        lines.push(`取得,7777,大量 ${i}子,タイリョウ ハナコ,${born},女,2026-11-01,2026-11-20`);
      }
      await page.getByLabel('CSVファイル（UTF-8）').setInputFiles({
        name: 'many.csv',
        mimeType: 'text/csv',
        buffer: Buffer.from(lines.join('\r\n'), 'utf8'),
      });
      const answered = page.waitForResponse((r) => r.url().endsWith('/api/v1/notifications:import'));
      await page.getByRole('button', { name: '取り込む' }).click();
      expect((await answered).status()).toBe(202);
      await page.getByText(/取り込み中: \d+ \/ 1201 行/).waitFor();
      await screenshot(page, 'console-2b-csv-job-progress');
      await page.getByText('1201行中 成功 1200行（新規 1200、取込済 0）・エラー 1行', { exact: false }).waitFor({
        timeout: 60_000,
      });
      // The refused row by its physical line (the header is line 1) and column, as a short upload shows it.
      const bad = await page.locator('table.errors tr[data-line="601"]').innerText();
      expect(bad).toContain('生年月日');
      expect(await page.getByText(/取り込み中: /).count()).toBe(0);
      await expectAccessible(page, 'console: CSV job report');
      expect(jsErrors(page)).toEqual([]);
    });

    it('registration errors show the differing fields and the near-match hint; the member page has the timeline', async () => {
      const page = await open('/console/errors', h.demo.tokens.admin);
      await page.getByRole('heading', { name: '住民票の基本4情報と一致しない登録' }).waitFor();
      const row = page.locator('tr', { hasText: '高橋 崎子' });
      const text = await row.innerText();
      expect(text).toContain('氏名');
      expect(text).toContain('届出「高」/ 住民票「髙」');
      expect(text).toContain('届出「崎」/ 住民票「﨑」');
      await expectAccessible(page, 'console: registration errors');
      await screenshot(page, 'console-3-registration-errors');

      // Search by kana, open 協会 太郎: every fact, dimmed when not yet known on the "as of" day.
      await page.getByRole('tab', { name: '加入者検索' }).click();
      await page.getByLabel('フリガナ（前方一致）').fill('キョウカイ');
      await page.getByRole('button', { name: '検索' }).click();
      await page.getByRole('button', { name: '協会 太郎' }).click();
      await page.getByRole('heading', { name: '協会 太郎' }).waitFor();
      const timeline = page.locator('ol.timeline');
      await timeline.locator('li[data-kind="acquired"]').waitFor();
      expect(await timeline.locator('li[data-kind="card_registration"]').count()).toBeGreaterThan(0);
      expect(await timeline.locator('li[data-kind="hub"]').count()).toBeGreaterThan(0);
      await page.getByLabel('この日の状態を表示').fill('2023-05-31');
      await expect.poll(() => page.locator('ol.timeline li.future').count()).toBeGreaterThan(0);
      await expectAccessible(page, 'console: member page');
      await screenshot(page, 'console-4-member-timeline');
      expect(jsErrors(page)).toEqual([]);
    });

    it('ex-officio dry run and run, the applications queue, a certificate PDF from the member page', async () => {
      const page = await open('/console/exofficio', h.demo.tokens.admin, { acceptDownloads: true });
      await page.getByRole('heading', { name: '資格確認書の職権交付' }).waitFor();
      expect(await page.getByRole('button', { name: '交付を実行' }).isDisabled()).toBe(true);
      await page.getByRole('button', { name: '試行（書き込みなし）' }).click();
      await page.getByRole('heading', { name: '試行の結果（まだ交付していません）' }).waitFor();
      // The preview counts what a run would issue (the members imported by CSV above have no card) …
      const preview = await page.locator('.pill', { hasText: /^交付 \d+件$/ }).innerText();
      const certificatesBefore = await h.ctx.store.db.selectFrom('eligibility_certificates').select('id').execute();
      await page.getByRole('button', { name: '交付を実行' }).click();
      await page.getByRole('heading', { name: '交付しました' }).waitFor();
      // … the run issues exactly that many …
      expect(await page.locator('.pill', { hasText: /^交付 \d+件$/ }).innerText()).toBe(preview);
      const issued = Number(/\d+/.exec(preview)?.[0]);
      const certificatesAfter = await h.ctx.store.db.selectFrom('eligibility_certificates').select('id').execute();
      expect(certificatesAfter.length - certificatesBefore.length).toBe(issued);
      // … and a second preview finds nothing left to issue.
      await page.getByRole('button', { name: '試行（書き込みなし）' }).click();
      await page.getByRole('heading', { name: '試行の結果（まだ交付していません）' }).waitFor();
      await page.locator('.pill', { hasText: '交付 0件' }).waitFor();
      expect(await page.getByText('有効な資格確認書を交付済み').count()).toBe(1);
      await expectAccessible(page, 'console: ex-officio');
      await screenshot(page, 'console-5-ex-officio');

      // A member asks for the お知らせ again (no smartphone): it waits in the queue until decided.
      const jiro = h.demo.members.find((m) => m.key === 'jiro')!;
      const filed = await h.app.inject({
        method: 'POST',
        url: '/api/v1/applications',
        headers: { authorization: `Bearer ${h.demo.tokens.member}` },
        payload: { kind: 'notice_reissue', memberId: jiro.memberId, portalUsable: false },
      });
      expect(filed.statusCode).toBe(201);
      await page.getByRole('tab', { name: /申請/ }).click();
      const row = page.locator('tr', { hasText: '協会 次郎' });
      await row.getByText('資格情報のお知らせの再交付').waitFor();
      await expectAccessible(page, 'console: applications');
      await screenshot(page, 'console-6-applications');
      await row.getByRole('button', { name: '承認' }).click();
      await page.getByText('承認しました').waitFor();
      await page.getByText('受付中の申請はありません').waitFor();

      // 長寿 文子 never registered her card: the demo's ex-officio run issued her a 資格確認書.
      const fumiko = h.demo.members.find((m) => m.key === 'fumiko')!;
      await page.goto(`${h.base}/console/members/${fumiko.memberId}`);
      await page.getByRole('heading', { name: '長寿 文子' }).waitFor();
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page
          .getByRole('button', { name: /PDF 資格確認書/ })
          .first()
          .click(),
      ]);
      expect(download.suggestedFilename()).toMatch(/\.pdf$/);
      expect(
        readFileSync((await download.path())!)
          .subarray(0, 5)
          .toString('latin1'),
      ).toBe('%PDF-');
      await screenshot(page, 'console-7-member-documents');
    });

    it('a 資格確認書 holder approved a 減額認定 gets the paper 認定証: listed on the member page, its PDF downloads (issue #16 point 8)', async () => {
      // 長寿 文子 (70–74, 一般) holds a 資格確認書 and no usable マイナ保険証; the demo association prints
      // separate documents (the default).
      const fumiko = h.demo.members.find((m) => m.key === 'fumiko')!;
      const filed = await h.app.inject({
        method: 'POST',
        url: '/api/v1/applications',
        headers: { authorization: `Bearer ${h.demo.tokens.admin}` },
        payload: { kind: 'reduced_limit_certification', memberId: fumiko.memberId },
      });
      expect(filed.statusCode).toBe(201);
      const page = await open('/console', h.demo.tokens.admin, { acceptDownloads: true });
      await page.getByRole('heading', { name: /シカク健康保険組合/ }).waitFor();
      await page.getByRole('tab', { name: /申請/ }).click();
      const row = page.locator('tr', { hasText: '長寿 文子' });
      await row.getByText('限度額適用・標準負担額減額認定').waitFor();
      await row.getByRole('button', { name: '承認' }).click();
      await page.getByText('承認しました').waitFor();

      await page.goto(`${h.base}/console/members/${fumiko.memberId}`);
      await page.getByRole('heading', { name: '長寿 文子' }).waitFor();
      const item = page.locator('li', { hasText: '限度額適用・標準負担額減額認定証' });
      await item.waitFor();
      // The 1st of the month applied for, one year.
      expect(await item.innerText()).toContain('有効期間 2026年11月1日〜2027年10月31日');
      await expectAccessible(page, 'console: member paper certificates');
      await screenshot(page, 'console-7b-member-paper-certificates');
      const [pdf, download] = await Promise.all([
        page.waitForResponse((r) => /\/api\/v1\/paper-certificates\/[^/]+\.pdf$/.test(r.url())),
        page.waitForEvent('download'),
        item.getByRole('button', { name: /PDF 限度額適用・標準負担額減額認定証/ }).click(),
      ]);
      expect(pdf.status()).toBe(200);
      expect(pdf.headers()['content-type']).toBe('application/pdf');
      expect(download.suggestedFilename()).toMatch(/^shikaku-reduced-limit-certification-.*\.pdf$/);
      expect(
        readFileSync((await download.path())!)
          .subarray(0, 5)
          .toString('latin1'),
      ).toBe('%PDF-');
      expect(jsErrors(page)).toEqual([]);
    });

    it('the member page shows a legacy card with its state and records its disposal on the chosen day', async () => {
      // 協会 一郎 holds only a legacy card (issued 2023-04-01); on 2026-11-23 its use has ended.
      const ichiro = h.demo.members.find((m) => m.key === 'ichiro')!;
      const page = await open(`/console/members/${ichiro.memberId}`, h.demo.tokens.admin);
      await page.getByRole('heading', { name: '健康保険証（従来の保険証）' }).waitFor();
      const card = page.locator('li[data-legacy-state]');
      expect(await card.getAttribute('data-legacy-state')).toBe('ended');
      expect(await card.innerText()).toContain('ご本人による廃棄を案内してください');
      // After 2025-12-01 a legacy card is not handed back: no return button.
      expect(await card.getByRole('button', { name: '回収を記録' }).count()).toBe(0);
      await card.getByRole('button', { name: '自己廃棄を記録' }).click();
      await page.locator('li[data-legacy-state="disposed"]').waitFor();
      expect(await page.locator('li[data-legacy-state="disposed"]').innerText()).toContain('自己廃棄済み');
      await expectAccessible(page, 'console: member legacy card');
      expect(jsErrors(page)).toEqual([]);
    });

    it('the landing page links to every screen, and everything switches to English', async () => {
      const { page } = await newPage(h);
      await page.goto(h.base);
      await page.getByRole('heading', { name: '健康保険の資格確認' }).waitFor();
      for (const name of ['窓口（医療機関・薬局）', '保険者コンソール', '加入者ポータル', '事業主窓口']) {
        expect(await page.getByRole('link', { name: new RegExp(name) }).count()).toBe(1);
      }
      await expectAccessible(page, 'landing');
      await screenshot(page, 'landing-ja');
      await page.getByRole('button', { name: 'Switch to English' }).click();
      await page.getByRole('heading', { name: 'Health-insurance eligibility' }).waitFor();
      expect(await page.evaluate('document.documentElement.lang')).toBe('en');
      // No Japanese left on the page but the demo's card and PIN note (in backquotes) and the logo.
      const main = await page.locator('main').innerText();
      expect(main.match(/[\u3040-\u30ff\u4e00-\u9fff]/g) ?? []).toEqual([]);
      await screenshot(page, 'landing-en');
      // The choice is kept: the reception terminal opens in English too.
      await page.getByRole('link', { name: /Reception/ }).click();
      await page.getByLabel('Access token').fill(h.demo.tokens.provider);
      await page.getByRole('button', { name: 'Start' }).click();
      await page.getByRole('heading', { name: 'What will you show?' }).waitFor();
      await page.getByRole('button', { name: /Eligibility certificate/ }).click();
      await page.getByLabel('Insurer number').fill('06139993');
      await page.getByText('The check digit does not match. Check the number.').waitFor();
      await expectAccessible(page, 'reception in English');
      await screenshot(page, 'reception-en');
    });

    it('employer desk: an acquisition by form answers 記号・番号 and the hub status with what to fix', async () => {
      const page = await open('/employer', h.demo.tokens.employer);
      await page.getByRole('heading', { name: '届出' }).waitFor();
      await page.getByLabel(/^番号（空欄なら自動採番）/).waitFor();
      await page.getByLabel('資格取得日（認定日）').fill('2026-11-16');
      await page.getByLabel('標準報酬月額（円）').fill('300,000');
      await page.getByLabel(/^氏名/).fill('採用 花');
      await page.getByLabel(/^フリガナ/).fill('さいよう はな');
      await page.getByLabel(/^生年月日/).fill('2001-08-08');
      await page.getByLabel('性別').selectOption('female');
      await page.getByLabel(/^住所/).fill('東京都千代田区丸の内1-1-1');
      const myNumber = page.getByLabel('個人番号（マイナンバー）');
      await myNumber.fill('123456789012');
      await page.getByText('検査用数字が合いません。入力を確かめてください。').waitFor();
      expect(await page.getByRole('button', { name: '届け出る' }).isDisabled()).toBe(true);
      await myNumber.fill('');
      await expectAccessible(page, 'employer: form');
      await page.getByRole('button', { name: '届け出る' }).click();
      const answer = page.getByRole('status').filter({ hasText: '資格取得届を受け付けました' });
      await answer.waitFor();
      const text = await answer.innerText();
      expect(text).toMatch(/1234・\d+・00/);
      expect(text).toContain('マイナンバー未提出');
      expect(text).toContain('変更届で個人番号を届け出てください');
      expect(text).toContain('2026年11月25日');
      await screenshot(page, 'employer-1-acquisition');

      // Status at the hub: 高橋 崎子's registration failed (name differs from the resident record).
      await page.getByRole('tab', { name: '登録状況' }).click();
      const row = page.locator('tr', { hasText: '高橋 崎子' });
      await row.getByText('住民票と不一致').waitFor();
      await row.getByText(/氏名: 氏名の字体/).waitFor();
      await expectAccessible(page, 'employer: status');
      await screenshot(page, 'employer-2-status');
      expect(jsErrors(page)).toEqual([]);
    });

    it('employer desk: the 資格確認書の交付希望 box is sent and the member gets a 資格確認書 (issue #16 point 7)', async () => {
      // テンショク健康保険組合 issues to new members only on application: the box decides.
      const token = async (role: 'admin' | 'employer') =>
        (await createToken(h.ctx, { role, insurerNumber: DEMO_SECOND_INSURER, employerSymbol: '5100' })).token;
      const [employer, admin] = [await token('employer'), await token('admin')];
      const page = await open('/employer', employer);
      await page.getByRole('heading', { name: '届出' }).waitFor();
      const sent = async (): Promise<{ body: Record<string, unknown>; memberId: string; number: string }> => {
        const request = page.waitForRequest((r) => r.method() === 'POST' && r.url().endsWith('/api/v1/notifications'));
        const response = page.waitForResponse((r) => r.url().endsWith('/api/v1/notifications'));
        const box = page.getByLabel('資格確認書の交付を希望する');
        expect(await box.isChecked()).toBe(false);
        await box.check();
        await page.getByRole('button', { name: '届け出る' }).click();
        const answer = (await (await response).json()) as { memberId: string; number: string };
        return { body: (await request).postDataJSON() as Record<string, unknown>, ...answer };
      };
      const fillPerson = async (name: string, kana: string, birthDate: string) => {
        await page.getByLabel('資格取得日（認定日）').fill('2026-11-16');
        await page.getByLabel(/^氏名/).fill(name);
        await page.getByLabel(/^フリガナ/).fill(kana);
        await page.getByLabel(/^生年月日/).fill(birthDate);
        await page.getByLabel(/^住所/).fill('東京都新宿区西新宿2-8-1');
      };

      await fillPerson('希望 一郎', 'キボウ イチロウ', '1995-04-01');
      await page.getByLabel('標準報酬月額（円）').fill('280,000');
      await expectAccessible(page, 'employer: certificate box');
      const insured = await sent();
      expect(insured.body).toMatchObject({ kind: 'acquisition', certificateRequested: true });
      const answer = page.getByRole('status').filter({ hasText: '資格取得届を受け付けました' });
      await answer.waitFor();
      expect(await answer.innerText()).toContain('交付希望あり：資格確認書を交付します');
      await screenshot(page, 'employer-3-certificate-requested');

      // The 被扶養者異動届 has the box too.
      await page.getByLabel('届出の種類').selectOption('dependent_add');
      await page.getByLabel('被保険者の番号').fill(insured.number);
      await fillPerson('希望 花子', 'キボウ ハナコ', '2020-06-02');
      const dependent = await sent();
      expect(dependent.body).toMatchObject({ kind: 'dependent_add', certificateRequested: true });
      const added = page.getByRole('status').filter({ hasText: '被扶養者（異動）届・追加を受け付けました' });
      await added.waitFor();
      expect(await added.innerText()).toContain('交付希望あり：資格確認書を交付します');

      // The association's run issues each of them a 資格確認書.
      const run = await h.app.inject({
        method: 'POST',
        url: '/api/v1/certificates:issue-ex-officio',
        headers: { authorization: `Bearer ${admin}` },
        payload: { insurerNumber: DEMO_SECOND_INSURER, asOf: '2026-11-23' },
      });
      expect(run.statusCode).toBe(200);
      for (const who of [insured, dependent]) {
        expect(run.json().issued).toContainEqual(
          expect.objectContaining({ memberId: who.memberId, certificateId: expect.any(String) }),
        );
        const timeline = await h.app.inject({
          method: 'GET',
          url: `/api/v1/members/${who.memberId}/timeline`,
          headers: { authorization: `Bearer ${admin}` },
        });
        expect(timeline.json().events.map((e: { kind: string }) => e.kind)).toContain('certificate');
      }
      expect(jsErrors(page)).toEqual([]);
    });

    it('console: the dependents losing cover as their insured turns 75, born on the 1st and on the 2nd (issue #16 point 2)', async () => {
      // Each insured turns 75 on their birthday in 2026-12; their dependent's cover ends that day.
      const families = [
        { born: '1951-12-01', endsOn: '2026-12-01', insured: '長寿 一郎', dependent: '長寿 一子' },
        { born: '1951-12-02', endsOn: '2026-12-02', insured: '長寿 二郎', dependent: '長寿 二子' },
      ];
      for (const f of families) {
        const insured = person({ name: f.insured, nameKana: 'チョウジュ ロウ', birthDate: f.born });
        const dependent = person({
          name: f.dependent,
          nameKana: 'チョウジュ コ',
          birthDate: '1960-03-03',
          sex: 'female',
        });
        for (const p of [insured, dependent]) await makeResident(h.ctx, p);
        const base = { insurerNumber: DEMO_INSURER, recordedOn: '2024-10-01', acquiredOn: '2010-04-01' };
        const i = await notify(h.ctx, {
          ...base,
          kind: 'acquisition',
          symbol: '1234',
          standardMonthlyRemuneration: 300_000,
          person: insured,
        });
        await notify(h.ctx, {
          ...base,
          kind: 'dependent_add',
          insured: { symbol: i.symbol, number: i.number },
          person: dependent,
        });
      }

      const page = await open('/console', h.demo.tokens.admin);
      await page.getByRole('tab', { name: '扶養から外れる方' }).click();
      await page.getByRole('heading', { name: '被保険者とともに資格を失う被扶養者' }).waitFor();
      for (const f of families) {
        const row = page.locator('tr', { hasText: f.dependent });
        await row.waitFor();
        expect(await row.getAttribute('data-cause')).toBe('insured_75');
        const text = await row.innerText();
        expect(text).toContain(f.insured);
        expect(text).toContain('被保険者の75歳到達');
        const [y, m, d] = f.endsOn.split('-').map(Number);
        expect(text).toContain(`${y}年${m}月${d}日`);
        expect(text).toMatch(/1234・\d+・\d{2}/);
      }
      await expectAccessible(page, 'console: dependents losing cover');
      await screenshot(page, 'console-6-losing-cover');

      // From 2026-12-02 the one whose cover ended on the 1st is no longer listed.
      await page.getByLabel('期間（開始）').fill('2026-12-02');
      await expect.poll(() => page.locator('tr', { hasText: families[0]!.dependent }).count()).toBe(0);
      await page.locator('tr', { hasText: families[1]!.dependent }).waitFor();
      // A window with nobody: the empty state.
      await page.getByLabel('期間（開始）').fill('2001-01-01');
      await page.getByLabel('期間（終了）').fill('2001-01-31');
      await page.getByText('この期間に資格を失う被扶養者はいません').waitFor();
      expect(jsErrors(page)).toEqual([]);
    });
  },
);
