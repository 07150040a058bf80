/**
 * Fixtures of the verification decision shared by the domain tests: Taro, insured at association A
 * since 2020, and a valid card read on a face reader.
 */
import type { CardEvidence, CardFacts, HubRecord, QualificationFacts } from './verification.js';

export function qual(over: Partial<QualificationFacts> = {}): QualificationFacts {
  return {
    memberId: 'm-taro',
    insurerNumber: '06139992',
    symbol: '1234',
    number: '567',
    branch: '00',
    relationship: 'insured',
    birthDate: '1989-10-01',
    acquiredOn: '2020-01-01',
    lostOn: null,
    ...over,
  };
}
export const registered = (over: Partial<QualificationFacts> = {}): HubRecord => ({
  state: 'registered',
  qualification: qual(over),
});

export function cardEvidence(over: Partial<CardEvidence> = {}, card: Partial<CardFacts> = {}): CardEvidence {
  return {
    challenge: 'valid',
    signature: 'valid',
    chain: 'trusted',
    certificate: { issuedOn: '2023-10-02', expiresOn: '2028-10-01', revokedOn: null },
    card: { kind: 'card', expiresOn: '2033-10-01', status: 'active', endedOn: null, pinLocked: false, ...card },
    registration: 'active',
    identityCheck: 'face',
    ...over,
  };
}
