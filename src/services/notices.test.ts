import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeDocumentsInsurer, makeMember } from '../../test/support/documents.js';
import { adminOf, makeResident, notify, person } from '../../test/support/registry.js';
import { openTestContext, STORE_KINDS } from '../../test/support/stores.js';
import type { NoticeContents } from '../domain/notice.js';
import type { ServiceContext } from './context.js';
import { printDocuments } from './documents/print.js';
import { runExOfficio } from './issuance-run.js';
import { issueNotices } from './notices.js';

describe.each(STORE_KINDS)('お知らせ and bulk printing on %s', (kind) => {
  let ctx: ServiceContext;
  let dir: string;
  beforeAll(async () => {
    ctx = await openTestContext(kind);
    dir = mkdtempSync(join(tmpdir(), 'shikaku-print-'));
  });
  afterAll(async () => {
    await ctx.store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const noticesOf = (memberId: string) =>
    ctx.store.db.selectFrom('notices').selectAll().where('member_id', '=', memberId).orderBy('created_at').execute();

  it('an acquisition issues the お知らせ on its recordedOn: last 4 digits only, the ratio as of the acquisition', async () => {
    const insurer = await makeDocumentsInsurer(ctx);
    const m = await makeMember(ctx, insurer, { acquiredOn: '2026-04-01', recordedOn: '2026-03-20' });
    const [notice, ...more] = await noticesOf(m.memberId);
    expect(more).toEqual([]);
    expect(notice).toMatchObject({ reason: 'acquisition', issued_on: '2026-03-20' });
    const contents = JSON.parse(notice?.contents ?? '{}') as NoticeContents;
    expect(contents).toMatchObject({
      myNumberLast4: m.person.myNumber.slice(8),
      acquiredOn: '2026-04-01',
      burdenRatio: 30,
      burdenRatioAsOf: '2026-04-01',
    });
    expect(notice?.contents).not.toContain(m.person.myNumber);
    // A dependent gets one too; a name change does not reissue it (RULES.md §3).
    const child = person({ name: '協会 五郎', nameKana: 'キョウカイ ゴロウ', birthDate: '2021-01-01' });
    await makeResident(ctx, child);
    const dep = await notify(ctx, {
      kind: 'dependent_add',
      insurerNumber: insurer,
      recordedOn: '2026-04-02',
      insured: { symbol: m.symbol, number: m.number },
      acquiredOn: '2026-04-01',
      person: child,
    });
    expect(JSON.parse((await noticesOf(dep.memberId))[0]?.contents ?? '{}')).toMatchObject({
      burdenRatio: 20,
      relationship: 'dependent',
    });
    await notify(ctx, {
      kind: 'change',
      insurerNumber: insurer,
      recordedOn: '2026-05-01',
      symbol: m.symbol,
      number: m.number,
      name: '改姓 太郎',
    });
    expect(await noticesOf(m.memberId)).toHaveLength(1);
  });

  it('the run issues to members without one, skips those lost, and is idempotent', async () => {
    const insurer = await makeDocumentsInsurer(ctx);
    const a = await makeMember(ctx, insurer);
    const b = await makeMember(ctx, insurer, { withoutMyNumber: true });
    const lost = await makeMember(ctx, insurer, { lostOn: '2025-04-01' });
    // Existing members from before the switch: no notice yet.
    await ctx.store.db
      .deleteFrom('notices')
      .where('member_id', 'in', [a.memberId, b.memberId, lost.memberId])
      .execute();
    const admin = adminOf(insurer);
    const run = await issueNotices(ctx, admin, { insurerNumber: insurer, asOf: '2025-11-21' }, { batchSize: 2 });
    expect(run.issued.map((i) => i.memberId).sort()).toEqual([a.memberId, b.memberId].sort());
    expect(run.skipped).toEqual([{ memberId: lost.memberId, reason: 'not_eligible' }]);
    expect(JSON.parse((await noticesOf(b.memberId))[0]?.contents ?? '{}')).toMatchObject({
      myNumberLast4: null,
      issuedOn: '2025-11-21',
    });
    const again = await issueNotices(ctx, admin, { insurerNumber: insurer, asOf: '2025-11-22' });
    expect(again.issued).toEqual([]);
    expect(again.skipped.filter((s) => s.reason === 'already_has_notice')).toHaveLength(2);
    await expect(
      issueNotices(ctx, adminOf('06139992'), { insurerNumber: insurer, asOf: '2025-11-22' }),
    ).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
  });

  it('bulk print: one PDF per member, or one merged PDF with a page each, every print audited', async () => {
    const insurer = await makeDocumentsInsurer(ctx);
    const members = [];
    for (let i = 0; i < 3; i++) members.push(await makeMember(ctx, insurer));
    await makeMember(ctx, insurer, { card: { issuedOn: '2023-03-01', registeredOn: '2023-05-01' } });
    const admin = adminOf(insurer);
    await runExOfficio(ctx, admin, { insurerNumber: insurer, asOf: '2025-12-02' });

    const single = join(dir, `single-${kind}`);
    const progress: number[] = [];
    const report = await printDocuments(ctx, admin, {
      kind: 'certificates',
      insurerNumber: insurer,
      outDir: single,
      asOf: '2025-12-02',
      onProgress: (done) => progress.push(done),
    });
    expect(report.documents).toBe(3);
    expect(progress).toEqual([1, 2, 3]);
    expect(readdirSync(single).sort()).toEqual(members.map((m) => `kakuninsho-${m.symbol}-${m.number}-00.pdf`).sort());

    const merged = join(dir, `merged-${kind}`);
    const notices = await printDocuments(ctx, admin, {
      kind: 'notices',
      insurerNumber: insurer,
      outDir: merged,
      merged: true,
      asOf: '2025-12-02',
    });
    expect(notices.documents).toBe(4);
    expect(notices.files).toHaveLength(1);
    const info = execFileSync('pdfinfo', [notices.files[0] as string], { encoding: 'utf8' });
    expect(info).toMatch(/Pages:\s+4/);
    const text = execFileSync('pdftotext', [notices.files[0] as string, '-'], { encoding: 'utf8' });
    for (const m of members) {
      expect(text).toContain(`＊＊＊＊＊＊＊＊${m.person.myNumber.slice(8)}`);
      expect(text).not.toContain(m.person.myNumber);
    }
    const audited = await ctx.store.db
      .selectFrom('audit_log')
      .select('action')
      .where('insurer_number', '=', insurer)
      .where('action', 'in', ['certificate.print', 'notice.print'])
      .execute();
    expect(audited.filter((a) => a.action === 'certificate.print')).toHaveLength(3);
    expect(audited.filter((a) => a.action === 'notice.print')).toHaveLength(4);

    // Only the documents of one issue day.
    const none = await printDocuments(ctx, admin, {
      kind: 'certificates',
      insurerNumber: insurer,
      outDir: join(dir, `none-${kind}`),
      issuedOn: '2025-12-03',
      asOf: '2025-12-03',
    });
    expect(none.documents).toBe(0);
  });
});
