import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeDocumentsInsurer, makeMember, USABLE_CARD } from '../../test/support/documents.js';
import { adminOf, notify } from '../../test/support/registry.js';
import { openTestContext, STORE_KINDS } from '../../test/support/stores.js';
import type { IsoDate } from '../domain/dates.js';
import { systemActor } from './actor.js';
import { approveApplication } from './application-decide.js';
import { submitApplication } from './application-receive.js';
import { signWithCard } from './cards.js';
import { applyForCertificate, reissueCertificate } from './certificates/apply.js';
import { collectCertificate, reportCertificateLost } from './certificates/collect.js';
import { issueChallenge } from './challenges.js';
import type { ServiceContext } from './context.js';
import { type VerificationAnswer, verify } from './verification.js';

const provider = systemActor('provider', { tokenId: 't-provider', providerCode: '1311234566' });
const codes = (a: VerificationAnswer) => a.reasons.map((r) => r.code);

describe.each(STORE_KINDS)('verification by 資格確認書 and certifications on %s', (kind) => {
  let ctx: ServiceContext;
  let insurer = '';
  beforeAll(async () => {
    ctx = await openTestContext(kind);
    insurer = await makeDocumentsInsurer(ctx);
  });
  afterAll(() => ctx.store.close());

  const byCertificate = (
    m: { symbol: string; number: string; branch: string; person: { birthDate: string } },
    asOf: IsoDate,
    limitInfo = true,
  ) =>
    verify(ctx, provider, {
      method: 'number',
      asOf,
      document: 'certificate',
      insurerNumber: insurer,
      symbol: m.symbol,
      number: m.number,
      branch: m.branch,
      birthDate: m.person.birthDate,
      consent: { limitInfo },
    });

  async function byCard(cardId: string, asOf: IsoDate, limitInfo: boolean) {
    const { challenge } = await issueChallenge(ctx, provider);
    const signed = await signWithCard(ctx, provider, cardId, { challenge, pin: '1234' });
    return verify(ctx, provider, {
      method: 'card',
      asOf,
      card: { certificate: signed.certificate, challenge, signature: signed.signature },
      identityCheck: 'pin',
      consent: { limitInfo },
    });
  }

  it('usable through validUntil, then CERTIFICATE_EXPIRED; never issued before its issue date', async () => {
    const m = await makeMember(ctx, insurer);
    const admin = adminOf(insurer);
    const cert = await applyForCertificate(ctx, admin, {
      memberId: m.memberId,
      reason: 'no_card',
      recordedOn: '2024-12-02',
    });
    expect(cert.validUntil).toBe('2026-12-01');
    const before = await byCertificate(m, '2024-12-01');
    expect(before.outcome).toBe('not_found');
    expect(codes(before)).toEqual(['CERTIFICATE_NOT_ISSUED']);
    const first = await byCertificate(m, '2024-12-02');
    expect(first.outcome).toBe('eligible');
    expect(first.reasons).toEqual([]);
    expect(first.qualification).toMatchObject({ symbol: m.symbol, burdenRatio: 30 });
    expect((await byCertificate(m, '2026-12-01')).outcome).toBe('eligible');
    const expired = await byCertificate(m, '2026-12-02');
    expect(expired.outcome).toBe('ineligible');
    expect(codes(expired)).toEqual(['CERTIFICATE_EXPIRED']);
    expect(expired.qualification).toBeNull();
    expect(expired.fallbacks.map((f) => f.code)).toContain('APPLY_CERTIFICATE');
  });

  it('CERTIFICATE_COLLECTED from collectedOn, as the hub knew it: a loss recorded later is not seen earlier', async () => {
    const m = await makeMember(ctx, insurer);
    await applyForCertificate(ctx, adminOf(insurer), {
      memberId: m.memberId,
      reason: 'no_card',
      recordedOn: '2025-12-02',
    });
    // Retroactive loss (遡及喪失): lost 2026-04-01, recorded 2026-04-10.
    await notify(ctx, {
      kind: 'loss',
      insurerNumber: insurer,
      recordedOn: '2026-04-10',
      symbol: m.symbol,
      number: m.number,
      lostOn: '2026-04-01',
    });
    expect((await byCertificate(m, '2026-04-05')).outcome).toBe('eligible');
    const collected = await byCertificate(m, '2026-04-10');
    expect(collected.outcome).toBe('ineligible');
    expect(codes(collected)).toEqual(['CERTIFICATE_COLLECTED']);
  });

  it('CERTIFICATE_REPORTED_LOST from the report; the reissued one is usable', async () => {
    const m = await makeMember(ctx, insurer);
    const admin = adminOf(insurer);
    const cert = await applyForCertificate(ctx, admin, {
      memberId: m.memberId,
      reason: 'no_card',
      recordedOn: '2025-12-02',
    });
    await reportCertificateLost(ctx, admin, cert.certificateId, { reportedOn: '2026-01-20' });
    expect((await byCertificate(m, '2026-01-19')).outcome).toBe('eligible');
    const lost = await byCertificate(m, '2026-01-20');
    expect(codes(lost)).toEqual(['CERTIFICATE_REPORTED_LOST']);
    await reissueCertificate(ctx, admin, cert.certificateId, { recordedOn: '2026-01-21' });
    expect((await byCertificate(m, '2026-01-21')).outcome).toBe('eligible');
  });

  it('a 70–74 holder is told to show the separate certificates (SEPARATE_CERTIFICATES_REQUIRED), a younger one not', async () => {
    // Born 1954-05-10: 70 on 2024-05-09, 高齢受給者 from 2024-06-01, 75 on 2029-05-10.
    const elderly = await makeMember(ctx, insurer, { person: { birthDate: '1954-05-10' }, remuneration: 410_000 });
    const admin = adminOf(insurer);
    await applyForCertificate(ctx, admin, { memberId: elderly.memberId, reason: 'no_card', recordedOn: '2025-12-02' });
    const answer = await byCertificate(elderly, '2025-12-02');
    expect(answer.outcome).toBe('eligible');
    expect(codes(answer)).toContain('SEPARATE_CERTIFICATES_REQUIRED');
    expect(answer.qualification?.burdenRatio).toBe(30);

    const young = await makeMember(ctx, insurer);
    await applyForCertificate(ctx, admin, { memberId: young.memberId, reason: 'no_card', recordedOn: '2025-12-02' });
    expect(codes(await byCertificate(young, '2025-12-02'))).not.toContain('SEPARATE_CERTIFICATES_REQUIRED');
    // An approved 限度額適用認定 makes the younger holder show it too, from its validFrom.
    const application = await submitApplication(ctx, admin, {
      kind: 'limit_certification',
      memberId: young.memberId,
      recordedOn: '2026-01-15',
    });
    await approveApplication(ctx, admin, application.applicationId, { decidedOn: '2026-01-16' });
    expect(codes(await byCertificate(young, '2026-01-15'))).not.toContain('SEPARATE_CERTIFICATES_REQUIRED');
    expect(codes(await byCertificate(young, '2026-01-16'))).toContain('SEPARATE_CERTIFICATES_REQUIRED');
    // The certification is answered with its end: one year from 2026-01-01.
    expect(codes(await byCertificate(young, '2027-01-01'))).not.toContain('SEPARATE_CERTIFICATES_REQUIRED');
  });

  it('減額認定 gives limit category オ (with consent), 特定疾病 its monthly limit; nothing without consent', async () => {
    const m = await makeMember(ctx, insurer, { card: USABLE_CARD, remuneration: 560_000 });
    const admin = adminOf(insurer);
    expect((await byCard(m.cardId as string, '2025-12-02', true)).qualification?.limitCategory).toBe('イ');
    const reduced = await submitApplication(ctx, admin, {
      kind: 'reduced_limit_certification',
      memberId: m.memberId,
      recordedOn: '2025-12-02',
    });
    await approveApplication(ctx, admin, reduced.applicationId, { decidedOn: '2025-12-02' });
    // イ wins over オ at ≥ 530,000 (limits.ts precedence): lower the remuneration to see オ.
    await notify(ctx, {
      kind: 'change',
      insurerNumber: insurer,
      recordedOn: '2025-12-03',
      symbol: m.symbol,
      number: m.number,
      standardMonthlyRemuneration: 200_000,
    });
    const disease = await submitApplication(ctx, admin, {
      kind: 'specific_disease',
      memberId: m.memberId,
      disease: 'dialysis',
      recordedOn: '2025-12-03',
    });
    await approveApplication(ctx, admin, disease.applicationId, { decidedOn: '2025-12-03' });

    const withConsent = await byCard(m.cardId as string, '2025-12-10', true);
    expect(withConsent.outcome).toBe('eligible');
    expect(withConsent.qualification?.limitCategory).toBe('オ');
    expect(withConsent.qualification?.specificDisease).toEqual([
      { category: 'dialysis', monthlyLimitYen: 10_000, validFrom: '2025-12-01', validUntil: null },
    ]);
    const without = await byCard(m.cardId as string, '2025-12-10', false);
    expect(without.qualification?.limitCategory).toBeNull();
    expect(without.qualification?.specificDisease).toEqual([]);
    expect(codes(without)).toContain('CONSENT_NOT_GIVEN');
    // As the hub knew: before the approval, no certification.
    expect((await byCard(m.cardId as string, '2025-12-01', true)).qualification?.specificDisease).toEqual([]);
  });

  it('dialysis under 70 with remuneration ≥ 530,000: 20,000 a month', async () => {
    const m = await makeMember(ctx, insurer, { card: USABLE_CARD, remuneration: 620_000 });
    const admin = adminOf(insurer);
    const a = await submitApplication(ctx, admin, {
      kind: 'specific_disease',
      memberId: m.memberId,
      disease: 'dialysis',
      recordedOn: '2025-12-02',
    });
    await approveApplication(ctx, admin, a.applicationId, { decidedOn: '2025-12-02' });
    const answer = await byCard(m.cardId as string, '2025-12-02', true);
    expect(answer.qualification?.specificDisease[0]?.monthlyLimitYen).toBe(20_000);
    // Shown by 資格確認書 too, with the separate-certificates warning.
    await applyForCertificate(ctx, admin, { memberId: m.memberId, reason: 'card_lost', recordedOn: '2025-12-05' });
    const shown = await byCertificate(m, '2025-12-05');
    expect(codes(shown)).toContain('SEPARATE_CERTIFICATES_REQUIRED');
    expect(shown.qualification?.specificDisease).toHaveLength(1);
  });

  it('a collected certificate answers COLLECTED even after a replacement of another member', async () => {
    const m = await makeMember(ctx, insurer);
    const admin = adminOf(insurer);
    const cert = await applyForCertificate(ctx, admin, {
      memberId: m.memberId,
      reason: 'no_card',
      recordedOn: '2025-12-02',
    });
    await collectCertificate(ctx, admin, cert.certificateId, { collectedOn: '2026-02-01' });
    expect(codes(await byCertificate(m, '2026-02-01'))).toEqual(['CERTIFICATE_COLLECTED']);
    expect((await byCertificate(m, '2026-01-31')).outcome).toBe('eligible');
  });
});
