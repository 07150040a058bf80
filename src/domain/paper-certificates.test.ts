import { describe, expect, it } from 'vitest';
import {
  elderlyRecipientCertificateFor,
  type PaperCertificateFacts,
  paperCertificatesFor,
} from './paper-certificates.js';

/** A 資格確認書 holder born on the 2nd: 70–74 from 2026-06-01, 75 on 2031-05-02. */
const holder: PaperCertificateFacts = {
  proof: 'eligibility_certificate',
  birthDate: '1956-05-02',
  acquiredOn: '2000-04-01',
  lostOn: null,
  insuredRemuneration: 200_000,
  approvals: {},
};

describe('paperCertificatesFor: 高齢受給者証', () => {
  it('from the 1st of the month after reaching 70 to the day before the 75th birthday', () => {
    expect(paperCertificatesFor(holder, 'separate_documents', '2026-05-15').documents).toEqual([
      {
        kind: 'elderly_recipient',
        title: '健康保険高齢受給者証',
        burdenRatio: 20,
        validFrom: '2026-06-01',
        validUntil: '2031-05-01',
      },
    ]);
  });

  it('is not issued before the month ahead of its start (sent in the birthday month)', () => {
    expect(paperCertificatesFor(holder, 'separate_documents', '2026-04-30').documents).toEqual([]);
    expect(paperCertificatesFor(holder, 'separate_documents', '2026-05-01').documents).toHaveLength(1);
  });

  it('born on the 1st: from the birthday itself', () => {
    const first = { ...holder, birthDate: '1956-05-01' };
    expect(paperCertificatesFor(first, 'separate_documents', '2026-04-20').documents[0]).toMatchObject({
      validFrom: '2026-05-01',
      validUntil: '2031-04-30',
    });
  });

  it('born 02-29: the 75th birthday in a common year is 03-01, so the paper lasts to 02-28', () => {
    const leap = { ...holder, birthDate: '1956-02-29' };
    expect(paperCertificatesFor(leap, 'separate_documents', '2026-02-01').documents[0]).toMatchObject({
      validFrom: '2026-03-01',
      validUntil: '2031-02-28',
    });
  });

  it('prints 3割 for a 現役並み insured, and nothing for a マイナ保険証 user', () => {
    const rich = { ...holder, insuredRemuneration: 300_000 };
    expect(paperCertificatesFor(rich, 'separate_documents', '2026-06-01').documents[0]).toMatchObject({
      burdenRatio: 30,
    });
    expect(paperCertificatesFor({ ...rich, proof: 'myna_card' }, 'separate_documents', '2026-06-01').documents).toEqual(
      [],
    );
  });

  it('ends with the insured for a dependent', () => {
    const dependent = {
      ...holder,
      insured: { birthDate: '1960-01-01', acquiredOn: '2000-04-01', lostOn: '2027-04-01' },
    };
    expect(paperCertificatesFor(dependent, 'separate_documents', '2026-06-01').documents[0]).toMatchObject({
      validUntil: '2027-03-31',
    });
  });
});

describe('paperCertificatesFor: 限度額適用認定証 and 特定疾病療養受療証', () => {
  const under70: PaperCertificateFacts = {
    ...holder,
    birthDate: '1980-07-02',
    insuredRemuneration: 600_000,
    approvals: {
      limit: { appliedOn: '2025-12-02', category: 'イ' },
      specificDiseases: [{ appliedOn: '2025-12-15', disease: 'dialysis' }],
    },
  };

  it('from the 1st of the month applied for, one year at most; 減額認定証 for オ', () => {
    const { documents } = paperCertificatesFor(under70, 'separate_documents', '2025-12-02');
    expect(documents).toEqual([
      {
        kind: 'limit_certification',
        title: '健康保険限度額適用認定証',
        category: 'イ',
        oqsCode: 'A02',
        validFrom: '2025-12-01',
        validUntil: '2026-11-30',
      },
      {
        kind: 'specific_disease',
        title: '健康保険特定疾病療養受療証',
        disease: 'dialysis',
        oqsCode: '1',
        diseaseLabel: '人工腎臓を実施している慢性腎不全',
        monthlyLimit: 20_000,
        validFrom: '2025-12-01',
        validUntil: '2050-07-31',
      },
    ]);
    const low = { ...under70, approvals: { limit: { appliedOn: '2025-12-02', category: 'オ' as const } } };
    expect(paperCertificatesFor(low, 'separate_documents', '2025-12-02').documents[0]).toMatchObject({
      kind: 'reduced_limit_certification',
      title: '健康保険限度額適用・標準負担額減額認定証',
    });
  });

  it('issues no 限度額適用認定証 for 一般 (70–74): the 高齢受給者証 gives the limit', () => {
    const elderly = { ...holder, approvals: { limit: { appliedOn: '2026-06-01', category: '一般' as const } } };
    expect(paperCertificatesFor(elderly, 'separate_documents', '2026-06-01').documents.map((d) => d.kind)).toEqual([
      'elderly_recipient',
    ]);
  });

  it('prints the items on the 資格確認書 instead where the association chooses so', () => {
    const decision = paperCertificatesFor(under70, 'printed_on_certificate', '2025-12-02');
    expect(decision.documents).toEqual([]);
    expect(decision.printedOnCertificate).toEqual({
      burdenRatio: null,
      limitCategory: { category: 'イ', validFrom: '2025-12-01' },
      specificDiseases: [{ disease: 'dialysis', validFrom: '2025-12-01' }],
    });
  });
});

describe('elderlyRecipientCertificateFor: the 高齢受給者証 on application', () => {
  it('issues what paperCertificatesFor decides, from the month before the band', () => {
    expect(elderlyRecipientCertificateFor(holder, 'separate_documents', '2026-05-01')).toEqual({
      issue: expect.objectContaining({ kind: 'elderly_recipient', validFrom: '2026-06-01', validUntil: '2031-05-01' }),
    });
  });

  it('refuses in order: not 70–74 (or too early), then a マイナ保険証, then the ratio on the 資格確認書', () => {
    expect(elderlyRecipientCertificateFor(holder, 'separate_documents', '2026-04-30')).toEqual({
      refused: { code: 'NOT_ELDERLY_RECIPIENT' },
    });
    expect(elderlyRecipientCertificateFor(holder, 'separate_documents', '2031-05-02')).toEqual({
      refused: { code: 'NOT_ELDERLY_RECIPIENT' },
    });
    const carded = { ...holder, proof: 'myna_card' as const };
    expect(elderlyRecipientCertificateFor(carded, 'printed_on_certificate', '2026-06-01')).toEqual({
      refused: { code: 'PAPER_CERTIFICATE_NOT_NEEDED', why: 'not_certificate_holder' },
    });
    expect(elderlyRecipientCertificateFor(holder, 'printed_on_certificate', '2026-06-01')).toEqual({
      refused: { code: 'PAPER_CERTIFICATE_NOT_NEEDED', why: 'printed_on_certificate' },
    });
  });
});
