import { describe, expect, it } from 'vitest';
import {
  type CertificateApplicationFacts,
  decideCertificateApplication,
  legacyCardLossEffects,
} from './applications.js';
import { decideExOfficio } from './issuance.js';
import { legacyCardEndAction, legacyCardEventCheck, legacyCardProofFor, legacyCardState } from './legacy-card.js';
import { decideByNumber } from './verification.js';
import { qual, registered } from './verification.test-helper.js';

const card = { issuedOn: '2023-04-01' };

describe('legacyCardState: the legacy card as a thing with a life', () => {
  it('is in use through 2025-12-01 and ended from 2025-12-02, then to be destroyed by the member', () => {
    expect(legacyCardState(card, '2025-12-01')).toEqual({
      state: 'in_use',
      lastUsableOn: '2025-12-01',
      pending: 'none',
    });
    expect(legacyCardState(card, '2025-12-02')).toEqual({
      state: 'ended',
      lastUsableOn: '2025-12-01',
      pending: 'dispose',
    });
  });

  it('ends at its printed 有効期限, to be handed back (回収) while legacy cards are still proofs', () => {
    const fixedTerm = { ...card, expiresOn: '2025-06-30' };
    expect(legacyCardState(fixedTerm, '2025-06-30').state).toBe('in_use');
    expect(legacyCardState(fixedTerm, '2025-07-01')).toEqual({
      state: 'expired',
      lastUsableOn: '2025-06-30',
      pending: 'return',
    });
  });

  it('ends with the member’s loss: handed back on a loss up to 2025-12-01, destroyed from 2025-12-02', () => {
    expect(legacyCardState(card, '2025-12-05', '2025-12-01')).toMatchObject({ state: 'expired', pending: 'return' });
    expect(legacyCardEndAction('2025-12-01')).toBe('return');
    expect(legacyCardEndAction('2025-12-02')).toBe('dispose');
  });

  it('records a loss, a return and a disposal with their dates; nothing is pending after them', () => {
    expect(legacyCardState({ ...card, reportedLostOn: '2024-12-02' }, '2024-12-02')).toEqual({
      state: 'lost',
      lastUsableOn: '2024-12-01',
      pending: 'none',
    });
    expect(legacyCardState({ ...card, reportedLostOn: '2024-12-02' }, '2024-12-01').state).toBe('in_use');
    expect(legacyCardState({ ...card, returnedOn: '2025-08-01' }, '2025-08-01').state).toBe('returned');
    expect(legacyCardState({ ...card, disposedOn: '2025-12-10' }, '2025-12-10')).toMatchObject({
      state: 'disposed',
      pending: 'none',
    });
  });
});

describe('legacyCardProofFor at reception', () => {
  it('refuses a card reported lost from that day, and a returned one', () => {
    expect(legacyCardProofFor({ ...card, reportedLostOn: '2025-03-01' }, '2025-02-28')).toEqual({ usable: true });
    expect(legacyCardProofFor({ ...card, reportedLostOn: '2025-03-01' }, '2025-03-01')).toEqual({
      usable: false,
      reason: 'LEGACY_CARD_REPORTED_LOST',
    });
    expect(legacyCardProofFor({ ...card, returnedOn: '2025-03-01' }, '2025-03-02')).toEqual({
      usable: false,
      reason: 'LEGACY_CARD_RETURNED',
    });
  });

  it('refuses a card past its printed expiry before 2025-12-02, and keeps the temporary measure after', () => {
    const fixedTerm = { ...card, expiresOn: '2025-06-30' };
    expect(legacyCardProofFor(fixedTerm, '2025-07-01')).toEqual({ usable: false, reason: 'LEGACY_CARD_EXPIRED' });
    expect(legacyCardProofFor(card, '2025-12-02')).toEqual({ usable: true, warning: 'LEGACY_CARD_TEMPORARY_MEASURE' });
  });

  it('verification by number answers LEGACY_CARD_REPORTED_LOST for the lost card', () => {
    const hub = [registered()];
    const evidence = {
      document: 'legacy_card' as const,
      birthDateGiven: qual().birthDate,
      legacyCards: [{ ...card, reportedLostOn: '2025-01-10' }],
      certificates: [],
      holdsSeparateCertificates: false,
      newerQualificationExists: false,
    };
    expect(decideByNumber('2025-01-09', evidence, hub).outcome).toBe('eligible');
    const d = decideByNumber('2025-01-10', evidence, hub);
    expect(d.outcome).toBe('ineligible');
    expect(d.reasons.map((r) => r.code)).toEqual(['LEGACY_CARD_REPORTED_LOST']);
  });
});

