import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeDocumentsInsurer, makeMember, USABLE_CARD } from '../../../test/support/documents.js';
import { adminOf, employerOf, makeResident, notify, person } from '../../../test/support/registry.js';
import { openTestContext, STORE_KINDS } from '../../../test/support/stores.js';
import { ShikakuError } from '../../domain/codes.js';
import { type Actor, systemActor } from '../actor.js';
import type { ServiceContext } from '../context.js';
import { applyForCertificate, reissueCertificate } from './apply.js';
import { collectCertificate, reportCertificateLost } from './collect.js';
import { getCertificate, listMemberCertificates } from './view.js';

async function refusal(promise: Promise<unknown>): Promise<ShikakuError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ShikakuError);
  return error as ShikakuError;
}

const memberActor = (memberId: string): Actor => systemActor('member', { memberId });

describe.each(STORE_KINDS)('資格確認書 applications and life on %s', (kind) => {
  let ctx: ServiceContext;
  let insurer = '';
  let admin: Actor;
  beforeAll(async () => {
    ctx = await openTestContext(kind);
    insurer = await makeDocumentsInsurer(ctx, { reissueFeeYen: 500 });
    admin = adminOf(insurer);
  });
  afterAll(() => ctx.store.close());

  const apply = (memberId: string, reason: string, recordedOn: string, actor: Actor = admin) =>
    applyForCertificate(ctx, actor, { memberId, reason, recordedOn });

  async function applicationRow(id: string) {
    return ctx.store.db.selectFrom('applications').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  }

  describe('the 8 reasons, accepted and refused', () => {
    it('card_lost, card_renewing and needs_assistance are always accepted, even with a usable card', async () => {
      for (const reason of ['card_lost', 'card_renewing', 'needs_assistance']) {
        const { memberId } = await makeMember(ctx, insurer, { card: USABLE_CARD });
        const issued = await apply(memberId, reason, '2025-12-02');
        expect(issued).toMatchObject({
          memberId,
          reason,
          kind: 'on_application',
          issuedOn: '2025-12-02',
          validUntil: '2027-12-01',
          feeYen: 0,
          supersedesId: null,
        });
        expect(await applicationRow(issued.applicationId)).toMatchObject({
          kind: 'certificate',
          reason,
          state: 'approved',
          decided_on: '2025-12-02',
        });
      }
    });

    it('no_card: accepted without a card; refused CERTIFICATE_NOT_NEEDED with a usable one (no "just in case")', async () => {
      const none = await makeMember(ctx, insurer);
      expect((await apply(none.memberId, 'no_card', '2025-12-02')).reason).toBe('no_card');
      const usable = await makeMember(ctx, insurer, { card: USABLE_CARD });
      const error = await refusal(apply(usable.memberId, 'no_card', '2025-12-02'));
      expect(error.code).toBe('CERTIFICATE_NOT_NEEDED');
      expect(error.status).toBe(422);
      expect(error.details).toMatchObject({ why: 'usable_myna_card', applicationId: expect.any(String) });
      // The refusal is recorded, and no certificate was issued.
      expect(await applicationRow(error.details?.applicationId as string)).toMatchObject({
        state: 'refused',
        refusal_code: 'CERTIFICATE_NOT_NEEDED',
      });
      expect(await listMemberCertificates(ctx.store.db, usable.memberId, '2025-12-02')).toEqual([]);
    });

    it('not_registered: accepted for a card never registered; with no card at all the reason is wrong (suggests no_card)', async () => {
      const card = await makeMember(ctx, insurer, { card: { issuedOn: '2023-03-01' } });
      expect((await apply(card.memberId, 'not_registered', '2025-12-02')).reason).toBe('not_registered');
      const none = await makeMember(ctx, insurer);
      const error = await refusal(apply(none.memberId, 'not_registered', '2025-12-02'));
      expect(error.code).toBe('CERTIFICATE_REASON_INVALID');
      expect(error.details).toMatchObject({ why: 'reason_not_applicable', suggestedReason: 'no_card' });
    });

    it('cert_expired: accepted from the day after expiry (grace included), refused the day of expiry', async () => {
      // User certificate expires 2025-10-10 (5th birthday after 2020-11-01), grace until 2026-01-31.
      const plan = {
        person: { birthDate: '1980-10-10' },
        card: { issuedOn: '2020-11-01', registeredOn: '2020-12-01' },
      };
      const onExpiry = await makeMember(ctx, insurer, plan);
      expect((await refusal(apply(onExpiry.memberId, 'cert_expired', '2025-10-10'))).code).toBe(
        'CERTIFICATE_NOT_NEEDED',
      );
      const inGrace = await makeMember(ctx, insurer, plan);
      expect((await apply(inGrace.memberId, 'cert_expired', '2025-10-11')).reason).toBe('cert_expired');
      const afterGrace = await makeMember(ctx, insurer, plan);
      expect((await apply(afterGrace.memberId, 'cert_expired', '2026-02-01')).reason).toBe('cert_expired');
    });

    it('card_returned: accepted once returned, not before', async () => {
      const plan = { card: { issuedOn: '2023-03-01', registeredOn: '2023-05-01', returnedOn: '2025-06-01' } };
      const before = await makeMember(ctx, insurer, plan);
      expect((await refusal(apply(before.memberId, 'card_returned', '2025-05-31'))).code).toBe(
        'CERTIFICATE_NOT_NEEDED',
      );
      const after = await makeMember(ctx, insurer, plan);
      expect((await apply(after.memberId, 'card_returned', '2025-06-01')).reason).toBe('card_returned');
    });

    it('certificate_lost: a reissue with the fee, superseding the one held; without one the reason is wrong', async () => {
      const { memberId } = await makeMember(ctx, insurer);
      const first = await apply(memberId, 'no_card', '2025-12-02');
      const reissued = await apply(memberId, 'certificate_lost', '2026-01-15');
      expect(reissued).toMatchObject({
        kind: 'reissue',
        feeYen: 500,
        supersedesId: first.certificateId,
        issuedOn: '2026-01-15',
      });
      const old = await getCertificate(ctx, admin, first.certificateId, '2026-01-15');
      expect(old).toMatchObject({ status: 'collected', collectedOn: '2026-01-15', collectionReason: 'superseded' });
      expect((await getCertificate(ctx, admin, reissued.certificateId, '2026-01-15')).status).toBe('usable');
      expect(JSON.parse((await applicationRow(reissued.applicationId)).payload)).toMatchObject({ feeYen: 500 });

      const none = await makeMember(ctx, insurer);
      const error = await refusal(apply(none.memberId, 'certificate_lost', '2025-12-02'));
      expect(error.code).toBe('CERTIFICATE_REASON_INVALID');
    });

    it('an unknown reason is CERTIFICATE_REASON_INVALID, a lost member CONFLICT_MEMBER_STATE', async () => {
      const { memberId } = await makeMember(ctx, insurer);
      const unknown = await refusal(apply(memberId, 'just_in_case', '2025-12-02'));
      expect(unknown.code).toBe('CERTIFICATE_REASON_INVALID');
      expect(unknown.status).toBe(400);
      const lost = await makeMember(ctx, insurer, { lostOn: '2025-04-01' });
      expect((await refusal(apply(lost.memberId, 'no_card', '2025-12-02'))).code).toBe('CONFLICT_MEMBER_STATE');
    });
  });

  describe('at the dates that matter', () => {
    it('2024-12-01 is before 資格確認書 existed; 2024-12-02 is the first day', async () => {
      const { memberId } = await makeMember(ctx, insurer);
      expect((await refusal(apply(memberId, 'no_card', '2024-12-01'))).code).toBe('VALIDATION_FAILED');
      expect((await apply(memberId, 'no_card', '2024-12-02')).validUntil).toBe('2026-12-01');
    });

    it('a legacy-card holder is refused before the transition window, accepted on 2025-12-01 and 2025-12-02', async () => {
      const a = await makeMember(ctx, insurer, { legacyCardIssuedOn: '2023-04-01' });
      const error = await refusal(apply(a.memberId, 'no_card', '2025-06-30'));
      expect(error.code).toBe('CERTIFICATE_NOT_NEEDED');
      expect(error.details).toMatchObject({ why: 'valid_legacy_card' });
      expect((await apply(a.memberId, 'no_card', '2025-12-01')).issuedOn).toBe('2025-12-01');
      const b = await makeMember(ctx, insurer, { legacyCardIssuedOn: '2023-04-01' });
      expect((await apply(b.memberId, 'no_card', '2025-12-02')).issuedOn).toBe('2025-12-02');
    });

    it('one certificate at a time: refused while held, accepted again the day after it expires', async () => {
      const { memberId } = await makeMember(ctx, insurer);
      const first = await apply(memberId, 'no_card', '2024-12-02');
      expect(first.validUntil).toBe('2026-12-01');
      const held = await refusal(apply(memberId, 'no_card', '2026-12-01'));
      expect(held.code).toBe('CERTIFICATE_NOT_NEEDED');
      expect(held.details).toMatchObject({ why: 'certificate_held' });
      const renewed = await apply(memberId, 'no_card', '2026-12-02');
      expect(renewed).toMatchObject({ issuedOn: '2026-12-02', validUntil: '2028-12-01', supersedesId: null });
    });
  });

  describe('reissue, loss reports and collection', () => {
    it(':reissue records the fee and supersedes; a reported-lost certificate stays so and other reasons are refused', async () => {
      const { memberId } = await makeMember(ctx, insurer);
      const first = await apply(memberId, 'no_card', '2025-12-02');
      const lost = await reportCertificateLost(ctx, admin, first.certificateId, { reportedOn: '2026-02-01' });
      expect(lost).toMatchObject({ status: 'reported_lost', reportedLostOn: '2026-02-01' });
      expect(
        (await refusal(reportCertificateLost(ctx, admin, first.certificateId, { reportedOn: '2026-02-02' }))).code,
      ).toBe('CONFLICT_CERTIFICATE_STATE');
      const dodge = await refusal(apply(memberId, 'no_card', '2026-02-03'));
      expect(dodge.code).toBe('CERTIFICATE_REASON_INVALID');
      expect(dodge.details).toMatchObject({ why: 'reissue_required', suggestedReason: 'certificate_lost' });

      const reissued = await reissueCertificate(ctx, admin, first.certificateId, { recordedOn: '2026-02-03' });
      expect(reissued).toMatchObject({
        kind: 'reissue',
        reason: 'certificate_lost',
        feeYen: 500,
        supersedesId: first.certificateId,
      });
      expect(await getCertificate(ctx, admin, first.certificateId, '2026-02-03')).toMatchObject({
        status: 'reported_lost',
        collectedOn: null,
      });
      // The superseded one cannot be reissued a second time; the new one can.
      const again = await reissueCertificate(ctx, admin, reissued.certificateId, { recordedOn: '2026-03-01' });
      expect(again.supersedesId).toBe(reissued.certificateId);
      expect(
        (await refusal(reissueCertificate(ctx, admin, reissued.certificateId, { recordedOn: '2026-03-02' }))).code,
      ).toBe('CONFLICT_CERTIFICATE_STATE');
    });

    it(':collect ends it (CONFLICT_CERTIFICATE_STATE twice); a name change collected by hand issues the replacement', async () => {
      const a = await makeMember(ctx, insurer);
      const cert = await apply(a.memberId, 'no_card', '2025-12-02');
      const collected = await collectCertificate(ctx, admin, cert.certificateId, { collectedOn: '2026-01-10' });
      expect(collected.certificate).toMatchObject({ status: 'collected', collectionReason: 'returned' });
      expect(collected.replacement).toBeNull();
      expect(
        (await refusal(collectCertificate(ctx, admin, cert.certificateId, { collectedOn: '2026-01-11' }))).code,
      ).toBe('CONFLICT_CERTIFICATE_STATE');
      const b = await makeMember(ctx, insurer);
      const other = await apply(b.memberId, 'no_card', '2025-12-02');
      const renamed = await collectCertificate(ctx, admin, other.certificateId, {
        collectedOn: '2026-01-10',
        reason: 'name_change',
      });
      expect(renamed.replacement).toMatchObject({
        status: 'usable',
        issuedOn: '2026-01-10',
        supersedesId: other.certificateId,
        feeYen: 0,
      });
    });

    it('scope: another association and another member see nothing (404); the member sees and reports their own', async () => {
      const { memberId } = await makeMember(ctx, insurer);
      const cert = await apply(memberId, 'needs_assistance', '2025-12-02');
      expect((await refusal(getCertificate(ctx, adminOf('06139992'), cert.certificateId))).code).toBe(
        'CERTIFICATE_NOT_FOUND',
      );
      expect((await refusal(getCertificate(ctx, memberActor('someone-else'), cert.certificateId))).code).toBe(
        'CERTIFICATE_NOT_FOUND',
      );
      expect((await refusal(apply(memberId, 'no_card', '2025-12-02', adminOf('06139992')))).code).toBe(
        'MEMBER_NOT_FOUND',
      );
      expect((await refusal(apply(memberId, 'no_card', '2025-12-02', employerOf(insurer, '9999')))).code).toBe(
        'MEMBER_NOT_FOUND',
      );
      expect((await refusal(collectCertificate(ctx, memberActor(memberId), cert.certificateId, {}))).code).toBe(
        'FORBIDDEN',
      );
      const own = await reportCertificateLost(ctx, memberActor(memberId), cert.certificateId, {
        reportedOn: '2026-01-05',
      });
      expect(own.status).toBe('reported_lost');
      // An employer files for its own 記号 (e.g. with the acquisition).
      const employee = await makeMember(ctx, insurer, { symbol: '4321' });
      expect((await apply(employee.memberId, 'no_card', '2025-12-02', employerOf(insurer, '4321'))).memberId).toBe(
        employee.memberId,
      );
    });
  });

  describe('collection on notifications (the registry hook)', () => {
    /** An insured with one child added as a dependent on 2024-10-01. */
    async function insuredWithChild(name: string, nameKana: string, birthDate: string) {
      const insured = await makeMember(ctx, insurer);
      const child = person({ name, nameKana, birthDate });
      await makeResident(ctx, child);
      const dep = await notify(ctx, {
        kind: 'dependent_add',
        insurerNumber: insurer,
        recordedOn: '2024-10-01',
        insured: { symbol: insured.symbol, number: insured.number },
        acquiredOn: '2020-04-01',
        person: child,
      });
      return { insured, dep };
    }

    it("a loss collects the insured's and the dependents' certificates from lostOn", async () => {
      const { insured, dep } = await insuredWithChild('協会 次郎', 'キョウカイ ジロウ', '2015-05-05');
      const c1 = await apply(insured.memberId, 'no_card', '2025-12-02');
      const c2 = await apply(dep.memberId, 'no_card', '2025-12-02');
      await notify(ctx, {
        kind: 'loss',
        insurerNumber: insurer,
        recordedOn: '2026-04-03',
        symbol: insured.symbol,
        number: insured.number,
        lostOn: '2026-04-01',
      });
      for (const id of [c1.certificateId, c2.certificateId]) {
        expect(await getCertificate(ctx, admin, id, '2026-04-01')).toMatchObject({
          status: 'collected',
          collectedOn: '2026-04-01',
          collectionReason: 'loss',
        });
      }
      const rows = await ctx.store.db
        .selectFrom('eligibility_certificates')
        .selectAll()
        .where('member_id', 'in', [insured.memberId, dep.memberId])
        .execute();
      expect(rows).toHaveLength(2);
      expect(rows.every((r) => r.collection_recorded_on === '2026-04-03')).toBe(true);
    });

    it('a dependent removal collects that dependent only; an address change calls for nothing', async () => {
      const { insured, dep } = await insuredWithChild('協会 三郎', 'キョウカイ サブロウ', '2012-05-05');
      const ci = await apply(insured.memberId, 'no_card', '2025-12-02');
      const cd = await apply(dep.memberId, 'no_card', '2025-12-02');
      await notify(ctx, {
        kind: 'change',
        insurerNumber: insurer,
        recordedOn: '2026-01-05',
        symbol: insured.symbol,
        number: insured.number,
        address: '東京都港区芝公園4-2-8',
      });
      expect((await getCertificate(ctx, admin, ci.certificateId, '2026-01-05')).status).toBe('usable');
      await notify(ctx, {
        kind: 'dependent_remove',
        insurerNumber: insurer,
        recordedOn: '2026-02-02',
        symbol: dep.symbol,
        number: dep.number,
        branch: dep.branch,
        lostOn: '2026-02-01',
      });
      expect(await getCertificate(ctx, admin, cd.certificateId, '2026-02-01')).toMatchObject({
        status: 'collected',
        collectionReason: 'dependent_remove',
      });
      expect((await getCertificate(ctx, admin, ci.certificateId, '2026-02-01')).status).toBe('usable');
    });

    it('a name change collects the certificate held and issues its replacement (no fee)', async () => {
      const { memberId, symbol, number } = await makeMember(ctx, insurer);
      const old = await apply(memberId, 'no_card', '2025-12-02');
      await notify(ctx, {
        kind: 'change',
        insurerNumber: insurer,
        recordedOn: '2026-03-02',
        symbol,
        number,
        name: '新姓 太郎',
        nameKana: 'シンセイ タロウ',
      });
      const all = await listMemberCertificates(ctx.store.db, memberId, '2026-03-02');
      expect(all).toHaveLength(2);
      expect(all[0]).toMatchObject({
        certificateId: old.certificateId,
        status: 'collected',
        collectionReason: 'name_change',
      });
      expect(all[1]).toMatchObject({
        status: 'usable',
        kind: 'reissue',
        reason: 'name_change',
        feeYen: 0,
        issuedOn: '2026-03-02',
        validUntil: '2028-03-01',
        supersedesId: old.certificateId,
      });
      const audit = await ctx.store.db
        .selectFrom('audit_log')
        .select('action')
        .where('member_id', '=', memberId)
        .orderBy('seq')
        .execute();
      expect(audit.map((a) => a.action)).toEqual(
        expect.arrayContaining(['notification.change', 'certificate.collect', 'certificate.issue']),
      );
    });
  });
});
