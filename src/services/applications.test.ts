import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeDocumentsInsurer, makeMember, USABLE_CARD } from '../../test/support/documents.js';
import { adminOf, makeResident, notify, person } from '../../test/support/registry.js';
import { openTestContext, STORE_KINDS } from '../../test/support/stores.js';
import { personRegistrationState } from '../cards/records.js';
import { ShikakuError } from '../domain/codes.js';
import { type Actor, systemActor } from './actor.js';
import { approveApplication, refuseApplication } from './application-decide.js';
import { submitApplication } from './application-receive.js';
import { getApplication } from './applications.js';
import { getCertificate } from './certificates/view.js';
import type { ServiceContext } from './context.js';
import { loadNoticeFor } from './notices.js';

async function failure(promise: Promise<unknown>): Promise<ShikakuError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ShikakuError);
  return error as ShikakuError;
}

const memberActor = (memberId: string): Actor => systemActor('member', { memberId });

describe.each(STORE_KINDS)('applications on %s', (kind) => {
  let ctx: ServiceContext;
  let insurer = '';
  let admin: Actor;
  beforeAll(async () => {
    ctx = await openTestContext(kind);
    insurer = await makeDocumentsInsurer(ctx);
    admin = adminOf(insurer);
  });
  afterAll(() => ctx.store.close());

  it('限度額適用認定: received, then approved from the 1st of the month received for one year', async () => {
    const { memberId } = await makeMember(ctx, insurer, { card: USABLE_CARD });
    const received = await submitApplication(ctx, admin, {
      kind: 'limit_certification',
      memberId,
      recordedOn: '2025-12-15',
    });
    expect(received).toMatchObject({
      kind: 'limit_certification',
      state: 'received',
      receivedOn: '2025-12-15',
      decidedOn: null,
    });
    const approved = await approveApplication(ctx, admin, received.applicationId, { decidedOn: '2025-12-16' });
    expect(approved).toMatchObject({
      state: 'approved',
      decidedOn: '2025-12-16',
      certification: { validFrom: '2025-12-01', validUntil: '2026-11-30', category: null, disease: null },
    });
    expect((await failure(approveApplication(ctx, admin, received.applicationId, {}))).code).toBe(
      'CONFLICT_APPLICATION_STATE',
    );
    expect((await failure(refuseApplication(ctx, admin, received.applicationId, {}))).code).toBe(
      'CONFLICT_APPLICATION_STATE',
    );
  });

  it('減額認定: オ under 70 by default, 低所得Ⅱ/Ⅰ only for 70–74; a category outside the band is refused', async () => {
    const young = await makeMember(ctx, insurer);
    const a = await submitApplication(ctx, admin, {
      kind: 'reduced_limit_certification',
      memberId: young.memberId,
      recordedOn: '2025-12-02',
    });
    expect((await failure(approveApplication(ctx, admin, a.applicationId, { category: '低所得Ⅱ' }))).code).toBe(
      'VALIDATION_FAILED',
    );
    expect(
      (await approveApplication(ctx, admin, a.applicationId, { decidedOn: '2025-12-03' })).certification,
    ).toMatchObject({
      category: 'オ',
    });
    const elderly = await makeMember(ctx, insurer, { person: { birthDate: '1954-05-10' } });
    const b = await submitApplication(ctx, admin, {
      kind: 'reduced_limit_certification',
      memberId: elderly.memberId,
      recordedOn: '2025-12-02',
    });
    expect((await failure(approveApplication(ctx, admin, b.applicationId, { category: 'オ' }))).code).toBe(
      'VALIDATION_FAILED',
    );
    expect(
      (await approveApplication(ctx, admin, b.applicationId, { category: '低所得Ⅰ', decidedOn: '2025-12-03' }))
        .certification,
    ).toMatchObject({ category: '低所得Ⅰ', validFrom: '2025-12-01' });
  });

  it('特定疾病: the disease is kept; validity open-ended', async () => {
    const { memberId } = await makeMember(ctx, insurer);
    const a = await submitApplication(ctx, admin, {
      kind: 'specific_disease',
      memberId,
      disease: 'dialysis',
      recordedOn: '2025-12-20',
    });
    expect(a.reason).toBe('dialysis');
    const approved = await approveApplication(ctx, admin, a.applicationId, { decidedOn: '2025-12-22' });
    expect(approved.certification).toEqual({
      validFrom: '2025-12-01',
      validUntil: null,
      category: null,
      disease: 'dialysis',
    });
    expect((await failure(approveApplication(ctx, admin, a.applicationId, { decidedOn: '2025-12-22' }))).code).toBe(
      'CONFLICT_APPLICATION_STATE',
    );
  });

  it('利用登録解除: only with an active registration; approval cancels it and issues a 資格確認書', async () => {
    const never = await makeMember(ctx, insurer, { card: { issuedOn: '2023-03-01' } });
    const refused = await failure(
      submitApplication(ctx, admin, {
        kind: 'registration_cancellation',
        memberId: never.memberId,
        recordedOn: '2025-12-02',
      }),
    );
    expect(refused.code).toBe('CONFLICT_CARD_STATE');
    expect(await getApplication(ctx, admin, refused.details?.applicationId as string)).toMatchObject({
      state: 'refused',
      refusalCode: 'CONFLICT_CARD_STATE',
    });

    const m = await makeMember(ctx, insurer, { card: USABLE_CARD });
    const a = await submitApplication(ctx, memberActor(m.memberId), {
      kind: 'registration_cancellation',
      memberId: m.memberId,
      recordedOn: '2025-12-02',
    });
    expect(a.state).toBe('received');
    const approved = await approveApplication(ctx, admin, a.applicationId, { decidedOn: '2025-12-05' });
    expect(approved.state).toBe('approved');
    expect(approved.certificateId).toEqual(expect.any(String));
    const cert = await getCertificate(ctx, admin, approved.certificateId as string, '2025-12-05');
    expect(cert).toMatchObject({
      reason: 'registration_cancelled',
      kind: 'on_application',
      issuedOn: '2025-12-05',
      status: 'usable',
      applicationId: a.applicationId,
    });
    const index = ctx.keyring.blindIndex(m.person.myNumber);
    expect(await personRegistrationState(ctx.store.db, index, '2025-12-04')).toBe('active');
    expect(await personRegistrationState(ctx.store.db, index, '2025-12-05')).toBe('cancelled');
  });

  it('お知らせ reissue: refused when the portal can be used; approval issues a new notice', async () => {
    const { memberId } = await makeMember(ctx, insurer);
    const refused = await failure(
      submitApplication(ctx, admin, { kind: 'notice_reissue', memberId, portalUsable: true, recordedOn: '2025-12-02' }),
    );
    expect(refused.code).toBe('NOTICE_REISSUE_NOT_NEEDED');
    const a = await submitApplication(ctx, admin, {
      kind: 'notice_reissue',
      memberId,
      portalUsable: false,
      recordedOn: '2025-12-02',
    });
    const approved = await approveApplication(ctx, admin, a.applicationId, { decidedOn: '2025-12-04' });
    const { notice } = await loadNoticeFor(ctx.store.db, admin, approved.noticeId as string, ['admin']);
    expect(notice).toMatchObject({
      reason: 'reissue',
      issued_on: '2025-12-04',
      application_id: a.applicationId,
      member_id: memberId,
    });
  });

  it('refusal by the association with its own code; decidedOn never before receipt', async () => {
    const { memberId } = await makeMember(ctx, insurer);
    const a = await submitApplication(ctx, admin, { kind: 'limit_certification', memberId, recordedOn: '2025-12-10' });
    expect((await failure(refuseApplication(ctx, admin, a.applicationId, { decidedOn: '2025-12-09' }))).code).toBe(
      'VALIDATION_FAILED',
    );
    const refused = await refuseApplication(ctx, admin, a.applicationId, {
      decidedOn: '2025-12-11',
      refusalCode: 'INCOME_ABOVE_LIMIT',
    });
    expect(refused).toMatchObject({ state: 'refused', refusalCode: 'INCOME_ABOVE_LIMIT', decidedOn: '2025-12-11' });
    expect((await failure(approveApplication(ctx, admin, a.applicationId, {}))).code).toBe(
      'CONFLICT_APPLICATION_STATE',
    );
  });

  it('a lost member cannot apply; scope: the insured files for a dependent, nobody else sees it', async () => {
    const lost = await makeMember(ctx, insurer, { lostOn: '2025-04-01' });
    expect(
      (
        await failure(
          submitApplication(ctx, admin, {
            kind: 'limit_certification',
            memberId: lost.memberId,
            recordedOn: '2025-12-02',
          }),
        )
      ).code,
    ).toBe('CONFLICT_MEMBER_STATE');

    const insured = await makeMember(ctx, insurer);
    const child = person({ name: '協会 四郎', nameKana: 'キョウカイ シロウ', birthDate: '2016-01-01' });
    await makeResident(ctx, child);
    const dep = await notify(ctx, {
      kind: 'dependent_add',
      insurerNumber: insurer,
      recordedOn: '2024-10-01',
      insured: { symbol: insured.symbol, number: insured.number },
      acquiredOn: '2020-04-01',
      person: child,
    });
    const filed = await submitApplication(ctx, memberActor(insured.memberId), {
      kind: 'specific_disease',
      memberId: dep.memberId,
      disease: 'hemophilia',
      recordedOn: '2025-12-02',
    });
    expect(filed.memberId).toBe(dep.memberId);
    expect((await getApplication(ctx, memberActor(insured.memberId), filed.applicationId)).state).toBe('received');
    // The dependent does not see the insured's; another association's admin sees nothing.
    expect(
      (
        await failure(
          submitApplication(ctx, memberActor(dep.memberId), {
            kind: 'limit_certification',
            memberId: insured.memberId,
          }),
        )
      ).code,
    ).toBe('MEMBER_NOT_FOUND');
    expect((await failure(getApplication(ctx, adminOf('06139992'), filed.applicationId))).code).toBe(
      'APPLICATION_NOT_FOUND',
    );
    expect((await failure(approveApplication(ctx, memberActor(insured.memberId), filed.applicationId, {}))).code).toBe(
      'FORBIDDEN',
    );
  });
});
