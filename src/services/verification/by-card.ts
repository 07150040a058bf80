/**
 * Gathering by マイナ保険証 (RULES.md §1, §4): the presented certificate is inspected by the card
 * stand-in, and only a proven card leads to the person in the hub. The challenge is used up with the
 * verification's record, in the group commit (src/services/disclosure-log.ts): the decision here
 * assumes it holds, and carries the one that stands if it does not.
 */
import { type CardInspection, inspectPresentedCard } from '../../cards/index.js';
import type { CardVerificationRequest } from '../../contract/verification.js';
import type { IsoDate } from '../../domain/dates.js';
import { type CardEvidence, decideByCard } from '../../domain/verification.js';
import { nowIso, type ServiceContext } from '../context.js';
import { hubEntriesByPerson } from '../hub.js';
import type { Gathered } from './gathered.js';
import { withInsuredCover } from './insured-cover.js';

/**
 * Stand-ins for an unknown card, only ever read after a cryptographic failure has already decided
 * (decideByCard stops at the first failure of challenge, signature or chain).
 */
const UNKNOWN_CERTIFICATE: CardEvidence['certificate'] = {
  issuedOn: '0001-01-01',
  expiresOn: '0001-01-01',
  revokedOn: null,
};
const UNKNOWN_CARD: CardEvidence['card'] = {
  kind: 'card',
  expiresOn: '0001-01-01',
  status: 'invalidated',
  endedOn: '0001-01-01',
  pinLocked: false,
};

/**
 * The card evidence (RULES.md §1, §4) from the challenge state and the card simulator's inspection.
 * A certificate that chains to the trusted CA but is unknown to the card register counts as untrusted:
 * nothing vouches for it.
 */
export function cardEvidenceOf(
  challenge: 'valid' | 'invalid',
  inspection: CardInspection | null,
  identityCheck: CardEvidence['identityCheck'],
  reader?: CardEvidence['reader'],
): CardEvidence {
  const told = reader === undefined ? {} : { reader };
  if (inspection === null) {
    return {
      challenge,
      signature: 'invalid',
      chain: 'untrusted',
      certificate: UNKNOWN_CERTIFICATE,
      card: UNKNOWN_CARD,
      registration: 'never',
      identityCheck,
      ...told,
    };
  }
  const known = inspection.certificate !== null && inspection.card !== null;
  return {
    challenge,
    signature: inspection.signature,
    chain: known ? inspection.chain : 'untrusted',
    certificate: inspection.certificate
      ? {
          issuedOn: inspection.certificate.issuedOn,
          expiresOn: inspection.certificate.expiresOn,
          revokedOn: inspection.certificate.revokedOn,
        }
      : UNKNOWN_CERTIFICATE,
    card: inspection.card
      ? {
          kind: inspection.card.kind,
          expiresOn: inspection.card.expiresOn,
          status: inspection.card.status,
          endedOn: inspection.card.endedOn,
          pinLocked: inspection.card.pinLocked,
        }
      : UNKNOWN_CARD,
    registration: inspection.registration,
    identityCheck,
    ...told,
  };
}

export async function gatherByCard(
  ctx: ServiceContext,
  providerCode: string,
  request: CardVerificationRequest,
  asOf: IsoDate,
): Promise<Gathered> {
  const claim = { challenge: request.card.challenge, providerCode, at: nowIso(ctx) };
  const refused = decideByCard(asOf, cardEvidenceOf('invalid', null, request.identityCheck, request.reader), []);
  const inspection = await inspectPresentedCard(
    ctx,
    { certificatePem: request.card.certificate, challenge: request.card.challenge, signature: request.card.signature },
    asOf,
  );
  const evidence = cardEvidenceOf('valid', inspection, request.identityCheck, request.reader);
  // Only a proven card leads to the person: an unproven one discloses nothing, not even via the hub.
  const proven = evidence.signature === 'valid' && evidence.chain === 'trusted';
  const entries =
    proven && inspection.myNumberIndex !== null
      ? await withInsuredCover(
          ctx.store.db,
          await hubEntriesByPerson(ctx.store.db, inspection.myNumberIndex, asOf),
          asOf,
        )
      : [];
  return {
    decision: decideByCard(
      asOf,
      evidence,
      entries.map((e) => e.record),
    ),
    entries,
    challenge: { claim, refused },
  };
}
