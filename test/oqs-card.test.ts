/**
 * Card results in OQS form (ReferenceClassification 1) and 特定疾病 data under its own consent
 * (issue #15). Answers read with the independent reader of test/oqs/reader.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../src/services/actor.js';
import { approveApplication } from '../src/services/application-decide.js';
import { submitApplication } from '../src/services/application-receive.js';
import { issueCard, registerCard, signWithCard } from '../src/services/cards.js';
import { issueChallenge } from '../src/services/challenges.js';
import type { ServiceContext } from '../src/services/context.js';
import { clinicView, readOqsAnswer } from './oqs/reader.js';
import { buildOqsWorld, infoOf, type OqsWorld, PROVIDER, searchJson } from './oqs/world.js';
import { adminOf } from './support/registry.js';
import { openTestContext, STORE_KINDS } from './support/stores.js';

describe.each(STORE_KINDS)('OQS card answers and 特定疾病 on %s', (kind) => {
  let ctx: ServiceContext;
  let w: OqsWorld;
  let cardId = '';
  const provider = systemActor('provider', { providerCode: PROVIDER });

  beforeAll(async () => {
    ctx = await openTestContext(kind);
    w = await buildOqsWorld(ctx);
    const operator = systemActor('operator');
    cardId = (await issueCard(ctx, operator, { myNumber: w.people.taro.myNumber, issuedOn: '2024-06-03', pin: '1234' }))
      .cardId;
    await registerCard(ctx, operator, cardId, { recordedOn: '2024-06-03', channel: 'reader' });
    const admin = adminOf(w.insurer);
    const a = await submitApplication(ctx, admin, {
      kind: 'specific_disease',
      memberId: w.people.taro.memberId,
      disease: 'dialysis',
      recordedOn: '2025-12-20',
    });
    await approveApplication(ctx, admin, a.applicationId, { decidedOn: '2025-12-22' });
  });
  afterAll(async () => {
    await w.app.close();
    await ctx.store.close();
  });

  async function cardBody() {
    const { challenge } = await issueChallenge(ctx, provider);
    const signed = await signWithCard(ctx, provider, cardId, { challenge, pin: '1234' });
    return {
      method: 'card',
      card: { certificate: signed.certificate, challenge, signature: signed.signature },
      identityCheck: 'pin',
      consent: { limitInfo: true },
    };
  }

  it('a card verification read as the XmlMsg answer: ReferenceClassification 1, the person found through the card', async () => {
    const res = await w.app.inject({
      method: 'POST',
      url: '/api/v1/verifications:oqs?ArbitraryFileIdentifier=card-1',
      headers: { authorization: `Bearer ${w.provider}` },
      payload: await cardBody(),
    });
    expect(res.statusCode, res.body).toBe(200);
    const a = readOqsAnswer(res.rawPayload, String(res.headers['content-type']));
    expect(a.header).toMatchObject({
      ReferenceClassification: '1',
      SegmentOfResult: '1',
      MedicalInstitutionCode: PROVIDER,
      ArbitraryFileIdentifier: 'card-1',
      QualificationConfirmationDate: '20251121',
    });
    expect(a.body.echo).toBeUndefined();
    expect(clinicView(a.body)).toMatchObject({
      validity: '有効',
      person: { name: '協会 太郎', kana: 'ｷｮｳｶｲ ﾀﾛｳ' },
      insurer: { number: w.insurer },
      ratioWari: 3,
      limitCategory: 'ウ',
    });
  });

  it('the same card answer in XML (Accept) and in Shift_JIS (CharacterCodeIdentifier=1)', async () => {
    const res = await w.app.inject({
      method: 'POST',
      url: '/api/v1/verifications:oqs?CharacterCodeIdentifier=1',
      headers: { authorization: `Bearer ${w.provider}`, accept: 'application/xml' },
      payload: await cardBody(),
    });
    expect(res.headers['content-type']).toMatch(/^application\/xml; charset=Shift_JIS/);
    const a = readOqsAnswer(res.rawPayload, String(res.headers['content-type']));
    expect(a.encoding).toBe('Shift_JIS');
    expect(a.header.ReferenceClassification).toBe('1');
    expect(a.body.results[0]?.fields.Name).toBe('協会 太郎');
  });

  it('a replayed challenge answers in the protocol: 無効, the reason as ProcessingResultCode, nothing disclosed', async () => {
    const body = await cardBody();
    const send = () =>
      w.app.inject({
        method: 'POST',
        url: '/api/v1/verifications:oqs',
        headers: { authorization: `Bearer ${w.provider}` },
        payload: body,
      });
    await send();
    const a = readOqsAnswer((await send()).rawPayload, 'application/json');
    expect(a.body.fields).toMatchObject({ QualificationValidity: '2', ProcessingResultCode: 'CHALLENGE_INVALID' });
    expect(a.body.results).toEqual([]);
  });

  it('a bad body is a problem+json 400, as on /api/v1/verifications; other roles 403', async () => {
    const bad = await w.app.inject({
      method: 'POST',
      url: '/api/v1/verifications:oqs',
      headers: { authorization: `Bearer ${w.provider}` },
      payload: { method: 'card' },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.headers['content-type']).toMatch(/problem\+json/);
    const admin = await w.app.inject({
      method: 'POST',
      url: '/api/v1/verifications:oqs',
      headers: { authorization: `Bearer ${w.admin}` },
      payload: await cardBody(),
    });
    expect(admin.statusCode).toBe(403);
  });

  it('特定疾病 under its own consent: the list with SpecificDiseasesCertificateRelatedConsFlg 1, none with 0', async () => {
    const post = async (info: Record<string, string | undefined>) => {
      const res = await w.app.inject({
        method: 'POST',
        url: '/oqs-api-pro/MSA01030/ILI01030SV01/search',
        headers: { authorization: `Bearer ${w.provider}` },
        payload: searchJson(infoOf(w.people.taro, w.insurer, info)),
      });
      return readOqsAnswer(res.rawPayload, String(res.headers['content-type'])).body.results[0];
    };
    const both = await post({ SpecificDiseasesCertificateRelatedConsFlg: '1' });
    expect(both?.fields.SpecificDiseasesCertificateRelatedConsFlg).toBe('1');
    expect(both?.fields.SpecificDiseasesCertificateRelatedConsTime).toMatch(/^\d{14}$/);
    expect(both?.diseases).toEqual([
      {
        SpecificDiseasesDiseaseCategory: '1',
        SpecificDiseasesValidStartDate: '20251201',
        SpecificDiseasesSelfPay: '10000',
      },
    ]);
    expect(both?.limit?.LimitApplicationCertificateClassificationFlag).toBe('A03');

    // Disease consent without limit consent: the disease data, no limit data.
    const diseaseOnly = await post({
      SpecificDiseasesCertificateRelatedConsFlg: '1',
      LimitApplicationCertificateRelatedConsFlg: '0',
    });
    expect(diseaseOnly?.diseases).toHaveLength(1);
    expect(diseaseOnly?.limit).toBeUndefined();

    const limitOnly = await post({ SpecificDiseasesCertificateRelatedConsFlg: '0' });
    expect(limitOnly?.fields.SpecificDiseasesCertificateRelatedConsFlg).toBe('0');
    expect(limitOnly?.diseases).toEqual([]);
    expect(limitOnly?.limit).toBeDefined();
  });
});
