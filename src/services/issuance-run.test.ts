import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeDocumentsInsurer, makeMember, USABLE_CARD } from '../../test/support/documents.js';
import { adminOf } from '../../test/support/registry.js';
import { openTestContext, STORE_KINDS } from '../../test/support/stores.js';
import type { ExOfficioRunResult } from '../contract/certificates.js';
import { ShikakuError } from '../domain/codes.js';
import { verifyAuditChain } from './audit.js';
import type { ServiceContext } from './context.js';
import { getRun, runExOfficio, summarize } from './issuance-run.js';

function outcomeOf(result: ExOfficioRunResult, memberId: string): string {
  const issued = result.issued.find((i) => i.memberId === memberId);
  if (issued) return `issued:${issued.reason}`;
  const skipped = result.skipped.find((s) => s.memberId === memberId);
  return skipped ? `skipped:${skipped.reason}` : 'absent';
}

async function codeOf(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ShikakuError);
  return (error as ShikakuError).code;
}

describe.each(STORE_KINDS)('ex-officio issuance run on %s', (kind) => {
  let ctx: ServiceContext;
  beforeAll(async () => {
    ctx = await openTestContext(kind);
  });
  afterAll(() => ctx.store.close());

  describe('each reason, at the dates that matter', () => {
    let insurer = '';
    const m: Record<string, string> = {};

    beforeAll(async () => {
      insurer = await makeDocumentsInsurer(ctx);
      const make = async (key: string, plan: Parameters<typeof makeMember>[2]) => {
        m[key] = (await makeMember(ctx, insurer, plan)).memberId;
      };
      await make('noCard', {});
      await make('noMyNumber', { withoutMyNumber: true });
      await make('notRegistered', { card: { issuedOn: '2023-03-01' } });
      await make('cancelled', {
        card: { issuedOn: '2023-03-01', registeredOn: '2023-05-01', cancelledOn: '2025-03-01' },
      });
      await make('returned', {
        card: { issuedOn: '2023-03-01', registeredOn: '2023-05-01', returnedOn: '2025-03-01' },
      });
      await make('usable', { card: USABLE_CARD });
      // User certificate: 5th birthday after 2020-07-01 = 2025-06-10; grace to 2025-09-30.
      await make('certExpired', {
        person: { birthDate: '1980-06-10' },
        card: { issuedOn: '2020-07-01', registeredOn: '2020-08-01' },
      });
      // 5th birthday after 2020-11-01 = 2025-10-10; grace to 2026-01-31.
      await make('inGrace', {
        person: { birthDate: '1980-10-10' },
        card: { issuedOn: '2020-11-01', registeredOn: '2020-12-01' },
      });
      await make('legacyOnly', { legacyCardIssuedOn: '2023-04-01' });
      await make('legacyAndCard', { legacyCardIssuedOn: '2023-04-01', card: USABLE_CARD });
      await make('lost', { lostOn: '2025-04-01' });
      await make('future', { acquiredOn: '2026-04-01', recordedOn: '2025-11-21' });
    });

    const dry = (asOf: string) => runExOfficio(ctx, adminOf(insurer), { insurerNumber: insurer, asOf, dryRun: true });

    it('refuses a date before 資格確認書 existed (2024-12-01), decides from 2024-12-02', async () => {
      expect(await codeOf(dry('2024-12-01'))).toBe('VALIDATION_FAILED');
      const r = await dry('2024-12-02');
      expect(outcomeOf(r, m.noCard as string)).toBe('issued:no_card');
      expect(outcomeOf(r, m.noMyNumber as string)).toBe('issued:no_card');
      expect(outcomeOf(r, m.notRegistered as string)).toBe('issued:not_registered');
      expect(outcomeOf(r, m.usable as string)).toBe('skipped:usable_myna_card');
      expect(outcomeOf(r, m.cancelled as string)).toBe('skipped:usable_myna_card');
      expect(outcomeOf(r, m.returned as string)).toBe('skipped:usable_myna_card');
      // A valid legacy card is the proof before the transition window (seed 000).
      expect(outcomeOf(r, m.legacyOnly as string)).toBe('skipped:valid_legacy_card');
      expect(outcomeOf(r, m.future as string)).toBe('skipped:not_eligible');
      expect(r.runId).toBeNull();
      expect(r.issued.every((i) => i.certificateId === null)).toBe(true);
      // Policy validYears 2: 2024-12-02 → 2026-12-01.
      expect(r.issued[0]?.validUntil).toBe('2026-12-01');
    });

    it('gives each ex-officio reason and each skip on 2025-12-01 and 2025-12-02', async () => {
      for (const asOf of ['2025-12-01', '2025-12-02']) {
        const r = await dry(asOf);
        expect(outcomeOf(r, m.noCard as string)).toBe('issued:no_card');
        expect(outcomeOf(r, m.notRegistered as string)).toBe('issued:not_registered');
        expect(outcomeOf(r, m.cancelled as string)).toBe('issued:registration_cancelled');
        expect(outcomeOf(r, m.returned as string)).toBe('issued:card_returned');
        expect(outcomeOf(r, m.certExpired as string)).toBe('issued:cert_expired');
        expect(outcomeOf(r, m.inGrace as string)).toBe('skipped:usable_myna_card');
        expect(outcomeOf(r, m.usable as string)).toBe('skipped:usable_myna_card');
        expect(outcomeOf(r, m.legacyAndCard as string)).toBe('skipped:usable_myna_card');
        expect(outcomeOf(r, m.lost as string)).toBe('skipped:not_eligible');
        // In the transition window (and after the legacy card ended) the legacy-only holder gets one.
        expect(outcomeOf(r, m.legacyOnly as string)).toBe('issued:no_card');
      }
    });

    it('issues to a legacy-card holder from the transition window (2025-07-01), not the day before', async () => {
      expect(outcomeOf(await dry('2025-06-30'), m.legacyOnly as string)).toBe('skipped:valid_legacy_card');
      expect(outcomeOf(await dry('2025-07-01'), m.legacyOnly as string)).toBe('issued:no_card');
    });

    it('issues for an expired user certificate only after the grace period (end of the 3rd month)', async () => {
      expect(outcomeOf(await dry('2025-09-30'), m.certExpired as string)).toBe('skipped:usable_myna_card');
      expect(outcomeOf(await dry('2025-10-01'), m.certExpired as string)).toBe('issued:cert_expired');
      expect(outcomeOf(await dry('2026-01-31'), m.inGrace as string)).toBe('skipped:usable_myna_card');
      expect(outcomeOf(await dry('2026-02-01'), m.inGrace as string)).toBe('issued:cert_expired');
    });

    it('is idempotent: a second run issues nothing new and skips already_has_certificate', async () => {
      const first = await runExOfficio(ctx, adminOf(insurer), { insurerNumber: insurer, asOf: '2025-12-02' });
      expect(first.runId).not.toBeNull();
      expect(first.resumed).toBe(false);
      expect(first.issued.map((i) => i.memberId).sort()).toEqual(
        [m.noCard, m.noMyNumber, m.notRegistered, m.cancelled, m.returned, m.certExpired, m.legacyOnly].sort(),
      );
      for (const i of first.issued) {
        expect(i.certificateId).toEqual(expect.any(String));
        expect(i.validUntil).toBe('2027-12-01');
      }
      const certificates = await ctx.store.db
        .selectFrom('eligibility_certificates')
        .selectAll()
        .where('insurer_number', '=', insurer)
        .execute();
      expect(certificates).toHaveLength(first.issued.length);
      expect(
        certificates.every((c) => c.kind === 'ex_officio' && c.run_id === first.runId && c.issued_on === '2025-12-02'),
      ).toBe(true);

      const second = await runExOfficio(ctx, adminOf(insurer), { insurerNumber: insurer, asOf: '2025-12-02' });
      expect(second.runId).not.toBe(first.runId);
      expect(second.issued).toEqual([]);
      for (const i of first.issued) expect(outcomeOf(second, i.memberId)).toBe('skipped:already_has_certificate');
      const after = await ctx.store.db
        .selectFrom('eligibility_certificates')
        .select('id')
        .where('insurer_number', '=', insurer)
        .execute();
      expect(after.map((c) => c.id).sort()).toEqual(certificates.map((c) => c.id).sort());

      // Explainable afterwards, and summarised by reason.
      const stored = await getRun(ctx, adminOf(insurer), first.runId as string);
      expect(stored).toMatchObject({ state: 'finished', issued: first.issued, skipped: first.skipped });
      expect(summarize(first)).toContainEqual({ outcome: 'issued', reason: 'no_card', count: 3 });
      expect(await verifyAuditChain(ctx.store.db)).toMatchObject({ ok: true });
      const audited = await ctx.store.db
        .selectFrom('audit_log')
        .select(['action', 'member_id', 'detail'])
        .where('action', '=', 'certificate.issue')
        .where('insurer_number', '=', insurer)
        .execute();
      expect(audited).toHaveLength(first.issued.length);
    });

    it('is the admin of that association only', async () => {
      expect(await codeOf(runExOfficio(ctx, adminOf('06139992'), { insurerNumber: insurer, asOf: '2025-12-02' }))).toBe(
        'FORBIDDEN',
      );
      expect(await codeOf(getRun(ctx, adminOf('06139992'), 'no-such-run'))).toBe('ISSUANCE_RUN_NOT_FOUND');
    });
  });

  describe("the association's newMemberCertificate policy", () => {
    it('on_application: a new member without a card waits for the application; other problems are issued', async () => {
      const insurer = await makeDocumentsInsurer(ctx, { newMemberCertificate: 'on_application' });
      const oldMember = await makeMember(ctx, insurer, { acquiredOn: '2020-04-01' });
      const newMember = await makeMember(ctx, insurer, { acquiredOn: '2024-12-02' });
      const newReturned = await makeMember(ctx, insurer, {
        acquiredOn: '2025-01-06',
        recordedOn: '2025-01-06',
        card: { issuedOn: '2023-03-01', registeredOn: '2023-05-01', returnedOn: '2025-06-01' },
      });
      const r = await runExOfficio(ctx, adminOf(insurer), { insurerNumber: insurer, asOf: '2025-12-02' });
      expect(outcomeOf(r, oldMember.memberId)).toBe('issued:no_card');
      expect(outcomeOf(r, newMember.memberId)).toBe('skipped:on_application_policy');
      expect(outcomeOf(r, newReturned.memberId)).toBe('issued:card_returned');
    });

    it('ex_officio: the same new member is issued one', async () => {
      const insurer = await makeDocumentsInsurer(ctx, { newMemberCertificate: 'ex_officio' });
      const newMember = await makeMember(ctx, insurer, { acquiredOn: '2024-12-02' });
      const r = await runExOfficio(ctx, adminOf(insurer), { insurerNumber: insurer, asOf: '2025-12-02' });
      expect(outcomeOf(r, newMember.memberId)).toBe('issued:no_card');
    });

    it('a fixed validUntil policy is cut to 5 years, and one before the issue date fails before any write', async () => {
      const insurer = await makeDocumentsInsurer(ctx, { certificatePolicy: { validUntil: '2031-03-31' } });
      await makeMember(ctx, insurer);
      const r = await runExOfficio(ctx, adminOf(insurer), { insurerNumber: insurer, asOf: '2025-12-02' });
      expect(r.issued[0]?.validUntil).toBe('2030-12-01');
      const stale = await makeDocumentsInsurer(ctx, { certificatePolicy: { validUntil: '2025-11-30' } });
      await makeMember(ctx, stale);
      expect(await codeOf(runExOfficio(ctx, adminOf(stale), { insurerNumber: stale, asOf: '2025-12-02' }))).toBe(
        'VALIDATION_FAILED',
      );
      const runs = await ctx.store.db
        .selectFrom('issuance_runs')
        .select('id')
        .where('insurer_number', '=', stale)
        .execute();
      expect(runs).toEqual([]);
    });
  });

  it('resumes an unfinished run under the same id: every member issued exactly once', async () => {
    const insurer = await makeDocumentsInsurer(ctx);
    const ids: string[] = [];
    for (let i = 0; i < 7; i++) ids.push((await makeMember(ctx, insurer)).memberId);
    const admin = adminOf(insurer);
    // A run that died after its first batch of 3: simulated by stopping the loop from the progress callback.
    const stop = new Error('stop');
    const seen: number[] = [];
    await expect(
      runExOfficio(
        ctx,
        admin,
        { insurerNumber: insurer, asOf: '2025-12-02' },
        {
          batchSize: 3,
          onProgress: (p) => {
            seen.push(p.done);
            if (p.done >= 3) throw stop;
          },
        },
      ),
    ).rejects.toBe(stop);
    expect(seen).toEqual([0, 3]);
    const half = await ctx.store.db
      .selectFrom('eligibility_certificates')
      .select('member_id')
      .where('insurer_number', '=', insurer)
      .execute();
    expect(half).toHaveLength(3);

    const progress: number[] = [];
    const resumed = await runExOfficio(
      ctx,
      admin,
      { insurerNumber: insurer, asOf: '2025-12-02' },
      {
        batchSize: 3,
        onProgress: (p) => progress.push(p.done),
      },
    );
    expect(resumed.resumed).toBe(true);
    expect(progress).toEqual([3, 6, 7]);
    expect(resumed.issued.map((i) => i.memberId).sort()).toEqual([...ids].sort());
    const all = await ctx.store.db
      .selectFrom('eligibility_certificates')
      .select('member_id')
      .where('insurer_number', '=', insurer)
      .execute();
    expect(all.map((c) => c.member_id).sort()).toEqual([...ids].sort());
    const runs = await ctx.store.db
      .selectFrom('issuance_runs')
      .selectAll()
      .where('insurer_number', '=', insurer)
      .execute();
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ state: 'finished', id: resumed.runId });
  });
});