describe('legacy_card_lost: 滅失・き損届 with an application for a 資格確認書 (seed 002 Q7)', () => {
  const noCard: CertificateApplicationFacts = {
    acquiredOn: '2015-04-01',
    lostOn: null,
    birthDate: '1990-02-10',
    cards: [],
    certificates: [],
    registration: 'never',
    legacyCards: [card],
    eligibilityCertificates: [],
    reissueFeeYen: 500,
  };
  const withMynaCard: CertificateApplicationFacts = {
    ...noCard,
    cards: [{ status: 'active', endedOn: null, expiresOn: '2031-02-10' }],
    certificates: [{ issuedOn: '2021-03-01', expiresOn: '2026-02-10', revokedOn: null }],
    registration: 'active',
  };

  it('is accepted from 2024-12-02 for a member without a マイナ保険証, even before the transition run', () => {
    const decision = decideCertificateApplication('legacy_card_lost', noCard, '2024-12-02');
    expect(decision).toEqual({ accepted: true, fee: 0, supersedes: 'none' });
    expect(legacyCardLossEffects(noCard, decision, '2024-12-02')).toEqual({
      recordLegacyCardLostOn: '2024-12-02',
      issueCertificate: true,
      advice: 'certificate_issued',
    });
    // A plain reason is refused the same day: the valid legacy card is the proof.
    expect(decideCertificateApplication('no_card', noCard, '2024-12-02')).toMatchObject({ why: 'valid_legacy_card' });
  });

  it('still accepts on 2025-12-01 and refuses from 2025-12-02 (no legacy card is a proof any more)', () => {
    expect(decideCertificateApplication('legacy_card_lost', noCard, '2025-12-01')).toMatchObject({ accepted: true });
    const late = decideCertificateApplication('legacy_card_lost', noCard, '2025-12-02');
    expect(late).toEqual({
      accepted: false,
      code: 'CERTIFICATE_REASON_INVALID',
      why: 'reason_not_applicable',
      suggestedReason: 'no_card',
    });
    expect(legacyCardLossEffects(noCard, late, '2025-12-02')).toEqual({
      recordLegacyCardLostOn: null,
      issueCertificate: false,
      advice: 'apply_other_reason',
    });
  });

  it('records the loss but issues nothing to a member with a usable マイナ保険証', () => {
    const decision = decideCertificateApplication('legacy_card_lost', withMynaCard, '2025-03-03');
    expect(decision).toEqual({ accepted: false, code: 'CERTIFICATE_NOT_NEEDED', why: 'usable_myna_card' });
    expect(legacyCardLossEffects(withMynaCard, decision, '2025-03-03')).toEqual({
      recordLegacyCardLostOn: '2025-03-03',
      issueCertificate: false,
      advice: 'use_myna_card',
    });
  });

  it('never tells a member without a My Number card to use a マイナ保険証', () => {
    for (const on of ['2024-12-02', '2025-06-30', '2025-12-01', '2025-12-02', '2026-01-05']) {
      const decision = decideCertificateApplication('legacy_card_lost', noCard, on);
      expect(legacyCardLossEffects(noCard, decision, on).advice).not.toBe('use_myna_card');
    }
  });

  it('once recorded lost, the ex-officio run no longer counts the card as valid', () => {
    const lost = {
      ...noCard,
      legacyCards: [{ ...card, reportedLostOn: '2025-03-03' }],
      newMemberPolicy: 'ex_officio' as const,
    };
    expect(decideExOfficio(lost, '2025-03-02')).toEqual({ issue: false, reason: 'valid_legacy_card' });
    expect(decideExOfficio(lost, '2025-03-03')).toEqual({ issue: true, reason: 'no_card' });
  });
});

describe('recording a return, a disposal or a loss (legacyCardEventCheck)', () => {
  const card = { issuedOn: '2024-04-01' };

  it('takes a return up to 2025-12-01 and a disposal from 2025-12-02', () => {
    expect(legacyCardEventCheck(card, 'returned', '2025-12-01')).toEqual({ ok: true, repeat: false });
    expect(legacyCardEventCheck(card, 'returned', '2025-12-02')).toEqual({
      ok: false,
      refusal: 'LEGACY_CARD_RETURN_CLOSED',
    });
    expect(legacyCardEventCheck(card, 'disposed', '2025-12-01')).toEqual({
      ok: false,
      refusal: 'LEGACY_CARD_DISPOSAL_NOT_YET',
    });
    expect(legacyCardEventCheck(card, 'disposed', '2025-12-02')).toEqual({ ok: true, repeat: false });
  });

  it('still takes back after 2025-12-01 a card whose use ended by then', () => {
    expect(legacyCardEventCheck({ ...card, expiresOn: '2025-06-30' }, 'returned', '2026-01-10')).toEqual({
      ok: true,
      repeat: false,
    });
  });

  it('gives a card one end, a repeat of the same event is no change, nothing before the issue', () => {
    const returned = { ...card, returnedOn: '2025-10-01' };
    expect(legacyCardEventCheck(returned, 'returned', '2025-10-01')).toEqual({ ok: true, repeat: true });
    expect(legacyCardEventCheck(returned, 'lost', '2025-10-02')).toEqual({
      ok: false,
      refusal: 'CONFLICT_LEGACY_CARD_STATE',
    });
    expect(legacyCardEventCheck(card, 'lost', '2024-03-31')).toEqual({
      ok: false,
      refusal: 'LEGACY_CARD_EVENT_BEFORE_ISSUE',
    });
  });
});
